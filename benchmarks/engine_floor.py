"""Where the engine's own speed ends: plain CTranslate2 int8 under the switches a user could still reach.

    python benchmarks/engine_floor.py [--quick | --smoke] [--rounds N] [--json PATH]

At one sentence a call idnews runs the fastest setting of the peer table (CTranslate2 int8, one thread per
batch) and adds well under a percent around it, so its speed there is the engine's. This benchmark measures
whether anything outside the engine's settings moves that floor without changing a word: CPU instruction-set
caps of oneDNN and CTranslate2, OpenMP's wait policy, transparent huge pages for the memory glibc's ``malloc``
hands out (the ``glibc.malloc.hugetlb=1`` tunable), two threads per batch, and what idnews does itself from inside
the process (``idnews.translation.hugepages``: the memory the load filled collapsed into 2 MiB pages after it) at
one worker and at two; 32 sentences a call, greedy, over two workers, with and without that move (idnews makes it
only once a small call comes, since batches should not gain); and, at beam 4, smaller batches over two workers,
huge pages, the move, and glibc keeping the memory a call frees (``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_TRIM_THRESHOLD_`` and ``MALLOC_TOP_PAD_``; by default it hands blocks of a few MiB back to the kernel
and page-faults them in again on the next step). Every variant runs in its own process, interleaved
over ``--rounds``; each reports the median of three timed passes, the minor page faults of a pass and a hash of its outputs, and whether its
words are those of the first variant of its regime (a switch that changes them is not a free speed-up). One more process runs with ``ONEDNN_VERBOSE=1`` and reports the time of the output layer's int8
product per call, the largest single cost of a decoding step.

The model is the random-weight Marian of the opus-mt-id-en shape that ``translate_speed.py`` builds; 20 target
tokens are forced per sentence (8 FLORES-200 dev sentences one a call; 32 at beam 4).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402

from idnews.translation import allocator  # noqa: E402

SCRIPT = Path(__file__).resolve()
TOKENS = 20
HUGE_PAGES = ("huge pages (glibc.malloc.hugetlb=1)", {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"})
#: glibc keeping the memory a call frees for the next (by default it hands big blocks back and faults them in again)
KEEP_FREED = ("glibc keeps freed memory (MALLOC_*_ settings, as idnews)", allocator.ENVIRONMENT)
#: idnews's own way, from inside the process: the 2 MiB stretches the load filled, collapsed after it
COLLAPSED = "weights collapsed to 2 MiB pages after load (as idnews)"
STREAM = [
    ("as shipped, 1 thread", {}, 1),
    ("2 threads", {}, 2),
    ("ONEDNN_MAX_CPU_ISA=AVX2", {"ONEDNN_MAX_CPU_ISA": "AVX2"}, 1),
    ("ONEDNN_MAX_CPU_ISA=AVX512_CORE", {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE"}, 1),
    ("CT2_FORCE_CPU_ISA=AVX2", {"CT2_FORCE_CPU_ISA": "AVX2"}, 1),
    ("OMP_WAIT_POLICY=PASSIVE", {"OMP_WAIT_POLICY": "PASSIVE"}, 1),
    (*HUGE_PAGES, 1),
]
COLUMNS = [("variant", "variant", "{}"), ("seconds", "median s", "{:.3f}"),
           ("vs_reference", "× first of its regime", "{:.3f}"), ("same_words", "same words", "{}"),
           ("outputs", "outputs (hash)", "{}")]
BEAM_BATCHES = [16, 8, 4]  # sentences a batch at beam 4 over two workers; 16 is what one call of 32 gives


def variants_table(rows: list[dict[str, Any]]) -> str:
    """The variants' Markdown table (also what ``report.py floor`` shows from a saved run)."""
    columns = COLUMNS
    if any("collapsed_mib" in row for row in rows):  # runs before the in-process variants have no such column
        columns = [*columns, ("collapsed", "MiB on 2 MiB pages", "{}")]
    if any("faults" in row for row in rows):  # nor do runs before page faults were counted
        columns = [*columns, ("faults", "page faults a pass", "{}")]
    return common.format_table([{**row, "outputs": ", ".join(row["outputs"]),
                                 "collapsed": ", ".join(str(m) for m in row.get("collapsed_mib", []))} for row in rows],
                               columns)


