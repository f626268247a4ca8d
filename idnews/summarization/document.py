"""The summariser's view of an article: candidate sentences with their positions.

The body paragraphs of an :class:`~idnews.article.Article` (sub-headings left out: the reader decided which they
are) become a :class:`Document` of sentences. Sentences that can never be a bullet — link prompts, credit lines
and URLs (the outlet table's ``prompts``), very short fragments, near-duplicates of an earlier sentence — are kept
(they still count for positions) but marked ``candidate=False``. Plain text is read with
:meth:`Article.from_text`, like everywhere else in idnews.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from idnews.article import Article
from idnews.errors import InputError
from idnews.outlets import default_table
from idnews.text import split_sentences, words

MIN_BULLET_WORDS = 5
NEAR_DUPLICATE = 0.8

_TRAILING_INITIALS = re.compile(r"\s*\(\s*[a-z]{2,5}(\s*/\s*[a-z]{2,5})+\s*\)\s*$")


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


def as_article(source: Article | str) -> Article:
    """``source`` itself, or the :class:`Article` the reader makes of a ``str``."""
    if isinstance(source, Article):
        return source
    if isinstance(source, str):
        return Article.from_text(source)
    raise TypeError(f"summarize() takes an idnews.Article or a str, not {type(source).__name__}")


def build_document(source: Article | str, *, title: str | None = None) -> Document:
    """The :class:`Document` of an article (or of text, read into one); raises :class:`InputError` when it is
    empty."""
    article = as_article(source)
    paragraphs = article.body_paragraphs
    prompts = default_table().generic
    sentences: list[Sentence] = []
    seen: list[set[str]] = []
    for p_index, paragraph in enumerate(paragraphs):
        for s_index, text in enumerate(split_sentences(paragraph)):
            tokens = words(text)
            distinct = set(tokens)
            candidate = not (
                len(distinct) < MIN_BULLET_WORDS
                or prompts.is_prompt(text)
                or any(overlap(distinct, other) >= NEAR_DUPLICATE for other in seen)
            )
            if candidate:
                seen.append(distinct)
            sentences.append(Sentence(text, p_index, s_index, len(sentences), candidate, tuple(tokens)))
    if not sentences:
        raise InputError(article.source_path, "the article has no text to summarise")
    return Document(tuple(sentences), title if title is not None else article.title, len(paragraphs))


def overlap(a: set[str], b: set[str]) -> float:
    """Shared distinct words over the distinct words of the shorter sentence (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
