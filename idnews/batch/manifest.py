"""Resume keys: which outputs are complete and up to date.

Each finished output gets a small sidecar under ``DIR/.idnews/done/`` holding the hash of the input bytes, the
signature of what produced it (models and options), and the hash of the output bytes. A re-run skips an input
when the sidecar's key matches and the output on disk still has the recorded hash. The sidecar is written
atomically *after* its output (which is synced to disk first), so a run killed in between simply redoes that
file. Sidecars themselves are not synced: one lost in a power cut only means its file is redone.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from idnews.batch.outputs import atomic_write
from idnews.errors import IdnewsError
from idnews.signature import TypedSignature

STATE_FOLDER = ".idnews"
CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (raises ``OSError`` when it cannot be read)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def resume_key(input_sha256: str, signature: TypedSignature) -> str:
    """The key an output is valid for: the input's content hash plus the digest of the typed signature of
    everything that produced it (models by content, every output-affecting option)."""
    return hashlib.sha256(f"{input_sha256}\n{signature.digest()}".encode()).hexdigest()


class Manifest:
    """Completion records of the outputs under one output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.folder = out_dir / STATE_FOLDER / "done"

    def _sidecar(self, output: PurePosixPath) -> Path:
        return self.folder / f"{output.as_posix()}.json"

    def is_done(self, output: PurePosixPath, key: str) -> bool:
        """True when ``output`` exists, was finished for ``key``, and has not changed since."""
        try:
            entry = json.loads(self._sidecar(output).read_text(encoding="utf-8"))
            if entry.get("key") != key:
                return False
            return file_sha256(self.out_dir / output) == entry.get("output_sha256")
        except (OSError, ValueError):
            return False

    def mark_done(
        self, output: PurePosixPath, key: str, *, input_sha256: str, signature: dict[str, Any], output_sha256: str
    ) -> None:
        """Record that ``output`` (already written, with content hash ``output_sha256``) is complete for ``key``."""
        entry = {"key": key, "input_sha256": input_sha256, "signature": signature, "output_sha256": output_sha256}
        atomic_write(self._sidecar(output), (json.dumps(entry, indent=2) + "\n").encode("utf-8"), durable=False)

    def forget(self, output: PurePosixPath) -> None:
        """Drop the completion record of ``output`` (before it is redone)."""
        self._sidecar(output).unlink(missing_ok=True)


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
