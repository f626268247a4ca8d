"""Train the ``learned`` extractive ranker on the IndoSum train split and write its JSON parameters.

    python -m idnews.summarization.train                # writes idnews/data/summarizer_extractive.json
    python -m idnews.summarization.train --out my.json --data /path/to/data

The IndoSum train split is divided by a hash of the article id into a fitting part (4/5) and a
development part (1/5) used to report the scores stored in the file; the test split is never read.
The final model is then refit on the whole train split. Needs scikit-learn (``pip install 'idnews[train]'``).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from idnews.summarization.document import Document, build_document
from idnews.summarization.features import FEATURE_NAMES, sentence_features
from idnews.summarization.learned import DEFAULT_PARAMETERS, FORMAT, TreeEnsemble
from idnews.summarization.oracle import greedy_oracle

log = logging.getLogger(__name__)

HYPERPARAMETERS = {
    "n_estimators": 300,
    "learning_rate": 0.05,
    "max_depth": 5,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 40,
    "subsample": 0.8,
    "random_state": 0,
}
SUMMARY_SIZE = 3
REDUNDANCY = 0.7
DEV_SHARE = 5  # one article in five (by id hash) is held out for development


def is_dev(article_id: str) -> bool:
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % DEV_SHARE == 0


def title_of(record: dict[str, Any]) -> str | None:
    """The title words in an IndoSum id slug (``<timestamp>-<slug>``), without the cut-off last word.

    One article in three is left without a title so the ranker also works on plain text."""
    if int(hashlib.md5(record["id"].encode("utf-8")).hexdigest(), 16) % 3 == 0:
        return None
    slug = record["id"].split("-", 1)[-1].split("-")
    return " ".join(slug[:-1]) or None


def labels_of(record: dict[str, Any], document: Document) -> np.ndarray:
    """1 for the sentences a greedy ROUGE-1 + ROUGE-2 oracle picks as the best :data:`SUMMARY_SIZE` bullets.

    (IndoSum's own ``gold_labels`` mark a variable number of sentences and need the original tokenisation;
    oracle labels for exactly three bullets scored better in cross-validation on the train split.)"""
    labels = np.zeros(len(document.sentences))
    picked = greedy_oracle(document.texts, record["summary_sentences"], SUMMARY_SIZE, document.candidates)
    labels[picked] = 1.0
    return labels


def examples(records: Sequence[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and 0/1 labels of every candidate sentence of ``records``."""
    features, labels = [], []
    for record in records:
        document = build_document(record["text"], title=title_of(record))
        mask = np.array([s.candidate for s in document.sentences])
        features.append(sentence_features(document)[mask])
        labels.append(labels_of(record, document)[mask])
    return np.vstack(features), np.concatenate(labels)


def fit(features: np.ndarray, labels: np.ndarray):  # type: ignore[no-untyped-def]
    from sklearn.ensemble import GradientBoostingClassifier

    return GradientBoostingClassifier(**HYPERPARAMETERS).fit(features, labels)


def export(model: Any, sample: np.ndarray) -> dict[str, Any]:
    """A fitted binary ``GradientBoostingClassifier`` as JSON-ready trees, checked against sklearn on ``sample``."""
    trees = []
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append({
            "feature": tree.feature.tolist(),
            "threshold": tree.threshold.tolist(),
            "left": tree.children_left.tolist(),
            "right": tree.children_right.tolist(),
            "value": tree.value[:, 0, 0].tolist(),
        })
    staged = sum(e.predict(sample) for e in model.estimators_[:, 0]) * model.learning_rate
    base = float(np.mean(model.decision_function(sample) - staged))
    depth = max(int(e.tree_.max_depth) for e in model.estimators_[:, 0])
    exported = {"max_depth": depth, "learning_rate": float(model.learning_rate),
                "base_score": base, "trees": trees}
    mismatch = np.abs(TreeEnsemble.from_dict(exported).decision_function(sample) - model.decision_function(sample))
    if mismatch.max() > 1e-6:
        raise RuntimeError(f"exported trees disagree with scikit-learn by {mismatch.max():.2e}")
    return exported


def rouge_means(model: TreeEnsemble, records: Sequence[dict[str, Any]], n: int = SUMMARY_SIZE) -> dict[str, float]:
    """Mean ROUGE F1 ×100 of the ranker's ``n`` bullets (and of LEAD-``n``) on ``records``."""
    from idnews.evaluation.rouge import rouge_f1
    from idnews.summarization.base import Summarizer

    picker = Summarizer(redundancy=REDUNDANCY)
    totals: dict[str, float] = {}
    for record in records:
        document = build_document(record["text"])
        scores = model.decision_function(sentence_features(document))
        chosen = picker.select(document, scores.tolist(), n)
        lead = document.candidates[:n]
        reference = record["summary_sentences"]
        for prefix, picked in (("learned", chosen), ("lead", lead)):
            for name, value in rouge_f1([document.sentences[i].text for i in picked], reference).items():
                totals[f"{prefix}_{name}"] = totals.get(f"{prefix}_{name}", 0.0) + value
    return {key: round(value / len(records), 2) for key, value in sorted(totals.items())}


def train(data_root: Path | None = None) -> dict[str, Any]:
    """Train on IndoSum train, report development scores, refit on all of train; the JSON document."""
    import sklearn

    from idnews.corpora import load_indosum

    records = load_indosum("train", root=data_root)
    fitting = [r for r in records if not is_dev(r["id"])]
    development = [r for r in records if is_dev(r["id"])]
    log.info("IndoSum train: %d articles (%d fitting, %d development)", len(records), len(fitting), len(development))

    features, labels = examples(fitting)
    dev_model = TreeEnsemble.from_dict(export(fit(features, labels), features[:2000]))
    dev_scores = rouge_means(dev_model, development)
    log.info("development ROUGE: %s", dev_scores)

    features, labels = examples(records)
    final = fit(features, labels)
    return {
        "format": FORMAT,
        "features": list(FEATURE_NAMES),
        "selection": {"redundancy": REDUNDANCY, "order": "document"},
        "model": export(final, features[:2000]),
        "training": {
            "data": "IndoSum (indosum_dev_allfolds.jsonl), canonical train split: folds_dev within {1, 2, 3}",
            "articles": len(records),
            "sentences": int(len(labels)),
            "labels": f"greedy ROUGE-1+2 oracle of {SUMMARY_SIZE} sentences against summary_sentences",
            "estimator": f"sklearn {sklearn.__version__} GradientBoostingClassifier",
            "hyperparameters": HYPERPARAMETERS,
            "development_split": f"sha1(id) % {DEV_SHARE} == 0 ({len(development)} articles, held out for the "
                                 "scores below, then included in the final fit)",
            "development_rouge_n3": dev_scores,
            "date": _dt.date.today().isoformat(),
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_PARAMETERS, help="where to write the JSON parameters")
    parser.add_argument("--data", type=Path, default=None, help="folder holding summ/ (default: idnews data dir)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    document = train(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    log.info("wrote %s (%.0f kB)", args.out, args.out.stat().st_size / 1000)


if __name__ == "__main__":
    main()
