"""TextRank: PageRank over the TF-IDF cosine similarity graph of an article's sentences."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from idnews.summarization.base import SUMMARIZERS, Summarizer
from idnews.summarization.document import Document
from idnews.summarization.features import tfidf_matrix


def pagerank(weights: np.ndarray, *, damping: float = 0.85, tolerance: float = 1e-8, max_iter: int = 200) -> np.ndarray:
    """Stationary scores of the weighted graph ``weights`` (square, non-negative); rows sum to one inside."""
    size = weights.shape[0]
    if size == 0:
        return np.zeros(0)
    out_weight = weights.sum(axis=1, keepdims=True)
    transition = np.where(out_weight > 0, weights / np.where(out_weight == 0, 1.0, out_weight), 1.0 / size)
    scores = np.full(size, 1.0 / size)
    for _ in range(max_iter):
        updated = (1.0 - damping) / size + damping * (transition.T @ scores)
        if np.abs(updated - scores).sum() < tolerance:
            return updated
        scores = updated
    return scores


@SUMMARIZERS.register("textrank")
class TextRankSummarizer(Summarizer):
    """Unsupervised centrality (Mihalcea & Tarau, 2004) on candidate sentences; no training, no position prior."""

    name = "textrank"

    def __init__(self, *, damping: float = 0.85, order: str = "document", redundancy: float = 0.7) -> None:
        super().__init__(order=order, redundancy=redundancy)
        self.damping = damping

    def scores(self, document: Document, n: int, reference: Sequence[str] | None = None) -> Sequence[float]:
        candidates = document.candidates
        vectors = tfidf_matrix([document.sentences[i].words for i in candidates])
        similarity = vectors @ vectors.T
        np.fill_diagonal(similarity, 0.0)
        ranks = pagerank(np.clip(similarity, 0.0, None), damping=self.damping)
        scores = np.full(len(document.sentences), -1.0)
        scores[candidates] = ranks
        return scores.tolist()
