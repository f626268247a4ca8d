"""Batch runs end to end with a tiny random-weight translation model: broken inputs, resume, outputs, exit codes."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from idnews.batch.pipeline import Models, Options, process_record
from idnews.batch.records import Record
from idnews.cli import main
from idnews.decode import MAX_INPUT_BYTES

from test_batch_helpers import (  # noqa: F401 (fixtures)
    ARTICLES,
    ENGLISH_ARTICLE,
    FAST_MODEL_OPTIONS,
    make_pages,
    private_cache,
    tree_bytes,
)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        main(args)
    out, err = capsys.readouterr()
    return int(stopped.value.code or 0), out, err


def translate_args(inputs: Path, out: Path, model: Path, *extra: str) -> list[str]:
    return ["translate", str(inputs), "--out", str(out), "--model", str(model), *FAST_MODEL_OPTIONS, *extra]


@pytest.fixture()
def bad_corpus(tmp_path: Path) -> Path:
    """One good page, one of each kind of broken input, and a few hard-but-valid ones."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "good.txt").write_text(ARTICLES[0], encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    (root / "random.txt").write_bytes(bytes(range(256)) * 16)
    (root / "cp1252.txt").write_bytes(ARTICLES[1].replace("dikutip", "dikutip café").encode("cp1252"))
    (root / "utf16.txt").write_bytes(ARTICLES[2].encode("utf-16"))
    with open(root / "huge.txt", "wb") as handle:  # 20 MB, made at test time
        handle.write(b"Kalimat yang sama diulang. " * (20 * 1024 * 1024 // 27))
    (root / "page.html").write_text(
        f"<html><head><title>Judul</title></head><body><article><h1>Harga Beras Naik</h1>"
        f"{''.join(f'<p>{p}</p>' for p in ARTICLES[3].split(chr(10) * 2)[1:])}</article></body></html>",
        encoding="utf-8",
    )
    (root / "scripts-only.html").write_text("<html><head><script>var a = 1;</script></head><body></body></html>")
    (root / "english.txt").write_text(ENGLISH_ARTICLE, encoding="utf-8")
    (root / "long-line.txt").write_text(" ".join([" ".join(ARTICLES[4].split())] * 40), encoding="utf-8")
    (root / "locked.txt").write_text(ARTICLES[0], encoding="utf-8")
    return root


def _deny_reading(path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Make ``path`` unreadable: chmod 000, or, when running as root (root reads anything), make every open
    of that one file raise ``PermissionError`` in this process."""
    if os.geteuid() != 0:
        path.chmod(0)
        return "chmod"
    import builtins
    import io

    denied = str(path.resolve())
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file) == denied:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    return "patched open"


def test_broken_inputs_are_listed_and_the_run_goes_on(
    bad_corpus: Path, tmp_path: Path, tiny_marian: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _deny_reading(bad_corpus / "locked.txt", monkeypatch)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in bad_corpus.iterdir() if p.name != "locked.txt"}
    out = tmp_path / "out"
    code, _, err = run_cli(translate_args(bad_corpus, out, tiny_marian, "--format", "json"), capsys)
    assert code == 1
    errors = {Path(e["path"]).name: e["reason"] for e in map(json.loads, (out / "errors.jsonl").read_text().splitlines())}
    assert sorted(errors) == ["blank.jsonl", "empty.txt", "huge.txt", "locked.txt", "random.txt", "scripts-only.html"]
    assert errors["empty.txt"] == "file is empty"
    assert errors["blank.jsonl"] == "file is empty (no JSON lines)"
    assert errors["huge.txt"].endswith(f"over the {MAX_INPUT_BYTES:,}-byte input limit")
    assert errors["locked.txt"] == "permission denied"
    assert "binary" in errors["random.txt"]
    assert "6 ok, 6 failed, 0 skipped" in err
    written = sorted(p.name for p in out.iterdir() if p.is_file())
    assert written == ["cp1252.json", "english.json", "errors.jsonl", "good.json", "long-line.json", "page.json", "utf16.json"]
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in bad_corpus.iterdir() if p.name != "locked.txt"}
    assert after == before  # inputs are never modified

    cp1252 = json.loads((out / "cp1252.json").read_text(encoding="utf-8"))
    assert "café" in cp1252["article"]["paragraphs"][-1]
    english = json.loads((out / "english.json").read_text(encoding="utf-8"))
    assert english["translation"]["notes"] == ["already English: passed through unchanged"]
    assert english["translation"]["text"] == "\n\n".join(english["article"]["paragraphs"])
    long_line = json.loads((out / "long-line.json").read_text(encoding="utf-8"))
    sources = " ".join(s["source"] for p in long_line["translation"]["paragraphs"] for s in p)
    assert len(long_line["article"]["paragraphs"]) == 1
    assert sources.replace(" ", "") == long_line["article"]["paragraphs"][0].replace(" ", "")  # nothing cut


def test_exit_codes_and_usage_errors(tmp_path: Path, tiny_marian: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = make_pages(tmp_path / "pages", 2)
    assert run_cli(translate_args(pages, tmp_path / "out", tiny_marian), capsys)[0] == 0
    code, _, err = run_cli(translate_args(pages, pages / "out", tiny_marian), capsys)
    assert code == 2 and "inside the input folder" in err
    code, _, err = run_cli(translate_args(pages, pages, tiny_marian), capsys)
    assert code == 2 and "inside the input folder" in err
    assert not (pages / "out").exists()
    code, _, err = run_cli(translate_args(tmp_path / "missing", tmp_path / "out2", tiny_marian), capsys)
    assert code == 2 and "does not exist" in err
    (pages / "bad.txt").write_bytes(b"")
    assert run_cli(translate_args(pages, tmp_path / "out", tiny_marian), capsys)[0] == 1


def test_rerun_skips_finished_files_force_redoes_them_and_outputs_are_identical(
    tmp_path: Path, tiny_marian: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = make_pages(tmp_path / "pages", 6)
    first, second = tmp_path / "first", tmp_path / "second"
    args = translate_args(pages, first, tiny_marian, "--format", "md", "--batch-sentences", "5")
    assert run_cli(args, capsys)[0] == 0
    reference = tree_bytes(first)

    code, _, err = run_cli([*args, "--log-json", str(tmp_path / "log.jsonl")], capsys)
    assert code == 0 and "0 ok, 0 failed, 6 skipped" in err
    assert tree_bytes(first) == reference
    events = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert [e["status"] for e in events[:-1]] == ["skipped"] * 6
    assert events[-1]["event"] == "summary" and events[-1]["skipped"] == 6

    (pages / "page-02.txt").write_text(ARTICLES[1], encoding="utf-8")  # changed input is redone
    (first / "page-04.md").write_text("edited by hand\n", encoding="utf-8")  # damaged output is redone
    code, _, err = run_cli(args, capsys)
    assert "2 ok, 0 failed, 4 skipped" in err
    code, _, err = run_cli([*args, "--force"], capsys)
    assert "6 ok, 0 failed, 0 skipped" in err

    # one batch for everything, or a batch per few sentences: same bytes
    assert run_cli(translate_args(pages, second, tiny_marian, "--format", "md", "--batch-sentences", "1000"), capsys)[0] == 0
    assert tree_bytes(second) == tree_bytes(first)


def test_a_different_model_option_invalidates_finished_outputs(
    tmp_path: Path, tiny_marian: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = make_pages(tmp_path / "pages", 2)
    out = tmp_path / "out"
    assert run_cli(translate_args(pages, out, tiny_marian), capsys)[0] == 0
    code, _, err = run_cli(translate_args(pages, out, tiny_marian, "--max-length", "5"), capsys)
    assert "2 ok, 0 failed, 0 skipped" in err


def test_formats(tmp_path: Path, tiny_marian: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "story.txt").write_text(ARTICLES[0], encoding="utf-8")
    outputs = {}
    for fmt in ("txt", "md", "json"):
        code, _, _ = run_cli(
            ["process", str(pages), "--out", str(tmp_path / fmt), "--format", fmt, "--method", "lead",
             "--model", str(tiny_marian), *FAST_MODEL_OPTIONS, "-q"],
            capsys,
        )
        assert code == 0
        outputs[fmt] = (tmp_path / fmt / f"story.{fmt}").read_text(encoding="utf-8")
    record = json.loads(outputs["json"])
    assert list(record) == ["source", "task", "article", "summary", "translation", "warnings", "signature"]
    assert record["source"] == "story.txt" and record["task"] == "process"
    assert len(record["summary"]["id"]) == len(record["summary"]["en"]) == 3
    assert record["signature"].startswith("idnews:0.1.0|task:process|") and record["signature"].count("idnews:") == 1
    assert "|translator:[model:tiny-marian@sha256:" in record["signature"] and "|summarizer:[method:lead|" in record["signature"]
    segments = [s for p in record["translation"]["paragraphs"] for s in p]
    assert all(set(s) == {"source", "target", "warnings", "notes"} for s in segments)

    title, bullets, *body = outputs["txt"].rstrip("\n").split("\n\n")
    assert title == record["translation"]["title"]["target"]
    assert bullets.splitlines() == [f"- {b}" for b in record["summary"]["en"]]
    assert "\n\n".join(body) == record["translation"]["text"]

    md = outputs["md"]
    assert md.startswith(f"# {record['article']['title']}\n")
    assert md.count("| Indonesia | English |") == len(record["translation"]["paragraphs"])
    for segment in segments:
        assert f"| {segment['source']} | {segment['target']}" in md


def test_process_without_a_model_cleans_and_summarises_and_says_so_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], empty_caches: Path
) -> None:
    pages = make_pages(tmp_path / "pages", 3)
    code, _, err = run_cli(["process", str(pages), "--out", str(tmp_path / "out"), "--format", "json",
                            "--method", "lead"], capsys)
    assert code == 0
    assert err.count("translation skipped") == 1 and "idnews models fetch opus-mt-id-en" in err
    record = json.loads((tmp_path / "out" / "page-00.json").read_text(encoding="utf-8"))
    assert record["translation"] is None and record["summary"]["en"] is None
    assert len(record["summary"]["id"]) == 3 and "translator:none" in record["signature"]
    code, _, err = run_cli(["translate", str(pages), "--out", str(tmp_path / "out2")], capsys)
    assert code == 1 and "not found offline" in err and not (tmp_path / "out2").exists()
    assert f"Hugging Face cache {empty_caches / 'hf'}" in err


def test_summarize_in_english_and_jsonl_rows_carry_their_fields(
    tmp_path: Path, tiny_marian: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = tmp_path / "rows"
    rows.mkdir()
    lines = [json.dumps({"id": i, "text": text, "url": f"https://example.id/{i}"}) for i, text in enumerate(ARTICLES[:3])]
    lines.insert(1, "{broken")
    (rows / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, _ = run_cli(["summarize", str(rows), "--out", str(out), "--lang", "en", "--method", "lead", "-n", "2",
                          "--model", str(tiny_marian), *FAST_MODEL_OPTIONS, "-q"], capsys)
    assert code == 1  # one line is broken; the others are written, in order, with the broken one in place
    written = [json.loads(line) for line in (out / "news.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r.get("fields", {}).get("id") for r in written] == [0, None, 1, 2]
    assert written[1]["source"] == "news.jsonl:2" and written[1]["error"].startswith("not valid JSON")
    assert written[0]["fields"]["url"] == "https://example.id/0"
    assert len(written[0]["summary"]["id"]) == len(written[0]["summary"]["en"]) == 2
    assert written[0]["translation"] is None
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(Path(e["path"]).name, e["line"]) for e in errors] == [("news.jsonl", 2)]


def test_process_record_is_a_pure_function_of_one_record(tiny_marian: Path) -> None:
    from idnews.summarization import get_summarizer
    from idnews.translation import Translator

    models = Models(Translator.from_options(str(tiny_marian), beam_size=1, max_length=8, guard=False), get_summarizer("lead"))
    options = Options(task="process", bullets=2)
    record = Record("row-1", text=ARTICLES[0], fields={"id": 1})
    first = process_record(record, models, options)
    assert process_record(record, models, options) == first
    assert first["fields"] == {"id": 1} and len(first["summary"]["en"]) == 2
    assert process_record(Record("row-2", text="  "), models, options) == {"source": "row-2", "error": "the text is empty"}


def test_translate_dataset_adds_an_english_column(tiny_marian: Path) -> None:
    import datasets

    import idnews

    ds = datasets.Dataset.from_dict({"text": [ARTICLES[0], ""], "id": [1, 2]})
    out = idnews.translate_dataset(ds, "text", model=str(tiny_marian), beam_size=1, max_length=8, guard=False)
    assert out.column_names == ["text", "id", "text_en", "text_en_warnings"]
    assert out[1]["text_en"] == "" and out[0]["text_en"].count("\n\n") == ARTICLES[0].count("\n\n")
    with pytest.raises(idnews.IdnewsError, match="no column 'body'"):
        idnews.translate_dataset(ds, "body", model=str(tiny_marian))


def test_an_output_that_cannot_be_written_is_a_failure_and_the_run_goes_on(
    tmp_path: Path, tiny_marian: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = make_pages(tmp_path / "pages", 3)
    out = tmp_path / "out"
    (out / "page-01.txt").mkdir(parents=True)  # a folder where the output file should go
    code, _, err = run_cli(translate_args(pages, out, tiny_marian), capsys)
    assert code == 1 and "2 ok, 1 failed" in err
    (error,) = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert error["path"].endswith("page-01.txt") and error["reason"].startswith("cannot write")
    assert (out / "page-00.txt").is_file() and (out / "page-02.txt").is_file()
