"""ROUGE through rouge-score with idnews's Unicode tokenizer (scores on a 0-100 scale)."""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

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
