"""The faithfulness guard: cheap checks on each translated segment.

Checks (each returns a short warning string, or nothing):

* ``repetition``: an n-gram (n ≤ 4) repeated back to back more often than in the source — the
  "I'm sorry I'm sorry…" loop of NMT models on Indonesian input — or a sub-word looping inside a word;
* ``length-ratio``: target/source character ratio outside ``ratio_bounds``;
* ``missing-number``: a number in the source that the target does not carry, with Indonesian forms
  normalised ("3.000" = "3,000", "2,5" = "2.5", "10 ribu" = "10,000" = "10 thousand", "Rp 31 juta" =
  "31 million");
* ``untranslated``: the target is (nearly) a copy of the source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from idnews.errors import ConfigError, require_at_least

_WORD = re.compile(r"\w+(?:'\w+)?", re.UNICODE)
_CHARACTER_LOOP = re.compile(r"(\S{2,12}?)\1{4,}")
_ID_NUMBER = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w])(?:\s*(ribu|rb|juta|jt|miliar|milyar|triliun|t)\b)?",
    re.IGNORECASE,
)
_EN_NUMBER = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(thousand|k|million|mn|m|billion|bn|b|trillion|tn)\b)?",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"(?<![\d.,])([01]?\d|2[0-3])\.([0-5]\d)(?!\d)(?![.,]\d)")
_ID_SCALE = {"ribu": 1e3, "rb": 1e3, "juta": 1e6, "jt": 1e6, "miliar": 1e9, "milyar": 1e9, "triliun": 1e12, "t": 1e12}
_EN_SCALE = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}
_EN_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "twice": 2, "half": 0.5, "dozen": 12,
}


@dataclass(frozen=True)
class GuardSettings:
    """Thresholds of the guard and how it re-decodes a flagged segment.

    ``min_chars`` skips ratio/copy checks on very short segments. A flagged segment is decoded again with a beam
    of at least ``retry_beam_size``, ``retry_no_repeat_ngram_size`` and ``retry_repetition_penalty``, and the
    retry is kept when it draws fewer warnings.
    """

    max_repeats: int = 3
    ratio_bounds: tuple[float, float] = (0.35, 2.5)
    min_chars: int = 20
    copy_overlap: float = 0.9
    min_copy_words: int = 4
    retry_beam_size: int = 4
    retry_no_repeat_ngram_size: int = 3
    retry_repetition_penalty: float = 1.2

    def __post_init__(self) -> None:
        require_at_least("max_repeats", self.max_repeats, 2)
        low, high = self.ratio_bounds
        if not 0 <= low < high:
            raise ConfigError("ratio_bounds", f"must be (low, high) with 0 <= low < high, got {self.ratio_bounds!r}")
        require_at_least("min_chars", self.min_chars, 0)
        require_at_least("min_copy_words", self.min_copy_words, 1)
        require_at_least("retry_beam_size", self.retry_beam_size, 1)
        require_at_least("retry_no_repeat_ngram_size", self.retry_no_repeat_ngram_size, 0)
        require_at_least("retry_repetition_penalty", self.retry_repetition_penalty, 0.0)


def _max_repeat_run(words: list[str], max_n: int = 4) -> tuple[int, str]:
    """The longest back-to-back repetition of any n-gram (n ≤ max_n): (times, n-gram text).

    ``words[i] == words[i + n]`` holding for ``m`` positions in a row means the n-gram starting there is
    repeated ``m // n + 1`` times, so one linear pass per ``n`` suffices.
    """
    best, best_gram = 1, ""
    for n in range(1, max_n + 1):
        matched = 0
        for i in range(len(words) - n):
            if words[i] != words[i + n]:
                matched = 0
                continue
            matched += 1
            if matched // n + 1 > best:
                start = i - matched + 1
                best, best_gram = matched // n + 1, " ".join(words[start : start + n])
    return best, best_gram


def indonesian_numbers(text: str) -> list[set[float]]:
    """Each number written in Indonesian style, as the set of values it may mean."""
    return [values for _, values in _written_numbers(text)]


def _written_numbers(text: str) -> list[tuple[str, set[float]]]:
    values: list[tuple[str, set[float]]] = []
    for match in _CLOCK.finditer(text):  # "pukul 22.00" may be "10 pm", "22:00" or "2200"
        hour, minute = int(match.group(1)), int(match.group(2))
        readings = {float(hour), float(hour * 100 + minute), float(hour % 12 or 12), hour + minute / 100}
        values.append((match.group(0), readings))
    text = _CLOCK.sub(" ", text)
    for match in _ID_NUMBER.finditer(text):
        whole, decimal, scale = match.group(1), match.group(2), match.group(3)
        candidates = {float(whole.replace(".", "") + ("." + decimal if decimal else ""))}
        if "." in whole and whole.count(".") == 1:
            candidates.add(float(whole))  # "10.30" may be a time or a decimal written English-style
        if scale:
            factor = _ID_SCALE[scale.lower()]
            candidates = {round(c * factor, 6) for c in candidates} | candidates
        values.append((match.group(0).strip(), candidates))
    return values


def english_numbers(text: str) -> set[float]:
    """Every value the English text states, in digits or in common number words."""
    values: set[float] = set()
    for match in _EN_NUMBER.finditer(text):
        whole, decimal, scale = match.group(1), match.group(2), match.group(3)
        number = float(whole.replace(",", "") + ("." + decimal if decimal else ""))
        values.add(number)
        if decimal:
            values.add(float(whole.replace(",", "")))
            values.add(float(decimal))
        if scale:
            values.add(round(number * _EN_SCALE[scale.lower()], 6))
    words = [w.lower() for w in _WORD.findall(text)]
    for index, word in enumerate(words):
        if word in _EN_WORDS:
            values.add(_EN_WORDS[word])
            if index + 1 < len(words) and words[index + 1] in _EN_SCALE:
                values.add(_EN_WORDS[word] * _EN_SCALE[words[index + 1]])
    return values


def check(source: str, target: str, settings: GuardSettings = GuardSettings()) -> list[str]:
    """Warnings for one translated segment (empty list when it looks faithful)."""
    warnings: list[str] = []
    target_words = [w.lower() for w in _WORD.findall(target)]
    source_words = [w.lower() for w in _WORD.findall(source)]

    runs, gram = _max_repeat_run(target_words)
    if runs >= settings.max_repeats and runs > _max_repeat_run(source_words)[0]:
        warnings.append(f"repetition: {gram!r} repeated {runs} times")
    else:
        loop = _CHARACTER_LOOP.search(target)
        if loop and not _CHARACTER_LOOP.search(source):
            times = len(loop.group(0)) // len(loop.group(1))
            warnings.append(f"repetition: {loop.group(1)!r} repeated {times} times")

    if len(source) >= settings.min_chars:
        ratio = len(target) / len(source)
        low, high = settings.ratio_bounds
        if not low <= ratio <= high:
            warnings.append(f"length-ratio: target/source = {ratio:.2f} outside [{low}, {high}]")

    numbers = _written_numbers(source)
    if numbers:
        stated = english_numbers(target)
        missing = [written for written, values in numbers if not values & stated]
        if missing:
            warnings.append("missing-number: " + ", ".join(missing))

    if len(source_words) >= settings.min_copy_words and target_words:
        vocabulary = set(source_words)
        shared = sum(1 for w in target_words if w in vocabulary)
        if shared / len(target_words) >= settings.copy_overlap:
            warnings.append("untranslated: target copies the source")
    return warnings
