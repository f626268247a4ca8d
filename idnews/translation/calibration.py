"""Calibration: measure, on this machine and this model, the engine layout that translates fastest.

Thread layout (threads per batch, batches in parallel) and the batch token budget do not change CTranslate2's
words in float32, and in int8 only rarely (a sentence's padded length can flip a near-tie), so they are chosen
by speed. Precision does change them, so it is only chosen when the user asks for ``compute_type="auto"`` (and
then recorded in the translator's signature like any other precision).

A calibration translates a fixed sample twice — one sentence a call (streaming) and a batch — with the same
forced output length for every candidate, and keeps the candidate with the best geometric mean of the two
rates. It never runs unasked: ``idnews models tune`` (or :meth:`Translator.tune`) measures and caches the
result as JSON under ``<idnews cache>/calibration/``, keyed by the machine, the model's content hash, the engine
version, the idnews version and the request; a later load finds it there (``calibrate="cached"``, the default,
a file read) and otherwise runs with :meth:`EngineConfig.resolved`'s defaults. ``calibrate="measure"`` measures
on first load when nothing is cached. A failure falls back to the defaults with one warning. Settings the user
gave are never varied.
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
from typing import TYPE_CHECKING, Any, Literal

from idnews.errors import ConfigError
from idnews.paths import cache_dir, write_cache_json
from idnews.translation.config import DEFAULT_MAX_BATCH_TOKENS, EngineConfig, physical_cores

if TYPE_CHECKING:
    from idnews.translation.backends import Backend, Decoding

logger = logging.getLogger(__name__)

#: ``off``: the defaults; ``cached``: a layout ``idnews models tune`` stored, else the defaults (never measures);
#: ``measure``: the cached layout, else measured now and cached.
Tuning = Literal["off", "cached", "measure"]
TUNINGS: tuple[str, ...] = ("off", "cached", "measure")
#: Seconds a calibration on first load may take, model loads included (``measure``).
DEFAULT_BUDGET_S = 15.0
#: Seconds ``idnews models tune`` may take: every candidate on any model this size.
TUNE_BUDGET_S = 300.0
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


def tuning_of(value: object) -> Tuning:
    """``calibrate=`` as one of :data:`TUNINGS`; ``True`` means ``measure`` and ``False`` ``off``."""
    if value is True:
        return "measure"
    if value is False:
        return "off"
    if value in TUNINGS:
        return value  # type: ignore[return-value]
    raise ConfigError("calibrate", f"must be one of {', '.join(TUNINGS)} (or True/False), not {value!r}")


@dataclass(frozen=True)
class Measurement:
    """Target tokens per second of one candidate, one sentence a call and in a batch."""

    config: EngineConfig
    stream_tokens_per_s: float
    batch_tokens_per_s: float

    @property
    def score(self) -> float:
        return math.sqrt(self.stream_tokens_per_s * self.batch_tokens_per_s)


@dataclass(frozen=True)
class Calibration:
    """The configuration chosen, where it came from (``measured``, ``cached``, ``defaults`` or ``user``), and
    what was measured."""

    config: EngineConfig
    source: str
    measurements: tuple[Measurement, ...] = ()
    seconds: float = 0.0
    reason: str | None = None
    key: str | None = field(default=None, compare=False)

    def table(self) -> str:
        """The measurements as a Markdown table, best first."""
        lines = ["| layout | stream tokens/s | batch tokens/s | score |", "|---|---|---|---|"]
        for m in sorted(self.measurements, key=lambda m: m.score, reverse=True):
            chosen = " (chosen)" if m.config == self.config else ""
            lines.append(
                f"| {m.config.text()}{chosen} | {m.stream_tokens_per_s:.0f} | {m.batch_tokens_per_s:.0f} | {m.score:.0f} |"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """What the cache keeps: the configuration, the source, the seconds, the reason and the measurements."""
        return {k: v for k, v in asdict(self).items() if k != "key"}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str) -> Calibration:
        measured = tuple(Measurement(EngineConfig(**m.pop("config")), **m) for m in data["measurements"])
        return cls(EngineConfig(**data["config"]), source, measured, float(data["seconds"]))


def thread_layouts(requested: EngineConfig, cores: int) -> list[tuple[int, int]]:
    """``(intra, inter)`` pairs worth measuring: all cores on one batch, one core per parallel batch, and an
    even split in between; the user's own values are kept."""
    if requested.device != "cpu":
        return [(requested.intra_threads or 0, requested.inter_threads or 1)]
    pairs = [(cores, 1), (1, cores)]
    if cores >= 4:
        pairs.append((cores // 2, 2))
    kept = []
    for intra, inter in pairs:
        pair = (requested.intra_threads or intra, requested.inter_threads or inter)
        if pair not in kept:
            kept.append(pair)
    return kept


def compute_types(requested: EngineConfig, supported: Sequence[str] | set[str], default: str) -> list[str]:
    """The precisions to measure: only the requested one, unless it is ``auto`` (then every supported one
    of :data:`AUTO_COMPUTE_TYPES` for the device)."""
    if requested.compute_type != "auto":
        return [requested.compute_type or default]
    kind = "cuda" if requested.device.startswith("cuda") else "cpu"
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


def cache_key(model_sha256: str, requested: EngineConfig, beam_size: int) -> str:
    """The cache file's name: machine, model content, idnews version and the request together."""
    from idnews import __version__

    parts = {"machine": machine_key(), "model": model_sha256, "idnews": __version__,
             "request": {**asdict(requested), "beam_size": beam_size}}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def cache_path(key: str) -> Path:
    return cache_dir() / CACHE_FOLDER / f"{key}.json"


def calibrate(
    requested: EngineConfig,
    *,
    beam_size: int,
    model_sha256: str,
    build: Callable[[EngineConfig], Backend],
    sample: Sequence[Sequence[str]],
    target_prefix: Sequence[str] = (),
    supported: Sequence[str] | set[str] = (),
    default_compute_type: str = "int8",
    tuning: Tuning = "measure",
    force: bool = False,
    budget_s: float | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Calibration:
    """The configuration to translate with. ``requested`` is the user's, on a concrete device (``compute_type``
    may be ``None`` or ``"auto"``). Everything fixed by the user: theirs. Else, unless ``tuning`` is ``off``, the
    cached result for this machine, model and request; else, with ``measure`` or ``force`` (which also ignores
    the cache), measured now within ``budget_s`` and cached; else :meth:`EngineConfig.resolved`'s defaults.
    Never raises: a failure while measuring logs one warning and returns the defaults.

    ``build(config)`` loads a backend with that configuration; ``sample`` holds encoded source sentences.
    """
    defaults = requested.resolved(requested.device, _precision(requested, default_compute_type))
    if requested.fixed() and not force:
        return Calibration(defaults, "user")
    if tuning == "off" and not force:
        return Calibration(defaults, "defaults")
    key = cache_key(model_sha256, requested, beam_size)
    path = cache_path(key)
    if not force:
        cached = _read(path)
        if cached is not None:
            return replace(cached, key=key)
        if tuning == "cached":
            return Calibration(defaults, "defaults", reason="not tuned for this machine (idnews models tune)", key=key)
    try:
        result = _measure(
            requested, beam_size, build, sample, list(target_prefix), supported, default_compute_type,
            DEFAULT_BUDGET_S if budget_s is None else budget_s, clock,
        )
    except Exception as exc:  # noqa: BLE001 - any engine failure falls back to the documented defaults
        if key not in _warned:
            _warned.add(key)
            logger.warning("calibration failed (%s: %s); using the defaults: %s", type(exc).__name__, exc, defaults.text())
        return Calibration(defaults, "defaults", reason=f"{type(exc).__name__}: {exc}", key=key)
    _write(path, result)
    return replace(result, key=key)


def _precision(requested: EngineConfig, default: str) -> str:
    return default if requested.compute_type in (None, "auto") else str(requested.compute_type)


def _measure(
    requested: EngineConfig,
    beam_size: int,
    build: Callable[[EngineConfig], Backend],
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
    sources = [list(s) for s in sample]
    if not sources:
        raise ValueError("no sample sentences to calibrate on")
    batch = [sources[i % len(sources)] for i in range(BATCH_SENTENCES)]
    stream = batch[:STREAM_SENTENCES]
    decoding = Decoding(beam_size=beam_size, min_length=SAMPLE_TARGET_TOKENS, max_length=SAMPLE_TARGET_TOKENS)
    budgets = [requested.max_batch_tokens] if requested.max_batch_tokens else list(BUDGET_CANDIDATES)

    first = [replace(requested, intra_threads=intra, inter_threads=inter).resolved(requested.device, precision, cores)
             for precision in compute_types(requested, supported, default_compute_type)
             for intra, inter in thread_layouts(requested, cores)]
    measured: list[Measurement] = []
    slowest = 0.0  # a candidate is only started when one as slow as the slowest so far still fits
    for candidate in first:
        if measured and clock() + slowest > deadline:
            break
        begun = clock()
        measured.append(_run(build, candidate, stream, batch, target_prefix, decoding, clock))
        slowest = max(slowest, clock() - begun)
    best = max(measured, key=lambda m: m.score)
    for tokens in budgets:
        if tokens == best.config.max_batch_tokens or clock() + slowest > deadline:
            continue
        measured.append(_run(build, replace(best.config, max_batch_tokens=tokens), stream, batch, target_prefix,
                             decoding, clock, batch_only=best))
    best = max(measured, key=lambda m: m.score)
    reason = None if len(measured) >= len(first) else f"time budget of {budget_s:g} s reached"
    return Calibration(best.config, "measured", tuple(measured), clock() - started, reason)


def _run(
    build: Callable[[EngineConfig], Backend],
    config: EngineConfig,
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

    backend = build(config)
    try:
        backend.translate_batch(stream[:1], target_prefix, decoding)
        if batch_only is None:
            begun = clock()
            for sentence in stream:
                backend.translate_batch([sentence], target_prefix, decoding)
            stream_rate = len(stream) * SAMPLE_TARGET_TOKENS / max(clock() - begun, 1e-9)
        else:
            stream_rate = batch_only.stream_tokens_per_s
        lengths = [len(s) for s in batch]
        groups = plan_batches(lengths, max_tokens=config.max_batch_tokens or DEFAULT_MAX_BATCH_TOKENS,
                              workers=config.inter_threads or 1, steps=lambda longest: SAMPLE_TARGET_TOKENS,
                              beam_size=decoding.beam_size)
        begun = clock()
        backend.translate_batches([[batch[i] for i in g] for g in groups], target_prefix, [decoding] * len(groups))
        batch_rate = len(batch) * SAMPLE_TARGET_TOKENS / max(clock() - begun, 1e-9)
    finally:
        del backend
        gc.collect()
        time.sleep(SETTLE_S)
    return Measurement(config, stream_rate, batch_rate)


def _read(path: Path) -> Calibration | None:
    try:
        return Calibration.from_dict(json.loads(path.read_text(encoding="utf-8")), source="cached")
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: Path, calibration: Calibration) -> None:
    """Best effort: a calibration that cannot be cached is measured again next time."""
    if not write_cache_json(path, calibration.to_dict()):
        logger.debug("calibration not cached at %s", path)
