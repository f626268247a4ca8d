"""Translation speed: idnews at its defaults against the plain engines a user could run by hand.

    python benchmarks/translate_speed.py [--quick | --smoke] [--rounds N] [--json PATH]
    python benchmarks/translate_speed.py --show benchmarks/results/translate-speed.json [--ratios-only]

One table, target tokens per second in three regimes: ``stream`` (one sentence a call, greedy), ``batch 32``
(32 sentences a call, greedy) and ``beam 4`` (32 sentences a call, beam 4). Rows:

* idnews: ``Translator(model, backend="ct2", guard=None, decoding=...)`` — CTranslate2 int8, the engine layout
  of ``calibrate="cached"`` (what ``idnews models tune`` stored, else the defaults), English detection on. The
  guard is off: on random weights it flags nearly every sentence and decodes it again, which would measure the
  weights, not the library;
* plain CTranslate2 int8 (SentencePiece + ``translate_batch``) at every thread layout a user can pick on this
  machine: 1×1, cores×1 and 1×cores (intra × inter threads); with several workers each call's sentences are
  split into as many sub-batches (``max_batch_size = ceil(n / inter)``), which the workers decode in parallel;
* transformers ``generate`` in float32, bfloat16 and dynamic int8 (``torch.ao.quantization.quantize_dynamic``
  on the Linear layers) at one thread (``--transformers-threads``). One thread is the faster of 1 and 2 on the
  shared 2-core machine of the saved run: with torch's two threads float32 took 60.5, 42.8 and 72.4 s a
  measurement (stream, batch 32, beam 4) against 19.6, 17.8 and 30.2 s at one (one check before the run, a
  neighbour's load on the machine); on an idle 2-core machine earlier, two threads were faster at 32 a call.

Below the rows: per regime ``idnews / best plain CTranslate2 setting`` and ``idnews / best setting of any engine``.

The model is a randomly initialised Marian of the exact opus-mt-id-en shape (74M parameters, real tokenizer),
built once under the work folder and converted to CTranslate2 int8; every engine reads the same int8 conversion
or checkpoint. Random weights prove speed, never quality, so every engine is forced to write the same number of
target tokens per sentence (minimum = maximum decoding length); the tokens each one really wrote are counted and
the run stops if they differ. Input: the first N FLORES-200 dev sentences that idnews's splitter keeps as one
sentence. Each (row, regime) is measured in a fresh child process (load, an untimed warm-up call of at most 4
sentences, then the timed calls); the configurations are interleaved over ``--rounds`` rounds, each round
starting one configuration later, and the table shows medians.

Also measured, each side in a fresh process, interleaved over the same rounds:

* first call: ``Translator(model).translate("Satu kalimat.")`` (load, the English check — two words, too few for
  the detector model to load — and one sentence; guard off, beam 4, the forced length) against ``ctranslate2.Translator(model, intra_threads=1)`` (one thread: its fastest
  load and layout for one sentence) + SentencePiece + one ``translate_batch`` of that sentence at beam 4;
  ``first_call_extra_s`` is the difference of the medians (both processes import ctranslate2 before the clock);
* folder: ``idnews translate DIR --out OUT`` (the command, greedy, ``--max-length`` the forced length, guard off)
  against a plain loop over the same IndoSum articles (read each page and split it with idnews's own reader and
  splitter, translate its sentences with plain CTranslate2 int8 at the best ``batch 32`` layout of the table,
  write the output): whole-process wall times, ratio ``plain / idnews``.

Targets (the ``verdict`` of the JSON): every regime ``idnews / best plain CTranslate2`` ≥ 0.97, folder ≥ 1.2,
``first_call_extra_s`` ≤ 1.0.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402

SCRIPT = Path(__file__).resolve()
FLORES = ("data", "mt", "flores200_dev", "dev.ind_Latn")
BATCH = 32
WARM_UP = 4
#: regime -> (sentences a call, beam size)
REGIMES = {"stream": (1, 1), "batch": (BATCH, 1), "beam4": (BATCH, 4)}
TITLES = {"stream": "stream", "batch": "batch 32", "beam4": "beam 4"}
TARGETS = {"vs_ctranslate2": 0.97, "folder": 1.2, "first_call_extra_s": 1.0}
FIRST_SENTENCE = "Satu kalimat."
#: sentences per regime, output tokens, rounds and folder articles of each mode
MODES = {
    "full": {"stream": 16, "batch": 96, "beam4": 64, "tokens": 40, "rounds": 5, "articles": 64},
    "quick": {"stream": 8, "batch": 32, "beam4": 32, "tokens": 20, "rounds": 3, "articles": 16},
    "smoke": {"stream": 4, "batch": 4, "beam4": 4, "tokens": 8, "rounds": 1, "articles": 2},
}


def settings(cores: int, smoke: bool = False, torch_threads: int = 1) -> list[dict[str, Any]]:
    """The rows: idnews, plain CTranslate2 int8 at 1×1, cores×1 and 1×cores, transformers at ``torch_threads``
    (``--smoke``: idnews, CTranslate2 1×1 and 1×cores, transformers float32)."""
    layouts = sorted({(1, 1), (cores, 1), (1, cores)}, key=lambda layout: (layout[1], layout[0]))
    rows: list[dict[str, Any]] = [{"engine": "idnews", "compute_type": "int8"}]
    rows += [{"engine": "ctranslate2", "compute_type": "int8", "intra": intra, "inter": inter}
             for intra, inter in layouts if not (smoke and intra > 1)]
    rows += [{"engine": "transformers", "compute_type": t, "intra": torch_threads, "inter": 1}
             for t in ("float32", "bfloat16", "dynamic_int8") if not (smoke and t != "float32")]
    return rows


def label(setting: dict[str, Any]) -> str:
    if setting["engine"] == "idnews":
        return "idnews int8 (defaults)"
    return f"{setting['engine']} {setting['compute_type']} {setting['intra']}×{setting['inter']}"


# ------------------------------------------------------------------ child side: the engines


def load_ctranslate2(folder: Path, intra: int, inter: int, length: int) -> Any:
    """Plain CTranslate2: SentencePiece pieces in, ``translate_batch``, pieces decoded; returns
    ``run(sentences, beam) -> target tokens of each``."""
    import ctranslate2
    import sentencepiece

    source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
    target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
    translator = ctranslate2.Translator(str(folder), device="cpu", compute_type="int8",
                                        intra_threads=intra, inter_threads=inter)

    def run(sentences: list[str], beam: int) -> list[int]:
        tokens = [pieces + ["</s>"] for pieces in source.encode(sentences, out_type=str)]
        results = translator.translate_batch(tokens, beam_size=beam, min_decoding_length=length,
                                             max_decoding_length=length, max_batch_size=sub_batch(len(tokens), inter))
        hypotheses = [r.hypotheses[0] for r in results]
        target.decode_pieces(hypotheses)
        return [len(h) for h in hypotheses]

    return run


def sub_batch(sentences: int, workers: int) -> int:
    """``max_batch_size`` that splits a call into one sub-batch per worker (0: no limit, one batch)."""
    return math.ceil(sentences / workers) if workers > 1 else 0


def load_transformers(folder: Path, compute_type: str, threads: int, length: int) -> Any:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    torch.set_num_threads(threads)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    dtype = torch.bfloat16 if compute_type == "bfloat16" else torch.float32
    model = AutoModelForSeq2SeqLM.from_pretrained(folder, dtype=dtype).eval()
    if compute_type == "dynamic_int8":
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    special = {tokenizer.pad_token_id, tokenizer.eos_token_id}

    def run(sentences: list[str], beam: int) -> list[int]:
        encoded = tokenizer(sentences, return_tensors="pt", padding=True)
        with torch.inference_mode():
            output = model.generate(**encoded, num_beams=beam, do_sample=False, min_new_tokens=length,
                                    max_new_tokens=length, forced_eos_token_id=None)
        tokenizer.batch_decode(output, skip_special_tokens=True)
        return [sum(1 for t in row.tolist()[1:] if t not in special) for row in output]

    return run


def load_idnews(folder: Path, beam: int, length: int) -> tuple[Any, dict[str, Any]]:
    """idnews at its defaults but for the guard (off) and the forced length; its tokens are counted where its
    backend returns them (a wrapper set from outside, not a library hook)."""
    from idnews.translation import Decoding, Translator

    translator = Translator(folder, backend="ct2", guard=None,
                            decoding=Decoding(beam_size=beam, min_length=length, max_length=length)).load()
    backend = translator._engine().backend
    inner, produced = backend.translate_batches, list[int]()

    def counting(batches: Any, prefix: Any, decodings: Any) -> Any:
        outputs = inner(batches, prefix, decodings)
        produced.extend(sum(1 for t in out if t != "</s>") for batch in outputs for out in batch)
        return outputs

    backend.translate_batches = counting  # type: ignore[method-assign,assignment]

    def run(sentences: list[str], _beam: int) -> list[int]:
        produced.clear()
        translator.translate(sentences[0] if len(sentences) == 1 else sentences)
        return list(produced)

    calibration = translator.calibration
    return run, {"source": calibration.source, "layout": calibration.config.text()}


def measure_regime(spec: dict[str, Any]) -> dict[str, Any]:
    """Child body: load one row's engine, warm it up, time one regime."""
    setting, models, length = spec["setting"], spec["models"], spec["tokens"]
    per_call, beam = REGIMES[spec["regime"]]
    sentences = Path(spec["inputs"]).read_text(encoding="utf-8").split("\n")[: spec["sentences"]]
    calls = [sentences[i : i + per_call] for i in range(0, len(sentences), per_call)]
    started = time.perf_counter()
    extra: dict[str, Any] = {}
    if setting["engine"] == "idnews":
        run, extra["calibration"] = load_idnews(Path(models["ct2_int8"]), beam, length)
    elif setting["engine"] == "ctranslate2":
        run = load_ctranslate2(Path(models["ct2_int8"]), setting["intra"], setting["inter"], length)
    else:
        run = load_transformers(Path(models["hf"]), setting["compute_type"], setting["intra"], length)
    load_s = time.perf_counter() - started
    run(calls[0][:WARM_UP], beam)
    counts: list[int] = []
    started = time.perf_counter()
    for call in calls:
        counts.extend(run(call, beam))
    seconds = time.perf_counter() - started
    return {"tokens_per_s": sum(counts) / seconds, "seconds": seconds, "load_s": load_s,
            "sentences": len(counts), "tokens_per_sentence": sorted(set(counts)), **extra}


