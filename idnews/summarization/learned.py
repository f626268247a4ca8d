"""The ``learned`` method: a gradient-boosted sentence ranker trained on IndoSum, evaluated in numpy.

Its parameters ship in ``idnews/data/summarizer_extractive.json`` (plain JSON trees, no pickle) and are
reproduced by ``python -m idnews.summarization.train``. Inference needs neither scikit-learn nor a GPU.

Two styles of bullets (:data:`STYLES`): ``extract`` gives ``n`` whole sentences ranked by the IndoSum ranker
(IndoSum's references are close to extractive); ``intinya`` gives short, self-contained bullets for abstractive
references such as the "Intinya sih..." digests: a linear re-scoring of the ranker
(:mod:`idnews.summarization.intinya`, ``idnews/data/summarizer_intinya.json``) picks the sentences, they are
compressed by deletion (:mod:`idnews.summarization.compress`), and the model stops adding bullets once they
hold about as many words as such a digest. ``style="auto"`` (the default) is ``intinya`` when ``n`` is left
to the model (``n=None``) and ``extract`` when ``n`` is given.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from idnews.article import Article
from idnews.errors import IdnewsError, InputError
from idnews.signature import ModelIdentity
from idnews.summarization.base import DEFAULT_N, SUMMARIZERS, Summarizer, check_n
from idnews.summarization.document import Document, build_document, clean_sentence
from idnews.summarization.features import FEATURE_NAMES, sentence_features
from idnews.summarization.intinya import DEFAULT_ADAPTER, IntinyaAdapter, load_adapter

FORMAT = "idnews-gbm-ranker/1"
DEFAULT_PARAMETERS = Path(__file__).resolve().parent.parent / "data" / "summarizer_extractive.json"
STYLES = ("auto", "extract", "intinya")


@dataclass(frozen=True)
class TreeEnsemble:
    """Additive regression trees in padded arrays (one row per tree of ``width`` nodes); children are flat
    node ids (``tree * width + node``) and leaves point to themselves."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int
    base_score: float
    learning_rate: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeEnsemble:
        trees = data["trees"]
        width = max(len(tree["feature"]) for tree in trees)
        shape = (len(trees), width)
        feature = np.zeros(shape, dtype=np.intp)
        threshold = np.full(shape, np.inf)
        left = np.tile(np.arange(width), (len(trees), 1))
        right = left.copy()
        value = np.zeros(shape)
        for row, tree in enumerate(trees):
            size = len(tree["feature"])
            for name, array in (("feature", feature), ("threshold", threshold), ("value", value)):
                array[row, :size] = tree[name]
            children = np.asarray(tree["left"]), np.asarray(tree["right"])
            inner = children[0] >= 0
            left[row, :size][inner] = children[0][inner]
            right[row, :size][inner] = children[1][inner]
            threshold[row, :size][~inner] = np.inf
            feature[row, :size][~inner] = 0
        global_ids = np.arange(len(trees))[:, None] * width  # flat node ids: tree * width + node
        left += global_ids
        right += global_ids
        return cls(feature, threshold, left, right, value, int(data["max_depth"]),
                   float(data["base_score"]), float(data["learning_rate"]))

    def decision_function(self, features: np.ndarray) -> np.ndarray:
        """Raw scores (log-odds) of each row of ``features``, equal to scikit-learn's ``decision_function``."""
        rows = np.asarray(features, dtype=np.float32).astype(np.float64)
        n_trees, width = self.feature.shape
        node = np.repeat(np.arange(n_trees) * width, rows.shape[0])
        row_of = np.tile(np.arange(rows.shape[0]), n_trees)
        feature, threshold = self.feature.ravel(), self.threshold.ravel()
        left, right = self.left.ravel(), self.right.ravel()
        for _ in range(self.depth):
            goes_left = rows[row_of, feature[node]] <= threshold[node]
            node = np.where(goes_left, left[node], right[node])
        leaf_values = self.value.ravel()[node].reshape(n_trees, rows.shape[0])
        return self.base_score + self.learning_rate * leaf_values.sum(axis=0)


