"""Evaluation data sets, suite files and whole suite runs (results.json, reports, reproducibility)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import idnews
from idnews.cli import cli
from idnews.errors import InputError, UnknownNameError
from idnews.evaluation.datasets import MT_FILES, load_eval_dataset
from idnews.evaluation.suite import load_suite, run_suite

# its module fixtures are costly: every test of the file runs on one worker under pytest-xdist
pytestmark = pytest.mark.xdist_group("suite")

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("name", "size"), [("flores200-devtest", 1012), ("tatoeba", 4289), ("tico19-test", 2100), ("nusax-test", 400)])
def test_translation_sets_are_read_line_aligned(shared, name, size):
    dataset = load_eval_dataset(name)
    assert dataset.task == "translation" and len(dataset.items) == size
    assert all(item.source and item.reference for item in dataset.items)
    assert set(MT_FILES) == {"flores200-dev", "flores200-devtest", "tatoeba", "tico19-test", "nusax-test"}


def test_indosum_test_split_and_content_hash(indosum_path):
    full = load_eval_dataset("indosum-test")
    head = load_eval_dataset("indosum-test", limit=20)
    assert len(full.items) == 1317 and full.split == "test"
    assert len(head.items) == 20 and head.limit == 20 and head.content_hash != full.content_hash
    assert load_eval_dataset("indosum-test", limit=20).content_hash == head.content_hash
    assert all(isinstance(ref, list) and ref for item in head.items for ref in item.references)


def test_intinya_pages_use_their_own_bullets_and_count_the_rest(seeds_dir):
    dataset = load_eval_dataset("seeds-intinya")
    pages = [p for p in seeds_dir.iterdir() if p.suffix == ".txt"]
    assert len(pages) == 5
    assert [item.id for item in dataset.items] == ["001_2e3f213f2a5f4aeb.txt"]  # the one "Intinya sih..." block
    assert dataset.items[0].references == [idnews.load_article(seeds_dir / "001_2e3f213f2a5f4aeb.txt").bullets]
    assert dataset.skipped == 4 and dataset.skipped_reason == "no Intinya bullets"


def test_a_folder_of_article_json_files_uses_their_bullets(tmp_path):
    from idnews.article import Article

    with_bullets = Article(
        paragraphs=["Harga beras naik menjelang Lebaran.", "Pemerintah menyiapkan operasi pasar di 30 kota."],
        bullets=["Harga beras naik.", "Operasi pasar disiapkan."],
    )
    without = Article(paragraphs=["Gempa mengguncang Cianjur."])
    (tmp_path / "a.json").write_text(json.dumps(with_bullets.to_dict()), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(without.to_dict()), encoding="utf-8")
    dataset = load_eval_dataset(str(tmp_path))
    assert [item.id for item in dataset.items] == ["a.json"] and dataset.skipped == 1
    assert dataset.items[0].references == [["Harga beras naik.", "Operasi pasar disiapkan."]]
    (tmp_path / "c.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="c.json: not an article JSON file"):
        load_eval_dataset(str(tmp_path))


def test_a_data_set_of_the_wrong_kind_is_a_suite_error(tmp_path, shared):
    suite = tmp_path / "wrong.yaml"
    suite.write_text("tasks:\n  - task: summaries\n    data: nusax-test\n    methods: [lead]\n", encoding="utf-8")
    with pytest.raises(InputError, match="nusax-test is a translation data set, not one for a summaries task"):
        run_suite(load_suite(suite))


def test_unknown_and_missing_data_sets_are_clear_errors(tmp_path):
    with pytest.raises(UnknownNameError, match="known: detik-dev, flores200-dev, flores200-devtest, indosum-test"):
        load_eval_dataset("xsum")
    with pytest.raises(InputError, match="no such file or folder"):
        load_eval_dataset(str(tmp_path / "missing.jsonl"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Satu."}\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 1: no reference summary"):
        load_eval_dataset(str(bad))


def test_suite_files_are_checked(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("tasks:\n  - task: summaries\n    data: indosum-test\n    methods: [lead]\n    beams: 4\n")
    with pytest.raises(InputError, match="task 1: unknown key\\(s\\) beams"):
        load_suite(bad)
    bad.write_text("name: x\n")
    with pytest.raises(InputError, match="non-empty 'tasks' list"):
        load_suite(bad)
    bad.write_text("tasks:\n  - task: translation\n    data: tatoeba\n")
    with pytest.raises(InputError, match="needs 'models'"):
        load_suite(bad)
    bad.write_text("tasks:\n  - task: summaries\n    data: indosum-test\n    methods: [lead]\n    baseline: oracle\n")
    with pytest.raises(InputError, match="baseline 'oracle' is not one of its methods"):
        load_suite(bad)
    suite = load_suite(REPO / "eval" / "default.yaml")
    assert suite.tasks[0].systems == ["lead", "textrank", "learned", "oracle"]
    assert ([spec.data for spec in suite.tasks[1].data], suite.tasks[1].systems, suite.tasks[1].n) == (
        ["detik-dev"], ["lead", "learned", "oracle"], None)
    assert "opus-mt-id-en" in suite.tasks[2].systems


@pytest.fixture(scope="module")
def suite_run(tmp_path_factory, indosum_path, seeds_dir, tiny_marian):
    folder = tmp_path_factory.mktemp("suite")
    suite = folder / "small.yaml"
    suite.write_text(
        "name: small\nseed: 7\nbootstrap: 300\ntasks:\n"
        "  - task: summaries\n    data: [indosum-test, seeds-intinya]\n    methods: [lead, textrank, oracle]\n"
        "    baseline: lead\n    limit: 20\n"
        f"  - task: translation\n    data: nusax-test\n    models: ['{tiny_marian}', opus-mt-id-en]\n    limit: 6\n"
        "    options: {backend: ct2, beam_size: 1, max_length: 12, guard: false}\n",
        encoding="utf-8",
    )
    out = folder / "report"
    env_cache = str(folder / "cache")
    runner = CliRunner(env={"IDNEWS_CACHE": env_cache})
    with pytest.MonkeyPatch.context() as patch:  # an empty hub cache, so opus-mt-id-en is surely absent
        import huggingface_hub.constants

        patch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(folder / "hf"))
        result = runner.invoke(cli, ["eval", "run", str(suite), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return suite, out, result.output


def test_suite_run_writes_results_and_reports(suite_run):
    _, out, output = suite_run
    results = json.loads((out / "results.json").read_text())
    rows = {(r["data"], r["system"]): r for r in results["results"]}
    lead = rows[("indosum-test", "lead")]
    assert lead["status"] == "ok" and lead["n"] == 20 and len(lead["scores"]["rouge1"]["items"]) == 20
    assert "seed:7" in lead["signature"] and "bs:300" in lead["signature"]
    oracle = rows[("indosum-test", "oracle")]
    assert oracle["scores"]["rouge1"]["mean"] > lead["scores"]["rouge1"]["mean"]
    assert oracle["paired_bootstrap"]["baseline"] == "lead" and 0 < oracle["paired_bootstrap"]["rouge1"]["p_value"] <= 1
    skipped = rows[("nusax-test", "opus-mt-id-en")]
    assert skipped["status"] == "skipped" and skipped["reason"] == "model opus-mt-id-en not available offline"
    assert skipped["scores"] == {}
    report = (out / "report.md").read_text()
    assert "| lead | 20 |" in report and "skipped: model opus-mt-id-en not available offline" in report
    page = (out / "report.html").read_text()
    assert page.count('src="data:image/png;base64,') >= 5 and "<h3>Examples:" in page
    assert "<th>source</th>" in page  # translation examples show the Indonesian source
    assert "src=\"plots/" not in page and "http" not in page.split("<body>")[1]
    assert "indosum-test" in output and "wrote" in output


def test_suite_outputs_rescore_to_the_same_numbers(suite_run, tiny_marian):
    _, out, _ = suite_run
    results = {(r["data"], r["system"]): r for r in json.loads((out / "results.json").read_text())["results"]}
    rescored = out.parent / "rescored.json"
    runner = CliRunner()
    args = ["eval", "rouge", "--hyp", str(out / "outputs" / "indosum-test.textrank.hyp.jsonl"),
            "--ref", str(out / "outputs" / "indosum-test.ref.jsonl"), "--seed", "7", "--bootstrap", "300", "--json", str(rescored)]
    assert runner.invoke(cli, args).exit_code == 0
    again = json.loads(rescored.read_text())["scores"]
    for name, score in results[("indosum-test", "textrank")]["scores"].items():
        assert again[name]["mean"] == pytest.approx(score["mean"], abs=1e-12)
        assert again[name]["ci95"] == pytest.approx(score["ci95"], abs=1e-12)

    tiny = results[("nusax-test", str(tiny_marian))]
    assert tiny["status"] == "ok" and tiny["n"] == 6 and "backend:ct2" in tiny["signature"]
    hyp = next((out / "outputs").glob("nusax-test.*tiny-marian.hyp.txt"))
    command = [sys.executable, "-m", "sacrebleu", str(out / "outputs" / "nusax-test.ref.txt"), "-i", str(hyp),
               "-m", "bleu", "chrf", "ter", "-w", "4", "-f", "json"]
    theirs = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    for entry, name in zip(theirs, ("bleu", "chrf", "ter")):
        assert round(tiny["scores"][name]["mean"], 4) == pytest.approx(entry["score"], abs=1e-9)


def test_rerunning_into_an_earlier_report_leaves_no_stale_outputs(tmp_path, indosum_path):
    suite = tmp_path / "s.yaml"
    out = tmp_path / "report"
    runner = CliRunner()
    for methods in ("[lead, textrank]", "[lead]"):
        suite.write_text(f"bootstrap: 50\ntasks:\n  - task: summaries\n    data: indosum-test\n    methods: {methods}\n    limit: 5\n")
        assert runner.invoke(cli, ["eval", "run", str(suite), "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in (out / "outputs").iterdir()) == ["indosum-test.lead.hyp.jsonl", "indosum-test.ref.jsonl"]
    assert [r["system"] for r in json.loads((out / "results.json").read_text())["results"]] == ["lead"]


def test_the_same_suite_twice_gives_identical_results(suite_run, tmp_path):
    suite_file, out, _ = suite_run
    suite = load_suite(suite_file)
    summaries_only = suite.__class__(name=suite.name, path=suite.path, tasks=suite.tasks[:1], seed=suite.seed, bootstrap=suite.bootstrap)
    first, second = run_suite(summaries_only).to_dict(), run_suite(summaries_only).to_dict()
    first.pop("seconds"), second.pop("seconds")
    assert first == second
    earlier = [r for r in json.loads((out / "results.json").read_text())["results"] if r["task"] == "summaries"]
    assert earlier == first["results"]


@pytest.mark.slow
def test_default_suite_runs_offline(tmp_path, indosum_path, seeds_dir):
    out = tmp_path / "default"
    process = subprocess.run(
        # the first 200 items of each data set: the whole-data-set run is docs/evaluation.md's block (test_docs)
        [sys.executable, "-m", "idnews", "eval", "run", str(REPO / "eval" / "default.yaml"), "--out", str(out),
         "--limit", "200"],
        capture_output=True, text=True, cwd=REPO,
        env={**__import__("os").environ, "IDNEWS_CACHE": str(tmp_path / "cache"), "HF_HUB_CACHE": str(tmp_path / "hf")},
    )
    assert process.returncode == 0, process.stderr[-2000:]
    rows = json.loads((out / "results.json").read_text())["results"]
    indosum = {r["system"]: r for r in rows if r["data"] == "indosum-test"}
    assert all(indosum[m]["n"] == 200 for m in ("lead", "textrank", "oracle"))
    assert indosum["oracle"]["scores"]["rouge1"]["mean"] > indosum["lead"]["scores"]["rouge1"]["mean"]
    assert all(r["status"] == "ok" for r in rows if r["task"] == "summaries")
    detik = {r["system"]: r["scores"] for r in rows if r["data"] == "detik-dev"}
    assert detik["learned"]["rouge1"]["mean"] >= detik["lead"]["rouge1"]["mean"] + 2.0
    assert detik["learned"]["rouge2"]["mean"] >= detik["lead"]["rouge2"]["mean"] + 0.5
    translation = [r for r in rows if r["task"] == "translation"]
    assert len(translation) == 4 * 3  # four test sets, three registry models, none cached here
    assert all(r["status"] == "skipped" and r["reason"] == f"model {r['system']} not available offline" for r in translation)
    assert (out / "report.html").stat().st_size > 50_000
