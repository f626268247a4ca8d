"""Evaluation: ROUGE for summaries, sacreBLEU metrics for translations, bootstrap intervals, suites, reports.

>>> from idnews.evaluation import get_metric
>>> rouge = get_metric("rouge")                      # or "bleu", "chrf", "chrf++", "ter"
>>> result = rouge.corpus_score(hypotheses, [[ref] for ref in references])
>>> result.scores["rouge1"].value, result.scores["rouge1"].ci95, result.signature

Names are imported on first use, so ``import idnews.evaluation`` stays light.
"""
from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "METRICS": "idnews.evaluation.metrics",
    "Metric": "idnews.evaluation.metrics",
    "get_metric": "idnews.evaluation.metrics",
    "Rouge": "idnews.evaluation.rouge",
    "rouge_f1": "idnews.evaluation.rouge",
    "Bleu": "idnews.evaluation.sacrebleu_metrics",
    "ChrF": "idnews.evaluation.sacrebleu_metrics",
    "ChrFPlusPlus": "idnews.evaluation.sacrebleu_metrics",
    "Ter": "idnews.evaluation.sacrebleu_metrics",
    "DATASETS": "idnews.evaluation.datasets",
    "DataSpec": "idnews.evaluation.dataspec",
    "load_eval_dataset": "idnews.evaluation.datasets",
    "EvalResult": "idnews.evaluation.results",
    "evaluate_summaries": "idnews.evaluation.tasks",
    "evaluate_translation": "idnews.evaluation.tasks",
    "load_suite": "idnews.evaluation.suite",
    "run_suite": "idnews.evaluation.suite",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'idnews.evaluation' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
