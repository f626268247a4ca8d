"""``--engine ray``: a batch run whose per-file step runs in a pool of Ray replicas.

Each replica loads its models once from a :class:`~idnews.distributed.spec.ModelSpec` and runs
:meth:`BatchRunner.process <idnews.batch.runner.BatchRunner.process>` on ``files_per_task`` inputs at a time:
the skip check, the deterministic output names, the atomic renames and the resume keys (input hash + typed
signature) are those of a local run, so a retried task recomputes its files but never writes different or
duplicate ones. Replicas do not write the resume journal: they return its lines, and the driver, which alone
holds the output folder's lock, appends them, and also owns ``errors.jsonl``, the progress bar, the summary and
the clean-up of temporary files left by replicas that died.
"""
from __future__ import annotations

import io
import json
import logging
import math
import os
import socket
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from idnews.batch.discover import InputFile, shown
from idnews.batch.manifest import STATE_FOLDER, DeferredManifest, Manifest, exclusive
from idnews.batch.outputs import remove_stale_temporaries
from idnews.batch.pipeline import Models, Options
from idnews.batch.run import RunSettings, RunSummary, write_errors
from idnews.batch.runner import BatchRunner
from idnews.batch.stopping import StopRequested
from idnews.distributed.spec import ClusterSettings, ModelSpec, connect, require_ray

LISTING_FOLDER = "listing"


def encode_input(index: int, item: InputFile) -> str:
    """One input as ASCII text (file names that are not UTF-8 survive), with its place in the run."""
    def raw(path: Any) -> str | None:
        return None if path is None else os.fsencode(path).hex()

    return json.dumps([index, raw(item.path), raw(item.relative.as_posix()), raw(item.output.as_posix()),
                       raw(item.outside_target)])


def decode_input(text: str) -> tuple[int, InputFile]:
    index, path, relative, output, outside = json.loads(text)

    def name(value: str) -> str:
        return os.fsdecode(bytes.fromhex(value))

    return index, InputFile(
        path=Path(name(path)), relative=PurePosixPath(name(relative)), output=PurePosixPath(name(output)),
        outside_target=Path(name(outside)) if outside is not None else None,
    )


@dataclass(frozen=True)
class ReplicaSpec:
    """Everything a replica needs, picklable: its models as settings, the task and where outputs go."""

    models: ModelSpec
    options: Options
    out_dir: str
    fmt: str
    force: bool
    batch_sentences: int
    commit_rows: int
    cpus: float
    gpus: float
    log_events: bool


class FileReplica:
    """A Ray actor: loads the models once, then processes the inputs of each batch it is given."""

    def __init__(self, spec: ReplicaSpec) -> None:
        models = spec.models.load(cpus=spec.cpus, gpus=spec.gpus)
        out_dir = Path(spec.out_dir)
        self.log = io.StringIO() if spec.log_events else None
        settings = RunSettings(
            out_dir=out_dir, fmt=spec.fmt, force=spec.force, batch_sentences=spec.batch_sentences,
            progress=False, log_json=self.log, commit_rows=spec.commit_rows,
        )
        self.manifest = DeferredManifest(out_dir)
        self.runner = BatchRunner(models, spec.options, settings, manifest=self.manifest)
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.ready = time.time()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        decoded = [decode_input(str(text)) for text in batch["item"]]
        summary = self.runner.process([item for _, item in decoded])
        events: list[str] = []
        if self.log is not None:
            events = self.log.getvalue().splitlines()
            self.log.seek(0)
            self.log.truncate()
        result = {
            "first": min(index for index, _ in decoded),
            "files": len(decoded), "ok": summary.ok, "failed": summary.failed, "skipped": summary.skipped,
            "warnings": summary.warnings, "sentences": summary.sentences, "errors": summary.errors,
            "journal": self.manifest.take(), "events": events, "replica": self.name, "ready": self.ready,
        }
        return {"result": [json.dumps(result)]}


