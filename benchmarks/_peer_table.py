"""The peer table of ``translate_speed.py``: idnews at its defaults against every engine setting a user could
pick by hand, in four regimes, and the headline ``idnews / best peer`` for each.

Regimes (target tokens per second, every sentence forced to the same number of output tokens):

* ``stream``: one sentence a call, greedy;
* ``batch``: 32 sentences a call, greedy;
* ``beam4``: 32 sentences a call, beam 4;
* ``folder``: a folder of real articles of mixed lengths: ``idnews translate DIR`` against the best batch peer
  translating the same sentences in document order, 32 a call (wall time of the whole run, load included).

Peers: transformers float32 / bfloat16 / dynamic int8 (``torch.ao.quantization.quantize_dynamic``) and
CTranslate2 int8 / int8_float32 / float32 (plus bfloat16 and int8_bfloat16 where the build supports them;
names the engine runs the same way on this machine are one setting), each at one thread and at every core, and CTranslate2 int8 with one thread per batch and ``inter_threads`` =
cores (the 32 sentences split across the workers). One engine per process: CTranslate2's worker threads keep
spinning after a call, so two engines never share one.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from idnews.translation import allocator

BATCH = 32
WARM_UP = 4  # sentences of the untimed first call of each regime
REGIMES = ("stream", "batch", "beam4")
PEER_COLUMNS = [
    ("engine", "engine", "{}"),
    ("compute", "compute", "{}"),
    ("threads", "threads (intra×inter)", "{}"),
    ("stream", "stream tokens/s", "{:.0f}"),
    ("batch", "batch 32 tokens/s", "{:.0f}"),
    ("beam4", "beam 4 tokens/s", "{:.0f}"),
    ("load_s", "load s", "{:.2f}"),
    ("peak_rss_mb", "peak RSS MB", "{:.0f}"),
]


#: Informational rows: plain CTranslate2 with its process started on 2 MiB pages (glibc's malloc tunable), the
#: process setting that gives a user by hand what idnews does after loading (``idnews.translation.hugepages``);
#: and with glibc keeping freed memory (``idnews.translation.allocator``), the same values set by environment.
#: Not an engine setting, so never the best peer; shown so the reader can see how much of idnews's lead it is.
HUGE_PAGES_ENV = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}
HUGE_PAGES_LABEL = "GLIBC_TUNABLES huge pages (process setting; not a peer)"
#: Likewise glibc keeping the memory a call frees, as idnews sets it from inside (``idnews.translation.allocator``).
KEEP_FREED_ENV = allocator.ENVIRONMENT
KEEP_FREED_LABEL = "MALLOC_* keeps freed memory (process setting; not a peer)"


def peer_settings(cores: int, ct2_types: set[str], same_as: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every setting a user could pick by hand on this machine (``intra``/``inter`` threads).

    ``same_as`` maps a CTranslate2 compute type to the one the engine really runs on this machine (``int8`` is
    ``int8_float32`` on a CPU): names that run the same are one setting, measured once and labelled with every
    name, so that the best peer is not the luckier of two measurements of one thing.
    """
    counts = sorted({1, cores})
    peers = [
        {"engine": "transformers", "compute_type": t, "intra": n, "inter": 1}
        for t in ("float32", "bfloat16", "dynamic_int8") for n in counts
    ]
    same_as = same_as or {}
    names: dict[str, list[str]] = {}
    for t in ("int8", "int8_float32", "float32", "int8_bfloat16", "bfloat16"):
        if t in ct2_types:
            names.setdefault(same_as.get(t, t), []).append(t)
    for group in names.values():
        label = " = ".join(group)
        peers += [{"engine": "ctranslate2", "compute_type": group[0], "label": label, "intra": n, "inter": 1}
                  for n in counts]
    if cores > 1:
        peers.append({"engine": "ctranslate2", "compute_type": "int8", "intra": 1, "inter": cores})
    fastest = [p for p in peers if p["engine"] == "ctranslate2" and p["compute_type"] == "int8"
               and (p["intra"], p["inter"]) in {(1, 1), (1, cores)}]
    peers += [{**p, "label": f"{p['compute_type']}, {label}", "env": env, "informational": True}
              for label, env in ((HUGE_PAGES_LABEL, HUGE_PAGES_ENV), (KEEP_FREED_LABEL, KEEP_FREED_ENV)) for p in fastest]
    return peers


