"""Reading hypothesis/reference files for scoring, and content hashes for signatures."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from idnews.errors import InputError

Summary = str | list[str]


def content_hash(values: Iterable[Any]) -> str:
    """A short, stable SHA-256 over JSON-serialisable values (first 12 hex digits)."""
    digest = hashlib.sha256()
    for value in values:
        digest.update(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:12]


def file_hash(*paths: Path) -> str:
    """A short SHA-256 over the bytes of the given files, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:12]


def read_text(path: Path) -> str:
    """UTF-8 text of ``path``; a missing or undecodable file is an :class:`InputError` naming it."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None


def _as_summary(value: Any, path: Path, line_no: int) -> Summary:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return value
    raise InputError(path, f"line {line_no}: expected a string or a list of sentence strings")


def read_summaries(path: Path) -> list[Summary]:
    """Hypotheses: a JSONL file with one string or list of sentence strings per line."""
    items = []
    for line_no, value in jsonl_values(path):
        items.append(_as_summary(value, path, line_no))
    if not items:
        raise InputError(path, "no items (the file is empty)")
    return items


def read_summary_references(path: Path) -> list[list[Summary]]:
    """References: a JSONL file; each line a string, a list of sentences, or ``{"refs": [...]}``."""
    items: list[list[Summary]] = []
    for line_no, value in jsonl_values(path):
        if isinstance(value, dict):
            refs = value.get("refs")
            if not isinstance(refs, list) or not refs:
                raise InputError(path, f"line {line_no}: an object needs a non-empty list under 'refs'")
            items.append([_as_summary(ref, path, line_no) for ref in refs])
        else:
            items.append([_as_summary(value, path, line_no)])
    if not items:
        raise InputError(path, "no items (the file is empty)")
    return items


def jsonl_values(path: Path, *, skip_blank: bool = False) -> Iterable[tuple[int, Any]]:
    """``(line number, value)`` of every line of a JSONL file; blank lines are errors unless skipped."""
    text = read_text(path)
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if skip_blank:
                continue
            raise InputError(path, f"line {line_no}: empty line (every line must hold one JSON item)")
        try:
            yield line_no, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"line {line_no}: not valid JSON ({exc.msg})") from None


def read_segments(path: Path) -> list[str]:
    """Plain-text segments, one per line (a final newline is not an extra segment)."""
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise InputError(path, "no segments (the file is empty)")
    return [line.rstrip("\r") for line in lines]


def write_jsonl(path: Path, rows: Iterable[Any]) -> None:
    """Write one JSON value per line (UTF-8, not ASCII-escaped)."""
    with Path(path).open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
