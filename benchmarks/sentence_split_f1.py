"""Sentence-boundary F1 of ``idnews.text.split_sentences`` on IndoSum; prints one JSON object.

Two measurements, both against IndoSum's own sentence segmentation:

* ``summary_boundaries``: for every article, the reference sentences ``summary_sentences`` are joined with a
  space and split again. A boundary is the character offset where a sentence starts (the first one excluded);
  precision, recall and F1 are micro-averaged over all boundaries. This is a direct boundary F1.
* ``paragraph_counts``: every paragraph of ``text`` (blank-line separated) is split and its sentence count
  compared with the length of its ``gold_labels`` row, the count the extractive labels were made for. It
  reports the share of paragraphs (and of whole articles) where the counts agree, plus a count-based boundary
  F1 (true positives = the smaller of the two boundary counts per paragraph, an upper bound on the true F1).
  This tells a summariser how often per-sentence labels can be mapped onto ``split_sentences`` output.

Usage::

    python benchmarks/sentence_split_f1.py [--split all|train|test] [--data PATH]

IndoSum's segmentation comes from its original tokenizer and is itself imperfect (it keeps "Serie A. Skuat"
together, for instance), so 100 is not reachable; the numbers compare splitters, they do not grade English-style
sentence rules.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from idnews.corpora import INDOSUM_FILE, indosum_split_of  # noqa: E402
from idnews.paths import data_dir  # noqa: E402
from idnews.text import split_sentences  # noqa: E402


def _starts(sentences: list[str]) -> set[int]:
    offsets, position = set(), 0
    for sentence in sentences[:-1]:
        position += len(sentence) + 1
        offsets.add(position)
    return offsets


def _f1(tp: int, predicted: int, true: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(100 * precision, 2), "recall": round(100 * recall, 2), "f1": round(100 * f1, 2)}


def measure(rows: list[dict]) -> dict:
    tp = predicted = true = mismatched_text = 0
    for row in rows:
        gold = [" ".join(s.split()) for s in row["summary_sentences"] if s.strip()]
        joined = " ".join(gold)
        pred = split_sentences(joined)
        if " ".join(pred) != joined:
            mismatched_text += 1
        gold_starts, pred_starts = _starts(gold), _starts(pred)
        tp += len(gold_starts & pred_starts)
        predicted += len(pred_starts)
        true += len(gold_starts)

    paragraphs = agree = articles_agree = count_tp = count_pred = count_true = 0
    started = time.perf_counter()
    for row in rows:
        all_agree = True
        for paragraph, labels in zip(row["text"].split("\n\n"), row["gold_labels"]):
            n_pred = len(split_sentences(paragraph))
            paragraphs += 1
            agree += n_pred == len(labels)
            all_agree &= n_pred == len(labels)
            count_tp += min(n_pred, len(labels)) - 1 if n_pred and labels else 0
            count_pred += max(n_pred - 1, 0)
            count_true += max(len(labels) - 1, 0)
        articles_agree += all_agree
    elapsed = time.perf_counter() - started

    return {
        "articles": len(rows),
        "summary_boundaries": {**_f1(tp, predicted, true), "true_boundaries": true, "text_changed": mismatched_text},
        "paragraph_counts": {
            "paragraphs": paragraphs,
            "paragraph_count_agreement": round(100 * agree / paragraphs, 2),
            "article_count_agreement": round(100 * articles_agree / len(rows), 2),
            "count_f1_upper_bound": _f1(count_tp, count_pred, count_true)["f1"],
        },
        "articles_split_per_second": round(len(rows) / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["all", "train", "test"], default="all")
    parser.add_argument("--data", type=Path, default=data_dir() / INDOSUM_FILE, help="indosum_dev_allfolds.jsonl")
    args = parser.parse_args()
    with args.data.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if args.split != "all":
        rows = [r for r in rows if indosum_split_of(r["folds_dev"]) == args.split]
    print(json.dumps({"split": args.split, **measure(rows)}, indent=2))


if __name__ == "__main__":
    main()
