"""Eval suites: a declarative YAML/JSON file names data sets and tasks; :func:`run_suite` runs them all.

Suite file::

    name: default
    seed: 12345          # bootstrap seed
    bootstrap: 1000      # resamples for intervals and paired tests
    tasks:
      - task: summaries
        data: [indosum-test, seeds-intinya]
        methods: [lead, textrank, learned, oracle]
        baseline: lead   # paired bootstrap of every other method against this one
        n: 3             # bullets, or auto: as many as each method chooses
      - task: translation
        data: [flores200-devtest]
        models: registry # every model card of the translation registry, or a list of names/folders
        options: {beam_size: 4, backend: auto}  # optional: Translator settings
        limit: 200       # optional: first N items

A ``data`` entry is a data spec string (a built-in name, ``pair:SRC,REF``, a file or folder path, or
``hf:OWNER/NAME[:CONFIG][@SPLIT]``) or a mapping in the spirit of lm-evaluation-harness task files::

      - path: mine/berita-saved        # any spec string
        split: test                    # a split of a datasets dataset
        text_field: isi                # (or source_field) the input field
        reference_field: ringkasan     # the reference field
      - {path: mine/berita.id, ref: mine/berita.en}   # a line-aligned file pair

Relative paths are taken from the suite file's folder. A built-in or cached hub data set or a model that is not
available gives a "skipped" row with the reason; files of your own that cannot be read give "error" rows.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from idnews import __version__
from idnews.errors import IdnewsError, InputError
from idnews.evaluation.bootstrap import DEFAULT_SAMPLES, DEFAULT_SEED
from idnews.evaluation.dataspec import DataSpec
from idnews.evaluation.io import file_hash, write_jsonl
from idnews.evaluation.results import EvalResult, compare

TASKS = ("summaries", "translation")


@dataclass(frozen=True)
class TaskSpec:
    """One task block of a suite: every system on every data set."""

    task: str
    data: list[DataSpec]
    systems: list[str]
    baseline: str | None = None
    n: int | None = 3
    limit: int | None = None
    stem: bool = False
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Suite:
    name: str
    path: Path
    tasks: list[TaskSpec]
    seed: int = DEFAULT_SEED
    bootstrap: int = DEFAULT_SAMPLES


@dataclass
class SuiteRun:
    suite: Suite
    results: list[EvalResult] = field(default_factory=list)
    seconds: float = 0.0
    limit: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite.name,
            "suite_file": self.suite.path.name,
            "suite_hash": file_hash(self.suite.path),
            "idnews": __version__,
            "seed": self.suite.seed,
            "bootstrap": self.suite.bootstrap,
            "limit": self.limit,
            "seconds": round(self.seconds, 1),
            "results": [r.to_dict(item_scores=True) for r in self.results],
        }


def _as_list(value: Any, key: str, path: Path) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise InputError(path, f"{key!r} must be a name or a non-empty list of names")


def _positive_int(value: Any, key: str, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(path, f"{key!r} must be a whole number >= 0, not {value!r}")
    return value


def load_suite(path: str | Path) -> Suite:
    """Read and check a suite file (``.yaml``/``.yml`` or ``.json``); a folder means its ``default.yaml``."""
    path = Path(path)
    if path.is_dir():
        path = path / "default.yaml"
    if not path.is_file() and path.with_suffix(".yaml").is_file():
        path = path.with_suffix(".yaml")
    if not path.is_file():
        raise InputError(path, "suite file not found")
    text = path.read_text(encoding="utf-8")
    import yaml  # PyYAML comes with the datasets library

    try:
        spec = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise InputError(path, f"cannot parse the suite: {exc}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("tasks"), list) or not spec["tasks"]:
        raise InputError(path, "a suite needs a non-empty 'tasks' list")
    tasks = []
    for number, block in enumerate(spec["tasks"], start=1):
        if not isinstance(block, dict) or block.get("task") not in TASKS:
            raise InputError(path, f"task {number}: 'task' must be one of {', '.join(TASKS)}")
        unknown = set(block) - {"task", "data", "methods", "models", "baseline", "n", "limit", "stem", "options"}
        if unknown:
            raise InputError(path, f"task {number}: unknown key(s) {', '.join(sorted(unknown))}")
        systems_key = "methods" if block["task"] == "summaries" else "models"
        if systems_key not in block:
            raise InputError(path, f"task {number}: a {block['task']} task needs {systems_key!r}")
        systems = block[systems_key]
        if systems == "registry" and systems_key == "models":
            systems = registry_models()
        baseline = block.get("baseline")
        if baseline is not None and (not isinstance(systems, list) or baseline not in systems):
            raise InputError(path, f"task {number}: baseline {baseline!r} is not one of its {systems_key}")
        tasks.append(
            TaskSpec(
                task=block["task"],
                data=_data_specs(block.get("data"), number, path),
                systems=_as_list(systems, systems_key, path) if systems else [],
                baseline=baseline,
                n=None if block.get("n") == "auto" else _positive_int(block.get("n", 3), "n", path),
                limit=_positive_int(block["limit"], "limit", path) if block.get("limit") is not None else None,
                stem=bool(block.get("stem", False)),
                options=_options(block.get("options"), number, path),
            )
        )
    return Suite(
        name=str(spec.get("name", path.stem)),
        path=path,
        tasks=tasks,
        seed=_positive_int(spec.get("seed", DEFAULT_SEED), "seed", path),
        bootstrap=_positive_int(spec.get("bootstrap", DEFAULT_SAMPLES), "bootstrap", path),
    )


DATA_KEYS = {"path", "ref", "split", "text_field", "source_field", "reference_field"}


def _data_specs(value: Any, number: int, path: Path) -> list[DataSpec]:
    from idnews.evaluation.datasets import DATASETS

    entries = value if isinstance(value, list) else [value]
    if not entries or value is None:
        raise InputError(path, f"task {number}: 'data' must be a data spec or a non-empty list of them")
    specs = []
    for entry in entries:
        if isinstance(entry, str):
            spec = DataSpec.parse(entry)
        elif isinstance(entry, dict):
            unknown = set(entry) - DATA_KEYS
            if unknown or not isinstance(entry.get("path"), str) or not all(isinstance(v, str) for v in entry.values()):
                raise InputError(
                    path, f"task {number}: a data mapping needs a 'path' and takes only {', '.join(sorted(DATA_KEYS))} (strings)"
                )
            if "text_field" in entry and "source_field" in entry:
                raise InputError(path, f"task {number}: give text_field or source_field, not both")
            spec = DataSpec.parse(
                entry["path"],
                ref=entry.get("ref"),
                split=entry.get("split"),
                input_field=entry.get("text_field", entry.get("source_field")),
                reference_field=entry.get("reference_field"),
            )
        else:
            raise InputError(path, f"task {number}: a data entry must be a spec string or a mapping, not {entry!r}")
        specs.append(spec.relative_to(path.parent, set(DATASETS.names())))
    return specs


def _options(value: Any, number: int, path: Path) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise InputError(path, f"task {number}: 'options' must be a mapping of translator settings")
    return dict(value)


def registry_models() -> list[str]:
    """Names of every translation model card idnews knows."""
    from idnews.translation.models import load_cards

    return sorted(load_cards())


def run_suite(suite: Suite, *, limit: int | None = None, progress: Callable[[str], None] | None = None) -> SuiteRun:
    """Run every task of ``suite``; ``limit`` caps the items of every data set (quick runs)."""
    from idnews.evaluation.datasets import load_eval_dataset
    from idnews.evaluation.tasks import (
        evaluate_summaries,
        evaluate_translation,
        summary_metrics,
        translation_metrics,
    )

    run = SuiteRun(suite=suite, limit=limit)
    started = time.perf_counter()
    for spec in suite.tasks:
        limits = [x for x in (spec.limit, limit) if x is not None]
        task_limit = min(limits) if limits else None
        if spec.task == "summaries":
            metrics = summary_metrics(n_bootstrap=suite.bootstrap, seed=suite.seed, stem=spec.stem)
        else:
            metrics = translation_metrics(n_bootstrap=suite.bootstrap, seed=suite.seed)
        for data_spec in spec.data:
            data = data_spec.label()
            try:
                dataset = load_eval_dataset(data_spec, task=spec.task, limit=task_limit)  # type: ignore[arg-type]
            except (IdnewsError, ImportError) as exc:
                if _is_local_data(data_spec):  # the user's own files: bad input is an error, not a skip
                    run.results.extend(EvalResult.failed(spec.task, data, s, f"cannot read the data set: {exc}") for s in spec.systems)
                else:
                    run.results.extend(EvalResult.skipped(spec.task, data, s, f"data set not available: {exc}") for s in spec.systems)
                continue
            if dataset.task != spec.task:
                raise InputError(suite.path, f"{data} is a {dataset.task} data set, not one for a {spec.task} task")
            rows: list[EvalResult] = []
            for system in spec.systems:
                if progress is not None:
                    progress(f"{spec.task}: {system} on {data} ({len(dataset.items)} items, hash {dataset.content_hash})")
                if spec.task == "summaries":
                    rows.append(evaluate_summaries(dataset, system, n=spec.n, metrics=metrics))
                else:
                    rows.append(evaluate_translation(dataset, system, metrics=metrics, translator_options=spec.options))
            for row in rows:
                row.describe_data(dataset)
            _compare_with_baseline(rows, spec.baseline, metrics)
            run.results.extend(rows)
    run.seconds = time.perf_counter() - started
    return run


def _is_local_data(spec: DataSpec) -> bool:
    """Whether ``spec`` names the user's own files (not a built-in set or a cached hub dataset)."""
    from idnews.evaluation.datasets import DATASETS

    return spec.ref is not None or (spec.hub_id() is None and spec.data not in DATASETS)


