"""The Ray engine's pieces that need no cluster: the install hint, option checks, the deferred journal."""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from idnews.batch.discover import InputFile
from idnews.batch.manifest import DeferredManifest, Manifest
from idnews.errors import IdnewsError
from test_batch_helpers import private_cache  # noqa: F401 (fixtures)


def test_engine_ray_without_ray_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from idnews.cli.batch_cmds import process

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name.startswith("ray") else real(name, *a))
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text("Judul\n\nIsi berita.", encoding="utf-8")
    result = CliRunner().invoke(process, [str(tmp_path / "pages"), "--out", str(tmp_path / "out"), "--engine", "ray"])
    assert isinstance(result.exception, IdnewsError)
    assert str(result.exception) == 'the Ray engine needs Ray: pip install "idnews[ray]"'
    assert not (tmp_path / "out").exists()


def test_ray_options_need_the_ray_engine(tmp_path: Path) -> None:
    from idnews.cli.batch_cmds import translate

    (tmp_path / "a.txt").write_text("Isi berita.", encoding="utf-8")
    result = CliRunner().invoke(translate, [str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--replicas", "3"])
    assert result.exit_code == 2
    assert "--replicas needs --engine ray" in result.output


def test_engine_settings_are_checked() -> None:
    from idnews.distributed.spec import ClusterSettings

    with pytest.raises(IdnewsError, match="--cpus-per-replica must be more than 0, not 0"):
        ClusterSettings(cpus_per_replica=0)
    with pytest.raises(IdnewsError, match="--files-per-task must be at least 1, not 0"):
        ClusterSettings(files_per_task=0)


def test_inputs_travel_as_ascii_with_names_that_are_not_utf8() -> None:
    from idnews.distributed.files import decode_input, encode_input

    name = os.fsdecode(b"caf\xe9.txt")
    item = InputFile(Path("/in") / name, PurePosixPath(name), PurePosixPath(os.fsdecode(b"caf\xe9.md")),
                     outside_target=Path("/elsewhere/x.txt"))
    text = encode_input(7, item)
    assert text.isascii()
    assert decode_input(text) == (7, item)


def test_deferred_manifest_reads_the_journal_and_hands_its_lines_to_the_owner(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("done", encoding="utf-8")
    owner = Manifest(tmp_path)
    from idnews.fingerprint import file_sha256

    digest = file_sha256(tmp_path / "a.md")
    owner.mark_done(PurePosixPath("a.md"), "k1", input_sha256="i", signature={}, output_sha256=digest)
    owner.close()

    worker = DeferredManifest(tmp_path)
    assert worker.is_done(PurePosixPath("a.md"), "k1")
    assert not worker.is_done(PurePosixPath("a.md"), "k2")
    worker.forget(PurePosixPath("a.md"))
    worker.mark_done(PurePosixPath("b.md"), "k3", input_sha256="j", signature={}, output_sha256="x")
    worker.close()
    before = (tmp_path / ".idnews" / "done.jsonl").read_bytes()
    lines = worker.take()
    assert [(line["output"], line["key"]) for line in lines] == [("a.md", None), ("b.md", "k3")]
    assert worker.take() == []
    assert (tmp_path / ".idnews" / "done.jsonl").read_bytes() == before  # the worker never wrote the journal

    owner = Manifest(tmp_path)
    owner.apply(lines)
    owner.close()
    assert not owner.is_done(PurePosixPath("a.md"), "k1")
    journal = (tmp_path / ".idnews" / "done.jsonl").read_text(encoding="ascii").splitlines()
    assert [json.loads(line)["output"] for line in journal] == ["b.md"]


def test_a_replica_spec_gives_its_translator_the_replicas_cpus_and_gpus(tiny_marian: Path) -> None:
    from idnews.distributed.spec import ModelSpec

    spec = ModelSpec(translator={"model": str(tiny_marian), "beam_size": 1, "guard": False}, summarizer="lead")
    models = spec.load(cpus=1.5)
    engine = models.translator.engine  # all the replica's CPUs on one batch at a time
    assert (engine.intra_threads, engine.inter_threads) == (1, 1) and models.translator.signature.device == "cpu"
    assert models.summarizer is not None
    assert ModelSpec(translator={"model": str(tiny_marian)}).load(cpus=0.25).translator.engine.intra_threads == 1
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        assert spec.load(cpus=1, gpus=1).translator.signature.device == "cuda"
    else:
        with pytest.raises(IdnewsError, match="cuda"):  # no GPU: asking for one is a clear error
            spec.load(cpus=1, gpus=1)
    pinned = ModelSpec(translator={"model": str(tiny_marian), "device": "cpu"}).load(gpus=1)
    assert pinned.translator.signature.device == "cpu"  # an explicit --device wins over the replica's GPU
