"""BLEU, chrF, chrF++ and TER through sacreBLEU's own metric classes (numbers equal ``sacrebleu``'s CLI)."""
from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from idnews.errors import InputError
from idnews.evaluation.metrics import METRICS, Metric


@dataclass
class SacreBleuMetric(Metric):
    """Wraps one sacreBLEU metric: its segment statistics are the per-item statistics."""

    resample_dtype: ClassVar[type] = np.float32

    @abstractmethod
    def _sacrebleu_metric(self) -> Any:
        """A fresh instance of the sacreBLEU metric class with the settings this metric stands for."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self._metric = self._sacrebleu_metric()

    def _statistics(self, hypotheses: Sequence[Any], references: Sequence[Sequence[Any]]) -> np.ndarray:
        counts = {len(refs) for refs in references}
        if len(counts) != 1:
            raise InputError(None, f"{self.name}: every item needs the same number of references")
        streams = [[refs[k] for refs in references] for k in range(counts.pop())]
        return np.array(self._metric._extract_corpus_statistics(list(hypotheses), streams), dtype=np.float64)

    def _scores(self, statistics: np.ndarray) -> np.ndarray:
        return np.array([self._metric._compute_score_from_stats(statistics.sum(0)).score])

    def _metric_signature(self) -> dict[str, object]:
        fields = dict(pair.split(":", 1) for pair in self._metric.get_signature().format().split("|"))
        fields["sacrebleu"] = fields.pop("version")
        return fields


@METRICS.register("bleu")
@dataclass
class Bleu(SacreBleuMetric):
    """sacreBLEU's BLEU with its defaults (13a tokenizer, exponential smoothing, mixed case)."""

    name: ClassVar[str] = "bleu"
    score_names: ClassVar[tuple[str, ...]] = ("bleu",)

    def _sacrebleu_metric(self) -> Any:
        from sacrebleu.metrics import BLEU

        return BLEU()


@METRICS.register("chrf")
@dataclass
class ChrF(SacreBleuMetric):
    """sacreBLEU's chrF (character 6-grams, beta 2)."""

    name: ClassVar[str] = "chrf"
    score_names: ClassVar[tuple[str, ...]] = ("chrf",)

    def _sacrebleu_metric(self) -> Any:
        from sacrebleu.metrics import CHRF

        return CHRF()


@METRICS.register("chrf++")
@dataclass
class ChrFPlusPlus(SacreBleuMetric):
    """sacreBLEU's chrF++ (chrF with word bigrams, ``word_order=2``)."""

    name: ClassVar[str] = "chrf++"
    score_names: ClassVar[tuple[str, ...]] = ("chrf++",)

    def _sacrebleu_metric(self) -> Any:
        from sacrebleu.metrics import CHRF

        return CHRF(word_order=2)


@METRICS.register("ter")
@dataclass
class Ter(SacreBleuMetric):
    """sacreBLEU's TER (lower is better)."""

    name: ClassVar[str] = "ter"
    score_names: ClassVar[tuple[str, ...]] = ("ter",)

    def _sacrebleu_metric(self) -> Any:
        from sacrebleu.metrics import TER

        return TER()
