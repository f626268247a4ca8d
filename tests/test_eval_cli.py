"""The ``idnews eval`` commands: JSON shapes, equality with the reference tools, errors, suites."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import write_jsonl, write_lines
from idnews.cli import cli

SEGMENTS_REF = [
    "The president inaugurated a new bridge in Jakarta on Monday.",
    "Rice prices rose sharply ahead of Eid.",
    "Indonesia beat Vietnam two goals to nil.",
    "A magnitude 5.6 earthquake shook Cianjur, West Java.",
    "Hundreds of houses were damaged.",
    "The government prepared market operations.",
] * 4
SEGMENTS_GOOD = [s.replace("the ", "a ", 1) for s in SEGMENTS_REF]
SEGMENTS_BAD = ["Something else entirely happened yesterday."] * len(SEGMENTS_REF)


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["eval", *args], catch_exceptions=False)


def test_eval_rouge_writes_the_documented_json(tmp_path):
    from rouge_score import rouge_scorer

    hyps = ["Presiden meresmikan jembatan baru.", ["Harga beras naik.", "Operasi pasar disiapkan."]]
    refs = [["Presiden Jokowi meresmikan jembatan."], {"refs": ["Beras naik.", ["Harga beras naik tajam.", "Pasar."]]}]
    hyp, ref = write_jsonl(tmp_path / "h.jsonl", hyps), write_jsonl(tmp_path / "r.jsonl", refs)
    out = tmp_path / "scores.json"
    result = invoke("rouge", "--hyp", str(hyp), "--ref", str(ref), "--json", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert set(data) == {"n", "scores", "signature"} and data["n"] == 2
    assert set(data["scores"]) == {"rouge1", "rouge2", "rougeL", "rougeLsum"}
    scorer = rouge_scorer.RougeScorer(["rouge1"])  # its own tokenizer: right for this ASCII-only text
    expected = (
        scorer.score("Presiden Jokowi meresmikan jembatan.", "Presiden meresmikan jembatan baru.")["rouge1"].fmeasure
        + scorer.score_multi(["Beras naik.", "Harga beras naik tajam.\nPasar."], "Harga beras naik.\nOperasi pasar disiapkan.")["rouge1"].fmeasure
    ) * 50
    rouge1 = data["scores"]["rouge1"]
    assert rouge1["mean"] == pytest.approx(expected)
    assert rouge1["ci95"][0] <= rouge1["mean"] <= rouge1["ci95"][1]
    assert "tok:unicode-lower-w+|stem:no" in data["signature"] and "seed:12345" in data["signature"]
    assert "rouge1" in result.output and "signature:" in result.output


def test_eval_bleu_equals_the_sacrebleu_command_line(tmp_path):
    ref = write_lines(tmp_path / "ref.txt", SEGMENTS_REF)
    hyp = write_lines(tmp_path / "hyp.txt", SEGMENTS_GOOD)
    out = tmp_path / "bleu.json"
    result = invoke("bleu", "--hyp", str(hyp), "--ref", str(ref), "--json", str(out))
    assert result.exit_code == 0, result.output
    ours = json.loads(out.read_text())
    assert set(ours["scores"]) == {"bleu", "chrf", "chrf++", "ter"} and ours["n"] == len(SEGMENTS_REF)

    def sacrebleu_cli(*options: str) -> list[dict]:
        command = [sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp), "-w", "4", "-f", "json", *options]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        parsed = json.loads(output)
        return parsed if isinstance(parsed, list) else [parsed]

    bleu, chrf, ter = sacrebleu_cli("-m", "bleu", "chrf", "ter")
    (chrf_pp,) = sacrebleu_cli("-m", "chrf", "--chrf-word-order", "2")
    for name, theirs in (("bleu", bleu), ("chrf", chrf), ("ter", ter), ("chrf++", chrf_pp)):
        assert round(ours["scores"][name]["mean"], 4) == pytest.approx(theirs["score"], abs=1e-9), name
    assert ours["scores"]["bleu"]["signature"].endswith(
        "bleu|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|sacrebleu:" + bleu["signature"].rsplit(":", 1)[1] + "|bs:1000|seed:12345"
    )


def test_eval_bleu_compare_runs_the_paired_test(tmp_path):
    ref = write_lines(tmp_path / "ref.txt", SEGMENTS_REF)
    good = write_lines(tmp_path / "good.txt", SEGMENTS_GOOD)
    bad = write_lines(tmp_path / "bad.txt", SEGMENTS_BAD)
    out = tmp_path / "cmp.json"
    result = invoke("bleu", "--hyp", str(good), "--ref", str(ref), "--compare", str(bad), "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "paired bootstrap (bad.txt vs good.txt)" in result.output
    compared = json.loads(out.read_text())["compare"]["paired_bootstrap"]
    assert compared["baseline"] == "good.txt" and compared["bleu"]["p_value"] < 0.01
    same = invoke("bleu", "--hyp", str(good), "--ref", str(ref), "--compare", str(good), "--bootstrap", "200")
    assert "p = 1.0000" in same.output


def test_eval_inputs_errors_name_the_file_and_the_problem(tmp_path):
    ref = write_jsonl(tmp_path / "r.jsonl", ["a b", "c d"])
    broken = tmp_path / "h.jsonl"
    broken.write_text('"a b"\n{not json\n', encoding="utf-8")
    short = write_jsonl(tmp_path / "short.jsonl", ["a b"])
    for hyp, message in ((broken, "line 2: not valid JSON"), (short, "1 items but the reference has 2")):
        process = subprocess.run(
            [sys.executable, "-m", "idnews", "eval", "rouge", "--hyp", str(hyp), "--ref", str(ref)],
            capture_output=True, text=True,
        )
        assert process.returncode == 1
        assert f"idnews: error: {hyp}: " in process.stderr and message in process.stderr


def test_eval_summaries_scores_a_named_data_set(tmp_path, indosum_path):
    out = tmp_path / "summaries.json"
    result = invoke("summaries", "--data", "indosum-test", "--method", "lead", "--limit", "20", "--bootstrap", "200", "--json", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["n"] == 20 and data["status"] == "ok" and data["system"] == "lead"
    assert "data:indosum-test|split:test|hash:" in data["signature"] and "limit:20" in data["signature"]
    assert 20 < data["scores"]["rouge1"]["mean"] < 100


def test_eval_summaries_reads_a_jsonl_file_and_skips_unknown_methods(tmp_path):
    data = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {"text": "Harga beras naik. Pemerintah menyiapkan operasi pasar. Warga antre.", "summary": "Harga beras naik."},
            {"text": "Gempa mengguncang Cianjur. Ratusan rumah rusak. Warga mengungsi.", "bullets": ["Gempa di Cianjur."]},
        ],
    )
    result = invoke("summaries", "--data", str(data), "--method", "lead", "--method", "nosuch", "--n", "1")
    assert result.exit_code == 0, result.output
    assert "skipped: summariser 'nosuch' not available" in result.output
    assert "lead" in result.output


def test_eval_translation_unavailable_model_is_a_skipped_row_not_a_score(tmp_path, shared, monkeypatch):
    monkeypatch.setenv("IDNEWS_CACHE", str(tmp_path / "cache"))
    process = subprocess.run(
        [sys.executable, "-m", "idnews", "eval", "translation", "--data", "nusax-test", "--model", "opus-mt-id-en", "--limit", "5"],
        capture_output=True, text=True, env={**__import__("os").environ, "HF_HUB_OFFLINE": "1"},
    )
    assert process.returncode != 0
    assert "skipped: model opus-mt-id-en not available offline" in process.stdout
    assert "nothing was scored" in process.stderr


def test_eval_run_refuses_a_folder_with_other_files(tmp_path):
    suite = tmp_path / "s.yaml"
    suite.write_text("tasks:\n  - task: summaries\n    data: indosum-test\n    methods: [lead]\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "idnews", "eval", "run", str(suite), "--out", str(out)], capture_output=True, text=True
    )
    assert process.returncode == 1 and "folder holds other files (notes.txt)" in process.stderr
    assert (out / "notes.txt").read_text() == "mine"
    (out / "notes.txt").unlink()
    (out / "outputs").mkdir()
    (out / "outputs" / "draft.docx").write_text("mine", encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "idnews", "eval", "run", str(suite), "--out", str(out)], capture_output=True, text=True
    )
    assert process.returncode == 1 and "folder holds other files (outputs)" in process.stderr
    assert (out / "outputs" / "draft.docx").read_text() == "mine"


def test_eval_summaries_on_a_folder_of_pages_counts_pages_without_bullets(seeds_dir, tmp_path):
    out = tmp_path / "pages.json"
    result = invoke("summaries", "--data", str(seeds_dir), "--method", "lead", "--json", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    pages = len([p for p in seeds_dir.iterdir() if p.suffix == ".txt"])
    assert pages == 5 and data["n"] == 1  # only the IDN Times page has an "Intinya sih..." block
    assert data["skipped_items"] == 4 and "note (lead): 4 item(s) skipped: no Intinya bullets" in result.output


def test_eval_bleu_with_two_references_equals_sacrebleu(tmp_path):
    ref1 = write_lines(tmp_path / "ref1.txt", SEGMENTS_REF)
    ref2 = write_lines(tmp_path / "ref2.txt", [s.replace("The ", "A ", 1) for s in SEGMENTS_REF])
    hyp = write_lines(tmp_path / "hyp.txt", [s.replace(".", "", 1) for s in SEGMENTS_GOOD])
    out = tmp_path / "multi.json"
    result = invoke("bleu", "--hyp", str(hyp), "--ref", str(ref1), "--ref", str(ref2), "--json", str(out))
    assert result.exit_code == 0, result.output
    ours = json.loads(out.read_text())["scores"]
    command = [sys.executable, "-m", "sacrebleu", str(ref1), str(ref2), "-i", str(hyp), "-m", "bleu", "chrf", "ter", "-w", "4", "-f", "json"]
    theirs = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    for entry, name in zip(theirs, ("bleu", "chrf", "ter")):
        assert round(ours[name]["mean"], 4) == pytest.approx(entry["score"], abs=1e-9), name
    assert "nrefs:2" in ours["bleu"]["signature"]
