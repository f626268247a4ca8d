"""Resumable JSON-lines outputs: rows go to a partial file whose progress is committed every so many rows.

A JSON-lines input can hold a million rows, so its output is not one all-or-nothing unit. Rows are appended to
``OUT/.idnews/partial/<id>.jsonl``; at every commit the file is flushed and a small progress record
(``<id>.json``) notes how far input and output have got, with the hash of the output so far. A run killed at
any point resumes from the last commit: the partial output is cut back to the committed length (after its
hash is checked) and reading continues after the last committed input line, so the finished output is
byte-identical to that of an uninterrupted run. When the last row is written the partial file is renamed onto
the output. Nothing is synced here: a partial output damaged by a power cut fails its hash check and is redone.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from idnews.batch.outputs import atomic_write

PARTIAL_FOLDER = "partial"
CHUNK = 1 << 20
_EMPTY_SHA256 = hashlib.sha256().hexdigest()


@dataclass
class Progress:
    """How far one JSON-lines file has got: its input (byte offset and number of the last line done), its
    output (bytes and their hash) and the counts of the rows done."""

    key: str
    input_offset: int = 0
    line: int = 0
    output_bytes: int = 0
    output_sha256: str = _EMPTY_SHA256
    records: int = 0
    failed_records: int = 0
    warnings: int = 0
    sentences: int = 0


class PartialOutput:
    """The partial output of one JSON-lines input under ``out_dir``, valid for the resume ``key``."""

    def __init__(self, out_dir: Path, output: PurePosixPath, key: str, *, state_folder: str) -> None:
        name = hashlib.sha256(os.fsencode(output.as_posix())).hexdigest()[:32]  # short, whatever the output's name
        folder = out_dir / state_folder / PARTIAL_FOLDER
        self.data_path = folder / f"{name}.jsonl"
        self.progress_path = folder / f"{name}.json"
        self.target = out_dir / output
        self.key = key
        self.progress = Progress(key)
        self._handle: IO[bytes] | None = None
        self._digest = hashlib.sha256()
        self._committed_line = 0

    def open(self, *, resume: bool) -> Progress:
        """Start afresh, or (``resume``) continue from the last commit when it is for this key and intact."""
        self.data_path.parent.mkdir(parents=True, exist_ok=True)
        committed = self._committed() if resume else None
        if committed is None:
            self.progress = Progress(self.key)
            self._digest = hashlib.sha256()
            self._handle = open(self.data_path, "wb")
        else:
            self.progress = committed
            self._handle = open(self.data_path, "ab")
        self._committed_line = self.progress.line
        return self.progress

    def _committed(self) -> Progress | None:
        try:
            progress = Progress(**json.loads(self.progress_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        if progress.key != self.key:
            return None
        digest = hashlib.sha256()
        try:
            with open(self.data_path, "rb+") as handle:
                remaining = progress.output_bytes
                while remaining:
                    chunk = handle.read(min(CHUNK, remaining))
                    if not chunk:
                        return None
                    digest.update(chunk)
                    remaining -= len(chunk)
                if digest.hexdigest() != progress.output_sha256:
                    return None
                handle.truncate(progress.output_bytes)  # rows written after the last commit are written again
        except OSError:
            return None
        self._digest = digest
        return progress

    def failed_rows(self) -> Iterator[tuple[int | None, str]]:
        """(line, reason) of every failed row in the committed output (to list them again after a resume)."""
        with open(self.data_path, "rb") as handle:
            for raw in handle:
                row = json.loads(raw)
                if "error" in row:
                    number = str(row.get("source", "")).rpartition(":")[2]
                    yield (int(number) if number.isdigit() else None), row["error"]

    @property
    def uncommitted(self) -> int:
        """Input lines done since the last commit."""
        return self.progress.line - self._committed_line

    def write(self, data: bytes, *, offset: int, line: int) -> None:
        """Append one row's bytes; the row came from the input line ``line`` that ends at byte ``offset``."""
        assert self._handle is not None, "open() first"
        self._handle.write(data)
        self._digest.update(data)
        self.progress.output_bytes += len(data)
        self.progress.input_offset = offset
        self.progress.line = line

    def commit(self) -> None:
        """Make the rows written so far survive a killed process: flush them, then record the progress."""
        assert self._handle is not None, "open() first"
        self._handle.flush()
        self.progress.output_sha256 = self._digest.hexdigest()
        atomic_write(self.progress_path, (json.dumps(asdict(self.progress)) + "\n").encode("utf-8"), durable=False)
        self._committed_line = self.progress.line

    def finish(self) -> str:
        """Rename the complete output into place; returns its SHA-256."""
        assert self._handle is not None, "open() first"
        self._handle.close()
        self._handle = None
        os.replace(self.data_path, self.target)
        self.progress_path.unlink(missing_ok=True)
        return self._digest.hexdigest()

    def suspend(self) -> None:
        """Stop for now (an interrupted run): commit what was written so that the next run continues from it."""
        if self._handle is None:
            return
        if self.progress.line:
            self.commit()
            self._handle.close()
            self._handle = None
        else:
            self.discard()

    def discard(self) -> None:
        """Drop the partial output and its progress (the input failed, or is to be redone)."""
        if self._handle is not None:
            try:
                self._handle.close()
            except OSError:  # a full disk cannot take the buffered rest either
                pass
            self._handle = None
        self.data_path.unlink(missing_ok=True)
        self.progress_path.unlink(missing_ok=True)
