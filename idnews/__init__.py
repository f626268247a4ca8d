"""idnews: read, clean, summarise, translate and evaluate Indonesian news.

``import idnews`` stays light: torch, transformers and ctranslate2 are imported only when a model is used.
"""
from __future__ import annotations

from idnews.lazy import lazy_attributes

__version__ = "0.1.0"

_LAZY = {
    "Article": "idnews.article",
    "load_article": "idnews.article",
    "IdnewsError": "idnews.errors",
    "InputError": "idnews.errors",
    "ModelNotFoundError": "idnews.errors",
    "UnknownNameError": "idnews.errors",
    "split_sentences": "idnews.text",
    "translate": "idnews.translation",
    "Translator": "idnews.translation",
    "TranslatedDocument": "idnews.translation",
    "Segment": "idnews.translation",
    "Decoding": "idnews.translation",
    "EngineConfig": "idnews.translation",
    "GuardSettings": "idnews.translation",
    "ConfigError": "idnews.errors",
    "translate_dataset": "idnews.batch.dataset",
    "summarize": "idnews.summarization",
    "Summarizer": "idnews.summarization",
}

__all__ = ["__version__", *_LAZY]

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())
