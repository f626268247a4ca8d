"""Model cards, offline-first resolution and the ``idnews models`` commands."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from idnews.cli import cli
from idnews.errors import InputError, ModelNotFoundError, UnknownNameError
from idnews.translation import models as registry

REPO_CARDS = Path(__file__).resolve().parent.parent / "models"


def test_cards_hold_the_required_models_and_scores() -> None:
    cards = registry.load_cards()
    assert {"opus-mt-id-en", "nllb-200-distilled-600M", "nllb-200-3.3B"} <= set(cards)
    assert registry.default_model_name() == "opus-mt-id-en"
    opus = cards["opus-mt-id-en"]
    assert opus.family == "marian" and opus.hub_id == "Helsinki-NLP/opus-mt-id-en"
    assert {(s["test_set"], s["value"]) for s in opus.scores} >= {("FLORES-101 devtest", 33.4)}
    assert any(s["value"] == 47.4 for s in opus.scores)
    nllb = cards["nllb-200-distilled-600M"]
    assert (nllb.source_lang, nllb.target_lang) == ("ind_Latn", "eng_Latn")
    assert nllb.scores[0]["value"] == 40.5 and cards["nllb-200-3.3B"].scores[0]["value"] == 44.4
    assert all(s.get("source") for c in cards.values() for s in c.scores)


def test_offline_error_lists_every_place_tried_and_the_fetch_command(empty_caches: Path) -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        registry.resolve("opus-mt-id-en", allow_download=True)
    message = str(caught.value)
    assert str(empty_caches / "idnews" / "models" / "opus-mt-id-en") in message
    assert str(empty_caches / "hf") in message and "Helsinki-NLP/opus-mt-id-en" in message
    assert "skipped: HF_HUB_OFFLINE is set" in message
    assert "idnews models fetch opus-mt-id-en" in message and "model=/path/to/folder" in message


def test_resolution_never_downloads_unless_allowed(empty_caches: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub

    calls = []

    def fake_snapshot(repo_id: str, *, local_files_only: bool = False) -> str:
        calls.append(local_files_only)
        raise huggingface_hub.errors.LocalEntryNotFoundError("not cached")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_snapshot)
    monkeypatch.delenv("HF_HUB_OFFLINE")
    with pytest.raises(ModelNotFoundError, match="downloads not allowed"):
        registry.resolve("opus-mt-id-en")
    assert calls == [True]
    with pytest.raises(ModelNotFoundError):
        registry.resolve("opus-mt-id-en", allow_download=True)
    assert calls == [True, True, False]


def test_resolution_order_local_then_idnews_cache_then_hf_cache(empty_caches: Path, tiny_marian: Path) -> None:
    resolved = registry.resolve(tiny_marian)
    assert resolved.path == tiny_marian and resolved.format == "transformers" and resolved.card is None

    snapshot = empty_caches / "hf" / "models--Helsinki-NLP--opus-mt-id-en" / "snapshots" / ("a" * 40)
    shutil.copytree(tiny_marian, snapshot)
    (snapshot.parents[1] / "refs").mkdir()
    (snapshot.parents[1] / "refs" / "main").write_text("a" * 40)
    found = registry.resolve("opus-mt-id-en")
    assert found.path == snapshot and found.card is not None and found.card.name == "opus-mt-id-en"

    cached = empty_caches / "idnews" / "models" / "opus-mt-id-en"
    shutil.copytree(tiny_marian, cached)
    assert registry.resolve("opus-mt-id-en").path == cached
    assert registry.resolve("Helsinki-NLP/opus-mt-id-en").path == cached


def test_unknown_names_and_missing_folders(empty_caches: Path, tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError, match="known: nllb-200-3.3B, nllb-200-distilled-600M, opus-mt-id-en"):
        registry.resolve("opus-mt-xx")
    with pytest.raises(InputError, match="no such model folder"):
        registry.resolve("./does-not-exist")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="not a model folder"):
        registry.resolve(tmp_path / "empty")
    with pytest.raises(ModelNotFoundError, match="idnews models fetch someone/some-model"):
        registry.resolve("someone/some-model")


def test_cli_list_and_info(empty_caches: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["models", "list"])
    assert listing.exit_code == 0, listing.output
    assert "opus-mt-id-en (default)" in listing.output and "facebook/nllb-200-3.3B" in listing.output
    assert listing.output.count("not found") == 3
    info = runner.invoke(cli, ["models", "info", "nllb-200-distilled-600M"])
    assert info.exit_code == 0, info.output
    assert "ind_Latn -> eng_Latn" in info.output and "BLEU 40.5 on FLORES-200 devtest" in info.output
    assert "idnews models fetch nllb-200-distilled-600M" in info.output


def test_cli_fetch_refuses_offline(empty_caches: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from idnews.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["models", "fetch", "opus-mt-id-en"])
    assert exited.value.code == 1
    assert "cannot fetch Helsinki-NLP/opus-mt-id-en: HF_HUB_OFFLINE is set" in capsys.readouterr().err
    assert not (empty_caches / "hf").exists()  # nothing was written to the hub cache


def test_cli_convert_caches_and_is_reused_by_auto(empty_caches: Path, tiny_marian: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["models", "convert", str(tiny_marian), "--quantization", "int8"])
    assert result.exit_code == 0, result.output
    report = json.loads(re.search(r'\{"model".*\}', result.output).group())  # progress bars share the stream
    path = Path(report["path"])
    assert path.parent == empty_caches / "idnews" / "ct2" and path.name.endswith("-int8")
    assert registry.model_format(path) == "ct2"
    assert json.loads((path / registry.SIDECAR).read_text())["family"] == "marian"
    stamp = (path / "model.bin").stat().st_mtime_ns

    from idnews.translation import Translator

    translator = Translator.from_options(tiny_marian, beam_size=1, guard=False)
    assert "backend:ct2" in str(translator.signature) and "compute:int8" in str(translator.signature)
    assert translator.translate("Presiden meresmikan jembatan baru di Jakarta.")
    assert (path / "model.bin").stat().st_mtime_ns == stamp
    again = runner.invoke(cli, ["models", "convert", str(tiny_marian)])
    assert again.exit_code == 0 and f'"path": "{path}"' in again.output


def test_cards_of_other_tasks_are_ignored_and_broken_cards_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDNEWS_MODEL_CARDS", str(tmp_path))
    (tmp_path / "summariser.json").write_text('{"name": "ranker", "task": "summarization"}')
    (tmp_path / "notes.md").write_text("# not a card")
    shutil.copy(REPO_CARDS / "opus-mt-id-en.json", tmp_path / "opus-mt-id-en.json")
    assert list(registry.load_cards()) == ["opus-mt-id-en"]
    (tmp_path / "broken.json").write_text('{"name": "x", "task": "translation"}')
    with pytest.raises(InputError, match="broken.json: not a valid translation model card"):
        registry.load_cards()


def test_missing_model_cards_are_an_error_not_an_empty_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDNEWS_MODEL_CARDS", str(tmp_path / "absent"))
    with pytest.raises(InputError, match=re.escape(f"{tmp_path / 'absent'}: model cards not found")):
        registry.load_cards()
    with pytest.raises(InputError, match="model cards not found"):
        registry.resolve("opus-mt-id-en")
    monkeypatch.setenv("IDNEWS_MODEL_CARDS", str(tmp_path))
    (tmp_path / "summariser.json").write_text('{"name": "ranker", "task": "summarization"}')
    with pytest.raises(InputError, match=re.escape(f"{tmp_path}: no translation model card")):
        registry.default_model_name()


def test_cards_are_found_in_the_checkout_or_where_a_wheel_installs_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IDNEWS_MODEL_CARDS", raising=False)
    assert registry.cards_dir() == REPO_CARDS
    installed = tmp_path / "prefix" / "share" / "idnews" / "models"
    installed.mkdir(parents=True)
    shutil.copy(REPO_CARDS / "nllb-200-3.3B.json", installed)
    monkeypatch.setattr(registry, "checkout_root", lambda: None)
    monkeypatch.setattr(registry.sys, "prefix", str(tmp_path / "prefix"))
    assert registry.cards_dir() == installed
    assert list(registry.load_cards()) == ["nllb-200-3.3B"]


def test_convert_never_replaces_a_folder_that_is_not_a_conversion(empty_caches: Path, tiny_marian: Path) -> None:
    runner = CliRunner()
    before = sorted(p.name for p in tiny_marian.iterdir())
    result = runner.invoke(cli, ["models", "convert", str(tiny_marian), "--out", str(tiny_marian), "--force"])
    assert result.exit_code != 0 and isinstance(result.exception, InputError)
    assert "is not a CTranslate2 model" in str(result.exception)
    assert sorted(p.name for p in tiny_marian.iterdir()) == before


def fake_hub_cache(cache: Path, hub_id: str, model_dir: Path) -> Path:
    """The layout ``huggingface_hub`` leaves: files under ``blobs/`` by hash, a snapshot of relative symlinks."""
    import hashlib

    repo = cache / ("models--" + hub_id.replace("/", "--"))
    revision = "b" * 40
    snapshot = repo / "snapshots" / revision
    (repo / "blobs").mkdir(parents=True)
    snapshot.mkdir(parents=True)
    for item in model_dir.iterdir():
        data = item.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        (repo / "blobs" / digest).write_bytes(data)
        (snapshot / item.name).symlink_to(Path("..") / ".." / "blobs" / digest)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(revision)
    return snapshot


def test_fetch_out_writes_a_self_contained_folder(
    empty_caches: Path, tiny_marian: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from idnews.cli import main
    from idnews.translation import Translator

    snapshot = fake_hub_cache(empty_caches / "hf", "Helsinki-NLP/opus-mt-id-en", tiny_marian)
    assert all(p.is_symlink() for p in snapshot.iterdir())
    exported = empty_caches / "export" / "opus-mt-id-en"
    with pytest.raises(SystemExit) as exited:  # HF_HUB_OFFLINE is set: the cached snapshot is enough
        main(["models", "fetch", "opus-mt-id-en", "--out", str(exported)])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == str(exported)
    files = sorted(exported.iterdir())
    assert not any(p.is_symlink() for p in files)
    assert {p.name for p in files} == {p.name for p in tiny_marian.iterdir()} | {registry.SIDECAR}
    for item in tiny_marian.iterdir():
        assert (exported / item.name).read_bytes() == item.read_bytes()
    sidecar = json.loads((exported / registry.SIDECAR).read_text())
    assert sidecar["name"] == "opus-mt-id-en" and sidecar["family"] == "marian"

    # "another machine": the Hugging Face cache is gone, the copied folder still works both ways
    shutil.rmtree(empty_caches / "hf")
    moved = empty_caches / "elsewhere" / "model"
    shutil.copytree(exported, moved)
    translator = Translator.from_options(moved, backend="hf", beam_size=1, guard=False)
    assert translator.translate(["Presiden meresmikan jembatan baru."])[0]
    cached = empty_caches / "idnews" / "models" / "opus-mt-id-en"
    shutil.copytree(exported, cached)
    assert registry.resolve("opus-mt-id-en").path == cached

    # an existing, non-empty folder is never replaced
    with pytest.raises(SystemExit) as again:
        main(["models", "fetch", "opus-mt-id-en", "--out", str(moved)])
    assert again.value.code == 1 and "exists and is not empty" in capsys.readouterr().err


def test_not_found_message_names_the_export_command(empty_caches: Path) -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        registry.resolve("opus-mt-id-en")
    assert "idnews models fetch opus-mt-id-en --out opus-mt-id-en" in str(caught.value)


def test_cli_info_takes_a_model_folder(empty_caches: Path, tiny_marian: Path) -> None:
    result = CliRunner().invoke(cli, ["models", "info", str(tiny_marian)])
    assert result.exit_code == 0, result.output
    assert f"folder:       {tiny_marian}" in result.output
    assert "format:       transformers checkpoint" in result.output and "family:       marian" in result.output
    assert "languages:    id -> en" in result.output and "not converted (idnews models convert" in result.output
