"""Resume keys: which outputs are complete and up to date.

Each finished output gets one line in the journal ``DIR/.idnews/done.jsonl``: the hash of the input bytes, the
signature of what produced it (models and options), and the hash of the output bytes. A re-run skips an input
when the journal's key matches and the output on disk still has the recorded hash. The line is appended
*after* its output is renamed into place, so a run killed in between simply redoes that file; a line cut short
by a kill is ignored; at the end of a run the journal is rewritten with only its current lines. Because the
output hash is checked, an output lost or damaged in a power cut is redone too, which is why outputs need no
sync of their own before their line is written.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any

from idnews.batch.outputs import atomic_write
from idnews.errors import IdnewsError
from idnews.fingerprint import file_sha256
from idnews.signature import TypedSignature

STATE_FOLDER = ".idnews"
JOURNAL = "done.jsonl"


def resume_key(input_sha256: str, signature: TypedSignature) -> str:
    """The key an output is valid for: the input's content hash plus the digest of the typed signature of
    everything that produced it (models by content, every output-affecting option)."""
    return hashlib.sha256(f"{input_sha256}\n{signature.digest()}".encode()).hexdigest()


class Manifest:
    """Completion records of the outputs under one output folder (use it while holding :func:`exclusive`)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / STATE_FOLDER / JOURNAL
        self._entries: dict[str, dict[str, Any]] | None = None
        self._journal: IO[str] | None = None

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            entries: dict[str, dict[str, Any]] = {}
            try:
                with open(self.path, "rb") as handle:
                    for line in handle:
                        try:
                            entry = json.loads(line)
                        except ValueError:  # cut short by a kill
                            continue
                        if not isinstance(entry, dict) or not isinstance(entry.get("output"), str):
                            continue
                        if entry.get("key") is None:
                            entries.pop(entry["output"], None)
                        else:
                            entries[entry["output"]] = entry
            except FileNotFoundError:
                pass
            self._entries = entries
        return self._entries

    def _append(self, entry: dict[str, Any]) -> None:
        if self._journal is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._journal = open(self.path, "a", encoding="ascii")
        self._journal.write(json.dumps(entry) + "\n")  # ASCII-escaped: names that are not UTF-8 survive
        self._journal.flush()

    def is_done(self, output: PurePosixPath, key: str) -> bool:
        """True when ``output`` exists, was finished for ``key``, and has not changed since."""
        entry = self._load().get(output.as_posix())
        if entry is None or entry.get("key") != key:
            return False
        try:
            return file_sha256(self.out_dir / output) == entry.get("output_sha256")
        except OSError:
            return False

    def mark_done(
        self, output: PurePosixPath, key: str, *, input_sha256: str, signature: dict[str, Any], output_sha256: str
    ) -> None:
        """Record that ``output`` (already written, with content hash ``output_sha256``) is complete for ``key``."""
        entry: dict[str, Any] = {"output": output.as_posix(), "key": key, "input_sha256": input_sha256,
                                 "signature": signature, "output_sha256": output_sha256}
        self._append(entry)
        self._load()[entry["output"]] = entry

    def forget(self, output: PurePosixPath) -> None:
        """Drop the completion record of ``output`` (before it is redone)."""
        if self._load().pop(output.as_posix(), None) is not None:
            self._append({"output": output.as_posix(), "key": None})

    def apply(self, lines: list[dict[str, Any]]) -> None:
        """Append journal lines made elsewhere (by :class:`DeferredManifest`), in order."""
        entries = self._load()
        for line in lines:
            if not isinstance(line.get("output"), str):
                raise IdnewsError(f"not a journal line: {line!r}")
            self._append(line)
            if line.get("key") is None:
                entries.pop(line["output"], None)
            else:
                entries[line["output"]] = line

    def close(self) -> None:
        """End of a run: rewrite the journal with only its current lines, in output order, so that it is the
        same whatever runs and interruptions led to the same outputs."""
        if self._journal is None:
            return
        self._journal.close()
        self._journal = None
        entries = self._load()
        text = "".join(json.dumps(entries[name]) + "\n" for name in sorted(entries))
        atomic_write(self.path, text.encode("ascii"), durable=False)


class DeferredManifest(Manifest):
    """A manifest for a worker of a distributed run: it reads the journal on disk for its skip checks, and keeps
    the lines it would append in :attr:`pending` for the process that owns the journal (the run's driver) to
    :meth:`~Manifest.apply`, so that one process only ever writes the journal."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self.pending: list[dict[str, Any]] = []

    def _append(self, entry: dict[str, Any]) -> None:
        self.pending.append(entry)

    def take(self) -> list[dict[str, Any]]:
        """The lines made since the last call."""
        taken, self.pending = self.pending, []
        return taken

    def close(self) -> None:
        """Nothing to rewrite: the owner of the journal does that."""


@contextmanager
def exclusive(out_dir: Path) -> Iterator[None]:
    """Hold a lock on ``out_dir`` so that two runs never write into one output folder at the same time.

    The lock is released by the operating system when the process ends, even when it is killed.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    lock = out_dir / STATE_FOLDER / "lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IdnewsError(f"another idnews run is writing to {out_dir}; wait for it to end or choose another --out") from None
        yield
