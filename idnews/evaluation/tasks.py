"""Evaluation tasks: summarise or translate every item of a data set, then score the outputs.

A method or model that cannot run here (not implemented, or no weights offline) gives a "skipped" row that
says why; it never gives a score.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from idnews.errors import IdnewsError, ModelNotFoundError, UnknownNameError
from idnews.evaluation.bootstrap import DEFAULT_SAMPLES, DEFAULT_SEED
from idnews.evaluation.datasets import EvalDataset
from idnews.evaluation.metrics import Metric, get_metric
from idnews.evaluation.results import EvalResult, context_signature, score

if TYPE_CHECKING:
    from idnews.article import Article

TRANSLATION_METRICS = ("bleu", "chrf", "chrf++", "ter")


@runtime_checkable
class _Compressing(Protocol):
    """A summariser that can also compress its bullets in the ``intinya`` style (``learned``), keeping the sentence
    each bullet was made from."""

    def style_for(self, n: int | None) -> str: ...

    def intinya_bullets(self, source: Article | str, *, n: int | None = None) -> list[tuple[str, str]]: ...


def data_fields(dataset: EvalDataset) -> dict[str, object]:
    """Signature fields naming the data: name, split, content hash, limit."""
    return {"data": dataset.name, "split": dataset.split, "hash": dataset.content_hash, "limit": dataset.limit}


def summary_metrics(*, n_bootstrap: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, stem: bool = False) -> list[Metric]:
    return [get_metric("rouge", n_bootstrap=n_bootstrap, seed=seed, stem=stem)]


def translation_metrics(*, n_bootstrap: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED) -> list[Metric]:
    return [get_metric(name, n_bootstrap=n_bootstrap, seed=seed) for name in TRANSLATION_METRICS]


def evaluate_summaries(
    dataset: EvalDataset,
    method: str,
    *,
    n: int | None = 3,
    metrics: Sequence[Metric] | None = None,
) -> EvalResult:
    """Summarise every item with ``method`` (``lead``, ``textrank``, ``learned``, ``oracle``, ...) into ``n``
    bullets (``None``: as many as the method chooses) and score them with ROUGE against the item's references.
    Compressed bullets keep the sentences they were made from in ``extracted`` (shown side by side in reports).

    The ``oracle`` (an upper bound, not a method) is given the item's first reference.
    """
    if dataset.task != "summaries":
        raise IdnewsError(f"{dataset.name} is a {dataset.task} data set, not a summarisation one")
    metrics = list(metrics) if metrics is not None else summary_metrics()
    try:
        from idnews.summarization import get_summarizer

        summarizer = get_summarizer(method)
    except (UnknownNameError, ImportError) as exc:
        return EvalResult.skipped("summaries", dataset.name, method, f"summariser {method!r} not available: {exc}")
    except IdnewsError as exc:
        return EvalResult.failed("summaries", dataset.name, method, f"cannot load the summariser: {exc}")
    if not dataset.items:
        return EvalResult.skipped("summaries", dataset.name, method, "no items to score")
    needs_reference = bool(getattr(summarizer, "needs_reference", False))
    compressor = summarizer if isinstance(summarizer, _Compressing) and summarizer.style_for(n) == "intinya" else None
    hypotheses, extracted = [], []
    for item in dataset.items:
        source = item.article if item.article is not None else item.text
        reference = item.references[0] if needs_reference else None
        try:
            if compressor is not None:
                pairs = compressor.intinya_bullets(source, n=n)
                hypotheses.append([bullet for _, bullet in pairs])
                extracted.append([sentence for sentence, _ in pairs])
            else:
                hypotheses.append(summarizer.summarize(source, n=n, reference=reference))
        except IdnewsError as exc:
            return EvalResult.failed("summaries", dataset.name, method, f"item {item.id}: {exc}")
    produced_by = summarizer.signature()
    context = context_signature(
        **data_fields(dataset), task="summaries", **produced_by.fields(), bullets="auto" if n is None else n, items=len(dataset.items)
    )
    result = score(
        "summaries",
        dataset.name,
        method,
        hypotheses,
        [item.references for item in dataset.items],
        metrics,
        context,
        ids=[item.id for item in dataset.items],
    )
    result.produced_by = produced_by.to_dict()
    result.describe_data(dataset)
    result.extracted = extracted
    result.skipped_items = dataset.skipped
    if dataset.skipped:
        note = f"{dataset.skipped} item(s) skipped: {dataset.skipped_reason}"
        result.reason = f"{note}; {result.reason}" if result.reason else note
    return result


def evaluate_translation(
    dataset: EvalDataset,
    model: str,
    *,
    metrics: Sequence[Metric] | None = None,
    translator_options: dict[str, Any] | None = None,
) -> EvalResult:
    """Translate the source side of ``dataset`` with ``model`` (a registry name or a model folder) and score
    the output against the references with BLEU, chrF, chrF++ and TER."""
    if dataset.task != "translation":
        raise IdnewsError(f"{dataset.name} is a {dataset.task} data set, not a translation one")
    metrics = list(metrics) if metrics is not None else translation_metrics()
    try:
        from idnews.translation import Translator
    except ImportError as exc:
        return EvalResult.skipped("translation", dataset.name, model, f"translator not available: {exc}")
    try:
        translator = Translator.from_options(model, **(translator_options or {})).load()
    except ModelNotFoundError:
        return EvalResult.skipped("translation", dataset.name, model, f"model {model} not available offline")
    except IdnewsError as exc:
        return EvalResult.failed("translation", dataset.name, model, f"cannot load the model: {exc}")
    sources = [item.source for item in dataset.items]
    try:
        hypotheses = [segment.target for segment in translator.translate_sentences(sources)]
    except IdnewsError as exc:
        return EvalResult.failed("translation", dataset.name, model, str(exc))
    if len(hypotheses) != len(sources):
        raise IdnewsError(f"the translator returned {len(hypotheses)} segments for {len(sources)}")
    produced_by = translator.signature
    context = context_signature(
        **data_fields(dataset), task="translation", **produced_by.fields(), items=len(dataset.items)
    )
    result = score(
        "translation",
        dataset.name,
        model,
        hypotheses,
        [list(item.references) for item in dataset.items],
        metrics,
        context,
        ids=[item.id for item in dataset.items],
    )
    result.sources = sources
    result.produced_by = produced_by.to_dict()
    result.describe_data(dataset)
    return result