def _compare_with_baseline(rows: list[EvalResult], baseline: str | None, metrics: list[Any]) -> None:
    if baseline is None or len(rows) < 2:
        return
    base = next((r for r in rows if r.system == baseline and r.status == "ok"), None)
    if base is None:
        return
    for row in rows:
        if row is not base and row.status == "ok" and row.n > 0:
            compare(base, row, metrics)


def write_outputs(run: SuiteRun, out: Path) -> list[Path]:
    """Write ``results.json`` and the system outputs (``outputs/``) so every score can be recomputed with
    ``idnews eval rouge``/``idnews eval bleu``; returns the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "results.json"]
    (out / "results.json").write_text(json.dumps(run.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    outputs = out / "outputs"
    outputs.mkdir(exist_ok=True)
    for result in run.results:
        if result.status != "ok":
            continue
        data = _safe(result.data)
        stem = f"{data}.{_safe(result.system)}"
        if result.task == "summaries":
            write_jsonl(outputs / f"{stem}.hyp.jsonl", result.hypotheses)
            write_jsonl(outputs / f"{data}.ref.jsonl", ({"refs": refs} for refs in result.references))
            written.append(outputs / f"{stem}.hyp.jsonl")
        else:
            (outputs / f"{stem}.hyp.txt").write_text("".join(h + "\n" for h in result.hypotheses), encoding="utf-8")
            for k in range(len(result.references[0]) if result.references else 0):
                suffix = "" if k == 0 else f".{k + 1}"
                (outputs / f"{data}.ref{suffix}.txt").write_text(
                    "".join(refs[k] + "\n" for refs in result.references), encoding="utf-8"
                )
            written.append(outputs / f"{stem}.hyp.txt")
    return written


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_+" else "-" for c in name).strip("-") or "system"


REPORT_FILES = {"results.json", "report.md", "report.html"}
REPORT_FOLDERS = {"outputs": (".jsonl", ".txt"), "plots": (".png",)}


def check_output_folder(out: Path) -> None:
    """Refuse to write into a folder that holds anything but an earlier report (never clobber user files)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(out, "exists and is not a folder")
    foreign = sorted(
        str(p.relative_to(out))
        for p in out.iterdir()
        if not (p.is_file() and p.name in REPORT_FILES)
        and not (p.is_dir() and p.name in REPORT_FOLDERS and _only_report_files(p, REPORT_FOLDERS[p.name]))
    )
    if foreign:
        raise InputError(out, f"folder holds other files ({', '.join(foreign[:3])}); pick an empty or new folder")


def _only_report_files(folder: Path, suffixes: tuple[str, ...]) -> bool:
    return all(p.is_file() and p.suffix in suffixes for p in folder.iterdir())


def clear_earlier_report(out: Path) -> None:
    """Remove an earlier report's files (checked by :func:`check_output_folder`) so none is left stale."""
    for name in REPORT_FILES:
        (out / name).unlink(missing_ok=True)
    for folder in REPORT_FOLDERS:
        if (out / folder).is_dir():
            for path in (out / folder).iterdir():
                path.unlink()
