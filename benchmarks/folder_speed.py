"""End-to-end batch speed and memory: ``idnews process`` over a folder of news articles, at 1× and 4× size,
and the per-file overhead of ``idnews summarize`` over a folder of many small pages.

    python benchmarks/folder_speed.py [--quick] [--articles N] [--small-files N] [--json PATH]

Articles are IndoSum test articles written as plain-text pages (title line, blank line, paragraphs). The
command is run exactly as a user would (reading, cleaning, summarising and translating with the
random-weight opus-mt-id-en-shaped model, CTranslate2 int8), each run in its own process; peak RSS
should stay nearly flat from 1× to 4× the articles because records are streamed. The guard is off and
target length is capped (``--max-length``, default 16): on random weights the guard re-decodes nearly
every sentence and decoding length is arbitrary, so both would measure the weights rather than the
pipeline.

The small-files row times ``idnews summarize FOLDER --method lead`` over ``--small-files`` tiny pages (default
10,000: the title and first paragraph of IndoSum test articles) against a bare Python loop doing the same read +
summarise + write with no resume records, locks or atomic renames (the first paragraph of at least 8 words); ``ratio`` is idnews time over loop time
(target ≤ 1.5). Both run in fresh processes, timed after imports.

The engine rows (``--engine-articles N``, default 200; 0 skips them) give two ratios over N IndoSum pages, every
run with the models already loaded and ``--cpus`` CPUs in all (default 2):

* ``local_vs_plain_engine``: ``idnews process --engine local`` (the batch runner, summariser ``auto``) against
  plain CTranslate2 (sentencepiece + ``translate_batch``) translating the same sentences (the articles' and
  their bullets', each distinct sentence once, as idnews decodes them) with the same beam, length cap, token
  budget and threads. Target ≤ 1.10.
* ``ray_vs_local_same_cpus``: ``--engine ray`` (``--cpus`` replicas of 1 CPU and 1 thread) against
  ``--engine local`` (``--cpus`` threads). Start-up is excluded: the local run's models are loaded before it is
  timed, and the Ray run's time counts from the moment its last replica had loaded its models (the ``replicas``
  line of ``--log-json``); Ray's start-up (``ray.init``, then the replicas' start and model loading) is reported
  separately. Target ≤ 1.25 on a 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402

SCRIPT = Path(__file__).resolve()
KEYS = ("wall_s", "sentences_per_s", "articles_per_s", "peak_rss_mb")
COLUMNS = [
    ("articles", "articles", "{}"),
    ("sentences", "sentences", "{}"),
    ("wall_s", "wall s", "{:.1f}"),
    ("articles_per_s", "articles/s", "{:.2f}"),
    ("sentences_per_s", "sentences/s", "{:.1f}"),
    ("peak_rss_mb", "peak RSS MB", "{:.0f}"),
]


def write_folder(folder: Path, articles: int) -> Path:
    """``articles`` IndoSum test articles as ``.txt`` pages under ``folder`` (reused when already complete)."""
    from idnews.corpora import load_indosum

    marker = folder / ".complete"
    if marker.exists():
        return folder
    common.require(common.shared_dir() / "data" / "summ" / "indosum_dev_allfolds.jsonl", "IndoSum")
    rows = load_indosum("test", root=common.shared_dir() / "data")
    if len(rows) < articles:
        raise common.BenchmarkError(f"the IndoSum test split has {len(rows)} articles, {articles} requested")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for index, row in enumerate(rows[:articles]):
        page = f"{row['title']}\n\n{row['text']}\n" if row.get("title") else f"{row['text']}\n"
        (folder / f"{index:04d}.txt").write_text(page, encoding="utf-8")
    marker.write_text("ok\n", encoding="utf-8")
    return folder


def write_small_folder(folder: Path, files: int) -> Path:
    """``files`` tiny pages (title and first paragraph of IndoSum test articles, numbered) under ``folder``."""
    from idnews.corpora import load_indosum

    marker = folder / ".complete"
    if marker.exists():
        return folder
    common.require(common.shared_dir() / "data" / "summ" / "indosum_dev_allfolds.jsonl", "IndoSum")
    rows = load_indosum("test", root=common.shared_dir() / "data")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for index in range(files):
        row = rows[index % len(rows)]
        first = next((p for p in row["text"].split("\n\n") if len(p.split()) >= 8), row["text"])
        (folder / f"{index:05d}.txt").write_text(f"{row.get('title') or 'Berita'} ({index})\n\n{first}\n", encoding="utf-8")
    marker.write_text("ok\n", encoding="utf-8")
    return folder


def small_files_child(spec: dict[str, Any]) -> dict[str, Any]:
    """Summarise every page of ``spec["folder"]`` with idnews or with a bare loop; returns the wall time."""
    from idnews.cli import main as idnews_main

    folder = Path(spec["folder"])
    with tempfile.TemporaryDirectory(prefix="idnews-bench-small-") as tmp:
        out = Path(tmp) / "out"
        started = time.perf_counter()
        if spec["runner"] == "idnews":
            try:
                idnews_main(["summarize", str(folder), "--out", str(out), "--method", "lead", "--quiet"])
                code = 0
            except SystemExit as exit_:
                code = int(exit_.code or 0)
            if code != 0:
                raise common.BenchmarkError(f"idnews summarize exited with {code}")
        else:
            from idnews.article import load_article
            from idnews.summarization import get_summarizer

            summarizer = get_summarizer("lead")
            out.mkdir()
            for page in sorted(folder.glob("*.txt")):
                bullets = summarizer.summarize(load_article(page), n=3)
                (out / page.name).write_text("".join(f"- {b}\n" for b in bullets), encoding="utf-8")
        wall = time.perf_counter() - started
        written = sum(1 for _ in out.glob("*.txt"))
    return {"runner": spec["runner"], "files": written, "wall_s": wall}


def small_files_row(work: Path, files: int, rounds: int) -> dict[str, Any]:
    """The median over ``rounds`` of idnews and bare-loop times over ``files`` small pages, and their ratio."""
    folder = write_small_folder(work / "inputs" / f"indosum-small-pages-{files}", files)
    configs = [{"mode": "small", "runner": runner, "folder": str(folder)} for runner in ("idnews", "bare loop")]
    results = common.interleave(configs, rounds, lambda spec: common.run_child(SCRIPT, spec, timeout=3600))
    times = {c["runner"]: common.median(r["wall_s"] for r in per_round) for c, per_round in zip(configs, results)}
    for config, per_round in zip(configs, results):
        if per_round[0]["files"] != files:
            raise common.BenchmarkError(f"{config['runner']} wrote {per_round[0]['files']} of {files} files")
    return {"files": files, "idnews_s": times["idnews"], "bare_loop_s": times["bare loop"],
            "ratio": times["idnews"] / times["bare loop"], "target": 1.5}


def _engine_models(spec: dict[str, Any], threads: int) -> Any:
    from idnews.batch.pipeline import Models
    from idnews.summarization import get_summarizer
    from idnews.translation import Translator

    translator = Translator.from_options(
        spec["model"], backend="ct2", compute_type="int8", beam_size=spec["beam_size"],
        max_length=spec["max_length"], guard=False, intra_threads=threads,
    ).load()
    return Models(translator=translator, summarizer=get_summarizer("auto"))


def plain_engine_child(spec: dict[str, Any]) -> dict[str, Any]:
    """Plain CTranslate2 over the sentences ``idnews process`` translates for the pages of ``spec["folder"]``."""
    import ctranslate2
    import sentencepiece

    from idnews.article import load_article
    from idnews.batch.run import DEFAULT_BATCH_SENTENCES
    from idnews.summarization import get_summarizer
    from idnews.translation.document import split_article

    summarizer = get_summarizer("auto")
    sentences: list[str] = []
    for page in sorted(Path(spec["folder"]).glob("*.txt")):
        article = load_article(page)
        sentences += split_article(article).sentences() + summarizer.summarize(article, n=3)
    folder = Path(spec["model"])
    source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
    target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
    translator = ctranslate2.Translator(spec["model"], device="cpu", compute_type="int8", intra_threads=spec["cpus"])
    count = len(sentences)
    sentences = list(dict.fromkeys(" ".join(s.split()) for s in sentences))  # idnews decodes repeats once too
    started = time.perf_counter()
    for start in range(0, len(sentences), DEFAULT_BATCH_SENTENCES):  # as many a call as idnews hands its translator
        chunk = sentences[start : start + DEFAULT_BATCH_SENTENCES]
        tokens = [pieces + ["</s>"] for pieces in source.encode(chunk, out_type=str)]
        results = translator.translate_batch(tokens, beam_size=spec["beam_size"], max_decoding_length=spec["max_length"],
                                             max_batch_size=4096, batch_type="tokens")
        target.decode_pieces([r.hypotheses[0] for r in results])
    return {"engine": "plain", "sentences": count, "distinct": len(sentences), "wall_s": time.perf_counter() - started}


def engine_child(spec: dict[str, Any]) -> dict[str, Any]:
    """``--engine local`` or ``--engine ray`` over the pages of ``spec["folder"]``, the models loaded first."""
    import io

    from idnews.batch.discover import discover
    from idnews.batch.pipeline import Options
    from idnews.batch.run import RunSettings
    from idnews.batch.runner import BatchRunner

    cpus, result = spec["cpus"], {"engine": spec["engine"]}
    inputs = discover([Path(spec["folder"])], "md")
    log = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="idnews-bench-engine-") as tmp:
        settings = RunSettings(out_dir=Path(tmp) / "out", fmt="md", progress=False, log_json=log)
        if spec["engine"] == "ray":
            import ray

            from idnews.distributed.files import run_files
            from idnews.distributed.spec import ClusterSettings, ModelSpec

            started = time.perf_counter()
            ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, _temp_dir=str(Path(tmp) / "ray"))
            result["ray_init_s"] = time.perf_counter() - started
            translator = {"model": spec["model"], "backend": "ct2", "compute_type": "int8",
                          "beam_size": spec["beam_size"], "max_length": spec["max_length"], "guard": False}
            models_spec = ModelSpec(translator=translator, summarizer="auto")
            models = models_spec.load(cpus=1)
            cluster = ClusterSettings(replicas=cpus, cpus_per_replica=1.0, files_per_task=spec["files_per_task"])
            started = time.perf_counter()
            summary = run_files(inputs, models, models_spec, Options(task="process"), settings, cluster)
            result["wall_s"] = time.perf_counter() - started
            events = [json.loads(line) for line in log.getvalue().splitlines()]
            result["replicas_ready_s"] = next(e["ready_seconds"] for e in events if e["event"] == "replicas")
            ray.shutdown()
        else:
            models = _engine_models(spec, cpus)
            started = time.perf_counter()
            summary = BatchRunner(models, Options(task="process"), settings).run(inputs)
            result["wall_s"] = time.perf_counter() - started
    if summary.ok != len(inputs):
        raise common.BenchmarkError(f"--engine {spec['engine']}: {summary.ok} of {len(inputs)} pages ok")
    result["sentences"] = summary.sentences
    return result


def engine_rows(work: Path, size: str, articles: int, args: argparse.Namespace) -> dict[str, Any]:
    """The two engine ratios over ``articles`` pages (see the module's docstring)."""
    model = str(common.ensure_marian(work, size)["ct2_int8"])
    folder = write_folder(work / "inputs" / f"indosum-test-pages-{articles}", articles)
    base = {"folder": str(folder), "model": model, "max_length": args.max_length, "beam_size": args.beam_size,
            "cpus": args.cpus, "files_per_task": args.files_per_task}
    configs = [{**base, "mode": mode, "engine": mode} for mode in ("plain", "local", "ray")]
    results = common.interleave(configs, args.rounds, lambda spec: common.run_child(SCRIPT, spec, timeout=3600))
    times = {c["engine"]: {k: common.median(r[k] for r in per_round) for k in per_round[0] if k.endswith("_s")}
             for c, per_round in zip(configs, results)}
    ray_steady = times["ray"]["wall_s"] - times["ray"]["replicas_ready_s"]
    return {
        "articles": articles, "cpus": args.cpus, "files_per_task": args.files_per_task,
        "sentences": results[1][0]["sentences"], "plain_sentences": results[0][0]["sentences"],
        "plain_distinct_sentences": results[0][0]["distinct"],
        "plain_engine_s": times["plain"]["wall_s"], "local_s": times["local"]["wall_s"],
        "ray_s": times["ray"]["wall_s"], "ray_after_startup_s": ray_steady,
        "ray_startup": {"ray_init_s": times["ray"]["ray_init_s"], "replicas_ready_s": times["ray"]["replicas_ready_s"]},
        "local_vs_plain_engine": times["local"]["wall_s"] / times["plain"]["wall_s"], "local_vs_plain_target": 1.10,
        "ray_vs_local_same_cpus": ray_steady / times["local"]["wall_s"], "ray_vs_local_target": 1.25,
    }


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run ``idnews process FOLDER --out TMP ...`` in this process and read its JSON-lines summary."""
    if spec.get("mode") == "small":
        return small_files_child(spec)
    if spec.get("mode") == "plain":
        return plain_engine_child(spec)
    if spec.get("mode") in ("local", "ray"):
        return engine_child(spec)
    from idnews.cli import main as idnews_main

    with tempfile.TemporaryDirectory(prefix="idnews-bench-out-") as tmp:
        log = Path(tmp) / "log.jsonl"
        argv = [
            "process", spec["folder"], "--out", str(Path(tmp) / "out"), "--model", spec["model"],
            "--backend", "ct2", "--compute-type", "int8", "--beam-size", str(spec["beam_size"]),
            "--max-length", str(spec["max_length"]), "--no-guard", "--quiet", "--log-json", str(log),
        ]
        started = time.perf_counter()
        try:
            idnews_main(argv)
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        wall = time.perf_counter() - started
        if code != 0:
            raise common.BenchmarkError(f"idnews {' '.join(argv)} exited with {code}")
        events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    summary = next(e for e in reversed(events) if e.get("event") == "summary")
    return {
        "articles": summary["ok"],
        "failed": summary["failed"],
        "sentences": summary["sentences"],
        "wall_s": wall,
        "sentences_per_s": summary["sentences"] / wall,
        "articles_per_s": summary["ok"] / wall,
    }


def process_rows(work: Path, size: str, articles: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """``idnews process`` over ``articles`` and 4× as many pages: one row each."""
    model = str(common.ensure_marian(work, size)["ct2_int8"])
    folders = {n: write_folder(work / "inputs" / f"indosum-test-pages-{n}", n) for n in (articles, 4 * articles)}
    configs = [
        {"articles": n, "folder": str(folder), "model": model, "max_length": args.max_length, "beam_size": args.beam_size}
        for n, folder in folders.items()
    ]
    print(f"idnews process over {articles} and {4 * articles} articles, {size}-shape model, ct2 int8, "
          f"beam {args.beam_size}, at most {args.max_length} target tokens per sentence, guard off", flush=True)
    results = common.interleave(configs, args.rounds, lambda spec: common.run_child(SCRIPT, spec, timeout=3600))
    rows = []
    for per_round in results:
        row = {**common.summarise_rounds(per_round, KEYS)}
        row["articles"] = per_round[0]["articles"]
        row["sentences"] = per_round[0]["sentences"]
        row["failed"] = per_round[0]["failed"]
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20 articles (and 80), one round")
    parser.add_argument("--smoke", action="store_true", help="tiny model, 3 articles (and 12) (plumbing check)")
    parser.add_argument("--articles", type=int, help="articles in the 1× folder (default 200; 0: skip these rows)")
    parser.add_argument("--small-files", type=int,
                        help="small pages for the per-file overhead row (default 10000; --quick 1000; 0: skip)")
    parser.add_argument("--engine-articles", type=int,
                        help="pages of the engine ratios (default 200; --quick 40; 0: skip; needs idnews[ray])")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the engine ratios, in all (default 2)")
    parser.add_argument("--files-per-task", type=int, default=16, help="--engine ray files per task (default 16)")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (default 1)")
    parser.add_argument("--max-length", type=int, default=16, help="most target tokens per sentence (default 16)")
    parser.add_argument("--beam-size", type=int, default=1, help="beam size (default 1: greedy)")
    parser.add_argument("--work-dir", type=Path, help="cache of built models and inputs (default <idnews cache>/bench)")
    parser.add_argument("--json", type=Path, help="also save every number as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        common.child_main(child, args.child, args.json_out)
        return 0

    work = args.work_dir or common.default_work_dir()
    size = "tiny" if args.smoke else "real"
    articles = args.articles if args.articles is not None else (3 if args.smoke else 20 if args.quick else 200)
    small_files = args.small_files if args.small_files is not None else (20 if args.smoke else 1000 if args.quick else 10_000)
    rows: list[dict[str, Any]] = []
    growth = None
    if articles:
        rows = process_rows(work, size, articles, args)
        growth = rows[1]["peak_rss_mb"] / rows[0]["peak_rss_mb"] - 1
    small = None
    if small_files:
        print(f"idnews summarize --method lead over {small_files} small pages, against a bare loop", flush=True)
        small = small_files_row(work, small_files, args.rounds)
    engines = None
    engine_articles = args.engine_articles if args.engine_articles is not None else (
        0 if args.smoke else 40 if args.quick else 200)
    if engine_articles:
        print(f"--engine local against plain CTranslate2 and --engine ray over {engine_articles} pages, "
              f"{args.cpus} CPUs", flush=True)
        engines = engine_rows(work, size, engine_articles, args)
    report = {
        "benchmark": "folder_speed",
        "machine": common.machine_info(),
        "model": f"random-weight opus-mt-id-en shape ({size}), CTranslate2 int8",
        "input": f"IndoSum test articles as .txt pages: {articles} and {4 * articles}",
        "max_length": args.max_length,
        "guard": False,
        "beam_size": args.beam_size,
        "rounds": args.rounds,
        "rows": rows,
        "rss_growth_4x": growth,
        "small_files": small,
        "engines": engines,
    }
    if rows:
        print()
        print(common.format_table(rows, COLUMNS))
        print(f"\npeak RSS growth from {articles} to {4 * articles} articles: {growth:+.1%}")
    if small:
        print(f"\n{small['files']} small pages, idnews summarize --method lead {small['idnews_s']:.2f} s, bare loop "
              f"{small['bare_loop_s']:.2f} s: ratio {small['ratio']:.2f} (target <= {small['target']})")
    if engines:
        print(f"\n{engine_articles} pages, {args.cpus} CPUs: local_vs_plain_engine {engines['local_vs_plain_engine']:.2f} "
              f"(target <= 1.10), ray_vs_local_same_cpus {engines['ray_vs_local_same_cpus']:.2f} (target <= 1.25); "
              f"Ray start-up {engines['ray_startup']['ray_init_s']:.1f} s init + "
              f"{engines['ray_startup']['replicas_ready_s']:.1f} s until the replicas are ready")
    if args.json:
        common.write_json(args.json, report)
        print(f"\nsaved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
