"""Evaluation data sets: the built-in ones, read from local files with the ``datasets`` library (nothing is
downloaded), and :func:`load_eval_dataset` for any data spec (see :mod:`idnews.evaluation.dataspec`).

Summarisation: ``indosum-test``/``indosum-train`` (the canonical IndoSum split), ``detik-dev`` (Detik 2025
pages as scraped, with abstractive references of 25–60 words), ``seeds-intinya`` (news pages whose
"Intinya sih..." bullets are the reference). Translation (Indonesian→English): ``flores200-dev``,
``flores200-devtest``, ``tatoeba``, ``tico19-test``, ``nusax-test``. Files live under ``data/`` of the shared
folder (``$IDNEWS_SHARED``, see :func:`idnews.paths.shared_dir`); the pages of ``seeds-intinya`` under its ``seeds/``.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from idnews.errors import InputError
from idnews.evaluation.dataspec import DataSpec
from idnews.evaluation.io import Summary, content_hash, read_text
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
    """One Indonesian source segment and its English reference(s)."""

    id: str
    source: str
    references: tuple[str, ...]

    @property
    def reference(self) -> str:
        """The first reference."""
        return self.references[0]


@dataclass(frozen=True)
class EvalDataset:
    """A loaded data set; ``content_hash`` covers exactly the items held (after any limit)."""

    name: str
    task: Task
    items: list[Any]
    content_hash: str
    spec: str | None = None
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
    return content_hash([item.source, *item.references] for item in items)


DATASETS: Registry[Callable[[], EvalDataset]] = Registry("data set")


def load_eval_dataset(spec: str | Path | DataSpec, *, task: Task | None = None, limit: int | None = None) -> EvalDataset:
    """The data set a spec names: a built-in name, a file pair, a JSONL/CSV/TSV file, a ``datasets`` folder,
    a ``hf:`` id from the local cache, or a folder of news pages; only the first ``limit`` items when given.

    ``task`` says how to read tables and ``datasets`` datasets (default: summaries); a file pair is always
    translation, news pages are always summaries, and built-in sets have their own task.
    """
    from idnews.evaluation.sources import load_spec

    if not isinstance(spec, DataSpec):
        spec = DataSpec.parse(str(spec))
    return load_spec(spec, task).head(limit)


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


@DATASETS.register("detik-dev")
def _detik_dev() -> EvalDataset:
    """The Detik 2025 dev split: each page read by the reader (with its title), the abstractive summary as
    the reference."""
    from idnews.article import Article
    from idnews.corpora import DETIK_DEV_FILE, load_detik_dev

    items = []
    for row in load_detik_dev():
        article = Article.from_text(row["text"])
        article.title = article.title or row.get("title")
        items.append(SummaryItem(id=row["id"], text=row["text"], references=[row["summary"]], article=article))
    return EvalDataset(
        name="detik-dev",
        task="summaries",
        items=items,
        content_hash=_hash_items("summaries", items),
        split="dev",
        origin=str(data_dir() / DETIK_DEV_FILE),
    )


@DATASETS.register("seeds-intinya")
def _seeds_intinya() -> EvalDataset:
    folder = seeds_dir()
    if not folder.is_dir():
        raise InputError(folder, "news pages not found; set IDNEWS_SHARED to the folder holding seeds/")
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


def load_summary_jsonl(path: Path) -> EvalDataset:
    """A JSONL file of articles (``text``) with reference summaries (see :mod:`idnews.evaluation.records`)."""
    from idnews.evaluation.sources import load_table

    return load_table(DataSpec(str(path)), "summaries")


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
        raise InputError(path, "data set file not found; set IDNEWS_SHARED to the folder holding data/mt/")
    import datasets

    return list(datasets.load_dataset("text", data_files=str(path), split="train")["text"])


def load_parallel(name: str) -> EvalDataset:
    """One of the Indonesian→English test sets in :data:`MT_FILES`."""
    source_file, reference_file, split = MT_FILES[name]
    root = data_dir()
    sources, references = _read_lines(root / source_file), _read_lines(root / reference_file)
    if len(sources) != len(references):
        raise InputError(root / source_file, f"{len(sources)} source lines but {len(references)} reference lines")
    items = [TranslationItem(id=str(i + 1), source=s, references=(r,)) for i, (s, r) in enumerate(zip(sources, references))]
    return EvalDataset(
        name=name,
        task="translation",
        items=items,
        content_hash=_hash_items("translation", items),
        split=split,
        origin=str(root / source_file),
    )


def _parallel_loader(name: str) -> Callable[[], EvalDataset]:
    """The loader of test set ``name``: each its own closure, not one over the loop variable."""
    return lambda: load_parallel(name)


for _name in MT_FILES:
    DATASETS.register(_name)(_parallel_loader(_name))
