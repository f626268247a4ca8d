"""Smoke tests of the benchmark scripts: each runs in its tiniest mode and writes JSON with the expected keys.

They check plumbing only (tiny model, a handful of inputs); speed is never asserted here.
"""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, require_shared, shared_dir

BENCHMARKS = REPO / "benchmarks"


def run_benchmark(script: str, tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / f"{script}.json"
    env = {**os.environ, "IDNEWS_SHARED": str(shared_dir()), "IDNEWS_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{script}.py"), "--smoke", "--work-dir", str(tmp_path / "work"),
         "--json", str(out), *args],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "|" in done.stdout  # the table was printed
    return json.loads(out.read_text(encoding="utf-8"))


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


def test_translate_speed_smoke(tmp_path: Path) -> None:
    require_shared("models", "opus-mt-id-en")
    require_shared("data", "mt", "flores200_dev")
    report = run_benchmark("translate_speed", tmp_path)
    check_machine(report)
    rows = {(r["engine"], r["compute_type"], r["batching"], r["input"]): r for r in report["rows"]}
    assert set(rows) == {
        ("transformers", "float32", "32", "sentences"),
        ("ctranslate2", "int8", "32", "sentences"),
        ("idnews-ct2", "int8", "32", "sentences"),
        ("idnews-ct2", "float32", "32", "sentences"),
        ("idnews-ct2", "int8", "32", "paragraphs"),
    }
    for row in rows.values():
        # every engine did exactly the same work: 4 sentences, 8 target tokens each
        assert row["sentences"] == 4 and row["tokens_per_sentence"] == "8", row
        assert row["tokens_per_s"] > 0 and row["peak_rss_mb"] > 0 and row["load_s"] >= 0
    ratios = report["ratios"]
    assert set(ratios) >= {
        "ct2_int8_vs_transformers_bs32", "ct2_int8_vs_transformers_bs1", "ct2_int8_vs_transformers_beam4_bs32",
        "overhead_ct2_bs32", "rss_ct2_vs_transformers",
    }
    assert ratios["ct2_int8_vs_transformers_bs32"] > 0
    assert ratios["rss_ct2_vs_transformers"] > 0
    assert ratios["overhead_ct2_bs32"] > -1
    assert ratios["ct2_int8_vs_transformers_bs1"] is None  # batch size 1 is not part of the smoke grid
    import ctranslate2

    if ctranslate2.get_cuda_device_count() == 0:  # the machine decides which half applies, not the result
        assert report["gpu"] == {"skipped": "no CUDA device"}
    else:
        assert len(report["gpu"]["rows"]) == 14  # batch 64 and 128: transformers fp16, two engines x three types
    peers = report["peers"]["rows"]
    assert {(r["engine"], r["compute"], r["threads"]) for r in peers} == {
        ("transformers", "float32", "1×1"), ("ctranslate2", "int8 = int8_float32", "1×1"),
        ("ctranslate2", "float32", "1×1"), ("idnews", "int8 (default)", "auto×auto"),
        ("ctranslate2", "int8, GLIBC_TUNABLES huge pages (process setting; not a peer)", "1×1"),
        ("ctranslate2", "int8, MALLOC_* keeps freed memory (process setting; not a peer)", "1×1"),
    }
    assert all("env" not in r for r in peers)
    for row in peers:  # the same work for every setting: 8 target tokens for every sentence
        assert row["batch"] > 0 and row["tokens_per_sentence"]["batch"] == [8], row
    headline = report["headline"]
    assert headline["batch"]["ratio"] > 0 and headline["batch"]["peer"]
    # the headline comes from a fresh head-to-head run against the peer the table picked, not from the table
    final = report["peers"]["finals"]["batch"]
    assert headline["batch"]["ratio"] == final["ratio"] == final["idnews"] / final["peer"]
    assert headline["batch"]["table_ratio"] > 0 and len(final["rounds"]) == 1
    # several contenders: the fastest of a selection stage is the peer; one: no selection stage
    assert final["peer_label"] in final["contenders"]
    if len(final["contenders"]) > 1:
        assert set(final["selection"]) == set(final["contenders"])
        assert final["selection"][final["peer_label"]] == max(final["selection"].values())
    else:
        assert final["selection"] == {}
    (ours, theirs), = final["rounds"]
    assert final["round_ratios"] == [ours / theirs] and final["verdict"] == ("ahead" if ours >= theirs else "behind")
    assert set(report["peers"]["finals"]) == {"batch"}
    assert headline["stream"] is None and headline["beam4"] is None and headline["folder"] is None  # not in smoke
    # idnews and the plain call on the engine idnews loaded, alternating in one process: same tokens, both timed
    paired = report["peers"]["paired_stream"]
    assert paired["passes"] == 1 and paired["sentences"] == 16 and len(paired["round_ratios"]) == 1
    assert paired["idnews_over_plain_time"] == paired["round_ratios"][0] > 0
    assert set(paired["layout"]) >= {"intra_threads", "inter_threads"}


