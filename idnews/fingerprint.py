"""Content fingerprints of model files and folders: what a model *is*, whatever its folder is called.

A fingerprint is the SHA-256 of every file's relative name and bytes (symbolic links followed, so a Hugging Face
cache snapshot and a plain copy of it agree). Hashing a 300 MB model takes a second or two, so the result is
cached in memory and in ``$IDNEWS_CACHE/fingerprints.json``, keyed by the resolved path and the name, size and
modification time of every file: touching, replacing or editing any file makes it be computed again.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from pathlib import Path

from idnews.errors import InputError
from idnews.paths import cache_dir, write_cache_json

logger = logging.getLogger(__name__)

CACHE_FILE = "fingerprints.json"
_CHUNK = 1 << 20
_memory: dict[str, tuple[str, str]] = {}
_lock = threading.Lock()


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of one file's bytes, read in chunks (raises ``OSError`` when it cannot be read)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def content_hash(path: str | os.PathLike[str]) -> str:
    """The SHA-256 (hex) of a file, or of a folder's files (relative names and bytes, in sorted order)."""
    root = Path(path).resolve()
    files = _files(root)
    stamp = _stamp(root, files)
    key = str(root)
    with _lock:
        cached = _memory.get(key)
        if cached is None:
            cached = _read_cache().get(key)
        if cached is not None and cached[0] == stamp:
            _memory[key] = cached
            return cached[1]
    digest = _hash(root, files)
    with _lock:
        _memory[key] = (stamp, digest)
        _write_cache(key, stamp, digest)
    return digest


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InputError(root, "no such model file or folder")
    return sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())


def _relative(root: Path, file: Path) -> str:
    return file.name if file == root else file.relative_to(root).as_posix()


def _stamp(root: Path, files: list[Path]) -> str:
    """A cheap digest of names, sizes and modification times (no file contents read)."""
    listing = hashlib.sha256()
    for file in files:
        stat = file.stat()
        listing.update(f"{_relative(root, file)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return listing.hexdigest()


def _hash(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(_relative(root, file).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(str(file.stat().st_size).encode() + b"\0")
        with file.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def _read_cache() -> dict[str, tuple[str, str]]:
    try:
        data = json.loads((cache_dir() / CACHE_FILE).read_text(encoding="utf-8"))
        return {key: (value["stamp"], value["sha256"]) for key, value in data.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_cache(key: str, stamp: str, digest: str) -> None:
    """Best effort: a cache that cannot be written only costs a re-hash next time."""
    entries = {k: {"stamp": s, "sha256": d} for k, (s, d) in _read_cache().items()}
    entries[key] = {"stamp": stamp, "sha256": digest}
    if not write_cache_json(cache_dir() / CACHE_FILE, entries):
        logger.debug("fingerprint cache not written to %s", cache_dir())
