"""Seeded bootstrap resampling: 95% confidence intervals and the paired bootstrap test.

The procedure is sacreBLEU's (``sacrebleu.significance``), replicated so that it also serves metrics sacreBLEU
does not know (ROUGE): one ``numpy.random.default_rng(seed)`` draws ``n_samples`` resamples of the item
indices, the interval runs from the ``n//40``-th to the ``n - n//40 - 1``-th sorted resample score, and the
paired test is Koehn's (2004) as in Moses' ``bootstrap-hypothesis-difference-significance.pl``.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

DEFAULT_SEED = 12345
DEFAULT_SAMPLES = 1000

ScoreFn = Callable[[np.ndarray], np.ndarray]
"""Maps a ``(items, statistics)`` array to a vector of scores (one per score name)."""


def resample_indices(n_items: int, n_samples: int, seed: int) -> np.ndarray:
    """``(n_samples, n_items)`` item indices drawn with replacement, exactly as sacreBLEU draws them."""
    return np.random.default_rng(seed).choice(n_items, size=(n_samples, n_items), replace=True)


def resample_scores(stats: np.ndarray, score_fn: ScoreFn, indices: np.ndarray) -> np.ndarray:
    """``(n_samples, n_scores)`` scores of every resample of the per-item statistics."""
    return np.array([score_fn(stats[rows]) for rows in indices], dtype=np.float64)


def percentile_interval(samples: np.ndarray) -> tuple[float, float]:
    """The 95% interval of 1-D resample scores with sacreBLEU's index convention."""
    ordered = np.sort(samples)
    lower = len(ordered) // 40
    upper = len(ordered) - lower - 1
    return float(ordered[lower]), float(ordered[upper])


def paired_p_value(baseline_samples: np.ndarray, system_samples: np.ndarray, observed_difference: float) -> float:
    """Two-sided p-value of the paired bootstrap test for one score.

    ``baseline_samples`` and ``system_samples`` are the scores of the *same* resamples for both systems; the
    null distribution is the centred absolute difference, and ``(count + 1) / (samples + 1)`` keeps the
    p-value away from 0 as in sacreBLEU. Resamples *at least* as extreme as the observed difference are
    counted (sacreBLEU counts strictly greater ones, which gives a system compared with itself p = 1/(n+1)
    instead of 1; the two agree whenever no resample ties the observed difference exactly).
    """
    sample_diffs = np.abs(system_samples - baseline_samples)
    centred = sample_diffs - sample_diffs.mean()
    count = int(np.sum(centred >= abs(observed_difference)))
    return (count + 1) / (len(centred) + 1)
