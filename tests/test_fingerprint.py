"""Model identity by content: the fingerprint of a folder, computed once and cached by name, size and mtime."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from idnews import fingerprint
from idnews.fingerprint import content_hash
from idnews.signature import ModelIdentity


@pytest.fixture()
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IDNEWS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(fingerprint, "_memory", {})
    folder = tmp_path / "a" / "tiny"
    (folder / "sub").mkdir(parents=True)
    (folder / "config.json").write_text('{"d_model": 8}', encoding="utf-8")
    (folder / "sub" / "weights.bin").write_bytes(bytes(range(256)) * 10)
    return folder


def _expected(folder: Path) -> str:
    """The documented definition, computed independently: relative name, NUL, size, NUL, bytes, sorted by name."""
    digest = hashlib.sha256()
    for name in sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()):
        data = (folder / name).read_bytes()
        digest.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


def test_hash_is_of_names_and_bytes_not_of_the_folder(model: Path, tmp_path: Path) -> None:
    assert content_hash(model) == _expected(model)
    copy = tmp_path / "b" / "other-name"
    copy.parent.mkdir()
    os.symlink(model, copy)  # a snapshot of symbolic links hashes like the files it points to
    assert content_hash(copy) == content_hash(model)
    assert ModelIdentity("tiny", content_hash(model)) == ModelIdentity("other-name", content_hash(copy))


def test_hash_is_cached_and_redone_when_a_file_changes(model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = content_hash(model)
    cache = json.loads((Path(os.environ["IDNEWS_CACHE"]) / fingerprint.CACHE_FILE).read_text(encoding="utf-8"))
    assert cache[str(model.resolve())]["sha256"] == first
    calls: list[Path] = []
    real = fingerprint._hash
    monkeypatch.setattr(fingerprint, "_hash", lambda root, files: calls.append(root) or real(root, files))
    monkeypatch.setattr(fingerprint, "_memory", {})  # a new process: only the file cache is left
    assert content_hash(model) == first and calls == []
    (model / "config.json").write_text('{"d_model": 9}', encoding="utf-8")
    assert content_hash(model) != first and len(calls) == 1
    assert content_hash(model) == _expected(model) and len(calls) == 1


def test_unwritable_cache_only_costs_a_rehash(model: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("IDNEWS_CACHE", str(blocker))
    assert content_hash(model) == _expected(model)
    assert blocker.read_text(encoding="utf-8") == "x"


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    from idnews.errors import InputError

    with pytest.raises(InputError, match="no such model file or folder"):
        content_hash(tmp_path / "missing")