def resolved_ct2_types(models: dict[str, str], types: set[str]) -> dict[str, str]:
    """The compute type CTranslate2 really runs for each of ``types`` on this CPU (one thread, no decoding)."""
    import ctranslate2

    found = {}
    for t in sorted(types):
        weights = models["ct2_int8"] if t.startswith("int8") else models["ct2_float32"]
        engine = ctranslate2.Translator(weights, device="cpu", compute_type=t, intra_threads=1)
        found[t] = engine.compute_type
        del engine
    return found


# ------------------------------------------------------------------ child side


def _transformers(spec: dict[str, Any], models: dict[str, str]) -> Any:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    torch.set_num_threads(spec["intra"])
    tokenizer = AutoTokenizer.from_pretrained(models["hf"])
    dtype = torch.bfloat16 if spec["compute_type"] == "bfloat16" else torch.float32
    model = AutoModelForSeq2SeqLM.from_pretrained(models["hf"], dtype=dtype).eval()
    if spec["compute_type"] == "dynamic_int8":
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    special = {tokenizer.pad_token_id, tokenizer.eos_token_id}

    def run(sentences: list[str], beam: int, length: int, forced: bool) -> list[int]:
        encoded = tokenizer(sentences, return_tensors="pt", padding=True)
        with torch.inference_mode():
            output = model.generate(**encoded, num_beams=beam, do_sample=False, max_new_tokens=length,
                                    min_new_tokens=length if forced else 0, forced_eos_token_id=None)
        tokenizer.batch_decode(output, skip_special_tokens=True)
        return [sum(1 for t in row.tolist()[1:] if t not in special) for row in output]

    return run


def _ctranslate2(spec: dict[str, Any], models: dict[str, str]) -> Any:
    import ctranslate2

    weights = models["ct2_int8"] if spec["compute_type"].startswith("int8") else models["ct2_float32"]
    translator = ctranslate2.Translator(weights, device="cpu", compute_type=spec["compute_type"],
                                        intra_threads=spec["intra"], inter_threads=spec["inter"])
    return _ct2_call(translator, Path(models["hf"]), spec["inter"])


