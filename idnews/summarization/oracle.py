"""ORACLE: the greedy extractive upper bound against a reference summary (for evaluation only)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from idnews.text import words
from idnews.summarization.base import SUMMARIZERS, Summarizer
from idnews.summarization.document import Document


def ngrams(tokens: Sequence[str], size: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def _f1(candidate: Counter, reference: Counter) -> float:
    hits = sum((candidate & reference).values())
    if hits == 0:
        return 0.0
    precision = hits / sum(candidate.values())
    recall = hits / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def greedy_oracle(sentences: Sequence[str], reference: Sequence[str], n: int, allowed: Sequence[int]) -> list[int]:
    """Indices (among ``allowed``) picked greedily to maximise ROUGE-1 + ROUGE-2 F1 of their union against
    ``reference``; always returns ``min(n, len(allowed))`` indices, best gain first."""
    reference_tokens = words("\n".join(reference))
    targets = (ngrams(reference_tokens, 1), ngrams(reference_tokens, 2))
    sentence_tokens = {i: words(sentences[i]) for i in allowed}
    chosen: list[int] = []
    summary_tokens: list[str] = []
    while len(chosen) < min(n, len(allowed)):
        best, best_gain = -1, -1.0
        for i in allowed:
            if i in chosen:
                continue
            tokens = summary_tokens + sentence_tokens[i]
            gain = sum(_f1(ngrams(tokens, k + 1), targets[k]) for k in range(2))
            if gain > best_gain:
                best, best_gain = i, gain
        chosen.append(best)
        summary_tokens += sentence_tokens[best]
    return chosen


@SUMMARIZERS.register("oracle")
class OracleSummarizer(Summarizer):
    """Greedy ROUGE-1 + ROUGE-2 oracle: needs ``reference=`` (the gold summary); the ceiling for extraction."""

    name = "oracle"
    needs_reference = True

    def __init__(self, *, order: str = "document", redundancy: float = 1.0) -> None:
        super().__init__(order=order, redundancy=redundancy)

    def scores(self, document: Document, n: int, reference: Sequence[str] | None = None) -> Sequence[float]:
        if reference is None:  # guarded by Summarizer.summarize; kept for direct callers
            raise ValueError("the oracle needs a reference summary")
        picked = greedy_oracle(document.texts, reference, n, document.candidates)
        scores = [-1.0] * len(document.sentences)
        for rank, position in enumerate(picked):
            scores[position] = float(len(picked) - rank)
        return scores
