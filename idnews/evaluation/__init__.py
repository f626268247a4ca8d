"""Evaluation: ROUGE for summaries, sacreBLEU metrics for translations, bootstrap intervals, suites, reports.

>>> from idnews.evaluation import get_metric
>>> rouge = get_metric("rouge")                      # or "bleu", "chrf", "chrf++", "ter"
>>> result = rouge.corpus_score(hypotheses, [[ref] for ref in references])
>>> result.scores["rouge1"].value, result.scores["rouge1"].ci95, result.signature

Names are imported on first use, so ``import idnews.evaluation`` stays light.
"""
from __future__ import annotations

from idnews.lazy import lazy_attributes

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

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())