def _ct2_call(translator: Any, folder: Path, inter: int) -> Any:
    """The CTranslate2 peer's call: SentencePiece pieces in, ``translate_batch``, pieces decoded."""
    import sentencepiece

    source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
    target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))

    def run(sentences: list[str], beam: int, length: int, forced: bool) -> list[int]:
        tokens = [pieces + ["</s>"] for pieces in source.encode(sentences, out_type=str)]
        results = translator.translate_batch(
            tokens, beam_size=beam, max_decoding_length=length, min_decoding_length=length if forced else 1,
            max_batch_size=-(-len(tokens) // inter) if inter > 1 else 0,
        )
        hypotheses = [r.hypotheses[0] for r in results]
        target.decode_pieces(hypotheses)
        return [len(h) for h in hypotheses]

    return run


def _idnews(spec: dict[str, Any], models: dict[str, str], beam: int, length: int) -> tuple[Any, Any]:
    """idnews at its defaults (calibrated layout, int8, English detection on); the guard is off because on
    random weights it re-decodes nearly every sentence, which would measure the weights, not the code."""
    from idnews.translation import Decoding, Translator

    translator = Translator(models["hf"], backend="ct2", guard=None,
                            decoding=Decoding(beam_size=beam, min_length=length, max_length=length)).load()
    produced: list[int] = []
    backend = translator._engine().backend  # counted from outside, not a library hook
    inner = backend.translate_batches

    def counting(batches: Any, prefix: Any, decodings: Any) -> Any:
        outputs = inner(batches, prefix, decodings)
        produced.extend(sum(1 for t in out if t != "</s>") for batch in outputs for out in batch)
        return outputs

    backend.translate_batches = counting

    def run(sentences: list[str], beam_: int, length_: int, forced: bool) -> list[int]:
        produced.clear()
        if len(sentences) == 1:
            translator.translate(sentences[0])
        else:
            translator.translate(sentences)
        return list(produced)

    return run, translator


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """Child body: load one engine setting, then time each regime (after a warm-up call)."""
    length, models = spec["output_tokens"], spec["models"]
    sentences = Path(spec["inputs"]).read_text(encoding="utf-8").split("\n")
    stream, beam_input = sentences[: spec["stream_sentences"]], sentences[: spec["beam_sentences"]]
    batch_input = sentences[: spec["batch_sentences"]]
    result: dict[str, Any] = {"tokens_per_sentence": {}}
    started = time.perf_counter()
    translators: dict[int, Any] = {}
    for regime in spec["regimes"]:
        beam = 4 if regime == "beam4" else 1
        if spec["engine"] == "idnews":
            if beam not in translators:
                translators.clear()  # one loaded engine at a time
                translators[beam] = _idnews(spec, models, beam, length)
                result.setdefault("calibration", {})[regime] = translators[beam][1].calibration.to_dict()
            run = translators[beam][0]
        else:
            if 0 not in translators:
                translators[0] = (_load_plain(spec, models), None)
            run = translators[0][0]
        result.setdefault("load_s", time.perf_counter() - started)
        calls = [[s] for s in stream] if regime == "stream" else [
            chunk for chunk in _chunks(beam_input if regime == "beam4" else batch_input, BATCH)
        ]
        run(calls[0][:WARM_UP], beam, length, True)
        rates: list[float] = []
        for _ in range(spec.get("repeats", 1)):
            counts: list[int] = []
            begun = time.perf_counter()
            for call in calls:
                counts.extend(run(call, beam, length, True))
            rates.append(sum(counts) / (time.perf_counter() - begun))
        result[regime] = statistics.median(rates)
        result.setdefault("repeats", {})[regime] = rates
        result["tokens_per_sentence"][regime] = sorted(set(counts))
    return result


def measure_paired(spec: dict[str, Any]) -> dict[str, Any]:
    """Child body: idnews's own cost at one sentence a call, without the spread between processes.

    One process loads idnews at its defaults, then for every sentence calls idnews and the CTranslate2 peer's
    plain call on the very translator idnews loaded (same weights, threads and memory), the two swapping order
    every sentence and every pass. Any difference is what idnews does around the engine call, and what that
    does to the engine call's own speed.
    """
    length, models = spec["output_tokens"], spec["models"]
    sentences = Path(spec["inputs"]).read_text(encoding="utf-8").split("\n")[: spec["stream_sentences"]]
    ours, translator = _idnews(spec, models, 1, length)
    backend = translator._engine().backend
    plain = _ct2_call(backend.translator, Path(models["hf"]), backend.inter_threads)
    both = {"idnews": ours, "plain": plain}
    for run in both.values():
        run(sentences[:1], 1, length, True)
    seconds = {name: 0.0 for name in both}
    produced: dict[str, set[int]] = {name: set() for name in both}
    for pass_index in range(spec["passes"]):
        for index, sentence in enumerate(sentences):
            order = ["idnews", "plain"] if (index + pass_index) % 2 == 0 else ["plain", "idnews"]
            for name in order:
                begun = time.perf_counter()
                produced[name].update(both[name]([sentence], 1, length, True))
                seconds[name] += time.perf_counter() - begun
    if produced["idnews"] != produced["plain"]:
        raise RuntimeError(f"idnews and the plain call produced different token counts: {produced}")
    return {"idnews_s": seconds["idnews"], "plain_s": seconds["plain"], "sentences": len(sentences),
            "passes": spec["passes"], "idnews_over_plain_time": seconds["idnews"] / seconds["plain"],
            "layout": translator.calibration.to_dict()["layout"]}


def _load_plain(spec: dict[str, Any], models: dict[str, str]) -> Any:
    return _transformers(spec, models) if spec["engine"] == "transformers" else _ctranslate2(spec, models)


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def measure_folder(spec: dict[str, Any]) -> dict[str, Any]:
    """Child body of the folder regime: the whole run, load included, idnews CLI or one peer's loop."""
    length = spec["max_length"]
    if spec["engine"] == "idnews":
        import tempfile

        from idnews.cli import main as idnews_main

        with tempfile.TemporaryDirectory(prefix="idnews-bench-out-") as out:
            argv = ["translate", spec["folder"], "--out", str(Path(out) / "out"), "--model", spec["models"]["hf"],
                    "--backend", "ct2", "--beam-size", "1", "--max-length", str(length), "--no-guard", "--quiet"]
            started = time.perf_counter()
            try:
                idnews_main(argv)
            except SystemExit as exit_:
                if exit_.code:
                    raise RuntimeError(f"idnews {' '.join(argv)} exited with {exit_.code}") from None
            seconds = time.perf_counter() - started
        return {"seconds": seconds, "sentences_per_s": spec["sentence_count"] / seconds}
    sentences = Path(spec["sentences"]).read_text(encoding="utf-8").split("\n")
    started = time.perf_counter()
    run = _load_plain(spec, spec["models"])
    counts: list[int] = []
    for call in _chunks(sentences, BATCH):
        counts.extend(run(call, 1, length, False))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "sentences_per_s": len(sentences) / seconds, "target_tokens": sum(counts)}


# ------------------------------------------------------------------ parent side


