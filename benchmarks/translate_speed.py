"""Translation speed and memory: idnews at its defaults against every engine setting a user could pick by hand.

    python benchmarks/translate_speed.py [--quick | --grid core] [--rounds N] [--json PATH]

The peer table (``_peer_table.py``) comes first: transformers and CTranslate2 at every precision and thread
count, one sentence a call, 32 a call, beam 4, and a folder of real articles; its headline is
``idnews / best peer`` per regime. Every peer within 10% of a regime's best on the table is measured again
in fresh processes (``--final-rounds`` rounds, each timing the regime ``--repeats`` times), in two stages: the
contenders against each other to choose the best peer, then idnews against that peer alone, the order
alternating every round. The headline ratio comes from the second stage only: the largest of several
near-equal noisy rates is biased upwards, so the rates that choose the peer are never the rates it is judged by. Each
headline says ``ahead``, ``behind`` or ``tie`` (the head-to-head rounds disagree). The grid of batch sizes follows (plain engines against idnews at the same
fixed settings, to show the overhead around the engine); ``--quick`` runs both smaller and once, ``--no-peers``
leaves the peer table out.

The model is a randomly initialised Marian of the exact opus-mt-id-en shape (74M parameters, real
tokenizer) and its CTranslate2 conversions, built once into the work folder. Random weights prove speed,
never quality, so every engine is forced to produce the same fixed number of target tokens per
sentence. Each measurement runs in its own process; configurations are interleaved over several rounds
and the tables show medians.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402
import _peer_table as peers  # noqa: E402

SCRIPT = Path(__file__).resolve()
FLORES = ("data", "mt", "flores200_dev", "dev.ind_Latn")
TOKEN_BUDGET = 1024
KEYS = ("sentences_per_s", "tokens_per_s", "load_s", "setup_s", "peak_rss_mb", "seconds", "outside_model_share")
ALL_ENGINES = ["transformers", "idnews-hf", "ctranslate2", "idnews-ct2"]
PLAIN_OF = {"idnews-ct2": "ctranslate2", "idnews-hf": "transformers"}
COLUMNS = [
    ("engine", "engine", "{}"),
    ("compute_type", "compute", "{}"),
    ("beam_size", "beam", "{}"),
    ("batching", "batching", "{}"),
    ("input", "input", "{}"),
    ("sentences", "sentences", "{}"),
    ("tokens_per_sentence", "tokens/sent", "{}"),
    ("sentences_per_s", "sent/s", "{:.2f}"),
    ("tokens_per_s", "tokens/s", "{:.0f}"),
    ("load_s", "load s", "{:.2f}"),
    ("peak_rss_mb", "peak RSS MB", "{:.0f}"),
    ("vs_transformers", "× transformers", "{:.2f}"),
    ("overhead", "overhead vs plain", "{:+.1%}"),
    ("outside_model_share", "time outside model", "{:.1%}"),
]


def cpu_configs(batchings: list[str], engines: list[str], beam_engines: list[str]) -> list[dict[str, Any]]:
    """The CPU grid: greedy at every batching for every engine, beam 4 at batch 32, and idnews's document
    path on paragraphs (the same sentences joined four to a paragraph)."""
    variants = {
        "transformers": ["float32"],
        "idnews-hf": ["float32"],
        "ctranslate2": ["int8"],
        "idnews-ct2": ["int8", "float32"],
    }
    configs = []
    for batching in batchings:
        for engine in engines:
            if engine in ("transformers",) and batching.startswith("tokens:"):
                continue  # the plain generate loop has no token-budget batching
            for compute_type in variants[engine]:
                configs.append({"engine": engine, "compute_type": compute_type, "beam_size": 1, "batching": batching})
    for engine in beam_engines:
        configs.append({"engine": engine, "compute_type": variants[engine][0], "beam_size": 4, "batching": "32"})
    if "idnews-ct2" in engines:
        configs.append({"engine": "idnews-ct2", "compute_type": "int8", "beam_size": 1, "batching": "32", "input": "paragraphs"})
    return configs


def is_core(config: dict[str, Any]) -> bool:
    """The configurations the headline ratios need (for a shorter run): batch 1 and 32, token budget and
    beam 4 for transformers, plain CTranslate2 int8 and idnews ct2 int8; idnews hf and ct2 float32 at 32."""
    if config["batching"] == "8":
        return False
    if config["engine"] == "idnews-hf" or config["compute_type"] == "float32" and config["engine"] == "idnews-ct2":
        return config["batching"] == "32"
    return True


def is_ratio(config: dict[str, Any]) -> bool:
    """Only the configurations the headline ratios are computed from (the ``--quick`` grid)."""
    key = (config["engine"], config["compute_type"], config["beam_size"], config["batching"], config.get("input"))
    return key in {
        ("idnews-ct2", "int8", 1, "1", None), ("idnews-ct2", "int8", 1, "32", None), ("idnews-ct2", "int8", 4, "32", None),
        ("transformers", "float32", 1, "1", None), ("transformers", "float32", 1, "32", None),
        ("transformers", "float32", 4, "32", None), ("ctranslate2", "int8", 1, "32", None),
    }


def flores_sentences(count: int) -> list[str]:
    """The first ``count`` FLORES-200 dev sentences that idnews keeps as one sentence (identical work for all)."""
    from idnews.text import split_sentences

    path = common.require(common.shared_dir().joinpath(*FLORES), "FLORES-200 dev")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    single = [line for line in lines if split_sentences(line) == [line]]
    if len(single) < count:
        raise common.BenchmarkError(f"{path}: only {len(single)} single-sentence lines, {count} requested")
    return single[:count]


def add_comparisons(rows: list[dict[str, Any]]) -> None:
    """Speed-up against the transformers baseline (same beam and batch size; batch 32 for token budgets),
    and idnews overhead against the plain engine it wraps (same compute type, beam and batching)."""

    def find(engine: str, compute_type: str | None, beam: int, batching: str) -> dict[str, Any] | None:
        for row in rows:
            if (row["engine"], row["beam_size"], row["batching"], row.get("input", "sentences")) == (
                engine, beam, batching, "sentences"
            ) and compute_type in (None, row["compute_type"]):
                return row
        return None

    for row in rows:
        batching = "32" if row["batching"].startswith("tokens:") else row["batching"]
        base = find("transformers", None, row["beam_size"], batching)
        if base and row is not base:
            row["vs_transformers"] = row["tokens_per_s"] / base["tokens_per_s"]
        plain_name = PLAIN_OF.get(row["engine"])
        plain = plain_name and find(plain_name, row["compute_type"], row["beam_size"], row["batching"])
        if plain:
            row["overhead"] = plain["tokens_per_s"] / row["tokens_per_s"] - 1


def headline_ratios(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    """The numbers a script checks against the targets (``None`` when that configuration was not run)."""

    def get(engine: str, compute_type: str, beam: int, batching: str) -> dict[str, Any] | None:
        for row in rows:
            if (row["engine"], row["compute_type"], row["beam_size"], row["batching"]) == (
                engine, compute_type, beam, batching
            ) and row.get("input", "sentences") == "sentences":
                return row
        return None

    def ratio(a: dict[str, Any] | None, b: dict[str, Any] | None, key: str) -> float | None:
        return a[key] / b[key] if a and b else None

    ours = {b: get("idnews-ct2", "int8", 1, b) for b in ("1", "32")}
    base = {b: get("transformers", "float32", 1, b) for b in ("1", "32")}
    plain32 = get("ctranslate2", "int8", 1, "32")
    beam_ours, beam_base = get("idnews-ct2", "int8", 4, "32"), get("transformers", "float32", 4, "32")
    overhead = ratio(plain32, ours["32"], "tokens_per_s")
    return {
        "ct2_int8_vs_transformers_bs32": ratio(ours["32"], base["32"], "tokens_per_s"),
        "ct2_int8_vs_transformers_bs1": ratio(ours["1"], base["1"], "tokens_per_s"),
        "ct2_int8_vs_transformers_beam4_bs32": ratio(beam_ours, beam_base, "tokens_per_s"),
        "overhead_ct2_bs32": None if overhead is None else overhead - 1,
        "rss_ct2_vs_transformers": ratio(ours["32"], base["32"], "peak_rss_mb"),
        "plain_ct2_int8_vs_transformers_bs32": ratio(plain32, base["32"], "tokens_per_s"),
        "outside_model_share_plain_ct2_bs32": plain32["outside_model_share"] if plain32 else None,
        "outside_model_share_idnews_ct2_bs32": ours["32"]["outside_model_share"] if ours["32"] else None,
    }


def run_grid(
    configs: list[dict[str, Any]], inputs: dict[str, Path], common_spec: dict[str, Any], rounds: int
) -> list[dict[str, Any]]:
    specs = []
    for config in configs:
        source = "bs1" if config["batching"] == "1" else "main"
        specs.append({**config, **common_spec, "inputs": str(inputs[source])})
    results = common.interleave(specs, rounds, lambda spec: common.run_child(SCRIPT, spec))
    rows = []
    for config, per_round in zip(configs, results):
        row = {**config, **common.summarise_rounds(per_round, KEYS)}
        row["input"] = config.get("input", "sentences")
        row["sentences"] = per_round[0]["sentences"]
        row["tokens_per_sentence"] = "/".join(str(n) for n in sorted({n for r in per_round for n in r["tokens_per_sentence"]}))
        rows.append(row)
    add_comparisons(rows)
    return rows


def gpu_section(models: dict[str, str], inputs: dict[str, Path], args: argparse.Namespace) -> dict[str, Any]:
    """fp16 and int8_float16 at batch 64 and 128 when a CUDA device is present; otherwise a stated skip."""
    import ctranslate2

    if ctranslate2.get_cuda_device_count() == 0:
        return {"skipped": "no CUDA device"}
    configs = []
    for batching in ("64", "128"):
        configs.append({"engine": "transformers", "compute_type": "float16", "beam_size": 1, "batching": batching})
        for engine in ("ctranslate2", "idnews-ct2"):
            for compute_type in ("float16", "bfloat16", "int8_float16"):
                configs.append({"engine": engine, "compute_type": compute_type, "beam_size": 1, "batching": batching})
    spec = {"models": models, "threads": args.threads, "output_tokens": args.output_tokens, "device": "cuda"}
    rows = run_grid(configs, inputs, spec, args.rounds)
    return {"gpu": common.run_child(SCRIPT, {"engine": "gpu-name"}), "rows": rows}


def peer_section(models: dict[str, str], sentences: list[str], work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The peer table and the folder run, every setting in its own process; medians over the rounds."""
    import ctranslate2

    cores = peers.cores()
    types = set(ctranslate2.get_supported_compute_types("cpu"))
    settings = peers.peer_settings(cores, types, peers.resolved_ct2_types(models, types))
    if args.smoke:
        settings = [p for p in settings if (p["intra"], p["inter"], p["compute_type"]) in {(1, 1, "float32"), (1, 1, "int8")}]
    settings.append({"engine": "idnews", "compute_type": "int8 (default)", "intra": "auto", "inter": "auto"})
    inputs = work / "inputs" / f"peers-{args.peer_sentences}.txt"
    inputs.write_text("\n".join(sentences[: max(args.peer_sentences, args.beam_sentences)]), encoding="utf-8")
    regimes = ["batch"] if args.smoke else list(peers.REGIMES)
    base = {"kind": "peer", "models": models, "inputs": str(inputs), "output_tokens": args.output_tokens,
            "regimes": regimes, "stream_sentences": max(args.bs1_sentences, 16), "beam_sentences": args.beam_sentences,
            "batch_sentences": args.peer_sentences}
    print(f"peer table: {len(settings)} settings x {len(regimes)} regimes x {args.rounds} rounds", flush=True)
    results = common.interleave([{**base, **s} for s in settings], args.rounds, run_setting)
    rows = []
    for setting, per_round in zip(settings, results):
        row = {**{k: v for k, v in setting.items() if k != "env"}, "threads": f"{setting['intra']}×{setting['inter']}",
               "compute": setting.get("label") or setting["compute_type"]}
        row.update(common.summarise_rounds(per_round, [*regimes, "load_s", "peak_rss_mb"]))
        row["tokens_per_sentence"] = per_round[0]["tokens_per_sentence"]
        if "calibration" in per_round[0]:
            row["calibration"] = per_round[0]["calibration"]
        rows.append(row)
    finals = head_to_head(rows, settings, base, args)
    paired = paired_stream(base, args)
    top = peers.best(rows, "batch")
    folder = None if args.smoke or top is None else folder_run(models, top, work, args)
    return {"rows": rows, "folder": folder, "finals": finals, "paired_stream": paired,
            "headline": peers.headline(rows, folder, finals)}


