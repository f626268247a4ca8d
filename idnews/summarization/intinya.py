"""The ``intinya`` style of the ``learned`` summariser: which sentences make short abstractive-style bullets.

IndoSum's references are close to extractive, and the ranker trained on them prefers long, early, complete
sentences. Abstractive digests such as "Intinya sih..." (25–60 words) favour other sentences. A linear
re-scoring of the ranker — its score, its 41 sentence features and the word count of the compressed sentence,
standardised, through logistic-regression weights — is fitted on articles with such references
(``python -m idnews.summarization.train``) and ships as ``idnews/data/summarizer_intinya.json``. The file names the
ranker it was fitted on by content; loading it with another ranker fails.

Bullets are taken by decreasing re-scored score, skipping redundant sentences, until they hold
``word_budget`` words (or ``max_bullets`` are taken; an explicit ``n`` takes exactly ``n``). A sentence that
opens inside a quotation is not the first bullet when another candidate can be. Each bullet is compressed by
deletion (:func:`~idnews.summarization.compress.compress`) and a leading pronoun subject is resolved from the
sentence before it.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from idnews.errors import InputError
from idnews.fingerprint import file_sha256
from idnews.summarization.compress import compress, opens_with_quote, resolve_subject
from idnews.summarization.document import Document
from idnews.summarization.features import FEATURE_NAMES
from idnews.text import words

FORMAT = "idnews-intinya-adapter/1"
DEFAULT_ADAPTER = Path(__file__).resolve().parent.parent / "data" / "summarizer_intinya.json"
#: The adapter's inputs: the ranker's score, the ranker's features, the compressed sentence's word count.
ADAPTER_FEATURES: tuple[str, ...] = ("ranker_score", *FEATURE_NAMES, "compressed_words")


@dataclass(frozen=True)
class IntinyaAdapter:
    """Standardised linear re-scoring of the ranker, and how many words of bullets to give."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    word_budget: int
    max_bullets: int

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IntinyaAdapter:
        model, selection = data["model"], data["selection"]
        return cls(np.asarray(model["mean"], dtype=float), np.asarray(model["scale"], dtype=float),
                   np.asarray(model["coef"], dtype=float), float(model["intercept"]),
                   int(selection["word_budget"]), int(selection["max_bullets"]))

    def inputs(self, ranker: np.ndarray, features: np.ndarray, compressed: Sequence[str]) -> np.ndarray:
        """The adapter's input rows (see :data:`ADAPTER_FEATURES`)."""
        lengths = np.array([len(words(text)) for text in compressed], dtype=float)
        return np.column_stack([ranker, features, lengths])

    def decision_function(self, rows: np.ndarray) -> np.ndarray:
        return ((rows - self.mean) / self.scale) @ self.coef + self.intercept

    def choose(
        self,
        document: Document,
        ranker: np.ndarray,
        features: np.ndarray,
        sentences: Sequence[str],
        distinct: Callable[[Sequence[set[str]], int], list[int]],
        n: int | None,
    ) -> tuple[list[int], dict[int, str]]:
        """Positions of the chosen sentences (best first) and the bullet made of each.

        ``distinct`` is the summariser's redundancy filter; ``n=None`` fills :attr:`word_budget`."""
        compressed = [compress(text) for text in sentences]
        scores = self.decision_function(self.inputs(ranker, features, compressed))
        ranked = sorted(document.candidates, key=lambda i: (-scores[i], i))
        ranked = [ranked[k] for k in distinct([set(document.sentences[i].words) for i in ranked], len(ranked))]
        limit = self.max_bullets if n is None else n
        chosen: list[int] = []
        total = 0
        for position in ranked:
            if len(chosen) == limit or (n is None and total >= self.word_budget):
                break
            chosen.append(position)
            total += len(words(compressed[position]))
        chosen = _no_quote_first(chosen, ranked, compressed)
        bullets = {}
        for i in chosen:
            previous = document.sentences[i - 1].text if i > 0 else None
            bullets[i] = resolve_subject(compressed[i], previous)
        return chosen, bullets


def _no_quote_first(chosen: list[int], ranked: list[int], compressed: Sequence[str]) -> list[int]:
    """``chosen`` with a first bullet (in document order) that opens a quotation swapped for the best unused
    candidate that does not, when there is one."""
    if not chosen or not opens_with_quote(compressed[min(chosen)]):
        return chosen
    first = min(chosen)
    for candidate in ranked:
        if candidate not in chosen and not opens_with_quote(compressed[candidate]):
            return [candidate if i == first else i for i in chosen]
    return chosen


@lru_cache(maxsize=4)
def load_adapter(path: Path = DEFAULT_ADAPTER, ranker: Path | None = None) -> IntinyaAdapter:
    """The re-scoring stored at ``path``; fails clearly on a foreign file or one fitted on another ranker."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the intinya re-scoring ({exc})") from exc
    if data.get("format") != FORMAT:
        raise InputError(path, f"not an idnews intinya file (format {data.get('format')!r}, expected {FORMAT!r})")
    if tuple(data.get("features", ())) != ADAPTER_FEATURES:
        raise InputError(path, "the re-scoring was fitted on other features than this idnews computes; retrain it")
    if ranker is not None:
        if data.get("ranker_sha256") != file_sha256(ranker):
            raise InputError(path, f"fitted on another ranker than {Path(ranker).name}; retrain it with "
                                   "python -m idnews.summarization.train")
    return IntinyaAdapter.from_dict(data)