def child(spec: dict[str, Any]) -> dict[str, Any]:
    import ctranslate2
    import sentencepiece

    models = spec["models"]
    pieces = sentencepiece.SentencePieceProcessor(model_file=str(Path(models["hf"]) / "source.spm"))
    sentences = Path(spec["inputs"]).read_text(encoding="utf-8").split("\n")
    tokens = [p + ["</s>"] for p in pieces.encode(sentences, out_type=str)]
    beam = spec["beam_size"]
    from idnews.translation.hugepages import load_and_find_pages

    translator, move = load_and_find_pages(
        lambda: ctranslate2.Translator(models["ct2_int8"], compute_type="int8", intra_threads=spec["intra"],
                                       inter_threads=spec["inter"]),
        enabled=spec.get("collapse", False),
    )
    move.start()
    memory = move.result()  # moved before the warm-up, as in idnews after its first small call
    forced = dict(beam_size=beam, min_decoding_length=TOKENS, max_decoding_length=TOKENS)

    def run() -> list[list[str]]:
        if "batch" not in spec:  # one sentence a call
            return [translator.translate_batch([t], **forced)[0].hypotheses[0] for t in tokens[: spec["count"]]]
        results = translator.translate_batch(tokens[: spec["count"]], max_batch_size=spec["batch"], **forced)
        return [r.hypotheses[0] for r in results]

    run()
    passes, faults = [], []
    for _ in range(spec.get("passes", 3)):
        faulted = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        started = time.perf_counter()
        outputs = run()
        passes.append(time.perf_counter() - started)
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faulted)
    digest = hashlib.sha256(json.dumps(outputs).encode()).hexdigest()[:12]
    return {"seconds": common.median(passes), "outputs": digest, "collapsed_mib": memory.collapsed_bytes >> 20,
            "faults": common.median(faults)}