@lru_cache(maxsize=4)
def load_parameters(path: Path = DEFAULT_PARAMETERS) -> tuple[TreeEnsemble, dict[str, Any]]:
    """The ranker stored at ``path`` and its JSON metadata; fails clearly on a foreign or stale file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read summariser parameters ({exc})") from exc
    if data.get("format") != FORMAT:
        raise InputError(path, f"not an idnews ranker file (format {data.get('format')!r}, expected {FORMAT!r})")
    if tuple(data.get("features", ())) != FEATURE_NAMES:
        raise InputError(path, "the ranker was trained on other features than this idnews computes; retrain it")
    return TreeEnsemble.from_dict(data["model"]), data


@SUMMARIZERS.register("learned")
class LearnedSummarizer(Summarizer):
    """Supervised extractive ranker (the default): sentence features → boosted trees → top ``n``.

    ``parameters`` is a JSON file written by :mod:`idnews.summarization.train`; by default the one shipped
    with idnews. ``style`` is ``"auto"``, ``"extract"`` or ``"intinya"`` (see the module docstring);
    ``adapter`` is the ``intinya`` re-scoring file, by default the shipped one, which must have been trained
    on this ranker. Instances are reusable and thread-safe.
    """

    name = "learned"

    def __init__(self, *, parameters: str | Path | None = None, order: str = "document",
                 redundancy: float | None = None, style: str = "auto", adapter: str | Path | None = None) -> None:
        if style not in STYLES:
            raise IdnewsError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
        path = Path(parameters) if parameters is not None else DEFAULT_PARAMETERS
        self.model, self.metadata = load_parameters(path)
        tuned = float(self.metadata.get("selection", {}).get("redundancy", 0.7))
        super().__init__(order=order, redundancy=tuned if redundancy is None else redundancy)
        self.parameters = path
        self.style = style
        self.adapter_path = Path(adapter) if adapter is not None else DEFAULT_ADAPTER
        self._adapter: IntinyaAdapter | None = None

    def __repr__(self) -> str:
        trained = self.metadata.get("training", {}).get("date", "?")
        return (f"LearnedSummarizer(parameters={self.parameters.name!r}, trained={trained!r}, "
                f"order={self.order!r}, redundancy={self.redundancy}, style={self.style!r})")

    @property
    def adapter(self) -> IntinyaAdapter:
        """The ``intinya`` re-scoring, loaded on first use and checked against this ranker's file."""
        if self._adapter is None:
            self._adapter = load_adapter(self.adapter_path, self.parameters)
        return self._adapter

    def signature_options(self) -> dict[str, object]:
        options = {**super().signature_options(), "style": self.style}
        if self.style != "extract":
            options["adapter"] = ModelIdentity.of(self.adapter_path.name, self.adapter_path)
        return options

    def model_identity(self) -> ModelIdentity:
        return ModelIdentity.of(self.parameters.name, self.parameters)

    def scores(self, document: Document, n: int, reference: Sequence[str] | None = None) -> Sequence[float]:
        return self.model.decision_function(sentence_features(document)).tolist()

    def style_for(self, n: int | None) -> str:
        """The style used for a request of ``n`` bullets (``None``: the model chooses how many)."""
        if self.style != "auto":
            return self.style
        return "intinya" if n is None else "extract"

    def summarize(
        self,
        source: Article | str,
        *,
        n: int | None = None,
        title: str | None = None,
        reference: str | Sequence[str] | None = None,
    ) -> list[str]:
        """Bullets in :meth:`style_for` ``n``'s style: ``n`` (or, in the ``intinya`` style with ``n=None``, as
        many as the model chooses) sentences, compressed in the ``intinya`` style."""
        if self.style_for(n) == "extract":
            return super().summarize(source, n=DEFAULT_N if n is None else n, title=title, reference=reference)
        return [bullet for _, bullet in self.intinya_bullets(source, n=n, title=title, reference=reference)]

    __call__ = summarize

    def intinya_bullets(
        self,
        source: Article | str,
        *,
        n: int | None = None,
        title: str | None = None,
        reference: str | Sequence[str] | None = None,
    ) -> list[tuple[str, str]]:
        """``(sentence, bullet)`` pairs of the ``intinya`` style: each chosen sentence as in the article and
        the bullet made of it (compressed, its pronoun subject resolved)."""
        if n is not None:
            check_n(n)
        self._check_reference(reference)
        document = build_document(source, title=title)
        features = sentence_features(document)
        sentences = [clean_sentence(s.text) for s in document.sentences]
        chosen, bullets = self.adapter.choose(
            document, self.model.decision_function(features), features, sentences, self.distinct, n
        )
        if self.order == "document":
            chosen = sorted(chosen)
        return [(sentences[i], bullets[i]) for i in chosen]
