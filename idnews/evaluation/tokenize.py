"""The ROUGE tokenizer idnews uses: Unicode-aware, lowercase ``\\w+`` tokens, optional Indonesian stemming.

rouge-score's default tokenizer drops every non-ASCII character and its stemmer is English Porter, both wrong
for Indonesian; this tokenizer is passed to ``rouge_scorer.RougeScorer(tokenizer=...)`` instead.
"""
from __future__ import annotations

from functools import lru_cache

from idnews.text import words

__all__ = ["UnicodeTokenizer", "words"]


class UnicodeTokenizer:
    """rouge-score compatible tokenizer (has ``tokenize(text) -> list[str]``)."""

    def __init__(self, stem: bool = False) -> None:
        self.stem = stem
        self._stemmer = _sastrawi_stemmer() if stem else None

    @property
    def name(self) -> str:
        return "unicode-lower-w+" + ("+sastrawi" if self.stem else "")

    def tokenize(self, text: str) -> list[str]:
        tokens = words(text)
        if self._stemmer is not None:
            tokens = [_stem(self._stemmer, t) for t in tokens]
        return tokens


@lru_cache(maxsize=1)
def _sastrawi_stemmer():  # type: ignore[no-untyped-def]
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        from idnews.errors import IdnewsError

        raise IdnewsError("Indonesian stemming needs Sastrawi: pip install 'idnews[stem]'") from exc
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=100_000)
def _stem_cached(word: str) -> str:
    return _sastrawi_stemmer().stem(word)


def _stem(stemmer, word: str) -> str:  # type: ignore[no-untyped-def]
    return _stem_cached(word)
