"""The document model: a cleaned news :class:`Article`."""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Article:
    """One cleaned news article.

    ``paragraphs`` are the body paragraphs in reading order; section sub-headings are kept as their own
    paragraphs and their indices are listed in ``headings``. ``bullets`` are the outlet's own summary items
    (IDN Times' "Intinya sih..." block), empty when the page has none. ``separators`` is filled only when text
    was read as given (``Article.from_text(text, clean=False)``): the exact whitespace before, between and after
    the paragraphs, one item more than ``paragraphs``.

    Every stage of idnews reads structure from here: the reader (:mod:`idnews.reader`) is the only code that
    decides what is a paragraph, a heading, a caption or a dateline.
    """

    paragraphs: list[str]
    title: str | None = None
    bullets: list[str] = field(default_factory=list)
    outlet: str | None = None
    dateline: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    published: _dt.date | None = None
    rubric: str | None = None
    lede: str | None = None
    headings: list[int] = field(default_factory=list)
    source_path: str | None = None
    separators: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Body paragraphs joined by blank lines (no title, no bullets)."""
        return "\n\n".join(self.paragraphs)

    def is_heading(self, index: int) -> bool:
        """Whether paragraph ``index`` is a sub-heading."""
        return index in self.headings

    @property
    def body_paragraphs(self) -> list[str]:
        """Paragraphs that are not sub-headings."""
        heads = set(self.headings)
        return [p for i, p in enumerate(self.paragraphs) if i not in heads]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        if not self.separators:
            del data["separators"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        values = dict(data)
        published = values.get("published")
        if isinstance(published, str):
            values["published"] = _dt.date.fromisoformat(published)
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in values.items() if k in known})

    @classmethod
    def from_text(cls, text: str, *, outlet: str | None = None, clean: bool = True) -> Article:
        """Parse a scraped page (plain text, or HTML) into an article: the one way idnews turns a ``str`` into
        structure. ``clean=False`` keeps every line and the exact layout (see :func:`idnews.reader.parse_article`)."""
        from idnews.reader import parse_article

        return parse_article(text, outlet=outlet, clean=clean)


def load_article(path: str | Path, *, outlet: str | None = None) -> Article:
    """Read a scraped news page from ``path`` (text or HTML, any common encoding) into an :class:`Article`."""
    from idnews.reader import read_article_file

    return read_article_file(Path(path), outlet=outlet)