def first_call(spec: dict[str, Any]) -> dict[str, Any]:
    """Child body: seconds from nothing loaded to the first sentence translated (ctranslate2 imported first)."""
    import ctranslate2
    import sentencepiece

    folder, length = Path(spec["models"]["ct2_int8"]), spec["tokens"]
    if spec["engine"] == "idnews":
        from idnews.translation import Decoding, Translator

        started = time.perf_counter()
        Translator(folder, guard=None, decoding=Decoding(min_length=length, max_length=length)).translate(FIRST_SENTENCE)
        return {"seconds": time.perf_counter() - started}
    started = time.perf_counter()
    translator = ctranslate2.Translator(str(folder), device="cpu", compute_type="int8", intra_threads=1)
    source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
    target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
    tokens = [source.encode(FIRST_SENTENCE, out_type=str) + ["</s>"]]
    result = translator.translate_batch(tokens, beam_size=4, min_decoding_length=length, max_decoding_length=length)
    target.decode_pieces(result[0].hypotheses[0])
    return {"seconds": time.perf_counter() - started}


def plain_folder(spec: dict[str, Any]) -> dict[str, Any]:
    """Child body: the plain loop over a folder, page by page (what a user would write around CTranslate2)."""
    import ctranslate2
    import sentencepiece

    from idnews.article import load_article
    from idnews.translation.document import split_article

    folder, inter = Path(spec["models"]["ct2_int8"]), spec["inter"]
    source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
    target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
    translator = ctranslate2.Translator(str(folder), device="cpu", compute_type="int8",
                                        intra_threads=spec["intra"], inter_threads=inter)
    out = Path(spec["out"])
    out.mkdir(parents=True, exist_ok=True)
    sentences = tokens = 0
    for page in sorted(Path(spec["folder"]).glob("*.txt")):
        units = split_article(load_article(page)).sentences()
        pieces = [p + ["</s>"] for p in source.encode(units, out_type=str)]
        results = translator.translate_batch(pieces, beam_size=1, max_decoding_length=spec["tokens"],
                                             max_batch_size=sub_batch(len(pieces), inter)) if pieces else []
        english = [target.decode_pieces(r.hypotheses[0]) for r in results]
        (out / page.name).write_text("\n".join(english) + "\n", encoding="utf-8")
        sentences += len(units)
        tokens += sum(len(r.hypotheses[0]) for r in results)
    return {"sentences": sentences, "target_tokens": tokens}


