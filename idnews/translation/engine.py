"""Loading a translation engine once: the model resolved by name, hub id or folder, converted for CTranslate2
when needed, its codec, and the thread layout and batch budget calibration chose for this machine."""
from __future__ import annotations

import importlib.util
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from idnews.errors import ConfigError, InputError
from idnews.signature import ModelIdentity
from idnews.translation.backends import BACKENDS, Backend
from idnews.translation.calibration import SAMPLE as CALIBRATION_SAMPLE
from idnews.translation.calibration import Calibration, Layout, Request, calibrate, default_layout

if TYPE_CHECKING:
    from idnews.translation.models import ResolvedModel
    from idnews.translation.tokenization import Codec

logger = logging.getLogger(__name__)

#: compute type -> weight type of the cached CTranslate2 conversion (``None`` keeps float32)
QUANTIZATION_OF = {
    "int8": "int8", "int8_float32": "int8", "int8_float16": "int8_float16", "int8_bfloat16": "int8_bfloat16",
    "float16": "float16", "bfloat16": "bfloat16", "float32": None,
}


@dataclass(frozen=True)
class EngineSettings:
    """What a :class:`~idnews.translation.Translator` asks of its engine; ``None`` leaves a choice to the
    engine's default or to calibration."""

    model: str | os.PathLike[str] | None
    backend: str
    device: str
    compute_type: str | None
    beam_size: int
    intra_threads: int | None
    inter_threads: int | None
    max_batch_tokens: int | None
    calibrate: bool
    allow_download: bool
    huge_pages: bool = True
    keep_freed_memory: bool = True


@dataclass
class Engine:
    """A loaded engine: the resolved model, its backend and codec, and the layout it runs with."""

    resolved: ResolvedModel
    identity: ModelIdentity
    backend: Backend
    codec: Codec
    max_positions: int
    load_seconds: float
    calibration: Calibration
    measure: Callable[[bool], Calibration]
    build: Callable[[Layout], Backend]

    def tune(self) -> Calibration:
        """Measure the layout again (even when calibration is off or cached), cache it, and run with it from
        here on. Returns what was measured."""
        calibration = self.measure(True)
        if calibration.layout != self.calibration.layout:
            self.backend = self.build(calibration.layout)
        self.calibration = calibration
        return calibration


def load_engine(settings: EngineSettings) -> Engine:
    """Resolve, convert if needed, calibrate (or read the cached calibration) and load the model."""
    from idnews.translation.models import converted, resolve
    from idnews.translation.tokenization import load_codec

    started = time.perf_counter()
    resolved = resolve(settings.model, allow_download=settings.allow_download)
    identity = ModelIdentity.of(resolved.name, resolved.path)
    name = choose_backend(settings.backend, resolved)
    path = resolved.path
    if name == "ct2" and resolved.format != "ct2":
        ct2_class = BACKENDS.get("ct2")
        weights = settings.compute_type or ct2_class.default_compute_type(ct2_class.pick_device(settings.device))
        # "auto" keeps float32 weights, from which the engine can run every precision
        quantization = None if weights == "auto" else QUANTIZATION_OF.get(weights, "int8")
        try:
            path = converted(resolved, quantization, content=identity.sha256)
        except (ValueError, NotImplementedError, RuntimeError, OSError) as exc:
            if settings.backend != "auto":
                raise
            logger.warning("cannot convert %s to CTranslate2 (%s); using transformers", resolved.name, exc)
            name = "hf"
    if name == "hf" and resolved.format == "ct2":
        raise InputError(
            resolved.path, "is a CTranslate2 conversion; use backend='ct2' or a transformers checkpoint"
        )
    backend_class = BACKENDS.get(name)
    device = backend_class.pick_device(settings.device)
    if name != "ct2" and settings.compute_type == "auto":
        raise ConfigError("compute_type", "'auto' needs the ct2 backend")
    default_compute = backend_class.default_compute_type(device)
    compute_type = settings.compute_type or default_compute
    info = resolved.info()
    codec = load_codec(path, info)
    request = Request(
        device=device, compute_type=compute_type, beam_size=settings.beam_size,
        intra_threads=settings.intra_threads, inter_threads=settings.inter_threads,
        max_batch_tokens=settings.max_batch_tokens, huge_pages=settings.huge_pages,
        keep_freed_memory=settings.keep_freed_memory,
    )

    def build(layout: Layout) -> Backend:
        return backend_class(
            path, codec=codec, device=device, compute_type=layout.compute_type or compute_type,
            intra_threads=layout.intra_threads or None, inter_threads=layout.inter_threads,
            huge_pages=settings.huge_pages, keep_freed_memory=settings.keep_freed_memory,
        )

    def measure(force: bool) -> Calibration:
        if name == "ct2" and (settings.calibrate or force):
            found = calibrate(
                request, model_sha256=identity.sha256, build=build, force=force,
                sample=codec.encode(list(CALIBRATION_SAMPLE)), target_prefix=codec.target_prefix,
                supported=backend_class.supported_compute_types(device), default_compute_type=default_compute,
            )
        else:
            found = Calibration(default_layout(request), "user" if request.fixed() else "defaults")
        if compute_type == "auto" and found.layout.compute_type is None:
            found = replace(found, layout=replace(found.layout, compute_type=default_compute))
        if name != "ct2":  # transformers: torch's own thread count unless the user set one
            found = replace(found, layout=replace(found.layout, intra_threads=settings.intra_threads or 0))
        return found

    calibration = measure(False)
    backend = build(calibration.layout)
    seconds = time.perf_counter() - started
    logger.info("loaded %s with %s (%s, %s; %s, %s; %s, %s) in %.2f s", resolved.name, name, device,
                backend.compute_type, calibration.layout.text(), calibration.source, backend.pages.text(),
                backend.freed_memory.text(), seconds)
    return Engine(resolved, identity, backend, codec, int(info.get("max_positions") or 512), seconds,
                  calibration, measure, build)


def choose_backend(requested: str, resolved: ResolvedModel) -> str:
    """The backend to run: the one requested, or for ``"auto"`` CTranslate2 when the model is a conversion or
    the library is installed (the conversion is cached), transformers otherwise."""
    if requested != "auto":
        return requested
    if resolved.format == "ct2":
        return "ct2"
    return "ct2" if importlib.util.find_spec("ctranslate2") is not None else "hf"
