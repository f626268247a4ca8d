"""Loading a :class:`~idnews.evaluation.dataspec.DataSpec`: built-in sets, file pairs, tables, ``datasets``
folders written by ``save_to_disk``, cached Hugging Face datasets and folders of news pages.

Every loader gives an :class:`~idnews.evaluation.datasets.EvalDataset` whose content hash covers only the
items (sources, texts and references; for summaries also the ids), so the same items give the same hash
whatever form they came in.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from idnews.errors import InputError, UnknownNameError
from idnews.evaluation.datasets import (
    DATASETS,
    EvalDataset,
    SummaryItem,
    Task,
    TranslationItem,
    _hash_items,
    load_page_folder,
)
from idnews.evaluation.dataspec import DataSpec
from idnews.evaluation.io import read_segments
from idnews.evaluation.records import (
    TABLE_SUFFIXES,
    Row,
    check_columns,
    dataset_rows,
    row_id,
    summary_fields,
    table_rows,
    translation_fields,
)

SAVED_MARKERS = ("dataset_dict.json", "state.json")


def load_spec(spec: DataSpec, task: Task | None = None) -> EvalDataset:
    """Load what ``spec`` names (see :func:`idnews.evaluation.datasets.load_eval_dataset`)."""
    if spec.ref is None and spec.data in DATASETS:
        _refuse_options(spec, f"{spec.data} is a built-in data set")
        return replace(DATASETS.get(spec.data)(), spec=spec.data)
    if spec.hub_id() is not None:
        if spec.ref is not None:
            raise InputError(None, f"{spec.data} is a dataset, not the source file of a pair; leave out the reference file")
        dataset = load_hub(spec, task or "summaries")
    else:
        path = Path(spec.data).expanduser()
        if spec.ref is not None:
            _need_task(spec, task, "translation", "a file pair")
            dataset = load_pair(spec)
        elif path.is_dir() and any((path / marker).is_file() for marker in SAVED_MARKERS):
            dataset = load_saved(spec, task or "summaries")
        elif path.is_dir():
            _need_task(spec, task, "summaries", "a folder of news pages")
            _refuse_options(spec, f"{path} is a folder of news pages (their own bullets are the references)")
            dataset = load_page_folder(path)
        elif path.is_file():
            if spec.split is not None:
                raise InputError(path, "a file has no splits; leave out the split")
            dataset = load_table(spec, task or "summaries")
        elif path.suffix or os.sep in spec.data or "/" in spec.data:
            raise InputError(path, "no such file or folder")
        else:
            raise UnknownNameError("data set", spec.data, DATASETS.names())
    return replace(dataset, name=spec.label(), spec=str(spec))


def _refuse_options(spec: DataSpec, why: str) -> None:
    given = [name for name, value in (("split", spec.split), ("input field", spec.input_field),
                                      ("reference field", spec.reference_field)) if value is not None]
    if given:
        raise InputError(None, f"{why}; a {' and '.join(given)} cannot be chosen for it")


def _need_task(spec: DataSpec, task: Task | None, kind: Task, what: str) -> None:
    if task is not None and task != kind:
        raise InputError(spec.data, f"{what} is a {kind} data set, not one for {task}")


# --- file pairs ------------------------------------------------------------------------------------
def load_pair(spec: DataSpec) -> EvalDataset:
    """Line-aligned source and reference files: line *i* of one is the translation of line *i* of the other."""
    assert spec.ref is not None
    _refuse_options(spec, "a file pair is one segment a line")
    source_path, reference_path = Path(spec.data).expanduser(), Path(spec.ref).expanduser()
    if source_path.suffix.lower() in TABLE_SUFFIXES:
        raise InputError(source_path, "a table of items, not plain text; name its fields instead of giving a reference file")
    sources, references = read_segments(source_path), read_segments(reference_path)
    if len(sources) != len(references):
        shorter = reference_path if len(references) < len(sources) else source_path
        raise InputError(
            shorter,
            f"{min(len(sources), len(references))} lines, but {len(sources)} source and {len(references)} reference "
            f"lines were expected to match (line {min(len(sources), len(references)) + 1} has no partner)",
        )
    items = [
        TranslationItem(id=str(i + 1), source=s, references=(r,)) for i, (s, r) in enumerate(zip(sources, references))
    ]
    return _dataset(spec, "translation", items, origin=str(source_path))


# --- tables and datasets ---------------------------------------------------------------------------
def load_table(spec: DataSpec, task: Task) -> EvalDataset:
    """A JSONL, CSV or TSV file of items, read through the spec's field mapping."""
    path = Path(spec.data).expanduser()
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise InputError(
            path, f"not a table of items ({', '.join(TABLE_SUFFIXES)}); for a file pair give the reference file too"
        )
    return _dataset(spec, task, _items(table_rows(path), spec, task, path), origin=str(path))


