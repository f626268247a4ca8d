"""The summariser's view of an article: candidate sentences with their positions.

An :class:`~idnews.article.Article` (minus its sub-headings) or plain text (paragraphs separated by blank
lines, the dateline cut from the first body paragraph) becomes a :class:`Document`. Lines that can never be a bullet — sub-headings, photo captions,
"Baca juga" links, credits, very short fragments — are kept (they still count for positions) but marked
``candidate=False``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from idnews.article import Article
from idnews.errors import InputError
from idnews.evaluation.tokenize import words
from idnews.outlets import default_table
from idnews.text import split_sentences

MIN_BULLET_WORDS = 5
MAX_HEADING_WORDS = 20
NEAR_DUPLICATE = 0.8

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BOILERPLATE_START = re.compile(
    r"^\W*(baca|lihat|simak|saksikan|tonton)(\s+(juga|pula|selengkapnya|artikel|berita|video))?\s*:"
    r"|^\W*(baca|lihat|simak)\s+(juga|selengkapnya)\b"
    r"|^\W*baca\s+(artikel|berita)\b.*\blainnya\b"
    r"|^\W*(simak|saksikan|tonton)\s+video\b"
    r"|^\W*klik\s+(di\s+)?(sini|link|tautan)\b"
    r"|^\W*(download|unduh)\s+(aplikasi|app)\b"
    r"|^\W*scroll\s+to\s+continue"
    r"|^\W*(editor|penulis|reporter|sumber|foto|video|grafis|ilustrasi|caption|disclaimer|advertisement|"
    r"copyright|hak cipta)\s*[:|]",
    re.IGNORECASE,
)
_CREDIT_END = re.compile(
    r"\([^()]*([a-z]\s*/\s*[a-z]|\.com|\bfoto\b|\bdok\b|istimewa|antara|getty|reuters|ap photo)[^()]*\)\W*$", re.I
)
_TRAILING_INITIALS = re.compile(r"\s*\(\s*[a-z]{2,5}(\s*/\s*[a-z]{2,5})+\s*\)\s*$")
_NUMBERED_HEADING = re.compile(r"^\s*\d{1,2}\s*[.)]\s+\S")
_URL = re.compile(r"https?://|www\.\w", re.I)
_TERMINAL = re.compile(r"[.!?…\"”’')]\s*$")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article body and where it stands."""

    text: str
    paragraph: int
    index_in_paragraph: int
    position: int
    candidate: bool
    words: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """Sentences of an article body in reading order, its title, and its paragraph count."""

    sentences: tuple[Sentence, ...]
    title: str | None
    n_paragraphs: int

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    @property
    def candidates(self) -> list[int]:
        """Positions of the sentences that may become bullets."""
        return [s.position for s in self.sentences if s.candidate]


def clean_sentence(text: str) -> str:
    """A sentence as a bullet: editor initials such as ``(tfa/mij)`` at its end removed."""
    return _TRAILING_INITIALS.sub("", text).strip()


def is_boilerplate(text: str) -> bool:
    """True for link prompts ("Baca juga: ..."), credit lines, captions and URLs."""
    return bool(_BOILERPLATE_START.search(text) or _URL.search(text))


def is_caption(paragraph: str) -> bool:
    """A short paragraph that ends with a photo credit, e.g. ``Bendera Korea Utara. (pixabay.com/x)``."""
    if _TRAILING_INITIALS.search(paragraph):  # editor initials such as "(tfa/mij)" close real paragraphs
        return False
    return len(paragraph.split()) <= MAX_HEADING_WORDS and bool(_CREDIT_END.search(paragraph))


def is_heading(paragraph: str) -> bool:
    """A short one-line paragraph without final punctuation, or a numbered sub-heading."""
    if len(paragraph.split()) > MAX_HEADING_WORDS:
        return False
    if _NUMBERED_HEADING.match(paragraph) and not _TERMINAL.search(paragraph):
        return True
    return not _TERMINAL.search(paragraph)


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs of plain text: blocks separated by blank lines, inner line breaks joined."""
    return [" ".join(block.split()) for block in _PARAGRAPH_BREAK.split(text) if block.strip()]


def without_dateline(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` with the dateline ("Jakarta, CNN Indonesia --", "Suara.com -") cut from the first body
    paragraph, as the article reader does for pages: it is not part of the story, so never part of a bullet."""
    for index, paragraph in enumerate(paragraphs):
        if is_heading(paragraph) or is_caption(paragraph):
            continue
        dateline, rest = default_table().split_dateline(paragraph)
        if dateline is None:
            return paragraphs
        return [*paragraphs[:index], rest, *paragraphs[index + 1:]]
    return paragraphs


def build_document(source: Article | str, *, title: str | None = None) -> Document:
    """The :class:`Document` of an article or of plain text; raises :class:`InputError` when it is empty."""
    if isinstance(source, Article):
        heads = set(source.headings)
        paragraphs = [p for i, p in enumerate(source.paragraphs) if i not in heads]
        title = title if title is not None else source.title
        where = source.source_path
    elif isinstance(source, str):
        paragraphs = without_dateline(paragraphs_of(source))
        where = None
    else:
        raise TypeError(f"summarize() takes an idnews.Article or a str, not {type(source).__name__}")

    sentences: list[Sentence] = []
    seen: list[set[str]] = []
    for p_index, paragraph in enumerate(paragraphs):
        skip_paragraph = is_heading(paragraph) or is_caption(paragraph)
        for s_index, text in enumerate(split_sentences(paragraph)):
            tokens = words(text)
            distinct = set(tokens)
            candidate = not (
                skip_paragraph
                or len(distinct) < MIN_BULLET_WORDS
                or is_boilerplate(text)
                or any(overlap(distinct, other) >= NEAR_DUPLICATE for other in seen)
            )
            if candidate:
                seen.append(distinct)
            sentences.append(Sentence(text, p_index, s_index, len(sentences), candidate, tuple(tokens)))
    if not sentences:
        raise InputError(where, "the article has no text to summarise")
    return Document(tuple(sentences), title, len(paragraphs))


def overlap(a: set[str], b: set[str]) -> float:
    """Shared distinct words over the distinct words of the shorter sentence (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
