"""Fit the ``intinya`` re-scoring of the ranker on the Detik 2025 development split and write its JSON.

Run through ``python -m idnews.summarization.train`` (after the ranker) or alone with
``python -m idnews.summarization.train --part intinya``. Labels are a greedy ROUGE-1 + ROUGE-2 oracle of 3
compressed sentences against each article's abstractive summary. The scores stored in the file are 5-fold
cross-validated: folds by ``sha1(id) % 5``, each fold scored by a re-scoring fitted on the other four; the
shipped re-scoring is then fitted on all articles. Needs scikit-learn.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from idnews.article import Article
from idnews.summarization.base import Summarizer
from idnews.summarization.compress import compress
from idnews.summarization.document import Document, build_document, clean_sentence
from idnews.summarization.features import sentence_features
from idnews.fingerprint import file_sha256
from idnews.summarization.intinya import ADAPTER_FEATURES, FORMAT, IntinyaAdapter
from idnews.summarization.learned import TreeEnsemble, load_parameters
from idnews.summarization.oracle import greedy_oracle
from idnews.text import split_sentences

log = logging.getLogger(__name__)

C = 0.03  # L2 strength of the logistic regression (inverse); 0.01–1 gave the same cross-validated scores
WORD_BUDGET = 40  # about the median length of the references (42 words)
MAX_BULLETS = 4
ORACLE_SIZE = 3
FOLDS = 5


@dataclass
class _Item:
    id: str
    document: Document
    sentences: list[str]
    ranker: np.ndarray
    features: np.ndarray
    rows: np.ndarray
    labels: np.ndarray
    summary: str


def fold_of(article_id: str) -> int:
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % FOLDS


def items(records: Sequence[dict[str, Any]], ranker: TreeEnsemble) -> list[_Item]:
    """Each record read as a scraped page (with its title), scored by ``ranker`` and labelled by the oracle."""
    shape = IntinyaAdapter(np.zeros(1), np.ones(1), np.zeros(1), 0.0, WORD_BUDGET, MAX_BULLETS)
    result = []
    for record in records:
        article = Article.from_text(record["text"])
        article.title = article.title or record.get("title")
        document = build_document(article)
        features = sentence_features(document)
        scores = ranker.decision_function(features)
        sentences = [clean_sentence(s.text) for s in document.sentences]
        compressed = [compress(text) for text in sentences]
        labels = np.zeros(len(sentences))
        labels[greedy_oracle(compressed, split_sentences(record["summary"]), ORACLE_SIZE, document.candidates)] = 1
        rows = shape.inputs(scores, features, compressed)
        result.append(_Item(record["id"], document, sentences, scores, features, rows, labels, record["summary"]))
    return result


def fit(train: Sequence[_Item]) -> IntinyaAdapter:
    """Logistic regression on the standardised candidate rows of ``train``."""
    from sklearn.linear_model import LogisticRegression

    rows = np.vstack([item.rows[item.document.candidates] for item in train])
    labels = np.concatenate([item.labels[item.document.candidates] for item in train])
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0.0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000).fit((rows - mean) / scale, labels)
    return IntinyaAdapter(mean, scale, model.coef_[0], float(model.intercept_[0]), WORD_BUDGET, MAX_BULLETS)


def cross_validated(data: Sequence[_Item], redundancy: float) -> dict[str, dict[str, float]]:
    """Mean ROUGE F1 ×100 over ``data`` of LEAD-3, the ranker's 3 sentences and the re-scored bullets
    (uncompressed, compressed with ``n=3``, and the model's own number), each fold scored out of fold."""
    from idnews.evaluation.rouge import rouge_f1

    picker = Summarizer(redundancy=redundancy)
    totals: dict[str, dict[str, float]] = {}
    for fold in range(FOLDS):
        adapter = fit([item for item in data if fold_of(item.id) != fold])
        for item in (item for item in data if fold_of(item.id) == fold):
            document = item.document
            extract = picker.select(document, item.ranker.tolist(), 3)
            auto, bullets = adapter.choose(document, item.ranker, item.features, item.sentences, picker.distinct, None)
            three, bullets3 = adapter.choose(document, item.ranker, item.features, item.sentences, picker.distinct, 3)
            systems = {
                "lead3": [item.sentences[i] for i in document.candidates[:3]],
                "extract_n3": [item.sentences[i] for i in extract],
                "intinya_uncompressed": [item.sentences[i] for i in sorted(auto)],
                "intinya_n3": [bullets3[i] for i in sorted(three)],
                "intinya": [bullets[i] for i in sorted(auto)],
            }
            for name, summary in systems.items():
                scores = rouge_f1(summary, [item.summary])
                row = totals.setdefault(name, {})
                for key in ("rouge1", "rouge2", "rougeL"):
                    row[key] = row.get(key, 0.0) + scores[key]
                row["words"] = row.get("words", 0.0) + sum(len(s.split()) for s in summary)
    return {name: {k: round(v / len(data), 2) for k, v in row.items()} for name, row in totals.items()}


def train_intinya(ranker_path: Path, data_root: Path | None = None) -> dict[str, Any]:
    """The JSON document of the re-scoring fitted on the Detik dev split for the ranker at ``ranker_path``."""
    import sklearn

    from idnews.corpora import DETIK_DEV_FILE, load_detik_dev

    ranker, metadata = load_parameters(Path(ranker_path))
    records = load_detik_dev(root=data_root)
    data = items(records, ranker)
    redundancy = float(metadata.get("selection", {}).get("redundancy", 0.7))
    scores = cross_validated(data, redundancy)
    log.info("Detik dev, %d-fold cross-validated: %s", FOLDS, scores)
    adapter = fit(data)
    return {
        "format": FORMAT,
        "features": list(ADAPTER_FEATURES),
        "ranker_sha256": file_sha256(ranker_path),
        "selection": {"word_budget": WORD_BUDGET, "max_bullets": MAX_BULLETS},
        "model": {
            "mean": adapter.mean.tolist(),
            "scale": adapter.scale.tolist(),
            "coef": adapter.coef.tolist(),
            "intercept": adapter.intercept,
        },
        "training": {
            "data": f"Detik 2025 development split ({DETIK_DEV_FILE.name}), pages as scraped, titles given",
            "articles": len(data),
            "sentences": int(sum(len(item.document.candidates) for item in data)),
            "labels": f"greedy ROUGE-1+2 oracle of {ORACLE_SIZE} compressed sentences against the abstractive summary",
            "estimator": f"sklearn {sklearn.__version__} LogisticRegression(C={C}) on standardised rows",
            "cross_validation": f"{FOLDS} folds by sha1(id) % {FOLDS}; mean ROUGE F1 x100 (rouge-score, no stemming)",
            "cross_validated_rouge": scores,
            "date": _dt.date.today().isoformat(),
        },
    }
