"""Result rows: the scores of one system on one data set (or a clear "skipped" row), with their signature."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from idnews import __version__
from idnews.evaluation.metrics import CorpusScore, Metric, PairedComparison, Score
from idnews.evaluation.signature import Signature


@dataclass
class EvalResult:
    """Scores of ``system`` on ``data`` for ``task``; ``status`` is ``"ok"``, ``"skipped"`` or ``"error"``
    (see ``reason``).

    ``hypotheses``/``references``/``ids`` keep the scored items for reports; they are not part of
    :meth:`to_dict` (the per-item scores are); ``extracted`` holds, for compressed bullets, the sentences they
    were made from. ``produced_by`` is the typed signature of the summariser or
    translator that made the outputs (:meth:`~idnews.signature.TypedSignature.to_dict`), models by content.
    """

    task: str
    data: str
    system: str
    n: int = 0
    scores: dict[str, Score] = field(default_factory=dict)
    score_signatures: dict[str, str] = field(default_factory=dict)
    signature: str = ""
    produced_by: dict[str, Any] | None = None
    status: str = "ok"
    reason: str | None = None
    data_spec: str | None = None
    data_hash: str | None = None
    skipped_items: int = 0
    comparisons: dict[str, PairedComparison] = field(default_factory=dict)
    baseline: str | None = None
    ids: list[str] = field(default_factory=list)
    hypotheses: list[Any] = field(default_factory=list)
    references: list[list[Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    extracted: list[list[str]] = field(default_factory=list)
    corpus: dict[str, CorpusScore] = field(default_factory=dict, repr=False)

    @classmethod
    def skipped(cls, task: str, data: str, system: str, reason: str) -> EvalResult:
        """A row for a system or data set that is not available here (no score, the reason instead)."""
        return cls(task=task, data=data, system=system, status="skipped", reason=reason)

    @classmethod
    def failed(cls, task: str, data: str, system: str, reason: str) -> EvalResult:
        """A row for a system that was available but raised an error while running."""
        return cls(task=task, data=data, system=system, status="error", reason=reason)

    def describe_data(self, dataset: Any) -> None:
        """Name the scored data set by its spec and content hash (an :class:`EvalDataset`)."""
        self.data_spec = dataset.spec or dataset.name
        self.data_hash = dataset.content_hash

    def to_dict(self, *, item_scores: bool = False) -> dict[str, Any]:
        """``{"n", "scores": {name: {"mean", "ci95", "signature"}}, "signature", ...}`` (0-100 scale)."""
        scores = {}
        for name, score in self.scores.items():
            entry = {**score.to_dict(), "signature": self.score_signatures.get(name, "")}
            if item_scores:
                entry["items"] = list(score.item_scores)
            scores[name] = entry
        data: dict[str, Any] = {
            "task": self.task,
            "data": self.data,
            "system": self.system,
            "status": self.status,
            "n": self.n,
            "scores": scores,
            "signature": self.signature,
        }
        if self.produced_by is not None:
            data["produced_by"] = self.produced_by
        if self.data_spec is not None:
            data["data_spec"] = self.data_spec
            data["data_hash"] = self.data_hash
        if self.reason:
            data["reason"] = self.reason
        if self.skipped_items:
            data["skipped_items"] = self.skipped_items
        if self.comparisons:
            data["paired_bootstrap"] = {
                "baseline": self.baseline,
                **{name: c.to_dict() for name, c in self.comparisons.items()},
            }
        if item_scores and self.ids:
            data["ids"] = self.ids
        return data


MIN_ITEMS_FOR_TESTS = 2
"""Below this many items, resampling cannot say anything: no paired test, and the row says so."""


def context_signature(**fields: object) -> Signature:
    """The common head of every signature: the idnews version, then ``fields`` in order."""
    return Signature.of({"idnews": __version__, **fields})


def score(
    task: str,
    data: str,
    system: str,
    hypotheses: Sequence[Any],
    references: Sequence[Sequence[Any]],
    metrics: Sequence[Metric],
    context: Signature,
    ids: Sequence[str] = (),
) -> EvalResult:
    """Score ``hypotheses`` with every metric; the signature is ``context`` followed by each metric's."""
    result = EvalResult(task=task, data=data, system=system, n=len(hypotheses))
    for metric in metrics:
        corpus = metric.corpus_score(hypotheses, references)
        result.corpus[metric.name] = corpus
        for name, value in corpus.scores.items():
            result.scores[name] = value
            result.score_signatures[name] = f"{context}|{corpus.signature}"
    result.signature = "|".join([str(context), *(m.describe() for m in metrics), metrics[0].resampling()])
    if result.n < MIN_ITEMS_FOR_TESTS:
        result.reason = f"only {result.n} item: the 95% interval and paired test are not meaningful"
    result.ids = list(ids)
    result.hypotheses = list(hypotheses)
    result.references = [list(r) for r in references]
    return result


def compare(baseline: EvalResult, system: EvalResult, metrics: Sequence[Metric]) -> None:
    """Attach the paired bootstrap test of ``system`` against ``baseline`` (same items) to ``system``."""
    if baseline.ids != system.ids:
        raise ValueError(f"{system.system!r} and {baseline.system!r} were not scored on the same items")
    if system.n < MIN_ITEMS_FOR_TESTS:
        return
    for metric in metrics:
        system.comparisons.update(metric.compare(baseline.corpus[metric.name], system.corpus[metric.name]))
    system.baseline = baseline.system
