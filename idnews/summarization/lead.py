"""LEAD: the first ``n`` usable sentences, the standard news baseline."""
from __future__ import annotations

from collections.abc import Sequence

from idnews.summarization.base import SUMMARIZERS, Summarizer
from idnews.summarization.document import Document


@SUMMARIZERS.register("lead")
class LeadSummarizer(Summarizer):
    """Scores sentences by their position: the first candidate sentences win (LEAD-3 for ``n=3``)."""

    name = "lead"

    def scores(self, document: Document, n: int, reference: Sequence[str] | None = None) -> Sequence[float]:
        return [-float(s.position) for s in document.sentences]
