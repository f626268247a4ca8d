"""The bilingual document model: source text cut into translation units, and the translated result.

A document is a list of paragraphs; a paragraph is a list of :class:`Segment`, one per source sentence
(headings, titles and bullets are one segment each). The exact whitespace between paragraphs and any
markup prefix (``## ``, ``- ``, ``1. ``) are kept so that :attr:`TranslatedDocument.text` has the
source's layout.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from idnews.article import Article

_LINE_BREAKS = re.compile(r"\s*\n\s*")
_MARKUP_PREFIX = re.compile(r"^(#{1,6}\s+|[-*•]\s+|\d{1,3}[.)]\s+)")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)]$")


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


def _looks_like_heading(line: str, prefix: str) -> bool:
    if prefix.startswith("#"):
        return True
    return len(line.split()) <= 12 and not _SENTENCE_END.search(line) and not prefix.startswith(("-", "*", "•"))


def split_text(text: str, splitter: Callable[[str], list[str]]) -> SourceDocument:
    """Cut plain text into paragraphs (one per non-empty line) and sentences, keeping the layout.

    A line is a heading when it starts with ``#`` or is short with no sentence-final punctuation while
    other lines are longer prose; headings are kept whole instead of being sentence-split.
    """
    lines: list[str] = []
    separators: list[str] = []
    position = 0
    for match in _LINE_BREAKS.finditer(text):
        if match.start() == 0 or match.end() == len(text):
            continue
        lines.append(text[position:match.start()])
        separators.append(match.group())
        position = match.end()
    lines.append(text[position:])
    leading = text[: len(text) - len(text.lstrip())]
    trailing = text[len(text.rstrip()):] if text.strip() else ""
    lines = [line.strip() for line in lines]
    if not text.strip():
        return SourceDocument(units=[], separators=[text])

    prose = sum(1 for line in lines if _SENTENCE_END.search(line) and len(line.split()) > 12)
    units: list[list[str]] = []
    headings: list[int] = []
    prefixes: list[str] = []
    for index, line in enumerate(lines):
        match = _MARKUP_PREFIX.match(line)
        prefix = match.group() if match else ""
        body = line[len(prefix):]
        prefixes.append(prefix)
        if prose and len(lines) > 1 and _looks_like_heading(body, prefix):
            headings.append(index)
            units.append([" ".join(body.split())] if body.strip() else [])
        else:
            units.append(splitter(body))
    return SourceDocument(
        units=units,
        headings=headings,
        separators=[leading, *separators, trailing],
        prefixes=prefixes,
    )


def split_article(article: Article, splitter: Callable[[str], list[str]]) -> SourceDocument:
    """Cut an :class:`~idnews.article.Article` into units: title and bullets whole, body by sentence."""
    heads = set(article.headings)
    units = [
        ([" ".join(p.split())] if p.strip() else []) if i in heads else splitter(p)
        for i, p in enumerate(article.paragraphs)
    ]
    count = len(article.paragraphs)
    return SourceDocument(
        units=units,
        headings=sorted(heads),
        title=" ".join(article.title.split()) if article.title and article.title.strip() else None,
        bullets=[" ".join(b.split()) for b in article.bullets if b.strip()],
        separators=["", *["\n\n"] * max(count - 1, 0), ""],
        prefixes=[""] * count,
    )