def output_layer_ms(spec: dict[str, Any]) -> dict[str, Any]:
    """Median ms of oneDNN's int8 product with the output layer (the widest product of the log), per number of
    rows, from its verbose log: ``{"shape": "1x512:512x54795", "ms": ...}`` for each row count."""
    _, log = common.run_child_with_output(SCRIPT, {**spec, "passes": 1}, env={"ONEDNN_VERBOSE": "1"})
    calls = []  # (rows, shape, ms) of the int8 products
    for line in log.splitlines():
        fields = line.split(",")
        if line.startswith("onednn_verbose,exec") and "src_u8" in line and ":" in fields[-2]:
            shape = fields[-2]
            calls.append((int(shape.split("x", 1)[0]), shape, float(fields[-1])))
    if not calls:
        return {}
    widest = max(int(shape.rsplit("x", 1)[1]) for _, shape, _ in calls)
    by_rows: dict[int, list[tuple[str, float]]] = {}
    for rows, shape, ms in calls:
        if int(shape.rsplit("x", 1)[1]) == widest:
            by_rows.setdefault(rows, []).append((shape, ms))
    return {str(rows): {"shape": found[0][0], "ms": round(common.median(ms for _, ms in found), 2), "calls": len(found)}
            for rows, found in sorted(by_rows.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3; 1 with --quick or --smoke)")
    parser.add_argument("--quick", action="store_true", help="one round")
    parser.add_argument("--smoke", action="store_true", help="tiny model, 2 sentences one a call, 8 at beam 4, "
                        "one round (plumbing check)")
    parser.add_argument("--work-dir", type=Path, help="cache of built models and inputs (default <idnews cache>/bench)")
    parser.add_argument("--json", type=Path, help="also save every number as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        common.write_json(Path(args.json_out), child(json.loads(args.child)))
        return 0
    rounds = args.rounds or (1 if args.quick or args.smoke else 3)
    stream_count, beam_count = (2, 8) if args.smoke else (8, 32)
    work = args.work_dir or common.default_work_dir()
    models = {k: str(v) for k, v in common.ensure_marian(work, "tiny" if args.smoke else "real", ("int8",)).items()}
    flores = common.require(common.shared_dir() / "data" / "mt" / "flores200_dev" / "dev.ind_Latn", "FLORES-200 dev")
    inputs = work / "inputs" / "engine-floor-32.txt"
    inputs.parent.mkdir(parents=True, exist_ok=True)
    inputs.write_text("\n".join(flores.read_text(encoding="utf-8").splitlines()[:32]), encoding="utf-8")
    base = {"models": models, "inputs": str(inputs)}
    variants = [(f"stream: {name}", {**base, "beam_size": 1, "count": stream_count, "intra": intra, "inter": 1}, env)
                for name, env, intra in STREAM]
    for inter in (1, 2):  # what idnews does after loading, at one worker and at the two its calibration picks here
        layout = "1 thread" if inter == 1 else "1 thread × 2 workers"
        stream = {**base, "beam_size": 1, "count": stream_count, "intra": 1, "inter": inter}
        if inter == 2:
            variants.append((f"stream: {layout}", stream, {}))
        variants.append((f"stream: {layout}, {COLLAPSED}", {**stream, "collapse": True}, {}))
    # idnews moves the weights only once a small call comes: batches reuse each weight, so they should not gain
    greedy = {**base, "beam_size": 1, "count": beam_count, "intra": 1, "inter": 2, "batch": BEAM_BATCHES[0]}
    variants += [(f"batch: {beam_count} a call, greedy, {BEAM_BATCHES[0]} a batch × 2 workers", greedy, {}),
                 (f"batch: {beam_count} a call, greedy, {BEAM_BATCHES[0]} a batch × 2 workers, {COLLAPSED}",
                  {**greedy, "collapse": True}, {}),
                 (f"batch: {beam_count} a call, greedy, {BEAM_BATCHES[0]} a batch × 2 workers, {KEEP_FREED[0]}",
                  greedy, KEEP_FREED[1])]
    first_beam = len(variants)
    beam = {**base, "beam_size": 4, "count": beam_count, "intra": 1, "inter": 2}
    variants += [(f"beam 4: {size} a batch", {**beam, "batch": size}, {}) for size in BEAM_BATCHES]
    variants += [(f"beam 4: {BEAM_BATCHES[0]} a batch, huge pages", {**beam, "batch": BEAM_BATCHES[0]}, HUGE_PAGES[1]),
                 (f"beam 4: {BEAM_BATCHES[0]} a batch, {COLLAPSED}", {**beam, "batch": BEAM_BATCHES[0], "collapse": True}, {}),
                 (f"beam 4: {BEAM_BATCHES[0]} a batch, {KEEP_FREED[0]}", {**beam, "batch": BEAM_BATCHES[0]}, KEEP_FREED[1])]
    configs = [{"variant": name, "spec": spec, "env": env} for name, spec, env in variants]
    measured = common.interleave(
        configs, rounds, lambda config: common.run_child_with_output(SCRIPT, config["spec"], env=config["env"])[0]
    )
    results = {name: found for (name, _, _), found in zip(variants, measured)}
    rows = []
    for name, _, _ in variants:
        seconds = common.median(r["seconds"] for r in results[name])
        reference = next(other for other, _, _ in variants if other.split(":")[0] == name.split(":")[0])
        outputs = sorted({r["outputs"] for r in results[name]})
        collapsed = sorted({r.get("collapsed_mib", 0) for r in results[name]})
        rows.append({"variant": name, "seconds": round(seconds, 3), "collapsed_mib": collapsed,
                     "faults": round(common.median(r["faults"] for r in results[name])),
                     "vs_reference": round(seconds / common.median(r["seconds"] for r in results[reference]), 3),
                     "outputs": outputs, "same_words": outputs == sorted({r["outputs"] for r in results[reference]})})
    report = {"benchmark": "engine_floor", "machine": common.machine_info(), "rounds": rounds, "rows": rows,
              "words_differ": [row["variant"] for row in rows if not row["same_words"]],
              "output_layer": {"stream": output_layer_ms(variants[0][1]),
                               "beam 4": output_layer_ms(variants[first_beam][1])}}
    print()
    print(variants_table(rows))
    print("variants whose words differ from the first of their regime:", ", ".join(report["words_differ"]) or "none")
    for regime, calls in report["output_layer"].items():
        print(f"output layer int8 product, {regime}:", ", ".join(f"{c['shape']} {c['ms']} ms ({c['calls']} calls)" for c in calls.values()))
    if args.json:
        common.write_json(args.json, report)
        print(f"saved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
