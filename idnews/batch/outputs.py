"""Output formats of a processed record (``txt``, ``md``, ``json``) and atomic file writes.

Renderers are pure functions of the record dict made by :func:`idnews.batch.pipeline.process_record`; they hold
no timestamps, so the same input and options always give the same bytes.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

FORMATS = ("txt", "md", "json")
TEMP_SUFFIX = ".idnews-tmp"


class AtomicFile:
    """A file written under a temporary name in its final folder and renamed into place on :meth:`commit`.

    A process killed before :meth:`commit` leaves at most a hidden ``*.idnews-tmp`` file, never a partial
    output; a failed write removes the temporary file. The file gets the usual permissions (``0666`` less the
    umask). :meth:`commit` returns the SHA-256 of the bytes written. ``durable=True`` also syncs the file and
    its folder to disk, so that the output survives a power cut, not only a killed process; batch runs write
    with ``durable=False`` and call :func:`sync_to_disk` once per batch of files instead.
    """

    def __init__(self, path: Path, *, durable: bool = True) -> None:
        self.path = path
        self.durable = durable
        path.parent.mkdir(parents=True, exist_ok=True)
        # The temporary name stays short whatever the final name's length (file names are limited to 255 bytes).
        self._temp = path.parent / f".{path.name[:32]}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        descriptor = os.open(self._temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        self._handle = os.fdopen(descriptor, "wb")
        self._digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        try:
            self._handle.write(data)
        except BaseException:  # a full disk, or an interrupt: no temporary file is left behind
            self.discard()
            raise
        self._digest.update(data)

    def commit(self) -> str:
        """Flush (to disk when durable), rename over :attr:`path`; returns the content's SHA-256."""
        try:
            self._handle.flush()
            if self.durable:
                os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self._temp, self.path)
        except BaseException:
            self.discard()
            raise
        if self.durable:
            _sync_folder(self.path.parent)
        return self._digest.hexdigest()

    def discard(self) -> None:
        """Drop the temporary file; :attr:`path` is left as it was."""
        try:
            self._handle.close()
        except OSError:  # the failed write's buffer cannot be flushed either
            pass
        self._temp.unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> str:
    """Write ``data`` to ``path`` atomically (see :class:`AtomicFile`); returns its SHA-256."""
    target = AtomicFile(path, durable=durable)
    target.write(data)
    return target.commit()


def sync_to_disk(paths: Iterable[Path]) -> None:
    """Make files written with ``durable=False`` (and their renames) durable: one call for many files."""
    paths = list(paths)
    if not paths:
        return
    if hasattr(os, "sync"):
        os.sync()  # one flush of every dirty buffer: far cheaper than an fsync per small file
        return
    for path in paths:
        with open(path, "rb+") as handle:
            os.fsync(handle.fileno())
    for folder in {path.parent for path in paths}:
        _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # folders cannot be opened on some platforms (Windows); the rename is still atomic
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files a killed run left under ``folder``; returns how many."""
    removed = 0
    if folder.is_dir():
        for stale in folder.rglob(f".*{TEMP_SUFFIX}"):
            stale.unlink(missing_ok=True)
            removed += 1
    return removed


def render_txt(record: dict[str, Any]) -> str:
    """Plain text: title, summary bullets (``- ``), body; English where translated, else the cleaned Indonesian."""
    translation = record["translation"]
    article = record["article"]
    blocks: list[str] = []
    title = (translation["title"] or {}).get("target") if translation else article["title"]
    if title and record["task"] != "summarize":
        blocks.append(title)
    summary = record["summary"]
    if summary:
        bullets = summary["en"] if summary["en"] is not None else summary["id"]
        blocks.append("\n".join(f"- {b}" for b in bullets))
    if record["task"] != "summarize":
        blocks.append(translation["text"] if translation else "\n\n".join(article["paragraphs"]))
    return "\n\n".join(b for b in blocks if b) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _target_cell(segment: dict[str, Any]) -> str:
    target = _cell(segment["target"])
    if segment["warnings"]:
        target += " ⚠ " + "; ".join(_cell(w) for w in segment["warnings"])
    return target


def _bullet_lines(record: dict[str, Any]) -> list[str]:
    summary = record["summary"]
    english = summary["en"] if summary["en"] is not None else [None] * len(summary["id"])
    title = "## Ringkasan / Summary" if summary["en"] is not None else "## Ringkasan"
    lines = [title, ""]
    for source, target in zip(summary["id"], english):
        lines.append(f"- {source}")
        if target is not None:
            lines.append(f"  - *{target}*")
    return [*lines, ""]


def _page_bullet_lines(record: dict[str, Any]) -> list[str]:
    """The outlet's own "Intinya sih..." bullets, next to the generated summary for comparison."""
    bullets = record["article"].get("bullets") or []
    if not bullets:
        return []
    translation = record["translation"]
    english = [b["target"] for b in translation["bullets"]] if translation and translation.get("bullets") else []
    lines = ["## Intinya sih... (from the page)", ""]
    for index, source in enumerate(bullets):
        lines.append(f"- {source}")
        if index < len(english):
            lines.append(f"  - *{english[index]}*")
    return [*lines, ""]


def _body_lines(record: dict[str, Any]) -> list[str]:
    translation = record["translation"]
    lines: list[str] = []
    if translation is None:
        article = record["article"]
        heads = set(article["headings"])
        for index, paragraph in enumerate(article["paragraphs"]):
            lines += [f"### {paragraph}" if index in heads else paragraph, ""]
        return lines
    heads = set(translation["headings"])
    for index, paragraph in enumerate(translation["paragraphs"]):
        if not paragraph:
            continue
        if index in heads:
            source = " ".join(s["source"] for s in paragraph)
            target = " ".join(s["target"] for s in paragraph)
            lines += [f"### {source}", "", f"*{target}*", ""]
            continue
        lines += ["| Indonesia | English |", "|---|---|"]
        lines += [f"| {_cell(s['source'])} | {_target_cell(s)} |" for s in paragraph]
        lines.append("")
    return lines


def render_md(record: dict[str, Any]) -> str:
    """Markdown: title, summary bullets (with English under each), body as sentence-aligned tables."""
    translation = record["translation"]
    title = record["article"]["title"]
    lines: list[str] = []
    if title:
        lines += [f"# {title}", ""]
        if translation and translation["title"]:
            lines += [f"*{translation['title']['target']}*", ""]
    if record["summary"]:
        lines += _bullet_lines(record)
    lines += _page_bullet_lines(record)
    if record["task"] != "summarize":
        lines += _body_lines(record)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_json(record: dict[str, Any]) -> str:
    """The whole record as indented JSON (UTF-8, not ASCII-escaped)."""
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def render_jsonl_line(record: dict[str, Any]) -> str:
    """One record on one line, for JSON-lines outputs (strict JSON: no ``NaN``)."""
    return json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n"


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {"txt": render_txt, "md": render_md, "json": render_json}
