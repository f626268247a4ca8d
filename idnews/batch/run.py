"""What a folder run is asked (:class:`RunSettings`) and what it reports: :class:`RunSummary`, and the failed
inputs with their reasons in ``errors.jsonl``."""
from __future__ import annotations

import json
import signal
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from idnews.batch.outputs import FORMATS, atomic_write
from idnews.errors import IdnewsError

ERRORS_FILE = "errors.jsonl"
#: Sentences handed to the translator at once. Large enough that an engine running batches in parallel rarely
#: waits on the last one of a call (1,024 was 9% faster than 256 over 64 articles on two cores).
DEFAULT_BATCH_SENTENCES = 1024
DEFAULT_COMMIT_ROWS = 1000


@dataclass(frozen=True)
class RunSettings:
    """Where and how outputs are written; ``log_json`` receives one JSON line per file and a summary line."""

    out_dir: Path
    fmt: str = "txt"
    force: bool = False
    batch_sentences: int = DEFAULT_BATCH_SENTENCES
    progress: bool = True
    log_json: IO[str] | None = None
    commit_rows: int = DEFAULT_COMMIT_ROWS

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS:
            raise IdnewsError(f"format must be one of {', '.join(FORMATS)}, not {self.fmt!r}")
        if self.batch_sentences < 1:
            raise IdnewsError(f"batch size must be at least 1 sentence, not {self.batch_sentences}")
        if self.commit_rows < 1:
            raise IdnewsError(f"commits must come every 1 row or more, not {self.commit_rows}")


@dataclass
class RunSummary:
    """Counts of one run. Files are ``ok``, ``failed`` (also when some of their JSON lines failed) or ``skipped``
    (up to date from an earlier run). ``links_outside`` lists the inputs that are links to files outside their
    folder (followed, as ``{"path", "target"}``); ``stop_signal`` is the signal that interrupted the run."""

    files: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    warnings: int = 0
    sentences: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    stop_signal: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    links_outside: list[dict[str, str]] = field(default_factory=list)

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0 when every input succeeded, 1 when some failed, 128 + the signal when interrupted (130 for Ctrl-C,
        143 for SIGTERM)."""
        if self.interrupted:
            return 128 + (self.stop_signal or signal.SIGINT)
        return 1 if self.failed else 0

    def line(self) -> str:
        """The summary line every folder command prints, e.g. ``5 files: 5 ok, 0 failed, 0 skipped, 0 warnings; 0.3 s``."""
        counts = (f"{self.files} file{'' if self.files == 1 else 's'}: "
                  f"{self.ok} ok, {self.failed} failed, {self.skipped} skipped, {self.warnings} warnings")
        if not self.sentences:
            return f"{counts}; {self.seconds:.1f} s"
        return (
            f"{counts}; {self.sentences} sentences translated in {self.seconds:.1f} s "
            f"({self.sentences_per_second:.1f} sentences/s)"
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("errors")
        data["sentences_per_second"] = round(self.sentences_per_second, 2)
        data["seconds"] = round(self.seconds, 3)
        return data


def write_errors(out_dir: Path, errors: Sequence[dict[str, Any]]) -> None:
    """Write a run's failed inputs to ``out_dir/errors.jsonl`` (atomically), or remove it when none failed."""
    path = out_dir / ERRORS_FILE
    if errors:
        lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors)
        atomic_write(path, lines.encode("utf-8", "backslashreplace"))
    else:
        path.unlink(missing_ok=True)
