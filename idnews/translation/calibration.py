"""Calibration: measure, on this machine and this model, the engine layout that translates fastest.

Thread layout (threads per batch, batches in parallel) and the batch token budget do not change CTranslate2's
words in float32, and in int8 only rarely (a sentence's padded length can flip a near-tie), so they are chosen
by speed. Precision does change them, so it is only chosen when the user asks
for ``compute_type="auto"`` (and then recorded in the translator's signature like any other precision).

A calibration translates a fixed sample twice — one sentence a call (streaming) and a batch — with the same
forced output length for every candidate, and keeps the candidate with the best geometric mean of the two
rates. It runs on first use (never at import), stops at its time budget, and is cached as JSON under
``<idnews cache>/calibration/``, keyed by the machine, the model's content hash, the engine version, the idnews
version and the request; any change of these measures again. A failure falls back to :func:`default_layout`
with one warning. Settings the user gave are never varied.
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import math
import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from idnews.paths import cache_dir, write_cache_json

if TYPE_CHECKING:
    from idnews.translation.backends import Backend, Decoding

logger = logging.getLogger(__name__)

#: The documented defaults, used when calibration is off or fails: every physical core for one batch at a time.
DEFAULT_INTER_THREADS = 1
DEFAULT_MAX_BATCH_TOKENS = 4096
#: Seconds a calibration may take, model loads included.
DEFAULT_BUDGET_S = 15.0
#: Output tokens forced for every sample sentence (the same work for every candidate).
SAMPLE_TARGET_TOKENS = 16
STREAM_SENTENCES = 4
BATCH_SENTENCES = 64
BUDGET_CANDIDATES = (1024, 2048, 4096)
#: Precisions ``compute_type="auto"`` may pick, fastest-first guesses, per device (kept only where supported).
AUTO_COMPUTE_TYPES = {
    "cpu": ("int8", "int8_float32", "int8_bfloat16", "bfloat16", "float32"),
    "cuda": ("int8_float16", "float16", "bfloat16", "int8_bfloat16", "int8", "float32"),
}
CACHE_FOLDER = "calibration"
#: Pause after a candidate, so that its engine's idle worker threads stop spinning before the next one runs.
SETTLE_S = 0.2
#: Plain Indonesian news sentences of mixed length; only their token counts matter.
SAMPLE = (
    "Presiden meresmikan jembatan baru yang menghubungkan dua kabupaten di Kalimantan Timur pada Senin pagi.",
    "Harga beras di pasar tradisional naik lagi.",
    "Menurut Badan Pusat Statistik, inflasi tahunan pada bulan lalu tercatat sebesar 2,8 persen, lebih rendah "
    "dari perkiraan para ekonom.",
    "Polisi masih menyelidiki penyebab kebakaran yang menghanguskan puluhan kios di pasar itu.",
    "Timnas Indonesia menang dua gol tanpa balas.",
    "Pemerintah daerah menyiapkan posko pengungsian bagi warga yang rumahnya terendam banjir sejak akhir pekan.",
    "Warga diminta tetap waspada terhadap kemungkinan gempa susulan.",
    "Rapat paripurna DPR menyetujui rancangan undang-undang tersebut setelah melalui pembahasan panjang selama "
    "hampir dua tahun dengan berbagai pihak.",
)
_warned: set[str] = set()


@dataclass(frozen=True)
class Layout:
    """How the engine runs: threads per batch, batches in parallel, padded source tokens per batch, and the
    precision (``None``: the one asked for). Only ``compute_type`` can change the output."""

    intra_threads: int
    inter_threads: int
    max_batch_tokens: int
    compute_type: str | None = None

    def text(self) -> str:
        precision = f", {self.compute_type}" if self.compute_type else ""
        return f"intra {self.intra_threads} × inter {self.inter_threads}, {self.max_batch_tokens} tokens{precision}"


@dataclass(frozen=True)
class Measurement:
    """Target tokens per second of one candidate, one sentence a call and in a batch."""

    layout: Layout
    stream_tokens_per_s: float
    batch_tokens_per_s: float

    @property
    def score(self) -> float:
        return math.sqrt(self.stream_tokens_per_s * self.batch_tokens_per_s)


@dataclass(frozen=True)
class Calibration:
    """The chosen layout, where it came from (``measured``, ``cached``, ``defaults`` or ``user``), and what
    was measured."""

    layout: Layout
    source: str
    measurements: tuple[Measurement, ...] = ()
    seconds: float = 0.0
    reason: str | None = None
    key: str | None = field(default=None, compare=False)

    def table(self) -> str:
        """The measurements as a Markdown table, best first."""
        lines = ["| layout | stream tokens/s | batch tokens/s | score |", "|---|---|---|---|"]
        for m in sorted(self.measurements, key=lambda m: m.score, reverse=True):
            chosen = " (chosen)" if m.layout == self.layout else ""
            lines.append(
                f"| {m.layout.text()}{chosen} | {m.stream_tokens_per_s:.0f} | {m.batch_tokens_per_s:.0f} | {m.score:.0f} |"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "layout": asdict(self.layout),
            "source": self.source,
            "seconds": round(self.seconds, 3),
            "reason": self.reason,
            "measurements": [
                {"layout": asdict(m.layout), "stream_tokens_per_s": m.stream_tokens_per_s,
                 "batch_tokens_per_s": m.batch_tokens_per_s}
                for m in self.measurements
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str) -> Calibration:
        return cls(
            layout=Layout(**data["layout"]),
            source=source,
            measurements=tuple(
                Measurement(Layout(**m["layout"]), float(m["stream_tokens_per_s"]), float(m["batch_tokens_per_s"]))
                for m in data["measurements"]
            ),
            seconds=float(data["seconds"]),
        )


@dataclass(frozen=True)
class Request:
    """What the user fixed (``None``: calibration may choose) and what the layout is measured for."""

    device: str
    compute_type: str
    beam_size: int
    intra_threads: int | None = None
    inter_threads: int | None = None
    max_batch_tokens: int | None = None
    huge_pages: bool = True  # the weights' pages change the speeds measured, not the words
    keep_freed_memory: bool = True  # so does keeping freed memory

    @property
    def auto_precision(self) -> bool:
        return self.compute_type == "auto"

    def fixed(self) -> bool:
        """Whether nothing is left to choose."""
        chosen = [self.max_batch_tokens]
        if self.device == "cpu":
            chosen += [self.intra_threads, self.inter_threads]
        return not self.auto_precision and all(value is not None for value in chosen)


def physical_cores() -> int:
    from idnews.translation.backends import physical_cores as cores

    return cores()


def default_layout(request: Request, cores: int | None = None) -> Layout:
    """The documented defaults, with the user's own settings kept: all physical cores on one batch at a
    time (no CPU threads on a GPU), 4096 padded tokens per batch, the precision asked for (the device's
    default when ``auto``)."""
    cores = cores or physical_cores()
    cpu = request.device == "cpu"
    return Layout(
        intra_threads=request.intra_threads or (cores if cpu else 0),
        inter_threads=request.inter_threads or DEFAULT_INTER_THREADS,
        max_batch_tokens=request.max_batch_tokens or DEFAULT_MAX_BATCH_TOKENS,
        compute_type=None,
    )


def thread_layouts(request: Request, cores: int) -> list[tuple[int, int]]:
    """``(intra, inter)`` pairs worth measuring: all cores on one batch, one core per parallel batch, and an
    even split in between; the user's own values are kept."""
    if request.device != "cpu":
        return [(request.intra_threads or 0, request.inter_threads or 1)]
    pairs = [(cores, 1), (1, cores)]
    if cores >= 4:
        pairs.append((cores // 2, 2))
    kept = []
    for intra, inter in pairs:
        pair = (request.intra_threads or intra, request.inter_threads or inter)
        if pair not in kept:
            kept.append(pair)
    return kept


def compute_types(request: Request, supported: Sequence[str] | set[str], default: str) -> list[str]:
    """The precisions to measure: only the requested one, unless it is ``auto`` (then every supported one
    of :data:`AUTO_COMPUTE_TYPES` for the device)."""
    if not request.auto_precision:
        return [request.compute_type]
    kind = "cuda" if request.device.startswith("cuda") else "cpu"
    found = [t for t in AUTO_COMPUTE_TYPES[kind] if t in set(supported)]
    return found or [default]


def machine_key() -> dict[str, Any]:
    """What identifies the machine for the cache: processor, cores, operating system, engine version."""
    from importlib import metadata

    try:
        engine = metadata.version("ctranslate2")
    except metadata.PackageNotFoundError:
        engine = None
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith(("model name", "flags")):
                cpu += "|" + line.split(":", 1)[1].strip()
    except OSError:
        pass
    return {
        "cpu": hashlib.sha256(cpu.encode()).hexdigest()[:16],
        "logical_cores": os.cpu_count(),
        "physical_cores": physical_cores(),
        "system": platform.system(),
        "ctranslate2": engine,
    }


def cache_key(model_sha256: str, request: Request) -> str:
    """The cache file's name: machine, model content, idnews version and the request together."""
    from idnews import __version__

    parts = {"machine": machine_key(), "model": model_sha256, "idnews": __version__, "request": asdict(request)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def cache_path(key: str) -> Path:
    return cache_dir() / CACHE_FOLDER / f"{key}.json"


def calibrate(
    request: Request,
    *,
    model_sha256: str,
    build: Callable[[Layout], Backend],
    sample: Sequence[Sequence[str]],
    target_prefix: Sequence[str] = (),
    supported: Sequence[str] | set[str] = (),
    default_compute_type: str = "int8",
    budget_s: float | None = None,
    force: bool = False,
    clock: Callable[[], float] = time.perf_counter,
) -> Calibration:
    """The layout to translate with: the user's when everything is fixed, else the cached one for this
    machine, model and request, else measured now (within ``budget_s``) and cached. Never raises: on any
    failure it logs one warning and returns the documented defaults.

    ``build(layout)`` loads a backend with that layout; ``sample`` holds encoded source sentences;
    ``budget_s`` defaults to :data:`DEFAULT_BUDGET_S`.
    """
    defaults = default_layout(request)
    if request.fixed() and not force:
        return Calibration(defaults, "user")
    key = cache_key(model_sha256, request)
    path = cache_path(key)
    if not force:
        cached = _read(path)
        if cached is not None:
            return replace(cached, key=key)
    try:
        result = _measure(
            request, build, sample, list(target_prefix), supported, default_compute_type,
            DEFAULT_BUDGET_S if budget_s is None else budget_s, clock,
        )
    except Exception as exc:  # noqa: BLE001 - any engine failure falls back to the documented defaults
        if key not in _warned:
            _warned.add(key)
            logger.warning("calibration failed (%s: %s); using the defaults: %s", type(exc).__name__, exc, defaults.text())
        return Calibration(defaults, "defaults", reason=f"{type(exc).__name__}: {exc}", key=key)
    _write(path, result)
    return replace(result, key=key)


def _measure(
    request: Request,
    build: Callable[[Layout], Backend],
    sample: Sequence[Sequence[str]],
    target_prefix: list[str],
    supported: Sequence[str] | set[str],
    default_compute_type: str,
    budget_s: float,
    clock: Callable[[], float],
) -> Calibration:
    from idnews.translation.backends import Decoding

    started = clock()
    deadline = started + budget_s
    cores = physical_cores()
    defaults = default_layout(request, cores)
    sources = [list(s) for s in sample]
    if not sources:
        raise ValueError("no sample sentences to calibrate on")
    batch = [sources[i % len(sources)] for i in range(BATCH_SENTENCES)]
    stream = batch[:STREAM_SENTENCES]
    decoding = Decoding(
        beam_size=request.beam_size, min_length=SAMPLE_TARGET_TOKENS, max_length=SAMPLE_TARGET_TOKENS
    )
    precisions = compute_types(request, supported, default_compute_type)
    threads = thread_layouts(request, cores)
    budgets = [request.max_batch_tokens] if request.max_batch_tokens else list(BUDGET_CANDIDATES)

    first = [Layout(i, n, defaults.max_batch_tokens, p if request.auto_precision else None)
             for p in precisions for i, n in threads]
    measured: list[Measurement] = []
    slowest = 0.0  # a candidate is only started when one as slow as the slowest so far still fits
    for layout in first:
        if measured and clock() + slowest > deadline:
            break
        begun = clock()
        measured.append(_run(build, layout, stream, batch, target_prefix, decoding, clock))
        slowest = max(slowest, clock() - begun)
    best = max(measured, key=lambda m: m.score)
    for tokens in budgets:
        if tokens == best.layout.max_batch_tokens or clock() + slowest > deadline:
            continue
        measured.append(_run(build, replace(best.layout, max_batch_tokens=tokens), stream, batch, target_prefix,
                             decoding, clock, batch_only=best))
    best = max(measured, key=lambda m: m.score)
    reason = None if len(measured) >= len(first) else f"time budget of {budget_s:g} s reached"
    return Calibration(best.layout, "measured", tuple(measured), clock() - started, reason)


def _run(
    build: Callable[[Layout], Backend],
    layout: Layout,
    stream: list[list[str]],
    batch: list[list[str]],
    target_prefix: list[str],
    decoding: Decoding,
    clock: Callable[[], float],
    batch_only: Measurement | None = None,
) -> Measurement:
    """Tokens per second of one candidate (after one warm-up call); ``batch_only`` reuses a streaming rate
    measured with the same threads and precision (the token budget does not touch one-sentence calls)."""
    from idnews.translation.batching import plan_batches

    backend = build(layout)
    try:
        backend.translate_batch(stream[:1], target_prefix, decoding)
        backend.pages.result()  # the warm-up call may have started moving the weights: time what follows it
        if batch_only is None:
            begun = clock()
            for sentence in stream:
                backend.translate_batch([sentence], target_prefix, decoding)
            stream_rate = len(stream) * SAMPLE_TARGET_TOKENS / max(clock() - begun, 1e-9)
        else:
            stream_rate = batch_only.stream_tokens_per_s
        lengths = [len(s) for s in batch]
        groups = plan_batches(lengths, max_tokens=layout.max_batch_tokens, workers=layout.inter_threads,
                              steps=lambda longest: SAMPLE_TARGET_TOKENS, beam_size=decoding.beam_size)
        begun = clock()
        backend.translate_batches([[batch[i] for i in g] for g in groups], target_prefix, [decoding] * len(groups))
        batch_rate = len(batch) * SAMPLE_TARGET_TOKENS / max(clock() - begun, 1e-9)
    finally:
        del backend
        gc.collect()
        time.sleep(SETTLE_S)
    return Measurement(layout, stream_rate, batch_rate)


def _read(path: Path) -> Calibration | None:
    try:
        return Calibration.from_dict(json.loads(path.read_text(encoding="utf-8")), source="cached")
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: Path, calibration: Calibration) -> None:
    """Best effort: a calibration that cannot be cached is measured again next time."""
    if not write_cache_json(path, calibration.to_dict()):
        logger.debug("calibration not cached at %s", path)
