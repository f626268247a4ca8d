"""The Markdown tables the documents show, made from saved benchmark runs (``--json`` files).

    python benchmarks/report.py peers RUN.json...             # translate_speed.py: each run's whole peer table
    python benchmarks/report.py headline RUN.json [RUN.json]  # idnews / best peer per regime, a column per run
                                                              # (and idnews's own cost at stream, where measured)
    python benchmarks/report.py pooled [--against PEER] RUN.json...
                                                              # every head-to-head round of the runs together
    python benchmarks/report.py floor FLOOR.json              # engine_floor.py: the variants' table

The runs the documents quote are kept in ``benchmarks/results/``; the documents' tables are this script's output
on them (``docs/generate_outputs.py`` writes and checks them), so no figure there is typed by hand.

``pooled`` takes each run's head-to-head rounds (idnews and its best peer, timed in alternating fresh processes)
and reports per regime the median of ``idnews / peer`` over all rounds, a seeded bootstrap 95% interval of that
median, and in how many rounds idnews was faster. ``--against`` keeps the rounds whose best peer's name starts
with it (``ctranslate2``: the engine idnews runs).
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402
import _peer_table as peers  # noqa: E402
import engine_floor  # noqa: E402

REGIME_NAMES = {"stream": "stream", "batch": "batch", "beam4": "beam 4"}
BOOTSTRAP_RESAMPLES = 10_000
BOOTSTRAP_SEED = 0


def load(path: Path, benchmark: str) -> dict[str, Any]:
    """A saved run of ``benchmark``; a clear error naming the file when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SystemExit(f"{path}: not a readable benchmark JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("benchmark") != benchmark:
        raise SystemExit(f"{path}: not a saved run of {benchmark}.py")
    return data


def _rate(value: float) -> str:
    return f"{value:,.0f}"


def headline_cell(value: dict[str, Any] | None, regime: str) -> str:
    """One run's ``idnews / best peer`` in one regime, with its verdict, both rates (or times), and the ratio the
    peer table alone gave before the head-to-head."""
    if value is None:
        return "–"
    if regime == "folder":
        spread = ""
        if value.get("round_ratios"):
            low, high = min(value["round_ratios"]), max(value["round_ratios"])
            spread = f"; {len(value['round_ratios'])} rounds {low:.2f}–{high:.2f}"
        return f"{value['ratio']:.2f} ({value['idnews_s']:.2f} s against {value['best_peer_s']:.2f} s{spread})"
    said = value.get("verdict") or (peers.verdict(value["rounds"])["verdict"] if value.get("rounds") else None)
    verdict = f", {said}" if said else ""
    table = f"; table alone {value['table_ratio']:.2f}" if "table_ratio" in value else ""
    return (f"{value['ratio']:.2f}{verdict} ({_rate(value['idnews'])} against {_rate(value['best_peer'])} "
            f"tokens/s{table})")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def headline_table(runs: dict[str, dict[str, Any]]) -> str:
    """A row per regime, a column per saved run (by its file's name), and the best peers the runs named."""
    header = ["regime", *(f"`{name}`" for name in runs), "best peer"]
    lines = [_row(header), "|" + "---|" * len(header)]
    for regime in (*peers.REGIMES, "folder"):
        values = [run["headline"].get(regime) for run in runs.values()]
        named = list(dict.fromkeys(v["peer"] for v in values if v))  # each once, in the runs' order
        lines.append(_row([REGIME_NAMES.get(regime, regime), *(headline_cell(v, regime) for v in values),
                           " / ".join(named) or "–"]))
    for regime in peers.REGIMES:
        shown = [(run["headline"].get(regime) or {}).get("process_setting") for run in runs.values()]
        if any(shown):
            named = list(dict.fromkeys(v["peer"] for v in shown if v))
            lines.append(_row([f"{REGIME_NAMES[regime]}, against a process setting (table only)",
                               *(f"{v['table_ratio']:.2f} ({_rate(v['rate'])} tokens/s)" if v else "–" for v in shown),
                               " / ".join(named)]))
    paired = [(run.get("peers") or {}).get("paired_stream") for run in runs.values()]
    if any(paired):
        lines.append(_row(["stream, one process: idnews time / plain call", *(paired_cell(p) for p in paired),
                           "the engine idnews loaded"]))
    return "\n".join(lines)


def paired_cell(value: dict[str, Any] | None) -> str:
    """idnews's time over the plain call's on the same loaded engine, alternating in one process (median of
    the rounds, and their range); above 1 means idnews took longer."""
    if not value:
        return "–"
    ratios = value["round_ratios"]
    return f"{value['idnews_over_plain_time']:.3f} ({len(ratios)} rounds, {min(ratios):.3f}–{max(ratios):.3f})"


def bootstrap_median_interval(values: Sequence[float], *, resamples: int = BOOTSTRAP_RESAMPLES,
                              seed: int = BOOTSTRAP_SEED) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of the median of ``values`` (seeded, so the same every run)."""
    draw = random.Random(seed)
    medians = sorted(statistics.median(draw.choices(values, k=len(values))) for _ in range(resamples))
    return medians[int(0.025 * resamples)], medians[int(0.975 * resamples) - 1]


def head_to_head_rounds(runs: Sequence[dict[str, Any]], regime: str, against: str = "") -> list[float]:
    """``idnews / peer`` of every head-to-head round of ``regime`` in ``runs`` whose best peer starts with ``against``."""
    ratios = []
    for run in runs:
        final = (run.get("peers") or {}).get("finals", {}).get(regime)
        if final and final["peer_label"].startswith(against):
            ratios += [ours / theirs for ours, theirs in final["rounds"]]
    return ratios


def pooled_table(runs: Sequence[dict[str, Any]], against: str = "") -> str:
    lines = ["| regime | rounds | median idnews / peer | 95% interval | idnews faster in |", "|---|---|---|---|---|"]
    for regime in peers.REGIMES:
        ratios = head_to_head_rounds(runs, regime, against)
        if not ratios:
            lines.append(f"| {REGIME_NAMES[regime]} | 0 | – | – | – |")
            continue
        low, high = bootstrap_median_interval(ratios)
        faster = sum(r > 1.0 for r in ratios)
        lines.append(f"| {REGIME_NAMES[regime]} | {len(ratios)} | {statistics.median(ratios):.2f} | "
                     f"{low:.2f}–{high:.2f} | {faster} of {len(ratios)} |")
    return "\n".join(lines)


def floor_table(run: dict[str, Any]) -> str:
    layer = "; ".join(f"{regime}: " + ", ".join(f"`{c['shape']}` {c['ms']} ms" for c in calls.values())
                      for regime, calls in run["output_layer"].items())
    return engine_floor.variants_table(run["rows"]) + f"\n\nOutput layer's int8 product a call — {layer}."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="table", required=True)
    sub.add_parser("peers", help="each translate_speed run's peer table").add_argument("runs", type=Path, nargs="+")
    sub.add_parser("headline", help="idnews / best peer, a column per run").add_argument("runs", type=Path, nargs="+")
    pooled = sub.add_parser("pooled", help="every head-to-head round of the runs together")
    pooled.add_argument("runs", type=Path, nargs="+")
    pooled.add_argument("--against", default="", help="only rounds whose best peer's name starts with this")
    sub.add_parser("floor", help="the table of one engine_floor run").add_argument("run", type=Path)
    args = parser.parse_args(argv)
    if args.table == "peers":
        print("\n\n".join(f"`{path.stem}`:\n\n" + common.format_table(load(path, "translate_speed")["peers"]["rows"],
                                                                      peers.PEER_COLUMNS) for path in args.runs))
    elif args.table == "headline":
        print(headline_table({path.stem: load(path, "translate_speed") for path in args.runs}))
    elif args.table == "pooled":
        print(pooled_table([load(path, "translate_speed") for path in args.runs], args.against))
    else:
        print(floor_table(load(args.run, "engine_floor")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
