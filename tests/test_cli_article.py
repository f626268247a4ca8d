"""``idnews clean`` and ``idnews show``."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import idnews
from idnews.article import Article
from idnews.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "pages"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_writes_one_json_per_page_mirroring_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(EXAMPLES, pages / "contoh")
    code, _, err = run(["clean", str(pages), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.json"))
    assert written == sorted(f"contoh/{p.stem}.json" for p in EXAMPLES.iterdir())
    for source in EXAMPLES.iterdir():
        data = json.loads((tmp_path / "out" / "contoh" / f"{source.stem}.json").read_text(encoding="utf-8"))
        expected = idnews.load_article(pages / "contoh" / source.name)
        assert Article.from_dict(data) == expected
    assert "5 files: 5 ok, 0 failed, 0 skipped" in err


def test_clean_reports_bad_pages_and_writes_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "in" / "baik.txt"
    good.parent.mkdir()
    shutil.copy(EXAMPLES / "cnbc_ekspor_nikel.txt", good)
    (tmp_path / "in" / "kosong.txt").write_bytes(b"")
    (tmp_path / "in" / "gambar.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, _, err = run(["clean", str(tmp_path / "in"), "--out", str(tmp_path / "out")], capsys)
    assert code == 1
    assert "kosong.txt: file is empty" in err and "gambar.html: is a PNG image" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_file()) == ["baik.json", "errors.jsonl"]
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {Path(e["path"]).name: e["reason"] for e in errors} == {
        "gambar.html": "is a PNG image, not a text or HTML page", "kosong.txt": "file is empty"}


def test_clean_keeps_existing_outputs_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    existing = out / "cnbc_ekspor_nikel.json"
    existing.write_text("catatan saya", encoding="utf-8")
    page = str(EXAMPLES / "cnbc_ekspor_nikel.txt")
    code, _, err = run(["clean", page, "--out", str(out)], capsys)
    assert code == 0 and "use --force" in err
    assert existing.read_text(encoding="utf-8") == "catatan saya"
    code, _, _ = run(["clean", page, "--out", str(out), "--force"], capsys)
    assert code == 0
    assert json.loads(existing.read_text(encoding="utf-8"))["outlet"] == "CNBC Indonesia"


def test_clean_refuses_an_output_folder_inside_the_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "pages"
    shutil.copytree(EXAMPLES, pages)
    code, _, err = run(["clean", str(pages), "--out", str(pages / "json")], capsys)
    assert code == 2 and "inside the input folder" in err  # a usage error, like the other folder commands
    assert not (pages / "json").exists()


def test_show_prints_the_article(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["show", str(EXAMPLES / "idntimes_hujan_lebat.txt")], capsys)
    assert code == 0
    assert "Title:     BMKG Prediksi Hujan Lebat Guyur Jabodetabek hingga Akhir Pekan" in out
    assert "Outlet:    IDN Times" in out and "Dateline:  Jakarta, IDN Times" in out
    assert "  • Warga diminta mewaspadai genangan dan pohon tumbang." in out
    assert "## 1. Hujan turun sore hingga malam hari" in out
    assert "[1] Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) memprediksi" in out
    assert "Intinya" not in out and "IDN App" not in out


def test_show_sentences_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    page = str(EXAMPLES / "cnbc_ekspor_nikel.txt")
    code, out, _ = run(["show", page, "--sentences"], capsys)
    assert code == 0
    assert "      2. Kenaikan ditopang permintaan baja nirkarat dari China." in out
    code, out, _ = run(["show", page, "--format", "json", "--outlet", "cnbc"], capsys)
    assert code == 0 and json.loads(out)["dateline"] == "Jakarta, CNBC Indonesia"


def test_show_reports_errors_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "kosong.txt"
    empty.write_bytes(b"")
    code, _, err = run(["show", str(empty)], capsys)
    assert code == 1
    assert err.strip() == f"idnews: error: {empty}: file is empty"
    code, _, err = run(["show", str(EXAMPLES / "cnbc_ekspor_nikel.txt"), "--outlet", "koran antah"], capsys)
    assert code == 1 and "unknown outlet 'koran antah'; known: Antara, Bisnis.com, CNBC Indonesia, CNN Indonesia, Detik, IDN Times" in err
