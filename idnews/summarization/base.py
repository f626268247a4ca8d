"""The :class:`Summarizer` base class and the registry of summarisation methods.

The base class owns validation, sentence splitting (through :mod:`idnews.summarization.document`) and
:meth:`Summarizer.summarize`; an extractive method only fills :meth:`Summarizer.scores`, an abstractive one
:meth:`Summarizer.bullets`. Each method registers itself once, with ``@SUMMARIZERS.register(name)`` in its
own module, imported when the name is first looked up (``"lead"``, ``"textrank"``, ``"learned"`` and its
alias ``"auto"``, ``"oracle"``, ``"hf:<model>"``, ``"ct2:<model>"``); unknown names fail listing the known ones.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from idnews.article import Article
from idnews.errors import IdnewsError
from idnews.registry import Registry
from idnews.signature import ModelIdentity, TypedSignature
from idnews.summarization.document import Document, build_document, clean_sentence, overlap

SUMMARIZERS: Registry[type["Summarizer"]] = Registry(
    "summarisation method",
    modules=[f"idnews.summarization.{m}" for m in ("learned", "lead", "textrank", "oracle", "seq2seq")],
    aliases={"auto": "learned"},  # the default method
)
ORDERS = ("document", "importance")
#: Bullets when the caller leaves the number to a method that has no way to choose it.
DEFAULT_N = 3


@dataclass(frozen=True)
class SummarizerSignature(TypedSignature):
    """What decides a summariser's bullets: the method, every option, and its model or parameters by content."""

    method: str
    options: tuple[tuple[str, object], ...] = ()
    model: ModelIdentity | None = None

    def fields(self) -> dict[str, object]:
        return {"method": self.method, "model": self.model, **dict(self.options)}


class Summarizer:
    """Pick ``n`` sentences of an article as bullets.

    Extractive subclasses implement :meth:`scores` (higher is more summary-worthy); abstractive ones
    replace :meth:`bullets`. Selection walks the candidates by
    decreasing score and skips any sentence whose word overlap with an already chosen bullet reaches
    ``redundancy`` (share of the shorter sentence's distinct words). Bullets come back in document order
    (``order="document"``, the default) or by decreasing score (``order="importance"``).
    """

    name: ClassVar[str] = ""
    needs_reference: ClassVar[bool] = False

    def __init__(self, *, order: str = "document", redundancy: float = 0.7) -> None:
        if order not in ORDERS:
            raise IdnewsError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
        if not 0.0 < redundancy <= 1.0:
            raise IdnewsError(f"redundancy must be in (0, 1], not {redundancy!r}")
        self.order = order
        self.redundancy = redundancy

    def __repr__(self) -> str:
        return f"{type(self).__name__}(order={self.order!r}, redundancy={self.redundancy})"

    def signature(self) -> SummarizerSignature:
        """The method, its options (:meth:`signature_options`) and its model (:meth:`model_identity`)."""
        return SummarizerSignature(self.name, tuple(self.signature_options().items()), self.model_identity())

    def signature_options(self) -> dict[str, object]:
        """Every option that changes the bullets; subclasses with more options extend this."""
        return {"order": self.order, "redundancy": self.redundancy}

    def model_identity(self) -> ModelIdentity | None:
        """The model or parameters file the method runs, by content; ``None`` for rule-based methods."""
        return None

    def scores(self, document: Document, n: int, reference: Sequence[str] | None = None) -> Sequence[float]:
        """One score per sentence of ``document`` (all sentences, candidates or not) for a summary of ``n``."""
        raise NotImplementedError

    def summarize(
        self,
        source: Article | str,
        *,
        n: int | None = None,
        title: str | None = None,
        reference: str | Sequence[str] | None = None,
    ) -> list[str]:
        """``n`` bullets (fewer when the article has fewer usable sentences), one sentence each; ``n=None``
        lets the method choose (:data:`DEFAULT_N` for methods without a way to)."""
        n = DEFAULT_N if n is None else n
        check_n(n)
        reference_sentences = self._check_reference(reference)
        return self.bullets(build_document(source, title=title), n, reference_sentences)

    __call__ = summarize

    def bullets(self, document: Document, n: int, reference: Sequence[str] | None = None) -> list[str]:
        """Up to ``n`` bullets for a validated ``document``: by default the :meth:`select`-ed sentences
        of :meth:`scores`."""
        chosen = self.select(document, self.scores(document, n, reference), n)
        return [clean_sentence(document.sentences[i].text) for i in chosen]

    def select(self, document: Document, scores: Sequence[float], n: int) -> list[int]:
        """Positions of up to ``n`` non-redundant candidates, best first, then put in :attr:`order`."""
        ranked = sorted(document.candidates, key=lambda i: (-scores[i], i))
        kept = self.distinct([set(document.sentences[i].words) for i in ranked], n)
        chosen = [ranked[k] for k in kept]
        return sorted(chosen) if self.order == "document" else chosen

    def distinct(self, word_sets: Sequence[set[str]], n: int) -> list[int]:
        """Indices of the first ``n`` word sets (in the given order) that are not empty and share less than
        :attr:`redundancy` of their words with any set kept before them."""
        kept: list[int] = []
        for index, tokens in enumerate(word_sets):
            if len(kept) == n:
                break
            if tokens and all(overlap(tokens, word_sets[k]) < self.redundancy for k in kept):
                kept.append(index)
        return kept

    def _check_reference(self, reference: str | Sequence[str] | None) -> list[str] | None:
        if reference is None:
            if self.needs_reference:
                raise IdnewsError(f"the {self.name!r} summariser needs a reference summary (reference=...)")
            return None
        if not self.needs_reference:
            raise IdnewsError(f"the {self.name!r} summariser does not use a reference summary")
        sentences = [reference] if isinstance(reference, str) else list(reference)
        if not any(s.strip() for s in sentences):
            raise IdnewsError("the reference summary is empty")
        return sentences


def check_n(n: Any) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise IdnewsError(f"n must be a positive whole number of bullets, not {n!r}")


def get_summarizer(method: str = "auto", **options: Any) -> Summarizer:
    """A summariser by name: ``auto`` (= ``learned``), ``lead``, ``textrank``, ``learned``, ``oracle``,
    ``hf:<model path or id>`` or ``ct2:<converted model folder>``; ``options`` go to its constructor."""
    if not isinstance(method, str):
        raise IdnewsError(f"method must be a name such as 'learned', not {method!r}")
    family, _, model = method.partition(":")
    if family in ("hf", "ct2"):
        if not model:
            raise IdnewsError(f"method {method!r} needs a model after the colon, e.g. '{family}:path/to/model'")
        seq2seq: Callable[..., Summarizer] = SUMMARIZERS.get(family)  # its constructor takes the model first
        return seq2seq(model, **options)
    return SUMMARIZERS.get(method)(**options)

