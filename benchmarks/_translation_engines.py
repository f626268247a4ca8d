"""The translation engines that ``translate_speed.py`` compares, each behind the same small interface.

An engine is loaded once per child process and then asked to translate a list of single sentences; it
returns the number of target tokens it produced for each, so the parent can check that every engine
did the same work (a fixed number of output tokens per sentence; random weights must not change it).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PARAGRAPH_SENTENCES = 4
TranslateFn = Callable[[list[str]], list[int]]


@dataclass
class Engine:
    """A loaded engine: ``translate(sentences) -> target tokens per sentence``.

    ``inside`` accumulates the seconds spent inside the model call itself (``generate`` or
    ``translate_batch``), so that the time spent around it — tokenising, batching, splitting,
    reassembling — can be reported apart from the run-to-run noise of the model.
    """

    translate: TranslateFn
    load_s: float
    threads: int
    inside: list[float]


def timed(function: Callable[..., Any], inside: list[float]) -> Callable[..., Any]:
    """``function`` wrapped so that its running time is added to ``inside[0]``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            inside[0] += time.perf_counter() - started

    return wrapper


def batch_options(spec: dict[str, Any]) -> tuple[int | None, int | None]:
    """``(batch_size, token_budget)`` of a spec: exactly one is set."""
    batching = str(spec["batching"])
    if batching.startswith("tokens:"):
        return None, int(batching.split(":", 1)[1])
    return int(batching), None


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def load_transformers(spec: dict[str, Any], models: dict[str, str]) -> Engine:
    """(a) The reference a user would write: ``generate`` on fixed-size batches in input order."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    threads, device = spec["threads"], spec.get("device", "cpu")
    torch.set_num_threads(threads)
    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(models["hf"])
    dtype = torch.float16 if spec.get("compute_type") == "float16" else torch.float32
    model = AutoModelForSeq2SeqLM.from_pretrained(models["hf"], dtype=dtype).to(device).eval()
    load_s = time.perf_counter() - started
    batch_size, budget = batch_options(spec)
    if batch_size is None:
        raise ValueError("the plain transformers loop has fixed-size batches only")
    special = {tokenizer.pad_token_id, tokenizer.eos_token_id}
    length = spec["output_tokens"]
    inside = [0.0]
    generate = timed(model.generate, inside)

    def translate(sentences: list[str]) -> list[int]:
        counts: list[int] = []
        for batch in _chunks(sentences, batch_size):
            encoded = tokenizer(batch, return_tensors="pt", padding=True).to(device)
            with torch.inference_mode():
                output = generate(
                    **encoded,
                    num_beams=spec["beam_size"],
                    do_sample=False,
                    min_new_tokens=length,
                    max_new_tokens=length,
                    forced_eos_token_id=None,
                )
            tokenizer.batch_decode(output, skip_special_tokens=True)
            counts.extend(sum(1 for t in row.tolist()[1:] if t not in special) for row in output)
        return counts

    return Engine(translate, load_s, threads, inside)


def load_ctranslate2(spec: dict[str, Any], models: dict[str, str]) -> Engine:
    """(c) Plain CTranslate2 as its own OPUS-MT benchmark runs it: sentencepiece, ``translate_batch``."""
    import ctranslate2
    import sentencepiece

    threads, device = spec["threads"], spec.get("device", "cpu")
    compute_type = spec["compute_type"]
    started = time.perf_counter()
    folder = Path(models["hf"])
    source_spm = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
    target_spm = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
    model_dir = models["ct2_int8"] if compute_type.startswith("int8") else models["ct2_float32"]
    translator = ctranslate2.Translator(
        model_dir, device=device, compute_type=compute_type, inter_threads=1, intra_threads=threads
    )
    load_s = time.perf_counter() - started
    batch_size, budget = batch_options(spec)
    length = spec["output_tokens"]
    options = dict(beam_size=spec["beam_size"], min_decoding_length=length, max_decoding_length=length)
    inside = [0.0]
    translate_batch = timed(translator.translate_batch, inside)

    def run(batch: list[str], **extra: Any) -> list[int]:
        tokens = [pieces + ["</s>"] for pieces in source_spm.encode(batch, out_type=str)]
        results = translate_batch(tokens, **options, **extra)
        hypotheses = [r.hypotheses[0] for r in results]
        target_spm.decode_pieces(hypotheses)
        return [len(h) for h in hypotheses]

    def translate(sentences: list[str]) -> list[int]:
        if budget is not None:
            return run(sentences, max_batch_size=budget, batch_type="tokens")
        counts: list[int] = []
        for batch in _chunks(sentences, batch_size):
            counts.extend(run(batch))
        return counts

    return Engine(translate, load_s, threads, inside)


def paragraphs_of(sentences: list[str], size: int = PARAGRAPH_SENTENCES) -> list[str]:
    """Consecutive sentences joined into paragraphs of ``size`` (the document-path input)."""
    return [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]


def load_idnews(spec: dict[str, Any], models: dict[str, str]) -> Engine:
    """(b), (d), (e) ``idnews.Translator`` on its full document path: every input string is a document that
    is split into sentences, batched (length-sorted), translated and reassembled.

    The faithfulness guard is off: on random weights it flags nearly every segment and re-decodes it,
    which would measure the weights, not the code. Language detection stays on, as users run it.
    """
    from idnews.translation import Decoding, Translator

    backend = "ct2" if spec["engine"] == "idnews-ct2" else "hf"
    compute_type, threads, length = spec["compute_type"], spec["threads"], spec["output_tokens"]
    if backend == "hf":
        model = models["hf"]
    else:
        model = models["ct2_int8"] if compute_type.startswith("int8") else models["ct2_float32"]
    batch_size, budget = batch_options(spec)
    translator = Translator(
        model,
        backend=backend,
        device=spec.get("device", "cpu"),
        compute_type=compute_type,
        decoding=Decoding(beam_size=spec["beam_size"], min_length=length, max_length=length),
        max_batch_size=batch_size,
        max_batch_tokens=budget or 10**9,
        intra_threads=threads,
        inter_threads=1,
        guard=None,
    )
    started = time.perf_counter()
    translator.load()
    load_s = time.perf_counter() - started
    produced: list[int] = []
    inside = [0.0]
    backend_object = translator._engine().backend  # counted and timed from outside, not a library hook
    inner = timed(backend_object.translate_batch, inside)

    def counting(source: list[list[str]], prefix: list[str], decoding: Any) -> list[list[str]]:
        outputs = inner(source, prefix, decoding)
        produced.extend(sum(1 for t in out if t != "</s>") for out in outputs)
        return outputs

    backend_object.translate_batch = counting  # type: ignore[method-assign]
    as_paragraphs = spec.get("input") == "paragraphs"

    def translate(sentences: list[str]) -> list[int]:
        produced.clear()
        translator.translate(paragraphs_of(sentences) if as_paragraphs else sentences)
        return list(produced)

    return Engine(translate, load_s, threads, inside)


ENGINES: dict[str, Callable[[dict[str, Any], dict[str, str]], Engine]] = {
    "transformers": load_transformers,
    "ctranslate2": load_ctranslate2,
    "idnews-hf": load_idnews,
    "idnews-ct2": load_idnews,
}


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """Child-process body: load the engine, warm it up on one batch, time the whole input."""
    started = time.perf_counter()
    loader = ENGINES[spec["engine"]]
    sentences: list[str] = Path(spec["inputs"]).read_text(encoding="utf-8").split("\n")
    models = spec["models"]
    engine = loader(spec, models)
    setup_s = time.perf_counter() - started
    batch_size, budget = batch_options(spec)
    engine.translate(sentences[: batch_size or 8])
    engine.inside[0] = 0.0
    started = time.perf_counter()
    counts = engine.translate(sentences)
    seconds = time.perf_counter() - started
    return {
        "sentences": len(counts),
        "target_tokens": sum(counts),
        "tokens_per_sentence": sorted(set(counts)),
        "seconds": seconds,
        "sentences_per_s": len(counts) / seconds,
        "tokens_per_s": sum(counts) / seconds,
        "load_s": engine.load_s,
        "setup_s": setup_s,
        "outside_model_share": (seconds - engine.inside[0]) / seconds,
    }