def folder_sentences(folder: Path) -> list[str]:
    """The sentences ``idnews translate`` sends to the model for ``folder``, in document order."""
    from idnews.article import load_article
    from idnews.translation.document import split_article

    sentences: list[str] = []
    for page in sorted(folder.glob("*.txt")):
        sentences.extend(split_article(load_article(page)).sentences())
    return sentences


def is_peer(row: dict[str, Any]) -> bool:
    """An engine setting idnews is judged against (not idnews, not an informational row)."""
    return row["engine"] != "idnews" and not row.get("informational")


def best(rows: list[dict[str, Any]], regime: str) -> dict[str, Any] | None:
    peers = [r for r in rows if is_peer(r) and r.get(regime)]
    return max(peers, key=lambda r: r[regime]) if peers else None


#: A peer within this share of the table's best rate may be the fastest setting: one round of the table cannot
#: tell them apart (single processes of one setting differ by up to 15% on a busy virtual machine).
CONTENDER_MARGIN = 0.10


def contenders(rows: list[dict[str, Any]], regime: str) -> list[dict[str, Any]]:
    """The peers within :data:`CONTENDER_MARGIN` of the table's best in ``regime``, fastest first: all of them
    are measured again against idnews, and the fastest there is the best peer."""
    top = best(rows, regime)
    if top is None:
        return []
    near = [r for r in rows if is_peer(r) and r.get(regime, 0) >= (1 - CONTENDER_MARGIN) * top[regime]]
    return sorted(near, key=lambda r: -r[regime])


def headline(
    rows: list[dict[str, Any]], folder: dict[str, Any] | None, finals: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """``idnews / best peer`` per regime, with which peer was best.

    Where a head-to-head run was made (``finals``), the ratio and the best peer come from it: the peers near the
    table's best were measured again against each other to choose the best, and that one against idnews in fresh
    processes, so that picking the largest of several near-equal noisy rates biases neither the choice of peer
    nor the ratio. ``table_ratio`` and ``table_peer`` keep the table's own. ``process_setting`` compares idnews,
    on the table alone, with the fastest informational row (a process setting, not an engine setting).
    """
    ours = next((r for r in rows if r["engine"] == "idnews"), None)
    out: dict[str, Any] = {}
    for regime in REGIMES:
        top = best(rows, regime)
        if ours and top and ours.get(regime):
            out[regime] = {"ratio": ours[regime] / top[regime], "idnews": ours[regime], "best_peer": top[regime],
                           "peer": label(top)}
            final = (finals or {}).get(regime)
            if final:
                out[regime] = {**out[regime], "table_ratio": out[regime]["ratio"], "ratio": final["ratio"],
                               "idnews": final["idnews"], "best_peer": final["peer"], "rounds": final["rounds"],
                               "round_ratios": final["round_ratios"], "verdict": final["verdict"],
                               "peer": final["peer_label"], "table_peer": label(top),
                               "contenders": final["contenders"], "selection": final.get("selection", {})}
        else:
            out[regime] = None
        extra = max((r for r in rows if r.get("informational") and r.get(regime)), key=lambda r: r[regime], default=None)
        if out[regime] and extra:
            out[regime]["process_setting"] = {"peer": label(extra), "rate": extra[regime],
                                              "table_ratio": ours[regime] / extra[regime]}
    if folder:
        pairs = zip(folder["idnews"].get("rounds", []), folder["peer"].get("rounds", []))
        out["folder"] = {"ratio": folder["peer"]["seconds"] / folder["idnews"]["seconds"],
                         "idnews_s": folder["idnews"]["seconds"], "best_peer_s": folder["peer"]["seconds"],
                         "peer": folder["peer_label"],
                         **verdict([[1 / ours["seconds"], 1 / theirs["seconds"]] for ours, theirs in pairs])}
    else:
        out["folder"] = None
    return out


def verdict(rounds: list[list[float]]) -> dict[str, Any]:
    """Each head-to-head round's ``idnews / peer`` and what they say together: ``ahead`` when idnews was faster
    in every round, ``behind`` when slower in every round, ``tie`` when the rounds disagree (the difference is
    smaller than the run-to-run noise, whatever the median ratio says)."""
    ratios = [ours / theirs for ours, theirs in rounds]
    if all(r >= 1.0 for r in ratios):
        said = "ahead"
    elif all(r < 1.0 for r in ratios):
        said = "behind"
    else:
        said = "tie"
    return {"round_ratios": ratios, "verdict": said}


def label(row: dict[str, Any]) -> str:
    return f"{row['engine']} {row.get('label') or row['compute_type']} {row['threads']}"


def cores() -> int:
    """Physical cores, as idnews counts them."""
    from idnews.translation.backends import physical_cores

    return physical_cores()