def run_setting(spec: dict[str, Any]) -> dict[str, Any]:
    """One peer-table child, with the process environment the setting asks for (the informational rows)."""
    return common.run_child_with_output(SCRIPT, spec, env=spec.get("env"))[0]


def paired_stream(base: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """idnews against the plain call on the engine idnews loaded, one sentence a call, alternating within one
    process (``peers.measure_paired``), in ``--rounds`` processes: idnews's own cost at stream, free of the
    spread between processes that the head-to-head carries."""
    spec = {**base, "kind": "paired", "engine": "idnews", "compute_type": "int8 (default)", "intra": "auto",
            "inter": "auto", "passes": 1 if args.smoke else 2}
    print(f"stream in one process: idnews against the plain call on its engine, {args.rounds} rounds", flush=True)
    rounds = common.interleave([spec], args.rounds, lambda spec: common.run_child(SCRIPT, spec))[0]
    ratios = [r["idnews_over_plain_time"] for r in rounds]
    return {"idnews_over_plain_time": common.median(ratios), "round_ratios": ratios,
            "sentences": rounds[0]["sentences"], "passes": rounds[0]["passes"], "layout": rounds[0]["layout"]}


def head_to_head(
    rows: list[dict[str, Any]], settings: list[dict[str, Any]], base: dict[str, Any], args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """Each regime's best peer against idnews again, in fresh processes that time the regime ``--repeats`` times
    each (median), in two stages so that the peer's rate is never the largest of several noisy rates (the
    winner's curse, which would bias the ratio against idnews):

    1. *selection*: where several peers are within ``peers.CONTENDER_MARGIN`` of the table's best, they are
       measured against each other, ``--final-rounds`` rounds, and the fastest there is the best peer;
    2. *evaluation*: idnews and that peer, ``--final-rounds`` fresh rounds, the order alternating every round.
       The headline ratio (idnews's median over the peer's) and the verdict come from this stage alone.
    """
    ours = next(s for s in settings if s["engine"] == "idnews")
    finals: dict[str, dict[str, Any]] = {}

    def timed(chosen: list[dict[str, Any]], regime: str) -> list[list[dict[str, Any]]]:
        specs = [{**base, **s, "regimes": [regime], "repeats": args.repeats} for s in chosen]
        return common.interleave(specs, args.final_rounds, lambda spec: common.run_child(SCRIPT, spec))

    for regime in peers.REGIMES:
        near = peers.contenders(rows, regime)
        if not near:
            continue
        chosen = [next(s for s in settings if all(row.get(key) == value for key, value in s.items())) for row in near]
        selection: dict[str, float] = {}
        fastest = 0
        if len(near) > 1:
            print(f"selection, {regime}: {', '.join(peers.label(row) for row in near)}, {args.final_rounds} rounds", flush=True)
            rates = [common.median(r[regime] for r in results) for results in timed(chosen, regime)]
            fastest = max(range(len(near)), key=lambda i: rates[i])
            selection = {peers.label(row): rate for row, rate in zip(near, rates)}
        peer_label = peers.label(near[fastest])
        print(f"head to head, {regime}: idnews against {peer_label}, {args.final_rounds} rounds", flush=True)
        mine, theirs = timed([ours, chosen[fastest]], regime)
        idnews_rate, peer_rate = common.median(r[regime] for r in mine), common.median(r[regime] for r in theirs)
        rounds = [[a[regime], b[regime]] for a, b in zip(mine, theirs)]
        finals[regime] = {"ratio": idnews_rate / peer_rate, "idnews": idnews_rate, "peer": peer_rate,
                          "peer_label": peer_label, "rounds": rounds, **peers.verdict(rounds),
                          "contenders": [peers.label(row) for row in near], "selection": selection}
    return finals


def folder_run(models: dict[str, str], top: dict[str, Any], work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """``idnews translate DIR`` against a peer's loop (the best batch peer) over the same sentences, 32 a call."""
    import folder_speed

    folder = folder_speed.write_folder(work / "inputs" / f"indosum-test-pages-{args.folder_articles}", args.folder_articles)
    sentences = peers.folder_sentences(folder)
    listing = work / "inputs" / f"indosum-test-sentences-{args.folder_articles}.txt"
    listing.write_text("\n".join(sentences), encoding="utf-8")
    shared = {"kind": "peer-folder", "models": models, "max_length": args.output_tokens, "folder": str(folder),
              "sentences": str(listing), "sentence_count": len(sentences)}
    configs = [{**shared, "engine": "idnews"}, {**shared, **{k: top[k] for k in ("engine", "compute_type", "intra", "inter")}}]
    print(f"folder: {args.folder_articles} articles, {len(sentences)} sentences; peer: {peers.label(top)}", flush=True)
    results = common.interleave(configs, args.folder_rounds, lambda spec: common.run_child(SCRIPT, spec))
    ours, theirs = (common.summarise_rounds(r, ["seconds", "sentences_per_s", "peak_rss_mb"]) for r in results)
    return {"articles": args.folder_articles, "sentences": len(sentences), "max_length": args.output_tokens,
            "rounds": args.folder_rounds, "idnews": ours, "peer": theirs, "peer_label": peers.label(top)}


def child(spec: dict[str, Any]) -> dict[str, Any]:
    if spec.get("kind") == "peer":
        return peers.measure(spec)
    if spec.get("kind") == "peer-folder":
        return peers.measure_folder(spec)
    if spec.get("kind") == "paired":
        return peers.measure_paired(spec)
    if spec["engine"] == "gpu-name":
        import torch

        return {"name": torch.cuda.get_device_name(0)}
    import _translation_engines as engines

    return engines.measure(spec)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a first look: the peer table (16 sentences one a call, 32 in one call, 32 at beam 4, 16 articles) "
                        "and the ratios grid (8 sentences, 2 at batch size 1), 20 tokens each, one round, "
                        "threads that sleep instead of spinning while they wait (fair to every engine on a busy CPU)")
    parser.add_argument("--no-peers", action="store_true", help="leave the peer table out (only the grid)")
    parser.add_argument("--folder-only", action="store_true",
                        help="only the folder regime, against CTranslate2 int8 with one thread per batch and a "
                        "batch per core (the best batch peer of every quiet run so far); no grid")
    parser.add_argument("--peer-sentences", type=int,
                        help="sentences of the peer table's batch regime, 32 a call (default 96; 32 with --quick)")
    parser.add_argument("--smoke", action="store_true", help="tiny model, 4 sentences, 8 tokens, greedy batch 32 only (plumbing check)")
    parser.add_argument("--sentences", type=int, help="sentences per run (default 96; 8 with --quick)")
    parser.add_argument("--bs1-sentences", type=int, help="sentences for batch size 1 (default 16; 2 with --quick)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3; 1 with --quick/--smoke)")
    parser.add_argument("--final-rounds", type=int,
                        help="rounds of each head-to-head stage: the contenders for best peer against each other, then "
                        "idnews against the one chosen (default 6, --quick included; even, so each side runs first "
                        "equally often)")
    parser.add_argument("--repeats", type=int,
                        help="timed passes over a regime's input in each head-to-head process (median; default 3, "
                        "1 with --smoke)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for every engine (default 2)")
    parser.add_argument("--output-tokens", type=int,
                        help="fixed target tokens per sentence (default 40; 20 with --quick, 8 with --smoke)")
    parser.add_argument("--work-dir", type=Path, help="cache of built models and inputs (default <idnews cache>/bench)")
    parser.add_argument("--grid", choices=["full", "core", "ratios"], default=None,
                        help="core: the headline configurations plus idnews hf and ct2 float32 at batch 32; "
                        "ratios: only the seven runs the ratios are computed from (default: full; ratios with --quick)")
    parser.add_argument("--engines", help="comma-separated subset of: " + ", ".join(ALL_ENGINES))
    parser.add_argument("--beam-sentences", type=int, help="sentences at beam 4 in the peer table, 32 a call (default 32)")
    parser.add_argument("--folder-articles", type=int, help="articles in the folder run (default 64; 16 with --quick)")
    parser.add_argument("--folder-rounds", type=int,
                        help="interleaved rounds of the folder run, each side in a fresh process (default 6: a round "
                        "costs seconds, and single processes differ by up to 15%%)")
    parser.add_argument("--json", type=Path, help="also save every number as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smoke:
        args.sentences, args.bs1_sentences = args.sentences or 4, args.bs1_sentences or 4
    elif args.quick:
        args.sentences, args.bs1_sentences = args.sentences or 8, args.bs1_sentences or 2
    args.sentences = args.sentences or 96
    args.bs1_sentences = args.bs1_sentences or 16
    args.output_tokens = args.output_tokens or (8 if args.smoke else 20 if args.quick else 40)
    args.rounds = args.rounds or (1 if args.quick or args.smoke else 3)
    args.final_rounds = args.final_rounds or (1 if args.smoke else 6)
    args.repeats = args.repeats or (1 if args.smoke else 3)
    args.grid = args.grid or ("ratios" if args.quick else "full")
    args.peer_sentences = args.peer_sentences or (args.sentences if args.smoke else 32 if args.quick else 96)
    args.beam_sentences = args.beam_sentences or 32
    args.folder_articles = args.folder_articles or (16 if args.quick else 64)
    args.folder_rounds = args.folder_rounds or 6
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        common.child_main(child, args.child, args.json_out)
        return 0
    chosen = args.engines.split(",") if args.engines else ALL_ENGINES
    unknown = sorted(set(chosen) - set(ALL_ENGINES))
    if unknown:
        raise SystemExit(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(ALL_ENGINES)}")
    if args.quick:
        # OpenMP threads that spin while waiting steal the CPU from each other on a shared machine; torch's suffer
        # most, which made a quick run take half an hour there. Every engine's child process gets the same setting.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    work = args.work_dir or common.default_work_dir()
    size = "tiny" if args.smoke else "real"
    print(f"building or reusing the {size} random-weight opus-mt-id-en model under {work} ...", flush=True)
    # the ratios grid alone needs no float32 conversion; the peer table does
    quantizations = ("int8",) if args.grid == "ratios" and args.no_peers else ("int8", "float32")
    models = {key: str(path) for key, path in common.ensure_marian(work, size, quantizations).items()}
    sentences = flores_sentences(max(args.sentences, args.bs1_sentences, args.peer_sentences, args.beam_sentences))
    inputs_dir = work / "inputs"
    inputs_dir.mkdir(parents=True, exist_ok=True)
    inputs = {"main": inputs_dir / f"flores-dev-{args.sentences}.txt", "bs1": inputs_dir / f"flores-dev-{args.bs1_sentences}.txt"}
    inputs["main"].write_text("\n".join(sentences[: args.sentences]), encoding="utf-8")
    inputs["bs1"].write_text("\n".join(sentences[: args.bs1_sentences]), encoding="utf-8")
    peer: dict[str, Any]
    if args.folder_only:
        cores = peers.cores()
        fixed = {"engine": "ctranslate2", "compute_type": "int8", "intra": 1, "inter": cores, "threads": f"1×{cores}"}
        folder = folder_run(models, fixed, work, args)
        peer = {"rows": [], "folder": folder, "headline": peers.headline([], folder)}
    elif args.no_peers:
        peer = {"rows": [], "folder": None, "headline": {}}
        print("peer table left out (--no-peers)", flush=True)
    else:
        peer = peer_section(models, sentences, work, args)

    engines = [e for e in ALL_ENGINES if e in chosen and not (args.smoke and e == "idnews-hf")]
    beam_engines = [] if args.smoke else [e for e in engines if e != "idnews-hf"]
    batchings = ["32"] if args.smoke else ["1", "8", "32", f"tokens:{TOKEN_BUDGET}"]
    configs = cpu_configs(batchings, engines, beam_engines)
    if args.folder_only:
        configs = []
    elif args.grid == "core":
        configs = [c for c in configs if is_core(c)]
    elif args.grid == "ratios":
        configs = [c for c in configs if is_ratio(c)]
    print(f"{len(configs)} configurations x {args.rounds} rounds, {args.threads} threads, "
          f"{args.output_tokens} output tokens per sentence", flush=True)
    spec = {"models": models, "threads": args.threads, "output_tokens": args.output_tokens}
    rows = run_grid(configs, inputs, spec, args.rounds)
    gpu = gpu_section(models, inputs, args)
    report = {
        "benchmark": "translate_speed",
        "machine": common.machine_info(),
        "model": f"random-weight opus-mt-id-en shape ({size})",
        "input": f"FLORES-200 dev, first {args.sentences} single-sentence lines ({args.bs1_sentences} at batch size 1)",
        "threads": args.threads,
        "output_tokens": args.output_tokens,
        "token_budget": TOKEN_BUDGET,
        "rounds": args.rounds,
        "grid": args.grid,
        "headline": peer["headline"],
        "peers": peer,
        "rows": rows,
        "ratios": headline_ratios(rows),
        "gpu": gpu,
    }
    print()
    if peer["rows"]:
        print(common.format_table(peer["rows"], peers.PEER_COLUMNS))
        print()
    for regime, value in peer["headline"].items():
        if value is None:
            print(f"idnews / best peer, {regime:7} –")
        else:
            table = f"; table {value['table_ratio']:.2f}" if "table_ratio" in value else ""
            spread = ""
            if "round_ratios" in value:
                low, high = min(value["round_ratios"]), max(value["round_ratios"])
                spread = f"; {value['verdict']}, rounds {low:.2f}–{high:.2f}"
            print(f"idnews / best peer, {regime:7} {value['ratio']:.2f}  (best peer: {value['peer']}{table}{spread})")
    if peer.get("paired_stream"):
        paired = peer["paired_stream"]
        print(f"stream, one process: idnews time / plain call on its engine {paired['idnews_over_plain_time']:.3f} "
              f"(rounds {', '.join(f'{r:.3f}' for r in paired['round_ratios'])})")
    if rows:
        print()
        print(common.format_table(rows, COLUMNS))
        print()
        for key, value in report["ratios"].items():
            print(f"{key:40} {'–' if value is None else f'{value:.3f}'}")
    if args.quick and rows:
        rounds = "one round" if args.rounds == 1 else f"{args.rounds} rounds"
        print(f"\nquick grid: {args.sentences} sentences ({args.bs1_sentences} at batch size 1), {args.output_tokens} "
              f"tokens each, {rounds}; these ratios are less certain than a full run's (96 sentences, 40 tokens)")
    if "skipped" in gpu:
        print(f"\nGPU section skipped: {gpu['skipped']}")
    else:
        print(f"\nGPU: {gpu['gpu']['name']}\n" + common.format_table(gpu["rows"], COLUMNS))
    if args.json:
        common.write_json(args.json, report)
        print(f"\nsaved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
