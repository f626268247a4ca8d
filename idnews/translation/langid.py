"""Is this text already English? A small lingua detector, built on first use and kept per process."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

LANGUAGES = ("INDONESIAN", "MALAY", "ENGLISH", "TAGALOG")


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in LANGUAGES)).build()


def english_confidence(text: str) -> float:
    """Confidence (0–1) that ``text`` is English rather than Indonesian, Malay or Tagalog."""
    from lingua import Language

    return _detector().compute_language_confidence(text, Language.ENGLISH)


def is_english(text: str, *, threshold: float = 0.9, min_words: int = 5) -> bool:
    """True when ``text`` has at least ``min_words`` words and is English with confidence ≥ ``threshold``."""
    if len(text.split()) < min_words:
        return False
    return english_confidence(text) >= threshold