def load_saved(spec: DataSpec, task: Task) -> EvalDataset:
    """A folder written by ``Dataset.save_to_disk`` or ``DatasetDict.save_to_disk``."""
    import datasets

    path = Path(spec.data).expanduser()
    split, folder = spec.split, path
    if (path / "dataset_dict.json").is_file():
        splits = sorted(_json(path / "dataset_dict.json").get("splits") or [])
        if split is None and len(splits) != 1:
            raise InputError(path, f"the dataset has splits {', '.join(splits)}; pick one with --split")
        split = split or splits[0]
        if split not in splits:
            raise InputError(path, f"no split {split!r} (splits: {', '.join(splits)})")
        folder = path / split
    elif split is not None:
        raise InputError(path, f"the saved dataset has no splits, so there is no split {split!r}")
    if not _json(folder / "state.json").get("_data_files"):
        raise InputError(folder, "no items (the data set is empty)")
    try:
        loaded = datasets.load_from_disk(str(folder))
    except (OSError, ValueError) as exc:
        raise InputError(folder, f"cannot read the saved dataset: {exc}") from None
    return _from_dataset(loaded, spec, task, path, split)


def _json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the saved dataset's metadata: {exc}") from None
    if not isinstance(value, dict):
        raise InputError(path, "the saved dataset's metadata is not a JSON object")
    return value


def load_hub(spec: DataSpec, task: Task) -> EvalDataset:
    """A Hugging Face dataset from the local ``datasets`` cache (never downloaded)."""
    from idnews.evaluation.hubcache import load_cached_split

    hub = spec.hub_id()
    assert hub is not None
    dataset, split, folder = load_cached_split(hub)
    return _from_dataset(dataset, spec, task, folder, split)


def _from_dataset(dataset: Any, spec: DataSpec, task: Task, origin: Path, split: str | None) -> EvalDataset:
    check_columns(dataset.column_names, (spec.input_field, spec.reference_field), origin)
    items = _items(dataset_rows(dataset), spec, task, origin)
    return replace(_dataset(spec, task, items, origin=str(origin)), split=split)


def _items(rows: Iterable[Row], spec: DataSpec, task: Task, origin: Path) -> list[Any]:
    items: list[Any] = []
    for number, (where, row) in enumerate(rows, start=1):
        if task == "summaries":
            text, references = summary_fields(row, spec.input_field, spec.reference_field, where, origin)
            items.append(SummaryItem(id=row_id(row, number), text=text, references=references))
        else:
            source, refs = translation_fields(row, spec.input_field, spec.reference_field, where, origin)
            if items and len(refs) != len(items[0].references):
                raise InputError(
                    origin, f"{where}: {len(refs)} reference(s), but the first item has {len(items[0].references)}"
                )
            items.append(TranslationItem(id=row_id(row, number), source=source, references=refs))
    return items


def _dataset(spec: DataSpec, task: Task, items: list[Any], *, origin: str) -> EvalDataset:
    if not items:
        raise InputError(origin, "no items (the data set is empty)")
    return EvalDataset(
        name=spec.label(), task=task, items=items, content_hash=_hash_items(task, items), spec=str(spec), origin=origin
    )
