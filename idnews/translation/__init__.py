"""Indonesian→English translation of whole news articles: sentence-aligned, never truncated, guarded.

>>> from idnews.translation import Translator
>>> translator = Translator("opus-mt-id-en", backend="ct2", decoding=Decoding(beam_size=4))   # doctest: +SKIP
>>> translator.translate("Presiden meresmikan jembatan baru.")              # doctest: +SKIP
"""
from __future__ import annotations

from idnews.translation.backends import Decoding
from idnews.translation.config import EngineConfig
from idnews.translation.document import Segment, TranslatedDocument
from idnews.translation.guard import GuardSettings
from idnews.translation.translator import ENGLISH_NOTE, Translator, TranslatorSignature, translate

__all__ = [
    "ENGLISH_NOTE", "Decoding", "EngineConfig", "GuardSettings", "Segment", "TranslatedDocument", "Translator", "TranslatorSignature",
    "translate",
]
