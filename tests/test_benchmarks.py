"""Tests of the benchmark scripts: their arithmetic on hand-made numbers, their tables against hand-written
Markdown, and each script's smallest run.

Speed is never asserted: the smoke runs check plumbing (every engine did the same work, the ratios are those of
the rows) on a tiny model.
"""
from __future__ import annotations

import importlib
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, require_shared, shared_dir

BENCHMARKS = REPO / "benchmarks"


def run_benchmark(script: str, tmp_path: Path, *args: str) -> tuple[dict[str, Any], str]:
    out = tmp_path / f"{script}.json"
    env = {**os.environ, "IDNEWS_SHARED": str(shared_dir()), "IDNEWS_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{script}.py"), "--smoke", "--work-dir", str(tmp_path / "work"),
         "--json", str(out), *args],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), done.stdout


def benchmark_module(name: str) -> Any:
    """A module of ``benchmarks/`` (they import each other by plain name, so the folder goes on the path)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))


def check_machine(report: dict[str, Any]) -> None:
    machine = report["machine"]
    assert machine["cpu_count"] >= 1
    assert machine["cpu_model"]
    assert set(machine["versions"]) >= {"torch", "transformers", "ctranslate2"}


def row(engine: str, compute_type: str, intra: int | None, inter: int | None, **rates: float) -> dict[str, Any]:
    """A table row as translate_speed.py saves it, with the given tokens/s per regime."""
    label = "idnews int8 (defaults)" if engine == "idnews" else f"{engine} {compute_type} {intra}×{inter}"
    made = {"label": label, "engine": engine, "compute_type": compute_type,
            "regimes": {regime: {"tokens_per_s": rate, "sentences": [4], "tokens_per_sentence": [20]}
                        for regime, rate in rates.items()}}
    if engine != "idnews":
        made.update(intra=intra, inter=inter)
    return made


ROWS = [
    row("idnews", "int8", None, None, stream=100.0, batch=1000.0, beam4=500.0),
    row("ctranslate2", "int8", 1, 1, stream=110.0, batch=800.0, beam4=400.0),
    row("ctranslate2", "int8", 1, 2, stream=90.0, batch=1250.0, beam4=520.0),
    row("transformers", "float32", 1, 1, stream=50.0, batch=300.0, beam4=100.0),
    row("transformers", "dynamic_int8", 1, 1, stream=125.0, batch=600.0, beam4=90.0),
]


def test_ratios_are_against_the_best_plain_ctranslate2_row_and_the_best_row_of_any_engine() -> None:
    speed = benchmark_module("translate_speed")
    ratios = speed.ratios(ROWS)
    # stream: best CTranslate2 is 1×1 at 110, best of all transformers dynamic int8 at 125
    assert ratios["stream"]["vs_ctranslate2"] == pytest.approx(100 / 110)
    assert ratios["stream"]["best_ctranslate2"] == "ctranslate2 int8 1×1"
    assert ratios["stream"]["vs_any"] == pytest.approx(0.8)
    assert ratios["stream"]["best_any"] == "transformers dynamic_int8 1×1"
    # batch: CTranslate2 1×2 at 1250 is the best of every engine
    assert ratios["batch"] == {"vs_ctranslate2": pytest.approx(0.8), "best_ctranslate2": "ctranslate2 int8 1×2",
                               "vs_any": pytest.approx(0.8), "best_any": "ctranslate2 int8 1×2"}
    assert ratios["beam4"]["vs_ctranslate2"] == pytest.approx(500 / 520)


def test_verdict_holds_each_figure_to_its_target() -> None:
    speed = benchmark_module("translate_speed")

    def report(stream: float, folder: float, extra: float) -> dict[str, Any]:
        return {"ratios": {"stream": {"vs_ctranslate2": stream}, "batch": {"vs_ctranslate2": 1.1}},
                "folder": {"ratio": folder}, "first_call": {"extra_s": extra}}

    met = speed.verdict(report(0.97, 1.2, 1.0))
    assert met == {"stream_vs_ctranslate2": True, "batch_vs_ctranslate2": True, "folder": True,
                   "first_call_extra_s": True, "all_met": True}
    assert speed.verdict(report(0.969, 1.2, 1.0))["stream_vs_ctranslate2"] is False
    assert speed.verdict(report(0.969, 1.2, 1.0))["all_met"] is False
    assert speed.verdict(report(1.5, 1.19, 1.0))["folder"] is False
    assert speed.verdict(report(1.5, 1.3, 1.01))["first_call_extra_s"] is False


def test_a_run_where_an_engine_wrote_other_lengths_stops() -> None:
    speed, common = benchmark_module("translate_speed"), benchmark_module("_common")
    same = [row("idnews", "int8", None, None, stream=1.0), row("ctranslate2", "int8", 1, 1, stream=1.0)]
    speed.check_tokens(same, {"stream": 4}, 20)  # 4 sentences of 20 tokens each: passes
    shorter = json.loads(json.dumps(same))
    shorter[1]["regimes"]["stream"]["tokens_per_sentence"] = [19, 20]
    with pytest.raises(common.BenchmarkError, match="ctranslate2 int8 1×1, stream: \\[4\\] sentences of \\[19, 20\\]"):
        speed.check_tokens(shorter, {"stream": 4}, 20)
    with pytest.raises(common.BenchmarkError, match="not 5 of 20"):
        speed.check_tokens(same, {"stream": 5}, 20)


def test_a_row_is_the_median_of_its_rounds() -> None:
    speed = benchmark_module("translate_speed")
    rounds = [{"tokens_per_s": t, "load_s": s, "peak_rss_mb": m, "sentences": 8, "tokens_per_sentence": [20]}
              for t, s, m in [(100.0, 1.0, 300.0), (130.0, 3.0, 310.0), (110.0, 2.0, 290.0)]]
    made = speed.summarise({"engine": "ctranslate2", "compute_type": "int8", "intra": 1, "inter": 2}, {"stream": rounds})
    assert made["label"] == "ctranslate2 int8 1×2"
    assert made["regimes"]["stream"] == {"tokens_per_s": 110.0, "rounds": [100.0, 130.0, 110.0], "load_s": 2.0,
                                         "peak_rss_mb": 300.0, "sentences": [8], "tokens_per_sentence": [20]}


def test_sub_batches_split_a_call_between_the_workers() -> None:
    speed = benchmark_module("translate_speed")
    assert [speed.sub_batch(32, 2), speed.sub_batch(33, 2), speed.sub_batch(1, 2), speed.sub_batch(32, 1)] == [16, 17, 1, 0]


def test_the_rows_are_every_thread_layout_a_user_can_pick() -> None:
    speed = benchmark_module("translate_speed")
    assert [speed.label(s) for s in speed.settings(2)] == [
        "idnews int8 (defaults)", "ctranslate2 int8 1×1", "ctranslate2 int8 2×1", "ctranslate2 int8 1×2",
        "transformers float32 1×1", "transformers bfloat16 1×1", "transformers dynamic_int8 1×1",
    ]
    assert [speed.label(s) for s in speed.settings(4, torch_threads=4)] == [
        "idnews int8 (defaults)", "ctranslate2 int8 1×1", "ctranslate2 int8 4×1", "ctranslate2 int8 1×4",
        "transformers float32 4×1", "transformers bfloat16 4×1", "transformers dynamic_int8 4×1",
    ]
    assert [speed.label(s) for s in speed.settings(1)] == [
        "idnews int8 (defaults)", "ctranslate2 int8 1×1", "transformers float32 1×1", "transformers bfloat16 1×1",
        "transformers dynamic_int8 1×1",
    ]
    assert [speed.label(s) for s in speed.settings(2, smoke=True)] == [
        "idnews int8 (defaults)", "ctranslate2 int8 1×1", "ctranslate2 int8 1×2", "transformers float32 1×1"]


SAVED = {
    "rows": ROWS,
    "ratios": {"stream": {"vs_ctranslate2": 100 / 110, "best_ctranslate2": "ctranslate2 int8 1×1", "vs_any": 0.8,
                          "best_any": "transformers dynamic_int8 1×1"},
               "batch": {"vs_ctranslate2": 0.8, "best_ctranslate2": "ctranslate2 int8 1×2", "vs_any": 0.8,
                         "best_any": "ctranslate2 int8 1×2"},
               "beam4": {"vs_ctranslate2": 500 / 520, "best_ctranslate2": "ctranslate2 int8 1×2", "vs_any": 500 / 520,
                         "best_any": "ctranslate2 int8 1×2"}},
    "folder": {"ratio": 1.25, "articles": 16, "sentences": 242, "idnews_s": 4.0, "plain_s": 5.0,
               "plain": "ctranslate2 int8 1×2"},
    "first_call": {"idnews_s": 1.3, "plain_s": 0.5, "extra_s": 0.8},
    "verdict": {"stream_vs_ctranslate2": False, "batch_vs_ctranslate2": False, "beam4_vs_ctranslate2": False,
                "folder": True, "first_call_extra_s": True, "all_met": False},
}


def test_the_table_of_a_saved_run() -> None:
    speed = benchmark_module("translate_speed")
    assert speed.table(SAVED).splitlines() == [
        "| engine | stream tokens/s | batch 32 tokens/s | beam 4 tokens/s |",
        "|---|---|---|---|",
        "| idnews int8 (defaults) | 100 | 1,000 | 500 |",
        "| ctranslate2 int8 1×1 | 110 | 800 | 400 |",
        "| ctranslate2 int8 1×2 | 90.0 | 1,250 | 520 |",
        "| transformers float32 1×1 | 50.0 | 300 | 100 |",
        "| transformers dynamic_int8 1×1 | 125 | 600 | 90.0 |",
        "| **idnews / best plain CTranslate2** | 0.91 (ctranslate2 int8 1×1) | 0.80 (ctranslate2 int8 1×2) "
        "| 0.96 (ctranslate2 int8 1×2) |",
        "| **idnews / best of any engine** | 0.80 (transformers dynamic_int8 1×1) | 0.80 (ctranslate2 int8 1×2) "
        "| 0.96 (ctranslate2 int8 1×2) |",
    ]


def test_the_ratios_of_a_saved_run_against_their_targets() -> None:
    speed = benchmark_module("translate_speed")
    assert speed.ratio_table(SAVED).splitlines() == [
        "| measure | against plain CTranslate2 | against any engine | target | met |",
        "|---|---|---|---|---|",
        "| stream, idnews / best tokens/s | 0.91 | 0.80 | ≥ 0.97 | no |",
        "| batch 32, idnews / best tokens/s | 0.80 | 0.80 | ≥ 0.97 | no |",
        "| beam 4, idnews / best tokens/s | 0.96 | 0.96 | ≥ 0.97 | no |",
        "| folder, plain loop time / idnews time | 1.25 | – | ≥ 1.2 | yes |",
        "| first call, idnews s − plain s | +0.80 s | – | ≤ 1.0 s | yes |",
    ]


def test_interleave_starts_each_round_one_config_later() -> None:
    common = benchmark_module("_common")
    order: list[str] = []
    results = common.interleave([{"name": "a"}, {"name": "b"}, {"name": "c"}], 4,
                                lambda config: order.append(config["name"]) or {"name": config["name"]}, log=lambda _: None)
    assert order == ["a", "b", "c", "b", "c", "a", "c", "a", "b", "a", "b", "c"]
    assert [[r["name"] for r in per_config] for per_config in results] == [["a"] * 4, ["b"] * 4, ["c"] * 4]


@pytest.mark.slow
def test_translate_speed_smoke(tmp_path: Path) -> None:
    """The smallest whole run: every engine wrote 8 tokens for each of 4 sentences, and every figure is the
    arithmetic of the numbers beside it."""
    require_shared("models", "opus-mt-id-en")
    require_shared("data", "mt", "flores200_dev", "dev.ind_Latn")
    require_shared("data", "summ", "indosum_dev_allfolds.jsonl")
    report, stdout = run_benchmark("translate_speed", tmp_path)
    check_machine(report)
    rows = {r["label"]: r for r in report["rows"]}
    cores = {r["inter"] for r in report["rows"] if r["engine"] == "ctranslate2"}
    assert set(rows) == {"idnews int8 (defaults)", "transformers float32 1×1",
                         *(f"ctranslate2 int8 1×{n}" for n in cores)} and 1 in cores
    for made in rows.values():
        assert set(made["regimes"]) == {"stream", "batch", "beam4"}
        for value in made["regimes"].values():
            assert value["sentences"] == [4] and value["tokens_per_sentence"] == [8], made["label"]
            assert value["tokens_per_s"] == statistics.median(value["rounds"]) > 0 and len(value["rounds"]) == 1
    assert report["tokens_equal"] is True
    for regime, ratio in report["ratios"].items():
        ours = rows["idnews int8 (defaults)"]["regimes"][regime]["tokens_per_s"]
        ct2 = {label: r["regimes"][regime]["tokens_per_s"] for label, r in rows.items() if label.startswith("ctranslate2")}
        others = {**ct2, "transformers float32 1×1": rows["transformers float32 1×1"]["regimes"][regime]["tokens_per_s"]}
        assert ratio["vs_ctranslate2"] == pytest.approx(ours / max(ct2.values()))
        assert ct2[ratio["best_ctranslate2"]] == max(ct2.values())
        assert ratio["vs_any"] == pytest.approx(ours / max(others.values()))
        assert report["verdict"][f"{regime}_vs_ctranslate2"] == (ratio["vs_ctranslate2"] >= 0.97)
    first, folder = report["first_call"], report["folder"]
    assert first["idnews_s"] > 0 and first["plain_s"] > 0
    assert first["extra_s"] == pytest.approx(first["idnews_s"] - first["plain_s"])
    assert report["verdict"]["first_call_extra_s"] == (first["extra_s"] <= 1.0)
    assert folder["articles"] == 2 and folder["sentences"] > 2
    assert folder["ratio"] == pytest.approx(folder["plain_s"] / folder["idnews_s"])
    assert report["verdict"]["folder"] == (folder["ratio"] >= 1.2)
    text = (tmp_path / "translate_speed.json").read_text(encoding="utf-8")
    assert '"/' not in text, "the JSON holds an absolute path"
    # the table printed at the end of the run is the one --show prints from the saved JSON
    shown = subprocess.run([sys.executable, str(BENCHMARKS / "translate_speed.py"), "--show",
                            str(tmp_path / "translate_speed.json")], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert shown.returncode == 0 and shown.stdout.strip() and shown.stdout.strip() in stdout
    assert "| engine | stream tokens/s | batch 32 tokens/s | beam 4 tokens/s |" in stdout


def test_the_saved_run_is_a_whole_benchmark_output() -> None:
    """``benchmarks/results/`` holds the latest run of translate_speed.py as it wrote it: machine, versions, no
    local paths, and ratios that are those of its rows."""
    assert sorted(p.name for p in (BENCHMARKS / "results").iterdir()) == ["translate-speed.json"]
    path = BENCHMARKS / "results" / "translate-speed.json"
    text = path.read_text(encoding="utf-8")
    assert '"/' not in text, f"{path.name} holds an absolute path"
    report = json.loads(text)
    assert report["benchmark"] == "translate_speed" and report["run"]["mode"] == "quick"
    check_machine(report)
    assert report["tokens_equal"] is True
    for regime, ratio in report["ratios"].items():
        rates = {r["label"]: r["regimes"][regime]["tokens_per_s"] for r in report["rows"]}
        for made in report["rows"]:
            assert made["regimes"][regime]["tokens_per_sentence"] == [report["run"]["tokens"]]
            assert made["regimes"][regime]["tokens_per_s"] == statistics.median(made["regimes"][regime]["rounds"])
        assert ratio["vs_ctranslate2"] == pytest.approx(rates["idnews int8 (defaults)"] / rates[ratio["best_ctranslate2"]])
        assert rates[ratio["best_ctranslate2"]] == max(v for k, v in rates.items() if k.startswith("ctranslate2"))
        assert rates[ratio["best_any"]] == max(v for k, v in rates.items() if not k.startswith("idnews"))
    assert report["folder"]["ratio"] == pytest.approx(report["folder"]["plain_s"] / report["folder"]["idnews_s"])
    assert report["first_call"]["extra_s"] == pytest.approx(
        statistics.median(report["first_call"]["idnews_rounds"]) - statistics.median(report["first_call"]["plain_rounds"]))


def test_summarize_speed_smoke(tmp_path: Path) -> None:
    require_shared("data", "summ", "indosum_dev_allfolds.jsonl")
    report, _ = run_benchmark("summarize_speed", tmp_path)
    check_machine(report)
    assert [r["method"] for r in report["rows"]] == ["lead", "textrank", "learned", "learned-intinya", "oracle"]
    for made in report["rows"]:
        assert made["articles"] == 5
        assert made["articles_per_s"] > 0 and made["peak_rss_mb"] > 0


def test_folder_speed_smoke(tmp_path: Path) -> None:
    require_shared("models", "opus-mt-id-en")
    require_shared("data", "summ", "indosum_dev_allfolds.jsonl")
    report, _ = run_benchmark("folder_speed", tmp_path)
    check_machine(report)
    assert [r["articles"] for r in report["rows"]] == [3, 12]
    for made in report["rows"]:
        assert made["failed"] == 0 and made["sentences"] > 0
        assert made["wall_s"] > 0 and made["peak_rss_mb"] > 0
    small_rss, large_rss = (r["peak_rss_mb"] for r in report["rows"])
    assert report["rss_growth_4x"] == pytest.approx(large_rss / small_rss - 1)
    small = report["small_files"]
    assert small["files"] == 20 and small["idnews_s"] > 0 and small["bare_loop_s"] > 0
    assert small["ratio"] == pytest.approx(small["idnews_s"] / small["bare_loop_s"]) and small["target"] == 1.5


@pytest.mark.parametrize(("script", "options"), [
    ("translate_speed", ["--quick", "--smoke", "--rounds", "--json", "--show"]),
    ("summarize_speed", ["--quick", "--smoke", "--json"]),
    ("folder_speed", ["--quick", "--smoke", "--json"]),
    ("guard_false_alarms", ["--json"]),
    ("sentence_split_f1", ["--split", "--data"]),
])
def test_benchmark_help(script: str, options: list[str]) -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / f"{script}.py"), "--help"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    assert [option for option in options if option not in done.stdout] == []
