"""ROUGE through rouge-score with idnews's Unicode tokenizer (scores on a 0-100 scale).

Summaries are strings or lists of sentences (bullets). rougeLsum needs one sentence per line: a list is joined
with newlines, a string that has no newline is split with :func:`idnews.text.split_sentences` first.
Several references for one item: the best reference is taken for each ROUGE type (``score_multi``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np

from idnews.evaluation.metrics import METRICS, Metric
from idnews.evaluation.tokenize import UnicodeTokenizer

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


@lru_cache(maxsize=8)
def scorer(types: tuple[str, ...] = ROUGE_TYPES, stem: bool = False):  # type: ignore[no-untyped-def]
    """A cached ``rouge_scorer.RougeScorer`` using :class:`UnicodeTokenizer`."""
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(types), tokenizer=UnicodeTokenizer(stem=stem))


def as_text(summary: str | Sequence[str]) -> str:
    """Sentences (bullets) joined by newlines, as rougeLsum expects; a string is returned unchanged."""
    return summary if isinstance(summary, str) else "\n".join(summary)


def as_lines(summary: str | Sequence[str]) -> str:
    """One sentence per line: lists are joined, single-line strings are sentence-split first."""
    if isinstance(summary, str):
        if "\n" in summary:
            return summary
        from idnews.text import split_sentences

        return "\n".join(split_sentences(summary))
    return "\n".join(summary)


def rouge_f1(
    hypothesis: str | Sequence[str],
    reference: str | Sequence[str],
    *,
    types: tuple[str, ...] = ROUGE_TYPES,
    stem: bool = False,
) -> dict[str, float]:
    """F1 ×100 of one hypothesis against one reference, for each ROUGE type."""
    scores = scorer(types, stem).score(as_text(reference), as_text(hypothesis))
    return {name: 100.0 * s.fmeasure for name, s in scores.items()}


def _is_summary(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, Sequence) and all(isinstance(sentence, str) for sentence in value)
    )


@METRICS.register("rouge")
@dataclass
class Rouge(Metric):
    """ROUGE-1/2/L/Lsum F1 (×100), averaged over items; ``stem=True`` applies Sastrawi's Indonesian stemmer."""

    stem: bool = False
    name: ClassVar[str] = "rouge"
    score_names: ClassVar[tuple[str, ...]] = ROUGE_TYPES

    def _statistics(self, hypotheses: Sequence[Any], references: Sequence[Sequence[Any]]) -> np.ndarray:
        rouge = scorer(ROUGE_TYPES, self.stem)
        rows = []
        for hyp, refs in zip(hypotheses, references):
            scores = rouge.score_multi([as_lines(ref) for ref in refs], as_lines(hyp))
            rows.append([100.0 * scores[name].fmeasure for name in ROUGE_TYPES])
        return np.array(rows, dtype=np.float64)

    def _scores(self, statistics: np.ndarray) -> np.ndarray:
        return statistics.mean(axis=0)

    def _metric_signature(self) -> dict[str, object]:
        return {
            "tok": UnicodeTokenizer(stem=False).name,
            "stem": "sastrawi" if self.stem else "no",
            "multiref": "best",
            "lsum": "newline-sentences",
            "impl": f"rouge-score-{_rouge_score_version()}",
        }

    def _check_item(self, hypothesis: Any, references: Sequence[Any]) -> str | None:
        if not _is_summary(hypothesis):
            return "hypothesis must be a string or a list of sentence strings"
        if not all(_is_summary(ref) for ref in references):
            return "every reference must be a string or a list of sentence strings"
        return None


def _rouge_score_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rouge-score")
    except PackageNotFoundError:  # pragma: no cover - installed as a dependency
        return "unknown"
