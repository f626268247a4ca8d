"""idnews: read, clean, summarise, translate and evaluate Indonesian news.

``import idnews`` stays light: torch, transformers and ctranslate2 are imported only when a model is used.
"""
from __future__ import annotations

import importlib
from typing import Any

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
    "GuardSettings": "idnews.translation",
    "ConfigError": "idnews.errors",
    "translate_dataset": "idnews.batch.dataset",
    "summarize": "idnews.summarization",
    "Summarizer": "idnews.summarization",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'idnews' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