def _listing(ray: Any, inputs: Sequence[InputFile], out_dir: Path, cluster: ClusterSettings) -> Any:
    """The inputs as a Ray dataset of encoded rows: in memory, or as JSON-lines shards when there are many."""
    rows = (encode_input(index, item) for index, item in enumerate(inputs))
    if len(inputs) <= cluster.listing_shard_rows:
        blocks = max(1, min(len(inputs), math.ceil(len(inputs) / cluster.files_per_task)))
        return ray.data.from_items([{"item": row} for row in rows], override_num_blocks=blocks)
    folder = out_dir / STATE_FOLDER / LISTING_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    shards: list[str] = []
    handle: IO[str] | None = None
    for index, row in enumerate(rows):
        if index % cluster.listing_shard_rows == 0:
            if handle is not None:
                handle.close()
            shards.append(str(folder / f"part-{len(shards):05d}.jsonl"))
            handle = open(shards[-1], "w", encoding="ascii")
        handle.write(json.dumps({"item": row}) + "\n")  # type: ignore[union-attr]
    if handle is not None:
        handle.close()
    return ray.data.read_json(shards)


def _remove_listing(out_dir: Path) -> None:
    folder = out_dir / STATE_FOLDER / LISTING_FOLDER
    if folder.is_dir():
        for shard in folder.iterdir():
            shard.unlink(missing_ok=True)
        folder.rmdir()


def _results(ray: Any, inputs: Sequence[InputFile], spec: ReplicaSpec, cluster: ClusterSettings) -> Iterator[dict]:
    """Run the replicas over the inputs; yields each task's result as it finishes."""
    listing = _listing(ray, inputs, Path(spec.out_dir), cluster)
    tasks = math.ceil(len(inputs) / cluster.files_per_task)  # no more replicas than tasks to give them
    mapped = listing.map_batches(
        FileReplica, fn_constructor_args=(spec,), batch_size=cluster.files_per_task, batch_format="numpy",
        **cluster.map_arguments(ray, tasks),
    )
    with quiet_data(ray):
        for row in mapped.iter_rows():
            yield json.loads(row["result"])


@contextmanager
def quiet_data(ray: Any) -> Iterator[None]:
    """No Ray Data progress bars or start-up lines while idnews shows its own progress."""
    context = ray.data.DataContext.get_current()
    names = ("enable_progress_bars", "enable_operator_progress_bars", "print_on_execution_start")
    saved = {name: getattr(context, name) for name in names if hasattr(context, name)}
    logger = logging.getLogger("ray.data")
    level = logger.level
    for name in saved:
        setattr(context, name, False)
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(context, name, value)
        logger.setLevel(level)


def process_files(
    paths: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    task: str = "process",
    model: str | os.PathLike[str] | None = None,
    translator_options: dict[str, Any] | None = None,
    method: str = "auto",
    bullets: int = 3,
    lang: str = "id",
    fmt: str = "md",
    force: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    progress: bool = True,
    cluster: ClusterSettings = ClusterSettings(),
) -> RunSummary:
    """``idnews translate|summarize|process PATHS --out OUT --engine ray`` as a function: the same inputs,
    outputs, resume records, ``errors.jsonl`` and summary. ``translator_options`` are the flat keywords of
    :meth:`Translator.from_options <idnews.translation.Translator.from_options>` (``beam_size=1``, ...);
    ``task="process"`` without a translation model cleans and summarises only, as the command does."""
    from idnews.batch.discover import check_output_folder, discover
    from idnews.errors import ModelNotFoundError

    options = Options(task=task, bullets=bullets, summary_lang=lang)  # type: ignore[arg-type]
    out_dir = Path(out)
    check_output_folder(list(paths), out_dir)
    inputs = discover(list(paths), fmt, include=include, exclude=exclude)
    translator = {"model": None if model is None else str(model), **(translator_options or {})}
    wants_translator = task == "translate" or task == "process" or lang == "en"
    spec = ModelSpec(translator=translator if wants_translator else None,
                     summarizer=method if options.summarizes else None)
    try:
        models = spec.load()
    except ModelNotFoundError:
        if task != "process" or model is not None:
            raise
        spec = ModelSpec(summarizer=method)
        models = spec.load()
    settings = RunSettings(out_dir=out_dir, fmt=fmt, force=force, progress=progress)
    return run_files(inputs, models, spec, options, settings, cluster)


