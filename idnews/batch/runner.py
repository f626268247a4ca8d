"""Running a batch: resume checks, cross-file sentence batching, writing, progress, summary and Ctrl-C.

Files are read one at a time; their records' sentences join a queue that is translated in batches of about
``batch_sentences``; each record is written as soon as its last sentence is done, so memory holds one batch
plus the records it touches, whatever the number of files. A JSON-lines file commits its progress every
``commit_rows`` rows (:mod:`idnews.batch.progress`), so a killed run resumes inside it.

Outputs are renamed into place atomically as they are finished, and synced to disk together once per
``SYNC_EVERY`` files and at the end of the run, not one by one: an fsync per small file cost most of a run's time.
Only regular files are read; a named pipe or a device is refused with its reason instead of blocking the run.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from idnews.batch.discover import InputFile, shown
from idnews.batch.manifest import STATE_FOLDER, Manifest, exclusive, resume_key
from idnews.batch.outputs import (
    RENDERERS,
    atomic_write,
    remove_stale_temporaries,
    render_jsonl_line,
    sync_to_disk,
)
from idnews.batch.pipeline import Models, Options, Plan, finish_record, plan_record, translate_sentences
from idnews.batch.progress import PartialOutput
from idnews.batch.run import ERRORS_FILE, RunSettings, RunSummary, write_errors
from idnews.batch.records import Record, read_records
from idnews.batch.stopping import StopRequested
from idnews.decode import not_regular_file
from idnews.errors import IdnewsError, InputError
from idnews.fingerprint import file_sha256

#: Finished outputs between two syncs to disk. Unsynced outputs are safe against a killed process; a power cut
#: only costs redoing them (their recorded hashes no longer match), and the kernel writes them back meanwhile.
SYNC_EVERY = 10_000


@dataclass
class _FileJob:
    """One input file on its way through the queue."""

    input: InputFile
    input_sha256: str
    key: str
    started: float
    pending: int = 0
    reading: bool = True
    records: int = 0
    failed_records: int = 0
    warnings: int = 0
    sentences: int = 0
    jsonl: PartialOutput | None = None
    result: dict[str, Any] | None = None
    dropped: bool = False
    resumed_after_line: int = 0


@dataclass
class _Entry:
    job: _FileJob
    plan: Plan
    segments: list[Any] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return len(self.plan.sentences) - len(self.segments)


class BatchRunner:
    """Processes input files into ``settings.out_dir`` with loaded ``models``; see :meth:`run`."""

    def __init__(
        self, models: Models, options: Options, settings: RunSettings, *, manifest: Manifest | None = None
    ) -> None:
        models.check(options)
        self.models = models
        self.options = options
        self.settings = settings
        self.signature = models.signature(options, fmt=settings.fmt)
        self._signature_dict = self.signature.to_dict()  # once, not per file
        self.manifest = manifest if manifest is not None else Manifest(settings.out_dir)
        self.summary = RunSummary()
        self._queue: deque[_Entry] = deque()
        self._queued_sentences = 0
        self._stop = StopRequested()
        self._bar: Any = None
        self._started = 0.0
        self._open_jsonl: list[_FileJob] = []
        self._unsynced: list[Path] = []

    def run(self, inputs: Sequence[InputFile]) -> RunSummary:
        """Process every input not already done; returns the summary (also on Ctrl-C)."""
        self.settings.out_dir.mkdir(parents=True, exist_ok=True)
        with exclusive(self.settings.out_dir):
            try:
                return self._run(inputs)
            finally:
                self.manifest.close()

    def _run(self, inputs: Sequence[InputFile]) -> RunSummary:
        from tqdm import tqdm

        remove_stale_temporaries(self.settings.out_dir)
        with self._stop.installed(), tqdm(
            total=len(inputs), unit="file", disable=not self.settings.progress, file=sys.stderr, dynamic_ncols=True
        ) as self._bar:
            self.process(inputs)
        self._write_errors()
        self._log({"event": "summary", **self.summary.to_dict(), **self._engine_layout()})
        return self.summary

    def process(self, inputs: Sequence[InputFile]) -> RunSummary:
        """The per-file step of a run, without its run-level work: skip the inputs that are done, process the
        others (sentences batched across them), write their outputs atomically under their deterministic names,
        and record them in ``self.manifest``; returns this call's summary, errors included.

        :meth:`run` wraps it in the output folder's lock, the clean-up of stale temporaries, the progress bar,
        Ctrl-C handling and ``errors.jsonl``; a distributed worker calls it for its share of the inputs while
        its driver does that run-level work (see :mod:`idnews.distributed`).
        """
        self.summary = RunSummary(files=len(inputs))
        self.summary.links_outside = [
            {"path": shown(item.path), "target": shown(item.outside_target)} for item in inputs if item.outside_target
        ]
        self._started = time.monotonic()
        try:
            for item in inputs:
                if self._stop.requested:
                    break
                self._start_file(item)
            while self._queue and not self._stop.requested:
                self._translate_next_batch()
            self._flush_ready()
        finally:
            for job in self._open_jsonl:  # interrupted: keep the rows written, for the next run to go on from
                if job.jsonl is not None:
                    job.jsonl.suspend()
            self._open_jsonl.clear()
            self._queue.clear()
            self._queued_sentences = 0
            sync_to_disk(self._unsynced)
            self._unsynced.clear()
        self.summary.interrupted = self._stop.requested
        self.summary.stop_signal = self._stop.signal
        self.summary.seconds = time.monotonic() - self._started
        return self.summary

    def _engine_layout(self) -> dict[str, Any]:
        """How the translator ran (threads, batch budget and where they came from): run metadata, not part of
        the output signature (it changes no word in float32; in int8 a sentence's padded length can, rarely,
        flip a near-tie)."""
        if self.models.translator is None:
            return {}
        calibration = self.models.translator.calibration
        return {"translator_layout": {**asdict(calibration.config), "source": calibration.source}}

    # reading

    def _start_file(self, item: InputFile) -> None:
        started = time.monotonic()
        if item.output == PurePosixPath(ERRORS_FILE):
            self._fail_file(item, started, f"its output would replace {ERRORS_FILE}, the list of failed inputs; "
                                           "rename the file or move it into a folder")
            return
        try:
            problem = not_regular_file(os.stat(item.path).st_mode)  # before opening: a named pipe would block
            input_sha256 = file_sha256(item.path) if problem is None else ""
        except OSError as exc:
            problem = _os_reason(exc)
        if problem is not None:
            self._fail_file(item, started, problem)
            return
        key = resume_key(input_sha256, self.signature)
        if not self.settings.force and self.manifest.is_done(item.output, key):
            self.summary.skipped += 1
            self._log({"event": "file", "path": shown(item.path), "status": "skipped"})
            self._advance()
            return
        self.manifest.forget(item.output)
        job = _FileJob(item, input_sha256, key, started)
        start = (0, 0)
        try:
            if item.is_jsonl:
                start = self._open_jsonl_output(job)
            for record in read_records(item.path, shown(item.relative.as_posix()), start=start):
                if self._stop.requested:
                    return  # the job stays unfinished; its queued records are dropped at the end
                self._enqueue(job, record)
                while self._queued_sentences >= self.settings.batch_sentences and not self._stop.requested:
                    self._translate_next_batch()
                if job.dropped:
                    return  # its output could not be written; already counted as failed
        except (InputError, OSError) as exc:
            self._drop_job(job)
            self._fail_file(item, started, exc.problem if isinstance(exc, InputError) else _os_reason(exc))
            return
        job.reading = False
        if job.records == 0:
            self._fail_file(item, started, "file is empty (no JSON lines)")
        elif job.pending == 0:
            self._finish_file(job)

    def _open_jsonl_output(self, job: _FileJob) -> tuple[int, int]:
        """Open the partial output of a JSON-lines job, resuming where a killed run committed; returns the
        (byte offset, line number) to read the input after."""
        job.jsonl = PartialOutput(self.settings.out_dir, job.input.output, job.key, state_folder=STATE_FOLDER)
        self._open_jsonl.append(job)
        progress = job.jsonl.open(resume=not self.settings.force)
        job.records, job.failed_records = progress.records, progress.failed_records
        job.warnings, job.sentences = progress.warnings, progress.sentences
        job.resumed_after_line = progress.line
        if progress.failed_records:
            for line, reason in job.jsonl.failed_rows():
                self._record_error(job.input.path, reason, line=line)
        return progress.input_offset, progress.line

    def _enqueue(self, job: _FileJob, record: Record) -> None:
        plan = plan_record(record, self.models, self.options)
        job.pending += 1
        job.records += 1
        self._queue.append(_Entry(job, plan))
        self._queued_sentences += len(plan.sentences)
        self._flush_ready()

    # translating

    def _translate_next_batch(self) -> None:
        budget = self.settings.batch_sentences
        taken: list[tuple[_Entry, int]] = []
        sentences: list[str] = []
        for entry in self._queue:
            if len(sentences) >= budget:
                break
            start = len(entry.segments)
            count = min(entry.remaining, budget - len(sentences))
            if count:
                taken.append((entry, count))
                sentences.extend(entry.plan.sentences[start : start + count])
        try:
            segments = translate_sentences(self.models, sentences)
        except IdnewsError as exc:
            for entry, _ in taken:
                entry.plan.problem = f"translation failed: {exc}"
                entry.segments = [None] * len(entry.plan.sentences)
            segments = []
        position = 0
        for entry, count in taken:
            if entry.plan.problem is None:
                entry.segments.extend(segments[position : position + count])
            position += count
        self._queued_sentences -= len(sentences)
        self.summary.sentences += len(sentences)
        self._flush_ready()

    def _flush_ready(self) -> None:
        while self._queue and self._queue[0].remaining == 0:
            entry = self._queue.popleft()
            record = finish_record(entry.plan, entry.segments, self.signature, self.options)
            self._deliver(entry.job, record, entry.plan.record)

    # writing

    def _deliver(self, job: _FileJob, record: dict[str, Any], source: Record) -> None:
        job.pending -= 1
        if job.jsonl is not None:
            try:
                data = render_jsonl_line(record).encode("utf-8")
            except (UnicodeError, ValueError) as exc:  # not writable as UTF-8 JSON: the row fails, not the run
                record = {"source": record["source"], "error": f"cannot be written as JSON ({exc})"}
                data = render_jsonl_line(record).encode("utf-8")
        if "error" in record:
            job.failed_records += 1
            self._record_error(job.input.path, record["error"], line=source.line)
        else:
            job.warnings += record["warnings"]
            job.sentences += _sentence_count(record)
        if job.jsonl is not None:
            try:
                job.jsonl.write(data, offset=source.end_offset or 0, line=source.line or 0)
                progress = job.jsonl.progress
                progress.records, progress.failed_records = job.records - job.pending, job.failed_records
                progress.warnings, progress.sentences = job.warnings, job.sentences
                if job.jsonl.uncommitted >= self.settings.commit_rows:
                    job.jsonl.commit()
            except OSError as exc:
                self._drop_job(job)
                target = self.settings.out_dir / job.input.output
                self._fail_file(job.input, job.started, f"cannot write {shown(target)}: {_os_reason(exc)}")
                return
        else:
            job.result = record
        if job.pending == 0 and not job.reading:
            self._finish_file(job)

    def _finish_file(self, job: _FileJob) -> None:
        target = self.settings.out_dir / job.input.output
        output_sha256 = None
        try:
            if job.jsonl is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                output_sha256 = job.jsonl.finish()
            elif job.result is not None and "error" not in job.result:
                data = RENDERERS[self.settings.fmt](job.result).encode("utf-8", "backslashreplace")
                output_sha256 = atomic_write(target, data, durable=False)
        except OSError as exc:
            if job.jsonl is not None:
                job.jsonl.discard()
            self._record_error(job.input.path, f"cannot write {shown(target)}: {_os_reason(exc)}")
        if job.jsonl is not None:
            self._open_jsonl.remove(job)
            job.jsonl = None
        if output_sha256 is not None:
            self._unsynced.append(target)
            if len(self._unsynced) >= SYNC_EVERY:
                sync_to_disk(self._unsynced)
                self._unsynced.clear()
        failed = job.failed_records > 0 or output_sha256 is None
        if not failed and output_sha256 is not None:
            self.manifest.mark_done(
                job.input.output, job.key, input_sha256=job.input_sha256, signature=self._signature_dict,
                output_sha256=output_sha256,
            )
        if failed:
            self.summary.failed += 1
        else:
            self.summary.ok += 1
        self.summary.warnings += job.warnings
        self._log({
            "event": "file", "path": shown(job.input.path), "status": "failed" if failed else "ok",
            "output": shown(job.input.output.as_posix()) if output_sha256 else None, "records": job.records,
            "failed_records": job.failed_records, "sentences": job.sentences, "warnings": job.warnings,
            "seconds": round(time.monotonic() - job.started, 3),
            **({"resumed_after_line": job.resumed_after_line} if job.resumed_after_line else {}),
        })
        self._advance()

    def _fail_file(self, item: InputFile, started: float, reason: str) -> None:
        self._record_error(item.path, reason)
        self.summary.failed += 1
        self._log({"event": "file", "path": shown(item.path), "status": "failed", "reason": reason,
                   "seconds": round(time.monotonic() - started, 3)})
        self._advance()

    def _drop_job(self, job: _FileJob) -> None:
        job.dropped = True
        kept = deque(entry for entry in self._queue if entry.job is not job)
        self._queued_sentences -= sum(entry.remaining for entry in self._queue if entry.job is job)
        self._queue = kept
        if job.jsonl is not None:
            job.jsonl.discard()
            self._open_jsonl.remove(job)
            job.jsonl = None

    def _record_error(self, path: Path, reason: str, *, line: int | None = None) -> None:
        error: dict[str, Any] = {"path": shown(path)}
        if line is not None:
            error["line"] = line
        error["reason"] = reason
        self.summary.errors.append(error)

    def _write_errors(self) -> None:
        write_errors(self.settings.out_dir, self.summary.errors)

    # reporting

    def _advance(self) -> None:
        if self._bar is None:
            return
        if self.summary.sentences:
            rate = self.summary.sentences / max(time.monotonic() - self._started, 1e-9)
            self._bar.set_postfix_str(f"{self.summary.sentences} sentences, {rate:.1f} sentences/s", refresh=False)
        self._bar.update(1)

    def _log(self, event: dict[str, Any]) -> None:
        if self.settings.log_json is not None:
            line = json.dumps(event, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")
            self.settings.log_json.write(line + "\n")
            self.settings.log_json.flush()


def _sentence_count(record: dict[str, Any]) -> int:
    translation = record.get("translation")
    if translation is None:
        return 0
    head = 1 if translation["title"] else 0
    return head + len(translation["bullets"]) + sum(len(p) for p in translation["paragraphs"])


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    return exc.strerror or str(exc)
