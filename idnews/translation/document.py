"""The bilingual document model: an :class:`~idnews.article.Article` cut into translation units, and the
translated result.

A document is a list of paragraphs — the article's, with its headings — and a paragraph is a list of
:class:`Segment`, one per source sentence (headings, titles and bullets are one segment each). Any markup
prefix (``## ``, ``- ``, ``1. ``) and, for text read as given, the exact whitespace between paragraphs are kept
so that :attr:`TranslatedDocument.text` has the source's layout.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from idnews.layout import markup_prefix
from idnews.text import split_sentences

if TYPE_CHECKING:
    from idnews.article import Article


@dataclass
class Segment:
    """One source sentence and its English translation.

    ``warnings`` says what the faithfulness guard still found after its retries (or that a long
    sentence was cut into pieces); ``notes`` are remarks that need no attention (e.g. already English).
    """

    source: str
    target: str
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class TranslatedDocument:
    """A translated document with sentence-aligned segments and the source's layout.

    ``paragraphs[i]`` holds the segments of paragraph ``i``; ``headings`` lists the indices of paragraphs
    that are headings; ``separators`` has one more item than ``paragraphs`` (the whitespace before the
    first paragraph, between paragraphs, and after the last); ``prefixes`` is the untranslated markup
    prefix of each paragraph. ``title`` and ``bullets`` are filled when an :class:`~idnews.article.Article`
    was translated. ``notes`` carries document-level remarks (e.g. input already in English).
    """

    paragraphs: list[list[Segment]]
    headings: list[int] = field(default_factory=list)
    title: Segment | None = None
    bullets: list[Segment] = field(default_factory=list)
    separators: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The English body with the source's paragraph breaks, headings and markup prefixes in place."""
        return self._body(lambda paragraph: [s.target for s in paragraph if s.target])

    @property
    def source_text(self) -> str:
        """The source body rebuilt from the segments (sentence spacing normalised)."""
        return self._body(lambda paragraph: [s.source for s in paragraph])

    def _body(self, sentences_of: Callable[[list[Segment]], list[str]]) -> str:
        separators = self.separators or ["", *["\n\n"] * max(len(self.paragraphs) - 1, 0), ""]
        prefixes = self.prefixes or [""] * len(self.paragraphs)
        parts = [separators[0]]
        for index, paragraph in enumerate(self.paragraphs):
            parts.append(prefixes[index] + " ".join(sentences_of(paragraph)))
            parts.append(separators[index + 1])
        return "".join(parts)

    def segments(self) -> list[Segment]:
        """Every segment: title, bullets, then the body in reading order."""
        head = [self.title] if self.title is not None else []
        return [*head, *self.bullets, *(s for p in self.paragraphs for s in p)]

    @property
    def warning_count(self) -> int:
        """How many segments still carry a warning after the guard's retries."""
        return sum(1 for s in self.segments() if s.warnings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": asdict(self.title) if self.title is not None else None,
            "bullets": [asdict(s) for s in self.bullets],
            "paragraphs": [[asdict(s) for s in p] for p in self.paragraphs],
            "headings": list(self.headings),
            "text": self.text,
            "warning_count": self.warning_count,
            "notes": list(self.notes),
        }


@dataclass
class SourceDocument:
    """A document cut into translation units, before translation (``units[i]`` = sentences of paragraph i)."""

    units: list[list[str]]
    headings: list[int] = field(default_factory=list)
    title: str | None = None
    bullets: list[str] = field(default_factory=list)
    separators: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)

    def sentences(self) -> list[str]:
        """All units in the order :meth:`assemble` consumes them: title, bullets, body."""
        head = [self.title] if self.title else []
        return [*head, *self.bullets, *(u for p in self.units for u in p)]

    def assemble(self, segments: list[Segment], notes: list[str] | None = None) -> TranslatedDocument:
        """Put translated segments (in :meth:`sentences` order) back into the document's layout."""
        queue = iter(segments)
        title = next(queue) if self.title else None
        bullets = [next(queue) for _ in self.bullets]
        paragraphs = [[next(queue) for _ in p] for p in self.units]
        return TranslatedDocument(
            paragraphs=paragraphs,
            headings=list(self.headings),
            title=title,
            bullets=bullets,
            separators=list(self.separators),
            prefixes=list(self.prefixes),
            notes=list(notes or []),
        )


def split_article(article: Article) -> SourceDocument:
    """Cut an :class:`~idnews.article.Article` into translation units: title and bullets whole, headings whole,
    every other paragraph by sentence. A Markdown or list marker that opens a paragraph (``## ``, ``- ``,
    ``1. ``) is kept aside, untranslated, and put back in front of its translation. The paragraphs and headings
    are the article's own; the whitespace between paragraphs is the article's ``separators`` when it was read
    as given, else a blank line."""
    heads = set(article.headings)
    units: list[list[str]] = []
    prefixes: list[str] = []
    for index, paragraph in enumerate(article.paragraphs):
        prefix = markup_prefix(paragraph)
        body = paragraph[len(prefix):]
        prefixes.append(prefix)
        if index in heads:
            units.append([" ".join(body.split())] if body.strip() else [])
        else:
            units.append(split_sentences(body))
    count = len(article.paragraphs)
    separators = list(article.separators) or ["", *["\n\n"] * max(count - 1, 0), ""]
    return SourceDocument(
        units=units,
        headings=sorted(heads),
        title=" ".join(article.title.split()) if article.title and article.title.strip() else None,
        bullets=[" ".join(b.split()) for b in article.bullets if b.strip()],
        separators=separators,
        prefixes=prefixes,
    )