def child(spec: dict[str, Any]) -> dict[str, Any]:
    return {"regime": measure_regime, "first": first_call, "plain-folder": plain_folder}[spec["kind"]](spec)


# ------------------------------------------------------------------ parent side


def flores_sentences(count: int) -> list[str]:
    """The first ``count`` FLORES-200 dev lines that idnews's splitter keeps as one sentence."""
    from idnews.text import split_sentences

    path = common.require(common.shared_dir().joinpath(*FLORES), "FLORES-200 dev")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    single = [line for line in lines if split_sentences(line) == [line]]
    if len(single) < count:
        raise common.BenchmarkError(f"{path}: only {len(single)} single-sentence lines, {count} requested")
    return single[:count]


def summarise(setting: dict[str, Any], regimes: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """One row of the table: per regime the median tokens/s, the per-round values and the tokens written."""
    row: dict[str, Any] = {"label": label(setting), **setting, "regimes": {}}
    for regime, rounds in regimes.items():
        row["regimes"][regime] = {
            "tokens_per_s": common.median(r["tokens_per_s"] for r in rounds),
            "rounds": [r["tokens_per_s"] for r in rounds],
            "load_s": common.median(r["load_s"] for r in rounds),
            "peak_rss_mb": common.median(r["peak_rss_mb"] for r in rounds),
            "sentences": sorted({r["sentences"] for r in rounds}),
            "tokens_per_sentence": sorted({n for r in rounds for n in r["tokens_per_sentence"]}),
        }
        if "calibration" in rounds[0]:
            row["regimes"][regime]["calibration"] = rounds[0]["calibration"]
    return row


def check_tokens(rows: list[dict[str, Any]], sentences: dict[str, int], tokens: int) -> None:
    """Every row wrote exactly ``tokens`` target tokens for each sentence of every regime, or the run stops."""
    for row in rows:
        for regime, value in row["regimes"].items():
            if value["tokens_per_sentence"] != [tokens] or value["sentences"] != [sentences[regime]]:
                raise common.BenchmarkError(
                    f"{row['label']}, {regime}: {value['sentences']} sentences of {value['tokens_per_sentence']} "
                    f"tokens, not {sentences[regime]} of {tokens}: the engines did not do the same work")


def ratios(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per regime: idnews over the best plain CTranslate2 row and over the best row of any other engine."""
    ours = next(r for r in rows if r["engine"] == "idnews")
    out = {}
    for regime in ours["regimes"]:
        def best(engines: tuple[str, ...]) -> dict[str, Any]:
            return max((r for r in rows if r["engine"] in engines), key=lambda r: r["regimes"][regime]["tokens_per_s"])

        rate = ours["regimes"][regime]["tokens_per_s"]
        ct2, other = best(("ctranslate2",)), best(("ctranslate2", "transformers"))
        out[regime] = {"vs_ctranslate2": rate / ct2["regimes"][regime]["tokens_per_s"], "best_ctranslate2": ct2["label"],
                       "vs_any": rate / other["regimes"][regime]["tokens_per_s"], "best_any": other["label"]}
    return out


def verdict(report: dict[str, Any]) -> dict[str, Any]:
    """Each measured figure against its target (``None`` where it was not measured)."""
    out: dict[str, Any] = {f"{regime}_vs_ctranslate2": value["vs_ctranslate2"] >= TARGETS["vs_ctranslate2"]
                           for regime, value in report["ratios"].items()}
    folder, first = report.get("folder"), report.get("first_call")
    out["folder"] = None if folder is None else folder["ratio"] >= TARGETS["folder"]
    out["first_call_extra_s"] = None if first is None else first["extra_s"] <= TARGETS["first_call_extra_s"]
    out["all_met"] = all(v is not False for v in out.values())
    return out


def run_timed(command: list[str]) -> float:
    """Wall seconds of ``command`` in a fresh process (the benchmark's child environment)."""
    started = time.perf_counter()
    done = subprocess.run(command, env=common.child_env(), capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise common.BenchmarkError(f"{' '.join(command[:4])} ... exited with {done.returncode}:\n{done.stderr[-2000:]}")
    return seconds


def folder_side(spec: dict[str, Any]) -> dict[str, Any]:
    """One folder run, idnews's command or the plain loop, each writing into a fresh output folder."""
    with tempfile.TemporaryDirectory(prefix="idnews-bench-folder-") as tmp:
        if spec["side"] == "idnews":
            log = Path(tmp) / "log.jsonl"
            seconds = run_timed([sys.executable, "-m", "idnews", "translate", spec["folder"], "--out", f"{tmp}/out",
                                 "--model", spec["models"]["ct2_int8"], "--backend", "ct2", "--beam-size", "1",
                                 "--max-length", str(spec["tokens"]), "--no-guard", "--quiet", "--log-json", str(log)])
            events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
            summary = next(e for e in reversed(events) if e.get("event") == "summary")
            return {"seconds": seconds, "sentences": summary["sentences"], "files": summary["ok"]}
        spec = {**spec, "kind": "plain-folder", "out": f"{tmp}/out"}
        started = time.perf_counter()
        result = common.run_child(SCRIPT, spec)
        return {**result, "seconds": time.perf_counter() - started,
                "files": len(list(Path(spec["out"]).glob("*.txt")))}


def measure_all(args: argparse.Namespace, models: dict[str, str], inputs: Path, work: Path) -> dict[str, Any]:
    from idnews.translation.config import physical_cores

    cores = physical_cores()
    mode = MODES[args.mode]
    counts = {regime: mode[regime] for regime in REGIMES}
    rows_of = settings(cores, args.mode == "smoke", args.transformers_threads)
    configs = [{"kind": "regime", "label": label(s), "setting": s, "regime": regime, "sentences": counts[regime], "tokens": args.tokens,
                "inputs": str(inputs), "models": models} for s in rows_of for regime in REGIMES]
    print(f"{len(configs)} measurements ({len(rows_of)} rows x {len(REGIMES)} regimes) x {args.rounds} rounds; "
          f"{args.tokens} target tokens a sentence", flush=True)
    results = common.interleave(configs, args.rounds, lambda spec: common.run_child(SCRIPT, spec))
    rows = []
    for index, setting in enumerate(rows_of):
        per_regime = {regime: results[index * len(REGIMES) + j] for j, regime in enumerate(REGIMES)}
        rows.append(summarise(setting, per_regime))
    check_tokens(rows, counts, args.tokens)
    report: dict[str, Any] = {"rows": rows, "tokens_equal": True, "ratios": ratios(rows)}

    print("first call: idnews against plain CTranslate2", flush=True)
    sides = [{"kind": "first", "engine": engine, "models": models, "tokens": args.tokens}
             for engine in ("idnews", "ctranslate2")]
    ours, plain = ([r["seconds"] for r in per] for per in
                   common.interleave(sides, args.rounds, lambda spec: common.run_child(SCRIPT, spec)))
    report["first_call"] = {"idnews_s": common.median(ours), "plain_s": common.median(plain),
                            "extra_s": common.median(ours) - common.median(plain), "idnews_rounds": ours,
                            "plain_rounds": plain}

    import folder_speed

    best = max((r for r in rows if r["engine"] == "ctranslate2"), key=lambda r: r["regimes"]["batch"]["tokens_per_s"])
    folder = folder_speed.write_folder(work / "inputs" / f"indosum-test-pages-{mode['articles']}", mode["articles"])
    base = {"folder": str(folder), "models": models, "tokens": args.tokens, "intra": best["intra"], "inter": best["inter"]}
    print(f"folder: idnews translate against a plain loop ({best['label']}), {mode['articles']} articles", flush=True)
    per_side = common.interleave([{**base, "side": "idnews"}, {**base, "side": "plain"}], args.rounds, folder_side)
    ours_f, plain_f = ([r["seconds"] for r in per] for per in per_side)
    if per_side[0][0]["sentences"] != per_side[1][0]["sentences"]:
        raise common.BenchmarkError(f"folder: idnews translated {per_side[0][0]['sentences']} sentences, the plain "
                                    f"loop {per_side[1][0]['sentences']}")
    report["folder"] = {"articles": mode["articles"], "sentences": per_side[1][0]["sentences"], "plain": best["label"],
                        "idnews_s": common.median(ours_f), "plain_s": common.median(plain_f),
                        "ratio": common.median(plain_f) / common.median(ours_f),
                        "idnews_rounds": ours_f, "plain_rounds": plain_f}
    report["verdict"] = verdict(report)
    return report


# ------------------------------------------------------------------ the table


def fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def table(report: dict[str, Any]) -> str:
    """The Markdown table of a saved run: tokens/s per row and regime, then the two ratios per regime."""
    regimes = list(report["ratios"])
    lines = ["| engine | " + " | ".join(f"{TITLES[r]} tokens/s" for r in regimes) + " |",
             "|---|" + "---|" * len(regimes)]
    for row in report["rows"]:
        lines.append(f"| {row['label']} | " + " | ".join(fmt(row["regimes"][r]["tokens_per_s"]) for r in regimes) + " |")
    for key, best, title in (("vs_ctranslate2", "best_ctranslate2", "idnews / best plain CTranslate2"),
                             ("vs_any", "best_any", "idnews / best of any engine")):
        cells = [f"{report['ratios'][r][key]:.2f} ({report['ratios'][r][best]})" for r in regimes]
        lines.append(f"| **{title}** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ratio_table(report: dict[str, Any]) -> str:
    """The small table of the ratios against their targets."""
    met = report["verdict"]
    lines = ["| measure | against plain CTranslate2 | against any engine | target | met |",
             "|---|---|---|---|---|"]
    for regime, value in report["ratios"].items():
        lines.append(f"| {TITLES[regime]}, idnews / best tokens/s | {value['vs_ctranslate2']:.2f} | {value['vs_any']:.2f} | "
                     f"≥ {TARGETS['vs_ctranslate2']} | {'yes' if met[f'{regime}_vs_ctranslate2'] else 'no'} |")
    folder, first = report["folder"], report["first_call"]
    lines.append(f"| folder, plain loop time / idnews time | {folder['ratio']:.2f} | – | ≥ {TARGETS['folder']} | "
                 f"{'yes' if met['folder'] else 'no'} |")
    lines.append(f"| first call, idnews s − plain s | {first['extra_s']:+.2f} s | – | ≤ {TARGETS['first_call_extra_s']} s | "
                 f"{'yes' if met['first_call_extra_s'] else 'no'} |")
    return "\n".join(lines)


def spread(report: dict[str, Any], name: str, regime: str) -> str:
    rounds = next(r for r in report["rows"] if r["label"] == name)["regimes"][regime]["rounds"]
    return f"{fmt(min(rounds))}–{fmt(max(rounds))}"


def describe(report: dict[str, Any]) -> str:
    """The lines under the table: what was run, the token check, the first call and the folder."""
    run, first, folder = report["run"], report["first_call"], report["folder"]
    calibration = report["rows"][0]["regimes"]["batch"].get("calibration", {})
    return "\n".join([
        f"Every engine wrote exactly {run['tokens']} target tokens for each sentence of every regime "
        f"({run['sentences']['stream']} sentences one a call, {run['sentences']['batch']} greedy and "
        f"{run['sentences']['beam4']} at beam 4 32 a call); medians of {run['rounds']} round(s), "
        f"each measurement a fresh process, {run['minutes']} minutes in all, load average "
        f"{run['load_average']['start']:.1f} at the start and {run['load_average']['end']:.1f} at the end. "
        f"idnews ran {calibration.get('layout', '?')} ({calibration.get('source', '?')}).",
        "",
        "Spread of the rounds (lowest–highest tokens/s), idnews against the best plain CTranslate2 row: " + "; ".join(
            f"{TITLES[regime]} {spread(report, 'idnews int8 (defaults)', regime)} against "
            f"{spread(report, value['best_ctranslate2'], regime)}" for regime, value in report["ratios"].items()) + ".",
        "",
        f"First call: idnews {first['idnews_s']:.2f} s, plain CTranslate2 {first['plain_s']:.2f} s: "
        f"first_call_extra_s {first['extra_s']:+.2f}.",
        f"Folder ({folder['articles']} articles, {folder['sentences']} sentences): idnews translate "
        f"{folder['idnews_s']:.2f} s, plain loop ({folder['plain']}) {folder['plain_s']:.2f} s: ratio {folder['ratio']:.2f}.",
    ])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="8 sentences one a call, 32 in one call, 32 at beam 4, "
                        "20 tokens each, 16 articles, 3 rounds (16 minutes on a shared 2-core machine)")
    parser.add_argument("--smoke", action="store_true", help="tiny model, 4 sentences, 8 tokens, 4 rows, one round "
                        "(plumbing check)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 5; 3 with --quick, 1 with --smoke)")
    parser.add_argument("--tokens", type=int, help="target tokens forced per sentence (default 40; 20 --quick, 8 --smoke)")
    parser.add_argument("--transformers-threads", type=int, default=1,
                        help="torch threads of the transformers rows (default 1; see the description)")
    parser.add_argument("--work-dir", type=Path, help="cache of built models and inputs (default <idnews cache>/bench)")
    parser.add_argument("--json", type=Path, help="save every number as JSON here")
    parser.add_argument("--show", type=Path, metavar="JSON", help="print the table of a saved run and exit")
    parser.add_argument("--ratios-only", action="store_true", help="with --show: only the ratios against their targets")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    args.rounds = args.rounds or MODES[args.mode]["rounds"]
    args.tokens = args.tokens or MODES[args.mode]["tokens"]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        common.child_main(child, args.child, args.json_out)
        return 0
    if args.show:
        report = json.loads(args.show.read_text(encoding="utf-8"))
        print(ratio_table(report) if args.ratios_only else table(report) + "\n\n" + describe(report))
        return 0
    work = args.work_dir or common.default_work_dir()
    size = "tiny" if args.smoke else "real"
    print(f"building or reusing the {size} random-weight opus-mt-id-en model under {work} ...", flush=True)
    models = {key: str(path) for key, path in common.ensure_marian(work, size, ("int8",)).items()}
    mode = MODES[args.mode]
    inputs = work / "inputs" / f"flores-dev-single-{max(mode[r] for r in REGIMES)}.txt"
    inputs.parent.mkdir(parents=True, exist_ok=True)
    inputs.write_text("\n".join(flores_sentences(max(mode[r] for r in REGIMES))), encoding="utf-8")
    started, load = time.time(), os.getloadavg()[0]
    report = {"benchmark": "translate_speed", "machine": common.machine_info(),
              "run": {"mode": args.mode, "model": f"random-weight opus-mt-id-en shape ({size}), CTranslate2 int8",
                      "tokens": args.tokens, "rounds": args.rounds,
                      "sentences": {regime: mode[regime] for regime in REGIMES}},
              **measure_all(args, models, inputs, work)}
    report["run"]["minutes"] = round((time.time() - started) / 60, 1)
    report["run"]["load_average"] = {"start": load, "end": os.getloadavg()[0]}  # 1-minute, all processes
    print("\n" + table(report) + "\n\n" + describe(report) + "\n")
    if args.json:
        common.write_json(args.json, report)
        print(f"saved {args.json}")
    print(json.dumps({"ratios": report["ratios"], "first_call_extra_s": report["first_call"]["extra_s"],
                      "folder": report["folder"]["ratio"], "verdict": report["verdict"]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