def test_peer_table_measures_compute_types_the_engine_runs_alike_once() -> None:
    peers = benchmark_module("_peer_table")
    same_as = {"int8": "int8_float32", "int8_float32": "int8_float32", "float32": "float32"}
    settings = peers.peer_settings(2, set(same_as), same_as)
    ct2 = [(s["compute_type"], s.get("label"), s["intra"], s["inter"]) for s in settings if s["engine"] == "ctranslate2"]
    assert ct2 == [
        ("int8", "int8 = int8_float32", 1, 1), ("int8", "int8 = int8_float32", 2, 1),
        ("float32", "float32", 1, 1), ("float32", "float32", 2, 1), ("int8", None, 1, 2),
        ("int8", f"int8, {peers.HUGE_PAGES_LABEL}", 1, 1), ("int8", f"int8, {peers.HUGE_PAGES_LABEL}", 1, 2),
        ("int8", f"int8, {peers.KEEP_FREED_LABEL}", 1, 1), ("int8", f"int8, {peers.KEEP_FREED_LABEL}", 1, 2),
    ]
    shown = [s["env"] for s in settings if s.get("informational")]
    assert shown[:2] == [{"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}] * 2
    # the values idnews sets from inside the process, given by environment
    assert shown[2:] == [{"MALLOC_MMAP_THRESHOLD_": "67108864", "MALLOC_TRIM_THRESHOLD_": "134217728",
                          "MALLOC_TOP_PAD_": "67108864"}] * 2
    apart = peers.peer_settings(2, set(same_as))  # without the engine's answer every name is its own setting
    assert len([s for s in apart if s["engine"] == "ctranslate2" and not s.get("informational")]) == 7
    assert len([s for s in settings if s["engine"] == "transformers"]) == 6


def test_head_to_head_calls_a_tie_where_rounds_disagree() -> None:
    """The median ratio of a few noisy rounds can land on either side of 1; the verdict says when it does."""
    peers = benchmark_module("_peer_table")
    assert peers.verdict([[110, 100], [105, 100]]) == {"round_ratios": [1.1, 1.05], "verdict": "ahead"}
    assert peers.verdict([[90, 100], [95, 100]])["verdict"] == "behind"
    assert peers.verdict([[108, 100], [95, 100], [101, 100]])["verdict"] == "tie"


def test_every_peer_near_the_tables_best_is_measured_again() -> None:
    """Settings within the table's noise of its best all go to the head-to-head, fastest first."""
    peers = benchmark_module("_peer_table")
    rows = [
        {"engine": "ctranslate2", "compute_type": "int8", "threads": "1×1", "stream": 106},
        {"engine": "transformers", "compute_type": "dynamic_int8", "threads": "1×1", "stream": 107},
        {"engine": "ctranslate2", "compute_type": "int8", "threads": "1×2", "stream": 97},
        {"engine": "ctranslate2", "compute_type": "float32", "threads": "1×1", "stream": 47},
        {"engine": "idnews", "compute_type": "int8", "threads": "auto×auto", "stream": 120},
    ]
    assert [r["stream"] for r in peers.contenders(rows, "stream")] == [107, 106, 97]
    assert peers.contenders(rows, "beam4") == []


def test_informational_rows_are_shown_but_never_the_best_peer() -> None:
    """A process setting (plain CTranslate2 started on huge pages) is compared with idnews apart, never chosen."""
    peers = benchmark_module("_peer_table")
    rows = [
        {"engine": "ctranslate2", "compute_type": "int8", "threads": "1×1", "stream": 100},
        {"engine": "ctranslate2", "compute_type": "int8", "label": "int8, huge", "threads": "1×1", "stream": 108,
         "informational": True},
        {"engine": "idnews", "compute_type": "int8", "threads": "auto×auto", "stream": 106},
    ]
    assert peers.best(rows, "stream")["stream"] == 100
    assert [r["stream"] for r in peers.contenders(rows, "stream")] == [100]
    line = peers.headline(rows, None)["stream"]
    assert line["ratio"] == 1.06 and line["peer"] == "ctranslate2 int8 1×1"
    assert line["process_setting"] == {"peer": "ctranslate2 int8, huge 1×1", "rate": 108, "table_ratio": 106 / 108}


def test_interleave_starts_each_round_one_config_later() -> None:
    common = benchmark_module("_common")
    order: list[str] = []
    results = common.interleave([{"name": "a"}, {"name": "b"}, {"name": "c"}], 4,
                                lambda config: order.append(config["name"]) or {"name": config["name"]}, log=lambda _: None)
    assert order == ["a", "b", "c", "b", "c", "a", "c", "a", "b", "a", "b", "c"]
    assert [[r["name"] for r in per_config] for per_config in results] == [["a"] * 4, ["b"] * 4, ["c"] * 4]


def test_head_to_head_judges_idnews_on_fresh_rounds_not_on_those_that_chose_the_peer(monkeypatch: Any) -> None:
    """Two near-equal peers: the faster of them in a selection stage is the best peer, and the ratio comes from a
    second stage of idnews against it alone, never from the selection's (upward-biased) largest rate."""
    import argparse

    speed = benchmark_module("translate_speed")
    settings = [{"engine": "ctranslate2", "compute_type": "int8", "intra": 1, "inter": 1},
                {"engine": "ctranslate2", "compute_type": "int8", "intra": 1, "inter": 2},
                {"engine": "idnews", "compute_type": "int8 (default)", "intra": "auto", "inter": "auto"}]
    rows = [{**s, "threads": f"{s['intra']}×{s['inter']}", "stream": rate} for s, rate in zip(settings, [100, 98, 95])]
    # selection: 1x1 at 110, 1x2 at 100; evaluation: idnews at 105, 1x1 at 100 (its selection rate was lucky)
    queue = {("ctranslate2", 1): [110, 110, 100, 100], ("ctranslate2", 2): [100, 100], ("idnews", "auto"): [105, 105]}
    ran: list[tuple[str, Any]] = []

    def fake_child(script: Path, spec: dict[str, Any]) -> dict[str, Any]:
        key = (spec["engine"], spec["inter"])
        ran.append(key)
        return {"stream": queue[key].pop(0)}

    monkeypatch.setattr(speed.common, "run_child", fake_child)
    args = argparse.Namespace(final_rounds=2, repeats=1)
    final = speed.head_to_head(rows, settings, {"kind": "peer"}, args)["stream"]
    assert ran == [("ctranslate2", 1), ("ctranslate2", 2), ("ctranslate2", 2), ("ctranslate2", 1),  # selection
                   ("idnews", "auto"), ("ctranslate2", 1), ("ctranslate2", 1), ("idnews", "auto")]  # evaluation
    assert final["peer_label"] == "ctranslate2 int8 1×1"
    assert final["selection"] == {"ctranslate2 int8 1×1": 110, "ctranslate2 int8 1×2": 100}
    assert final["rounds"] == [[105, 100], [105, 100]] and final["ratio"] == 1.05 and final["verdict"] == "ahead"


def test_summarize_speed_smoke(tmp_path: Path) -> None:
    require_shared("data", "summ", "indosum_dev_allfolds.jsonl")
    report = run_benchmark("summarize_speed", tmp_path)
    check_machine(report)
    assert [r["method"] for r in report["rows"]] == ["lead", "textrank", "learned", "learned-intinya", "oracle"]
    for row in report["rows"]:
        assert row["articles"] == 5
        assert row["articles_per_s"] > 0 and row["peak_rss_mb"] > 0


def test_folder_speed_smoke(tmp_path: Path) -> None:
    require_shared("models", "opus-mt-id-en")
    require_shared("data", "summ", "indosum_dev_allfolds.jsonl")
    report = run_benchmark("folder_speed", tmp_path)
    check_machine(report)
    assert [r["articles"] for r in report["rows"]] == [3, 12]
    for row in report["rows"]:
        assert row["failed"] == 0 and row["sentences"] > 0
        assert row["wall_s"] > 0 and row["peak_rss_mb"] > 0
    assert isinstance(report["rss_growth_4x"], float)
    small = report["small_files"]
    assert small["files"] == 20 and small["idnews_s"] > 0 and small["bare_loop_s"] > 0
    assert small["ratio"] == pytest.approx(small["idnews_s"] / small["bare_loop_s"]) and small["target"] == 1.5


def test_engine_floor_smoke(tmp_path: Path) -> None:
    """Every switch around the engine gives the same words; the output layer's product is found in the log."""
    require_shared("models", "opus-mt-id-en")
    require_shared("data", "mt", "flores200_dev", "dev.ind_Latn")
    report = run_benchmark("engine_floor", tmp_path)
    check_machine(report)
    rows = {row["variant"]: row for row in report["rows"]}
    # layout alone never changes a word; an instruction-set cap may (it does on the tiny model)
    for same in ("stream: 2 threads", "stream: OMP_WAIT_POLICY=PASSIVE", "beam 4: 8 a batch", "beam 4: 4 a batch"):
        assert rows[same]["same_words"], same
    assert report["words_differ"] == [name for name, row in rows.items() if not row["same_words"]]
    variants = list(rows)
    assert variants[0] == "stream: as shipped, 1 thread" and "beam 4: 16 a batch" in variants
    assert all(row["seconds"] > 0 for row in report["rows"])
    first = report["rows"][0]
    assert first["vs_reference"] == 1.0
    # idnews's own huge pages, from inside the process: the same words; a number of MiB moved for every row
    for layout in ("1 thread", "1 thread × 2 workers"):
        assert rows[f"stream: {layout}, weights collapsed to 2 MiB pages after load (as idnews)"]["same_words"]
    # batches, with and without the move and freed memory kept: each regime is compared with its own first variant
    batch = [name for name in variants if name.startswith("batch:")]
    assert len(batch) == 3 and rows[batch[0]]["vs_reference"] == 1.0
    assert all(rows[name]["same_words"] for name in batch)
    assert rows["beam 4: 16 a batch, weights collapsed to 2 MiB pages after load (as idnews)"]["same_words"]
    kept = rows["beam 4: 16 a batch, glibc keeps freed memory (MALLOC_*_ settings, as idnews)"]
    assert kept["same_words"] and kept["faults"] >= 0 and rows["beam 4: 16 a batch"]["faults"] >= 0
    assert all(row["collapsed_mib"] and min(row["collapsed_mib"]) >= 0 for row in report["rows"])
    assert rows["stream: as shipped, 1 thread"]["collapsed_mib"] == [0]
    stream_layer = report["output_layer"]["stream"]
    assert list(stream_layer) == ["1"] and stream_layer["1"]["shape"].startswith("1x") and stream_layer["1"]["ms"] > 0


def test_benchmark_refuses_unknown_engine(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "translate_speed.py"), "--smoke", "--engines", "fastest",
         "--work-dir", str(tmp_path)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert done.returncode != 0
    assert "unknown engine(s) fastest; known: transformers, idnews-hf, ctranslate2, idnews-ct2" in done.stderr


@pytest.mark.parametrize("script", ["translate_speed", "summarize_speed", "folder_speed", "engine_floor"])
def test_benchmark_help(script: str) -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / f"{script}.py"), "--help"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0 and "--json" in done.stdout and "--quick" in done.stdout


def saved_run(finals: dict[str, tuple[str, list[list[float]]]]) -> dict[str, Any]:
    return {"benchmark": "translate_speed", "peers": {"finals": {
        regime: {"peer_label": peer, "rounds": rounds} for regime, (peer, rounds) in finals.items()}}}


def test_pooled_table_takes_every_head_to_head_round_of_the_runs() -> None:
    report = benchmark_module("report")
    runs = [
        saved_run({"stream": ("ctranslate2 int8 1×1", [[100, 100], [90, 100]]), "batch": ("ctranslate2 int8 1×2", [[120, 100]])}),
        saved_run({"stream": ("transformers dynamic_int8 1×1", [[130, 100]]), "batch": ("ctranslate2 int8 1×2", [[110, 100]])}),
    ]
    assert report.head_to_head_rounds(runs, "stream") == [1.0, 0.9, 1.3]
    assert report.head_to_head_rounds(runs, "stream", "ctranslate2") == [1.0, 0.9]
    assert report.head_to_head_rounds(runs, "beam4") == []
    table = report.pooled_table(runs, "ctranslate2").splitlines()
    assert table[2] == "| stream | 2 | 0.95 | 0.90–1.00 | 0 of 2 |"  # 1.0 is not faster
    assert table[3] == "| batch | 2 | 1.15 | 1.10–1.20 | 2 of 2 |"
    assert table[4] == "| beam 4 | 0 | – | – | – |"


def test_headline_table_shows_idnews_own_cost_at_stream_where_a_run_measured_it() -> None:
    report = benchmark_module("report")
    value = {"ratio": 1.1, "idnews": 110.0, "best_peer": 100.0, "peer": "ctranslate2 int8 1×2", "verdict": "ahead"}
    older = {"headline": {"stream": value, "batch": None, "beam4": None, "folder": None}, "peers": {}}
    newer = {**older, "peers": {"paired_stream": {"idnews_over_plain_time": 1.004, "round_ratios": [1.01, 1.004, 0.99]}}}
    lines = report.headline_table({"a": older, "b": newer}).splitlines()
    assert lines[2] == "| stream | 1.10, ahead (110 against 100 tokens/s) | 1.10, ahead (110 against 100 tokens/s) | ctranslate2 int8 1×2 |"
    assert lines[-1] == ("| stream, one process: idnews time / plain call | – | 1.004 (3 rounds, 0.990–1.010) "
                         "| the engine idnews loaded |")
    assert "one process" not in report.headline_table({"a": older})


def test_folder_headline_keeps_each_round_and_a_verdict() -> None:
    peers, report = benchmark_module("_peer_table"), benchmark_module("report")
    folder = {"peer_label": "ctranslate2 int8 1×2",
              "idnews": {"seconds": 3.0, "rounds": [{"seconds": 3.0}, {"seconds": 2.5}, {"seconds": 4.0}]},
              "peer": {"seconds": 3.6, "rounds": [{"seconds": 3.6}, {"seconds": 3.5}, {"seconds": 3.8}]}}
    value = peers.headline([], folder)["folder"]
    assert value["ratio"] == pytest.approx(1.2)
    assert value["round_ratios"] == pytest.approx([1.2, 1.4, 0.95]) and value["verdict"] == "tie"
    assert report.headline_cell(value, "folder") == "1.20 (3.00 s against 3.60 s; 3 rounds 0.95–1.40)"
    older = {key: value[key] for key in ("ratio", "idnews_s", "best_peer_s", "peer")}  # runs saved before rounds
    assert report.headline_cell(older, "folder") == "1.20 (3.00 s against 3.60 s)"


def test_bootstrap_interval_of_the_median_is_seeded_and_holds_it() -> None:
    report = benchmark_module("report")
    values = [0.91, 0.97, 1.01, 1.01, 1.11, 0.93, 1.16, 0.99, 1.01]
    low, high = report.bootstrap_median_interval(values)
    assert (low, high) == report.bootstrap_median_interval(values)  # the same every run
    assert min(values) <= low <= 1.01 <= high <= max(values)
    assert report.bootstrap_median_interval([1.2] * 5) == (1.2, 1.2)


def test_report_names_the_file_it_cannot_use(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    floor = tmp_path / "floor.json"
    floor.write_text(json.dumps({"benchmark": "engine_floor", "rows": []}), encoding="utf-8")
    for args, message in [(["pooled", str(broken)], f"{broken}: not a readable benchmark JSON"),
                          (["peers", str(floor)], f"{floor}: not a saved run of translate_speed.py")]:
        done = subprocess.run([sys.executable, str(BENCHMARKS / "report.py"), *args], capture_output=True, text=True,
                              cwd=REPO, timeout=60)
        assert done.returncode != 0 and message in done.stderr


def test_saved_runs_the_documents_quote_are_whole_benchmark_outputs() -> None:
    """``benchmarks/results/`` holds runs as the benchmarks wrote them: machine, versions, and no local paths."""
    saved = sorted((BENCHMARKS / "results").glob("*.json"))
    assert saved
    for path in saved:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert data["benchmark"] in {"translate_speed", "engine_floor"}, path
        check_machine(data)
        assert '"/' not in text, f"{path.name} holds an absolute path"
        if data["benchmark"] == "translate_speed":
            assert set(data["headline"]) == {"stream", "batch", "beam4", "folder"}, path
            assert all(final["rounds"] for final in data["peers"]["finals"].values()), path
