"""Whole IndoSum test split (slow): the learned ranker must stay ahead of LEAD-3 and below the oracle."""
from __future__ import annotations

import numpy as np
import pytest

from idnews.evaluation.rouge import rouge_f1
from idnews.summarization import get_summarizer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def indosum_test(indosum_path):
    from idnews.corpora import load_indosum

    return load_indosum("test", root=indosum_path.parent.parent)


def mean_rouge(method: str, records) -> dict[str, float]:
    summarizer = get_summarizer(method)
    scores = [
        rouge_f1(
            summarizer.summarize(r["text"], n=3, **({"reference": r["summary_sentences"]} if method == "oracle" else {})),
            r["summary_sentences"],
        )
        for r in records
    ]
    return {name: float(np.mean([s[name] for s in scores])) for name in ("rouge1", "rouge2", "rougeL")}


def test_learned_beats_lead3_on_the_indosum_test_split(indosum_test):
    assert len(indosum_test) == 1317
    lead = mean_rouge("lead", indosum_test)
    learned = mean_rouge("learned", indosum_test)
    # LEAD-3 is about 65.9 / 59.1 / 62.9 on the text as given; cutting the dateline off lifts it by about one point
    assert 66.0 < lead["rouge1"] < 68.0
    for name in ("rouge1", "rouge2", "rougeL"):
        assert learned[name] > lead[name] + 1.5, (name, learned, lead)
