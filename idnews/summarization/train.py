"""Train the ``learned`` extractive ranker on the IndoSum train split and write its JSON parameters.

    python -m idnews.summarization.train                # writes idnews/data/summarizer_extractive.json
                                                        # and idnews/data/summarizer_intinya.json
    python -m idnews.summarization.train --part intinya # only the intinya re-scoring, for the shipped ranker
    python -m idnews.summarization.train --out my.json --intinya-out my_intinya.json --data /path/to/data

The IndoSum train split is divided by a hash of the article id into a fitting part (4/5) and a
development part (1/5) used to report the scores stored in the file; the test split is never read.
Two boosted models are fitted, one on IndoSum's gold labels and one on 3-sentence oracle labels, and their
trees are summed into one ensemble; the final one is refit on the whole train split. Then the ``intinya``
re-scoring of that ranker is fitted on the Detik 2025 development split
(:mod:`idnews.summarization.train_intinya`). Needs scikit-learn (``pip install 'idnews[train]'``).
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
from idnews.text import split_sentences

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


def oracle_labels(record: dict[str, Any], document: Document, size: int = SUMMARY_SIZE) -> np.ndarray:
    """1 for the ``size`` sentences a greedy ROUGE-1 + ROUGE-2 oracle picks against ``summary_sentences``."""
    labels = np.zeros(len(document.sentences))
    labels[greedy_oracle(document.texts, record["summary_sentences"], size, document.candidates)] = 1.0
    return labels


def gold_labels(record: dict[str, Any], document: Document) -> np.ndarray:
    """IndoSum's own ``gold_labels`` where our sentence split matches theirs in every paragraph; otherwise an
    oracle of as many sentences as the reference summary has."""
    paragraphs = record["text"].split("\n\n")
    gold = record["gold_labels"]
    if len(paragraphs) == len(gold) and all(len(split_sentences(p)) == len(g) for p, g in zip(paragraphs, gold)):
        flat = np.array([label for paragraph in gold for label in paragraph], dtype=float)
        if len(flat) == len(document.sentences):
            return flat
    return oracle_labels(record, document, len(record["summary_sentences"]))


LABELINGS = {"gold": gold_labels, "oracle3": oracle_labels}


def examples(records: Sequence[dict[str, Any]]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Feature rows of every candidate sentence of ``records`` and their 0/1 labels under each labelling."""
    features: list[np.ndarray] = []
    labels: dict[str, list[np.ndarray]] = {name: [] for name in LABELINGS}
    for record in records:
        document = build_document(record["text"], title=title_of(record))
        mask = np.array([s.candidate for s in document.sentences])
        features.append(sentence_features(document)[mask])
        for name, labelling in LABELINGS.items():
            labels[name].append(labelling(record, document)[mask])
    return np.vstack(features), {name: np.concatenate(values) for name, values in labels.items()}


def fit_ensemble(features: np.ndarray, labels: dict[str, np.ndarray]) -> dict[str, Any]:
    """One boosted model per labelling, summed into a single exported tree ensemble."""
    return merge([export(fit(features, labels[name]), features[:2000]) for name in LABELINGS])


def merge(exported: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Exported ensembles with one learning rate summed into one (their decision functions add up)."""
    if len({e["learning_rate"] for e in exported}) != 1:
        raise ValueError("only ensembles with the same learning rate can be merged")
    return {
        "max_depth": max(e["max_depth"] for e in exported),
        "learning_rate": exported[0]["learning_rate"],
        "base_score": sum(e["base_score"] for e in exported),
        "trees": [tree for e in exported for tree in e["trees"]],
    }


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
    dev_model = TreeEnsemble.from_dict(fit_ensemble(features, labels))
    dev_scores = rouge_means(dev_model, development)
    log.info("development ROUGE: %s", dev_scores)

    features, labels = examples(records)
    return {
        "format": FORMAT,
        "features": list(FEATURE_NAMES),
        "selection": {"redundancy": REDUNDANCY, "order": "document"},
        "model": fit_ensemble(features, labels),
        "training": {
            "data": "IndoSum (indosum_dev_allfolds.jsonl), canonical train split: folds_dev within {1, 2, 3}",
            "articles": len(records),
            "sentences": int(len(features)),
            "labels": "sum of two models: one on IndoSum gold_labels (greedy oracle where sentence splits differ), "
                      f"one on greedy ROUGE-1+2 oracle labels of {SUMMARY_SIZE} sentences",
            "estimator": f"sklearn {sklearn.__version__} GradientBoostingClassifier (x2, trees concatenated)",
            "hyperparameters": HYPERPARAMETERS,
            "development_split": f"sha1(id) % {DEV_SHARE} == 0 ({len(development)} articles, held out for the "
                                 "scores below, then included in the final fit)",
            "development_rouge_n3": dev_scores,
            "date": _dt.date.today().isoformat(),
        },
    }


def main(argv: Sequence[str] | None = None) -> None:
    from idnews.summarization.intinya import DEFAULT_ADAPTER
    from idnews.summarization.train_intinya import train_intinya

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_PARAMETERS, help="where to write the ranker's JSON")
    parser.add_argument("--intinya-out", type=Path, default=DEFAULT_ADAPTER,
                        help="where to write the intinya re-scoring's JSON")
    parser.add_argument("--part", choices=("all", "ranker", "intinya"), default="all",
                        help="train the ranker, the intinya re-scoring of the ranker at --out, or both")
    parser.add_argument("--data", type=Path, default=None, help="folder holding summ/ (default: idnews data dir)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.part in ("all", "ranker"):
        _write(args.out, train(args.data))
    if args.part in ("all", "intinya"):
        _write(args.intinya_out, train_intinya(args.out, args.data))


def _write(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    log.info("wrote %s (%.0f kB)", path, path.stat().st_size / 1000)


if __name__ == "__main__":
    main()
