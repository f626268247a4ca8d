"""Public corpora idnews knows how to read: IndoSum and its canonical train/test split, and the Detik 2025
development split (scraped pages with abstractive summaries).

Data sets are read with the ``datasets`` library from a local folder (``idnews.paths.data_dir()``); nothing is
downloaded.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from idnews.errors import InputError
from idnews.paths import data_dir

INDOSUM_FILE = Path("summ") / "indosum_dev_allfolds.jsonl"
DETIK_DEV_FILE = Path("summ") / "detik2025_dev.jsonl"
TRAIN_FOLDS = frozenset({1, 2, 3})
TEST_FOLDS = frozenset({4, 5})

Split = Literal["train", "test"]


def indosum_split_of(folds: list[int]) -> Split | None:
    """The canonical split of an IndoSum article from its ``folds_dev``; ``None`` when it spans both."""
    fold_set = set(folds)
    if fold_set and fold_set <= TRAIN_FOLDS:
        return "train"
    if fold_set and fold_set <= TEST_FOLDS:
        return "test"
    return None


def load_indosum(split: Split, *, root: Path | None = None) -> list[dict[str, Any]]:
    """IndoSum articles of one canonical split, as dicts (``id``, ``text``, ``summary``, ``summary_sentences``,
    ``gold_labels``, ``source``, ``category``, ...), in file order."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    path = (root or data_dir()) / INDOSUM_FILE
    if not path.is_file():
        raise InputError(path, "IndoSum not found; set IDNEWS_SHARED to the folder holding data/summ/")
    import datasets

    ds = datasets.load_dataset("json", data_files=str(path), split="train")
    return [row for row in ds if indosum_split_of(row["folds_dev"]) == split]


def load_detik_dev(*, root: Path | None = None) -> list[dict[str, Any]]:
    """The Detik 2025 development split: scraped pages (``text`` with their noise, ``title``) and an abstractive
    ``summary`` of 25–60 words each, as dicts in file order. Evaluation and development use only."""
    path = (root or data_dir()) / DETIK_DEV_FILE
    if not path.is_file():
        raise InputError(path, "Detik dev split not found; set IDNEWS_DATA to the folder that holds summ/")
    import datasets

    return list(datasets.load_dataset("json", data_files=str(path), split="train"))
