"""Named evaluation data sets, read from local files with the ``datasets`` library (nothing is downloaded).

Summarisation: ``indosum-test``/``indosum-train`` (the canonical IndoSum split), ``seeds-intinya`` (news pages
whose "Intinya sih..." bullets are the reference), or any JSONL file / folder of pages given by path.
Translation (Indonesian→English): ``flores200-dev``, ``flores200-devtest``, ``tatoeba``, ``tico19-test``,
``nusax-test``. Files live under :func:`idnews.paths.data_dir` (``$IDNEWS_DATA``); the pages of
``seeds-intinya`` under :func:`idnews.paths.seeds_dir` (``$IDNEWS_SEEDS``).
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from idnews.errors import InputError, UnknownNameError
from idnews.evaluation.io import Summary, content_hash, jsonl_values, read_text
from idnews.paths import data_dir, seeds_dir
from idnews.registry import Registry

Task = Literal["summaries", "translation"]
PAGE_SUFFIXES = (".txt", ".html", ".htm", ".json")


@dataclass(frozen=True)
class SummaryItem:
    """One article to summarise: its text (or parsed article) and one or more reference summaries."""

    id: str
    text: str
    references: list[Summary]
    article: Any = None  # an idnews Article when read from a page


@dataclass(frozen=True)
class TranslationItem:
    """One Indonesian source segment and its English reference."""

    id: str
    source: str
    reference: str


@dataclass(frozen=True)
class EvalDataset:
    """A loaded data set; ``content_hash`` covers exactly the items held (after any limit)."""

    name: str
    task: Task
    items: list[Any]
    content_hash: str
    split: str | None = None
    origin: str | None = None
    skipped: int = 0
    skipped_reason: str | None = None
    limit: int | None = None

    def head(self, limit: int | None) -> EvalDataset:
        """The first ``limit`` items (all when ``None``), with the hash recomputed over them."""
        if limit is None or limit >= len(self.items):
            return self
        if limit < 1:
            raise ValueError(f"limit must be >= 1, not {limit}")
        items = self.items[:limit]
        return replace(self, items=items, content_hash=_hash_items(self.task, items), limit=limit)


def _hash_items(task: Task, items: list[Any]) -> str:
    if task == "summaries":
        return content_hash([item.id, item.text, item.references] for item in items)
    return content_hash([item.source, item.reference] for item in items)


DATASETS: Registry[Callable[[], EvalDataset]] = Registry("data set")


def load_eval_dataset(spec: str | Path, *, limit: int | None = None) -> EvalDataset:
    """A named data set, a JSONL file of articles with reference summaries, or a folder of news pages."""
    spec_text = str(spec)
    if spec_text in DATASETS:
        dataset = DATASETS.get(spec_text)()
    else:
        path = Path(spec_text).expanduser()
        if path.is_dir():
            dataset = load_page_folder(path)
        elif path.is_file():
            dataset = load_summary_jsonl(path)
        elif path.suffix or os.sep in spec_text:
            raise InputError(path, "no such file or folder")
        else:
            raise UnknownNameError("data set", spec_text, DATASETS.names())
    return dataset.head(limit)


# --- summarisation ---------------------------------------------------------------------------------
def _indosum(split: Literal["train", "test"]) -> EvalDataset:
    from idnews.corpora import INDOSUM_FILE, load_indosum

    rows = load_indosum(split)
    items = [
        SummaryItem(id=row["id"], text=row["text"], references=[list(row["summary_sentences"])]) for row in rows
    ]
    return EvalDataset(
        name=f"indosum-{split}",
        task="summaries",
        items=items,
        content_hash=_hash_items("summaries", items),
        split=split,
        origin=str(data_dir() / INDOSUM_FILE),
    )


DATASETS.register("indosum-test")(lambda: _indosum("test"))
DATASETS.register("indosum-train")(lambda: _indosum("train"))


@DATASETS.register("seeds-intinya")
def _seeds_intinya() -> EvalDataset:
    folder = seeds_dir()
    if not folder.is_dir():
        raise InputError(folder, "news pages not found; set IDNEWS_SEEDS to the folder of pages")
    return replace(load_page_folder(folder), name="seeds-intinya")


def load_page_folder(folder: Path) -> EvalDataset:
    """News pages (or article JSON files written by ``idnews clean``) in ``folder``; each article's own
    "Intinya sih..." bullets are its reference.

    Pages without bullets cannot be scored: they are skipped and counted (``skipped``)."""
    pages = sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)
    if not pages:
        raise InputError(folder, f"no news pages ({', '.join(PAGE_SUFFIXES)}) in this folder")
    items, skipped = [], 0
    for page in pages:
        article = _read_article(page)
        if not article.bullets:
            skipped += 1
            continue
        items.append(SummaryItem(id=page.name, text=article.text, references=[list(article.bullets)], article=article))
    return EvalDataset(
        name=Path(folder).name,
        task="summaries",
        items=items,
        content_hash=_hash_items("summaries", items),
        origin=str(folder),
        skipped=skipped,
        skipped_reason="no Intinya bullets" if skipped else None,
    )


def _read_article(path: Path) -> Any:
    from idnews.article import Article, load_article

    if path.suffix.lower() != ".json":
        return load_article(path)
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not an article JSON file ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("paragraphs"), list):
        raise InputError(path, "not an article JSON file (no 'paragraphs' list)")
    return Article.from_dict(data)


REFERENCE_FIELDS = ("summary_sentences", "bullets", "summary")


def load_summary_jsonl(path: Path) -> EvalDataset:
    """A JSONL file: ``text`` plus a reference in ``summary_sentences``, ``bullets`` or ``summary``
    (a string or a list of sentences; a list of such under ``refs`` for several references)."""
    items = []
    for line_no, row in jsonl_values(path, skip_blank=True):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise InputError(path, f"line {line_no}: each line must be an object with a 'text' string")
        items.append(SummaryItem(id=str(row.get("id", line_no)), text=row["text"], references=_references(row, path, line_no)))
    if not items:
        raise InputError(path, "no items (the file is empty)")
    return EvalDataset(
        name=Path(path).name, task="summaries", items=items, content_hash=_hash_items("summaries", items), origin=str(path)
    )


def _references(row: dict[str, Any], path: Path, line_no: int) -> list[Summary]:
    if "refs" in row:
        refs = row["refs"]
    else:
        field = next((f for f in REFERENCE_FIELDS if row.get(f)), None)
        if field is None:
            raise InputError(path, f"line {line_no}: no reference summary ({', '.join(REFERENCE_FIELDS)} or refs)")
        refs = [row[field]]
    if not isinstance(refs, list) or not refs:
        raise InputError(path, f"line {line_no}: 'refs' must be a non-empty list")
    for ref in refs:
        if not (isinstance(ref, str) or (isinstance(ref, list) and all(isinstance(s, str) for s in ref))):
            raise InputError(path, f"line {line_no}: a reference must be a string or a list of sentence strings")
    return refs


# --- translation -----------------------------------------------------------------------------------
MT_FILES: dict[str, tuple[str, str, str]] = {
    "flores200-dev": ("mt/flores200_dev/dev.ind_Latn", "mt/flores200_dev/dev.eng_Latn", "dev"),
    "flores200-devtest": ("mt/flores200_devtest/devtest.ind_Latn", "mt/flores200_devtest/devtest.eng_Latn", "devtest"),
    "tatoeba": ("mt/tatoeba/tatoeba-test-v2021-08-07.ind", "mt/tatoeba/tatoeba-test-v2021-08-07.eng", "test"),
    "tico19-test": ("mt/tico19/tico19-test.id", "mt/tico19/tico19-test.en", "test"),
    "nusax-test": ("mt/nusax_mt/nusax-mt.test.ind", "mt/nusax_mt/nusax-mt.test.eng", "test"),
}


def _read_lines(path: Path) -> list[str]:
    if not path.is_file():
        raise InputError(path, "data set file not found; set IDNEWS_DATA to the folder that holds mt/")
    import datasets

    return list(datasets.load_dataset("text", data_files=str(path), split="train")["text"])


def load_parallel(name: str) -> EvalDataset:
    """One of the Indonesian→English test sets in :data:`MT_FILES`."""
    source_file, reference_file, split = MT_FILES[name]
    root = data_dir()
    sources, references = _read_lines(root / source_file), _read_lines(root / reference_file)
    if len(sources) != len(references):
        raise InputError(root / source_file, f"{len(sources)} source lines but {len(references)} reference lines")
    items = [TranslationItem(id=str(i + 1), source=s, reference=r) for i, (s, r) in enumerate(zip(sources, references))]
    return EvalDataset(
        name=name,
        task="translation",
        items=items,
        content_hash=_hash_items("translation", items),
        split=split,
        origin=str(root / source_file),
    )


for _name in MT_FILES:
    DATASETS.register(_name)(lambda name=_name: load_parallel(name))
