"""Summarisation speed and memory: articles/s and peak RSS of every summarisation method on IndoSum test.

    python benchmarks/summarize_speed.py [--quick] [--rounds N] [--json PATH]

The canonical IndoSum test split (``idnews.corpora.load_indosum("test")``) is written once to the work
folder as plain JSON lines, so each measuring process reads it without loading the ``datasets`` library
and its peak RSS belongs to the summariser alone. Methods are interleaved over rounds; medians are shown.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402

SCRIPT = Path(__file__).resolve()
# "learned-intinya": the default summariser's own choice (n=None): re-scored, compressed Intinya-style bullets.
METHODS = ("lead", "textrank", "learned", "learned-intinya", "oracle")
KEYS = ("articles_per_s", "seconds", "load_s", "peak_rss_mb")
COLUMNS = [
    ("method", "method", "{}"),
    ("articles", "articles", "{}"),
    ("articles_per_s", "articles/s", "{:.1f}"),
    ("ms_per_article", "ms/article", "{:.2f}"),
    ("load_s", "load s", "{:.2f}"),
    ("peak_rss_mb", "peak RSS MB", "{:.0f}"),
]


def write_test_split(path: Path) -> int:
    """Save the IndoSum test split as JSON lines (``title``, ``text``, ``summary``); returns the count."""
    from idnews.corpora import load_indosum

    common.require(common.shared_dir() / "data" / "summ" / "indosum_dev_allfolds.jsonl", "IndoSum")
    rows = load_indosum("test", root=common.shared_dir() / "data")
    lines = [json.dumps({k: row.get(k) for k in ("id", "title", "text", "summary")}, ensure_ascii=False) for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Summarise ``spec["articles"]`` test articles with one method (first article as warm-up, untimed)."""
    started = time.perf_counter()
    from idnews.summarization import get_summarizer

    intinya = spec["method"] == "learned-intinya"
    summarizer = get_summarizer("learned", style="intinya") if intinya else get_summarizer(spec["method"])
    n = None if intinya else 3
    load_s = time.perf_counter() - started
    with open(spec["inputs"], encoding="utf-8") as handle:
        articles = [json.loads(line) for line in handle if line.strip()][: spec["articles"]]

    def summarise(article: dict[str, Any]) -> list[str]:
        reference = article["summary"] if summarizer.needs_reference else None
        return summarizer.summarize(article["text"], n=n, title=article.get("title"), reference=reference)

    summarise(articles[0])
    started = time.perf_counter()
    bullets = [summarise(article) for article in articles]
    seconds = time.perf_counter() - started
    return {
        "articles": len(articles),
        "bullets": sum(len(b) for b in bullets),
        "seconds": seconds,
        "articles_per_s": len(articles) / seconds,
        "load_s": load_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="first 100 test articles, one round")
    parser.add_argument("--smoke", action="store_true", help="first 5 test articles, one round (plumbing check)")
    parser.add_argument("--articles", type=int, help="articles per run (default: the whole test split)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3; 1 with --quick/--smoke)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated methods (default: all)")
    parser.add_argument("--work-dir", type=Path, help="cache of generated inputs (default <idnews cache>/bench)")
    parser.add_argument("--json", type=Path, help="also save every number as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        common.child_main(child, args.child, args.json_out)
        return 0

    work = args.work_dir or common.default_work_dir()
    inputs = work / "inputs" / "indosum-test.jsonl"
    total = write_test_split(inputs)
    articles = min(total, args.articles or (5 if args.smoke else 100 if args.quick else total))
    rounds = args.rounds or (1 if args.quick or args.smoke else 3)
    methods = [m for m in args.methods.split(",") if m]
    print(f"IndoSum test split: {total} articles, measuring {articles}; {len(methods)} methods x {rounds} rounds", flush=True)
    configs = [{"method": method, "articles": articles, "inputs": str(inputs)} for method in methods]
    results = common.interleave(configs, rounds, lambda spec: common.run_child(SCRIPT, spec))
    rows = []
    for config, per_round in zip(configs, results):
        row = {"method": config["method"], **common.summarise_rounds(per_round, KEYS)}
        row["articles"] = per_round[0]["articles"]
        row["ms_per_article"] = 1000 / row["articles_per_s"]
        rows.append(row)
    report = {
        "benchmark": "summarize_speed",
        "machine": common.machine_info(),
        "input": f"IndoSum canonical test split, {articles} of {total} articles, n=3 bullets (learned-intinya: as many as the model chooses)",
        "rounds": rounds,
        "rows": rows,
    }
    print()
    print(common.format_table(rows, COLUMNS))
    if args.json:
        common.write_json(args.json, report)
        print(f"\nsaved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
