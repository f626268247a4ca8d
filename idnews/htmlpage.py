"""HTML news pages: their main text (with trafilatura), their metadata, and the names in their bylines.

:func:`extract_html` reduces a page to one paragraph a line for the reader (:mod:`idnews.reader`) and keeps what
the markup says about the article in :class:`PageMetadata`: title, date, URL, the outlet's name
(``og:site_name`` or publisher metadata) and the authors and editors of byline elements, which the text
extractor drops with the rest of the page furniture.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from idnews.decode import normalize_text
from idnews.errors import InputError

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|article|div|p)\b", re.I | re.S)
_NAME_SEPARATOR = re.compile(r"\s*(?:,|;|&|\bdan\b|\band\b)\s*")
# Capitalised words (initials and particles such as "bin", "van", "al-" allowed): a person's name.
_NAME = re.compile(r"^(?:(?:[A-Z][\w.'’-]*|bin|binti|van|von|de|da|der|al-\w+)(?:\s+|$))+$")

#: Elements of an HTML page that may hold a byline, and the longest text such an element may have.
_BYLINE_TAGS = ("p", "div", "span", "li", "address", "small", "strong", "em", "footer", "section")
_BYLINE_MAX_CHARACTERS = 200


@dataclass
class PageMetadata:
    """What an HTML page's markup says about the article (empty for plain text): its metadata, and the names
    in byline lines ("Penulis: … | Editor: …") that the text extractor leaves out of the body."""

    title: str | None = None
    published: _dt.date | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    url: str | None = None
    sitename: str | None = None


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML document or fragment rather than plain text."""
    return bool(_HTML_START.match(text[:4096]))


def extract_html(
    html: str, *, source_path: str | Path | None = None, bylines: Sequence[re.Pattern[str]] = ()
) -> tuple[str, PageMetadata]:
    """Reduce an HTML page to its main text (one paragraph a line) and metadata, with trafilatura. Authors and
    editors come from the markup's byline elements matching ``bylines`` (before the extractor drops them),
    else from the author metadata; the outlet's name from ``og:site_name`` or publisher metadata."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_recall=True,
            output_format="python",
            # Only a date the markup states for the page; a date mentioned in the story is not its publication date.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # lxml and trafilatura raise assorted errors on malformed markup
        raise InputError(source_path, f"HTML could not be parsed ({type(exc).__name__}: {exc})") from exc
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        raise InputError(source_path, "HTML page holds no extractable article text")
    authors, editors = _markup_bylines(html, bylines)
    meta = PageMetadata(
        title=_clean(getattr(document, "title", None)),
        published=_iso_date(getattr(document, "date", None)),
        authors=authors or split_names(getattr(document, "author", None) or ""),
        editors=editors,
        url=_clean(getattr(document, "url", None)),
        sitename=_clean(getattr(document, "sitename", None)),
    )
    return normalize_text(body), meta


def _markup_bylines(html: str, bylines: Sequence[re.Pattern[str]]) -> tuple[list[str], list[str]]:
    """Authors and editors named by short elements of the page that match a byline pattern."""
    if not bylines:
        return [], []
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return [], []
    authors: list[str] = []
    editors: list[str] = []
    for element in root.iter(*_BYLINE_TAGS):
        line = " ".join(element.text_content().split())
        if not line or len(line) > _BYLINE_MAX_CHARACTERS:
            continue
        read_byline(line, bylines, authors, editors)
    return authors, editors


def read_byline(line: str, bylines: Sequence[re.Pattern[str]], authors: list[str], editors: list[str]) -> bool:
    """Whether ``line`` is a byline (the first of ``bylines`` that matches); its names are added to ``authors``
    and ``editors``."""
    for pattern in bylines:
        match = pattern.search(line)
        if match:
            groups = match.groupdict()
            extend_unique(authors, split_names(groups.get("authors") or ""))
            extend_unique(editors, split_names(groups.get("editors") or ""))
            return True
    return False


def split_names(names: str) -> list[str]:
    """Names from a byline; a description after the names ("Moh. Shofan, aktivis …") is left out."""
    result = []
    for piece in _NAME_SEPARATOR.split(names):
        piece = piece.strip(" .")
        if not piece:
            continue
        if not _NAME.match(piece):
            break
        result.append(piece)
    return result


def extend_unique(target: list[str], names: list[str]) -> None:
    for name in names:
        if name not in target:
            target.append(name)


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None


def _iso_date(value: str | None) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
