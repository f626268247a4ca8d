"""Is this text already English? A small lingua detector, built on first use and kept per process."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

LANGUAGES = ("INDONESIAN", "MALAY", "ENGLISH", "TAGALOG")

# Function words that settle most news text at once, so the detector (whose n-gram models load lazily,
# costing up to half a second on first use) only sees text that could really be English.
_INDONESIAN_WORDS = frozenset(
    "yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga oleh karena sebagai atau "
    "telah sudah bahwa mereka kami kita saya ia tersebut para namun serta bisa ada belum lebih menjadi".split()
)
_ENGLISH_WORDS = frozenset(
    "the and of to in is that for it with as was on are be by this from at have has not were which or "
    "an but they their its been will would said".split()
)
_WORD = re.compile(r"\w+")
_SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in LANGUAGES)).build()


def warm_up() -> None:
    """Build the detector and load the n-gram models it needs, so the first real call is not slowed."""
    english_confidence("The minister said the new bridge would open to traffic next month.")


def english_confidence(text: str) -> float:
    """Confidence (0–1) that ``text`` is English rather than Indonesian, Malay or Tagalog."""
    from lingua import Language

    return _detector().compute_language_confidence(text, Language.ENGLISH)


def is_english(text: str, *, threshold: float = 0.9, min_words: int = 5) -> bool:
    """True when ``text`` has at least ``min_words`` words and is English with confidence ≥ ``threshold``."""
    words = _WORD.findall(text[:_SAMPLE_CHARS].lower())
    if len(words) < min_words:
        return False
    indonesian = sum(word in _INDONESIAN_WORDS for word in words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    if indonesian > english:
        return False
    return english_confidence(text[:_SAMPLE_CHARS]) >= threshold
