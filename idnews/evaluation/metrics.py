"""The metric base class and its registry.

A :class:`Metric` turns hypotheses and references into per-item sufficient statistics (``_statistics``) and
statistics into scores (``_scores``); the base class owns validation, corpus scores, per-item scores, seeded
bootstrap confidence intervals, the paired bootstrap test and the signature. Subclasses live in
:mod:`idnews.evaluation.rouge` and :mod:`idnews.evaluation.sacrebleu_metrics` and are looked up by name in
:data:`METRICS` (``rouge``, ``bleu``, ``chrf``, ``chrf++``, ``ter``).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from idnews.errors import InputError
from idnews.evaluation.bootstrap import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    paired_p_value,
    percentile_interval,
    resample_indices,
    resample_scores,
)
from idnews.evaluation.signature import Signature
from idnews.registry import Registry


@dataclass(frozen=True)
class Score:
    """One corpus score on a 0-100 scale with its bootstrap 95% interval and the per-item scores."""

    name: str
    value: float
    ci95: tuple[float, float]
    item_scores: tuple[float, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"mean": self.value, "ci95": [self.ci95[0], self.ci95[1]]}


@dataclass(frozen=True)
class CorpusScore:
    """All scores one metric computes over a corpus (ROUGE has four), with the metric's signature.

    ``samples`` holds the scores of every bootstrap resample (``(n_bootstrap, scores)``), kept so that two
    systems scored with the same seed can be compared without scoring them again.
    """

    metric: str
    n: int
    scores: dict[str, Score]
    signature: str
    samples: np.ndarray | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class PairedComparison:
    """Paired bootstrap test of one score: is ``system`` different from ``baseline``?"""

    name: str
    baseline: float
    system: float
    p_value: float
    system_ci95: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "system": self.system,
            "difference": self.system - self.baseline,
            "p_value": self.p_value,
            "system_ci95": list(self.system_ci95),
        }


@dataclass
class Metric(ABC):
    """Base class of every idnews metric; subclasses fill :meth:`_statistics` and :meth:`_scores`."""

    n_bootstrap: int = DEFAULT_SAMPLES
    seed: int = DEFAULT_SEED
    name: ClassVar[str]
    score_names: ClassVar[tuple[str, ...]]
    # sacreBLEU resamples float32 statistics; its wrappers keep that so intervals match to the last digit.
    resample_dtype: ClassVar[type] = np.float64

    def __post_init__(self) -> None:
        if self.n_bootstrap < 0:
            raise ValueError(f"n_bootstrap must be >= 0, not {self.n_bootstrap}")

    # --- hooks -------------------------------------------------------------------------------------
    @abstractmethod
    def _statistics(self, hypotheses: Sequence[Any], references: Sequence[Sequence[Any]]) -> np.ndarray:
        """``(items, k)`` sufficient statistics, one row per item."""

    @abstractmethod
    def _scores(self, statistics: np.ndarray) -> np.ndarray:
        """Scores (ordered as :attr:`score_names`) of the items whose statistics are given."""

    @abstractmethod
    def _metric_signature(self) -> dict[str, object]:
        """Fields that pin down how this metric scores (tokenizer, smoothing, ...)."""

    def _check_item(self, hypothesis: Any, references: Sequence[Any]) -> str | None:
        """A problem with one item, or ``None``; subclasses restrict the accepted types."""
        if not isinstance(hypothesis, str):
            return f"hypothesis must be a string, not {type(hypothesis).__name__}"
        if any(not isinstance(ref, str) for ref in references):
            return "every reference must be a string"
        return None

    # --- public API ----------------------------------------------------------------------------------
    def describe(self) -> str:
        """The metric and how it scores, e.g. ``rouge|tok:unicode-lower-w+|stem:no|...``."""
        return "|".join([self.name, str(Signature.of(self._metric_signature()))])

    def resampling(self) -> str:
        """The bootstrap settings, e.g. ``bs:1000|seed:12345`` (``bs:0`` when intervals are off)."""
        return f"bs:{self.n_bootstrap}|seed:{self.seed}"

    def signature(self) -> str:
        """The metric part of a result signature: :meth:`describe` then :meth:`resampling`."""
        return f"{self.describe()}|{self.resampling()}"

    def corpus_score(self, hypotheses: Sequence[Any], references: Sequence[Sequence[Any]]) -> CorpusScore:
        """Score ``hypotheses[i]`` against the list of references ``references[i]`` for every item."""
        self._validate(hypotheses, references)
        statistics = self._statistics(hypotheses, references)
        point = self._scores(statistics)
        per_item = np.array([self._scores(statistics[i : i + 1]) for i in range(len(statistics))])
        samples = None
        if self.n_bootstrap >= 1:
            indices = resample_indices(len(statistics), self.n_bootstrap, self.seed)
            samples = resample_scores(statistics.astype(self.resample_dtype), self._scores, indices)
        scores = {
            name: Score(
                name=name,
                value=float(point[k]),
                ci95=percentile_interval(samples[:, k]) if samples is not None else (float(point[k]),) * 2,
                item_scores=tuple(float(x) for x in per_item[:, k]),
            )
            for k, name in enumerate(self.score_names)
        }
        return CorpusScore(
            metric=self.name, n=len(hypotheses), scores=scores, signature=self.signature(), samples=samples
        )

    def paired_test(
        self,
        baseline: Sequence[Any],
        system: Sequence[Any],
        references: Sequence[Sequence[Any]],
    ) -> dict[str, PairedComparison]:
        """Paired bootstrap test of ``system`` against ``baseline`` on the same items (sacreBLEU's ``paired-bs``)."""
        return self.compare(self.corpus_score(baseline, references), self.corpus_score(system, references))

    def compare(self, baseline: CorpusScore, system: CorpusScore) -> dict[str, PairedComparison]:
        """The paired bootstrap test from two results of this metric on the same items.

        Both were resampled with the same seed, so their samples are the scores of the same resamples."""
        if baseline.samples is None or system.samples is None:
            raise ValueError("the paired bootstrap test needs n_bootstrap >= 1")
        if baseline.signature != system.signature or baseline.n != system.n:
            raise ValueError("the paired bootstrap test needs two results of the same metric on the same items")
        return {
            name: PairedComparison(
                name=name,
                baseline=baseline.scores[name].value,
                system=system.scores[name].value,
                p_value=paired_p_value(
                    baseline.samples[:, k], system.samples[:, k], system.scores[name].value - baseline.scores[name].value
                ),
                system_ci95=system.scores[name].ci95,
            )
            for k, name in enumerate(self.score_names)
        }

    # --- internals -----------------------------------------------------------------------------------

    def _validate(self, hypotheses: Sequence[Any], references: Sequence[Sequence[Any]]) -> None:
        if isinstance(hypotheses, str) or not isinstance(hypotheses, Sequence):
            raise InputError(None, f"{self.name}: hypotheses must be a list, one item per entry")
        if len(hypotheses) == 0:
            raise InputError(None, f"{self.name}: nothing to score (no hypotheses)")
        if len(hypotheses) != len(references):
            raise InputError(
                None, f"{self.name}: {len(hypotheses)} hypotheses but {len(references)} reference items"
            )
        for i, (hyp, refs) in enumerate(zip(hypotheses, references)):
            if isinstance(refs, str) or not isinstance(refs, Sequence) or len(refs) == 0:
                raise InputError(None, f"{self.name}: item {i + 1} needs a non-empty list of references")
            problem = self._check_item(hyp, refs)
            if problem:
                raise InputError(None, f"{self.name}: item {i + 1}: {problem}")


METRICS: Registry[type[Metric]] = Registry(
    "metric", modules=["idnews.evaluation.rouge", "idnews.evaluation.sacrebleu_metrics"]
)


def get_metric(name: str, **options: Any) -> Metric:
    """An instance of the metric registered as ``name``; unknown names list the known ones."""
    return METRICS.get(name)(**options)
