"""What the lines of a page are: paragraphs, sub-headings, hard-wrapped continuations, markup prefixes.

These are the only layout rules in idnews. The reader (:mod:`idnews.reader`) applies them once to build an
:class:`~idnews.article.Article`; summarisation and translation read the article's ``paragraphs`` and
``headings`` and never decide structure again. The outlet-specific rules (datelines, bylines, boilerplate) are
data in ``idnews/data/outlets.json``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters that end a sentence, or a line that continues as a sentence would (quotes, colons, commas).
SENTENCE_FINAL = ('.', '!', '?', '…', '"', '”', '’', "'", ':', ';', ',', ')')

_MARKUP_PREFIX = re.compile(r"^(#{1,6}\s+|[-*•]\s+|\d{1,3}[.)]\s+)")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+\S")
_LINE_BREAK = re.compile(r"(\s*\n\s*)")


@dataclass(frozen=True)
class LayoutRules:
    """The generic layout rules: how long a sub-heading or rubric may be, and what ends a sentence.

    A sub-heading is a line of at most ``heading_max_words`` words that is not the last line, has no
    sentence-final character at its end and starts with a capital letter or a digit (``1. Wilayah yang perlu
    waspada``); a Markdown heading (``## Latar belakang``) is one at any length.
    """

    heading_max_words: int = 12
    rubric_max_words: int = 6
    sentence_final: tuple[str, ...] = SENTENCE_FINAL

    def is_heading(self, line: str, *, last: bool) -> bool:
        """Whether ``line`` (one paragraph of the body) is a sub-heading; the ``last`` line never is."""
        if last or not line:
            return False
        if _MARKDOWN_HEADING.match(line):
            return True
        if markup_prefix(line).startswith(("-", "*", "•")):
            return False
        return (
            len(line.split()) <= self.heading_max_words
            and not line.endswith(self.sentence_final)
            and (line[0].isupper() or line[0].isdigit())
        )

    def headings(self, paragraphs: list[str]) -> list[int]:
        """Indices of the sub-headings among the body ``paragraphs`` (in reading order). Lines right after one
        that ends with a colon ("Berikut daftar lengkapnya:") are the list it announces, not sub-headings, up to
        the first line that reads as a sentence."""
        found: list[int] = []
        in_list = False
        last = len(paragraphs) - 1
        for index, line in enumerate(paragraphs):
            shaped = self.is_heading(line, last=index == last)
            if index and paragraphs[index - 1].endswith(":"):
                in_list = True
            if in_list and not _MARKDOWN_HEADING.match(line):
                in_list = shaped
                continue
            if shaped:
                found.append(index)
        return found

    def is_rubric(self, line: str) -> bool:
        """A short unpunctuated line above the title: the section the page belongs to ("Internasional")."""
        return len(line.split()) <= self.rubric_max_words and not line.endswith(self.sentence_final)

    def logical_lines(self, text: str) -> list[str]:
        """Lines with inner whitespace collapsed, blank ones kept as "", and hard-wrapped continuations joined:
        a line that does not end a sentence followed directly by one that starts in lower case."""
        lines: list[str] = []
        for raw in text.split("\n"):
            line = " ".join(raw.split())
            if line and lines and lines[-1] and line[0].islower() and not lines[-1].endswith(self.sentence_final):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        return lines

    def paragraphs_with_breaks(self, text: str) -> tuple[list[str], list[str]]:
        """The paragraphs of ``text`` (its non-empty logical lines, as :meth:`logical_lines` joins them) and the
        whitespace around them exactly as in ``text``: ``breaks`` has one item more than ``paragraphs`` (before
        the first, between each pair, after the last)."""
        core = text.strip()
        if not core:
            return [], [text]
        parts = _LINE_BREAK.split(core)
        paragraphs = [" ".join(parts[0].split())]
        breaks = [text[: len(text) - len(text.lstrip())]]
        for separator, raw in zip(parts[1::2], parts[2::2]):
            line = " ".join(raw.split())
            if separator.count("\n") == 1 and line[0].islower() and not paragraphs[-1].endswith(self.sentence_final):
                paragraphs[-1] = f"{paragraphs[-1]} {line}"  # a hard-wrapped continuation
            else:
                breaks.append(separator)
                paragraphs.append(line)
        breaks.append(text[len(text.rstrip()):])
        return paragraphs, breaks


def markup_prefix(line: str) -> str:
    """The Markdown or list marker a line starts with (``"## "``, ``"- "``, ``"1. "``), else ``""``."""
    match = _MARKUP_PREFIX.match(line)
    return match.group() if match else ""


DEFAULT_LAYOUT = LayoutRules()