def run_files(
    inputs: Sequence[InputFile],
    models: Models,
    spec: ModelSpec,
    options: Options,
    settings: RunSettings,
    cluster: ClusterSettings = ClusterSettings(),
) -> RunSummary:
    """Run discovered ``inputs`` into ``settings.out_dir`` on Ray, with the outputs, resume records, ``errors.jsonl``
    and summary of a local :class:`~idnews.batch.runner.BatchRunner` run.

    ``models`` are loaded on the driver from ``spec`` (so that a model is converted to CTranslate2 once, before
    the replicas start, and bad settings fail before any work); the replicas load their own from ``spec``.
    Returns the summary, also when Ctrl-C or SIGTERM stopped the run (finished files are kept).
    """
    from tqdm import tqdm

    ray = require_ray()
    models.check(options)
    out_dir = settings.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    replica = ReplicaSpec(
        models=spec, options=options, out_dir=str(out_dir.resolve()), fmt=settings.fmt, force=settings.force,
        batch_sentences=settings.batch_sentences, commit_rows=settings.commit_rows,
        cpus=cluster.cpus_per_replica, gpus=cluster.gpus_per_replica, log_events=settings.log_json is not None,
    )
    summary = RunSummary(files=len(inputs))
    summary.links_outside = [
        {"path": shown(item.path), "target": shown(item.outside_target)} for item in inputs if item.outside_target
    ]
    errors: list[tuple[int, int, dict[str, Any]]] = []
    manifest = Manifest(out_dir)
    stop = StopRequested()
    with exclusive(out_dir):
        try:
            remove_stale_temporaries(out_dir)
            connected = connect(cluster)
            started, started_at = time.monotonic(), time.time()
            ready: dict[str, float] = {}
            try:
                with stop.installed(), tqdm(total=len(inputs), unit="file", disable=not settings.progress,
                                            file=sys.stderr, dynamic_ncols=True) as bar:
                    if inputs:
                        for result in _results(ray, inputs, replica, cluster):
                            manifest.apply(result["journal"])
                            ready[result["replica"]] = result["ready"]
                            for line in result["events"]:
                                _log(settings, line)
                            for field in ("ok", "failed", "skipped", "warnings", "sentences"):
                                setattr(summary, field, getattr(summary, field) + result[field])
                            errors.extend((result["first"], n, e) for n, e in enumerate(result["errors"]))
                            rate = summary.sentences / max(time.monotonic() - started, 1e-9)
                            bar.set_postfix_str(f"{summary.sentences} sentences, {rate:.1f} sentences/s, "
                                                f"{summary.failed} failed", refresh=False)
                            bar.update(result["files"])
                            if stop.requested:
                                break
            finally:
                summary.seconds = time.monotonic() - started
                if connected:
                    ray.shutdown()
            _remove_listing(out_dir)
            remove_stale_temporaries(out_dir)  # left by replicas that died mid-write
            summary.interrupted = stop.requested
            summary.stop_signal = stop.signal
            summary.errors = [error for _, _, error in sorted(errors, key=lambda e: (e[0], e[1]))]
            write_errors(out_dir, summary.errors)
            if ready:  # start-up: until the last replica seen had loaded its models (clocks of one cluster)
                _log(settings, json.dumps({"event": "replicas", "seen": len(ready),
                                           "ready_seconds": round(max(ready.values()) - started_at, 3)}))
            _log(settings, json.dumps({"event": "summary", **summary.to_dict()}, ensure_ascii=False))
            return summary
        finally:
            manifest.close()


def _log(settings: RunSettings, line: str) -> None:
    if settings.log_json is not None:
        settings.log_json.write(line + "\n")
        settings.log_json.flush()
