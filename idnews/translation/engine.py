"""Loading a translation engine once: the model resolved by name, hub id or folder, converted for CTranslate2
when needed, its codec, and the engine configuration it runs with (the user's, a tuned one, or the defaults)."""
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
from idnews.translation.calibration import TUNE_BUDGET_S, Calibration, Tuning, calibrate
from idnews.translation.config import EngineConfig

if TYPE_CHECKING:
    from idnews.translation.models import ResolvedModel
    from idnews.translation.tokenization import Codec

logger = logging.getLogger(__name__)

#: compute type -> weight type of the cached CTranslate2 conversion (``None`` keeps float32)
QUANTIZATION_OF = {
    "int8": "int8", "int8_float32": "int8", "int8_float16": "int8_float16", "int8_bfloat16": "int8_bfloat16",
    "float16": "float16", "bfloat16": "bfloat16", "float32": None,
}


@dataclass
class Engine:
    """A loaded engine: the resolved model, its backend and codec, and the configuration it runs with."""

    resolved: ResolvedModel
    identity: ModelIdentity
    backend: Backend
    codec: Codec
    max_positions: int
    load_seconds: float
    calibration: Calibration
    measure: Callable[[bool], Calibration]
    build: Callable[[EngineConfig], Backend]

    @property
    def config(self) -> EngineConfig:
        """The resolved configuration the backend runs with."""
        return self.calibration.config

    def tune(self) -> Calibration:
        """Measure the configuration again (whatever ``calibrate`` says or is cached), cache it, and run with it
        from here on. Returns what was measured."""
        calibration = self.measure(True)
        if calibration.config != self.calibration.config:
            self.backend = self.build(calibration.config)
        self.calibration = calibration
        return calibration


def load_engine(
    model: str | os.PathLike[str] | None,
    *,
    backend: str,
    config: EngineConfig,
    beam_size: int,
    tuning: Tuning,
    allow_download: bool,
) -> Engine:
    """Resolve, convert if needed, find the configuration (``tuning``: see
    :func:`~idnews.translation.calibration.calibrate`) and load the model."""
    from idnews.translation.models import converted, resolve
    from idnews.translation.tokenization import load_codec

    started = time.perf_counter()
    resolved = resolve(model, allow_download=allow_download)
    identity = ModelIdentity.of(resolved.name, resolved.path)
    name = choose_backend(backend, resolved)
    path = resolved.path
    if name == "ct2" and resolved.format != "ct2":
        ct2_class = BACKENDS.get("ct2")
        weights = config.compute_type or ct2_class.default_compute_type(ct2_class.pick_device(config.device))
        # "auto" keeps float32 weights, from which the engine can run every precision
        quantization = None if weights == "auto" else QUANTIZATION_OF.get(weights, "int8")
        try:
            path = converted(resolved, quantization, content=identity.sha256)
        except (ValueError, NotImplementedError, RuntimeError, OSError) as exc:
            if backend != "auto":
                raise
            logger.warning("cannot convert %s to CTranslate2 (%s); using transformers", resolved.name, exc)
            name = "hf"
    if name == "hf" and resolved.format == "ct2":
        raise InputError(
            resolved.path, "is a CTranslate2 conversion; use backend='ct2' or a transformers checkpoint"
        )
    backend_class = BACKENDS.get(name)
    if name != "ct2" and config.compute_type == "auto":
        raise ConfigError("compute_type", "'auto' needs the ct2 backend")
    requested = replace(config, device=backend_class.pick_device(config.device))
    default_compute = backend_class.default_compute_type(requested.device)
    info = resolved.info()
    codec = load_codec(path, info)

    def build(chosen: EngineConfig) -> Backend:
        return backend_class(path, codec=codec, config=chosen)

    def measure(force: bool) -> Calibration:
        if name != "ct2":  # transformers: torch's own thread count unless the user set one
            resolved_config = requested.resolved(requested.device, requested.compute_type or default_compute)
            return Calibration(replace(resolved_config, intra_threads=config.intra_threads or 0, inter_threads=1),
                               "user" if requested.fixed() else "defaults")
        return calibrate(
            requested, beam_size=beam_size, model_sha256=identity.sha256, build=build, tuning=tuning, force=force,
            sample=codec.encode(list(CALIBRATION_SAMPLE)), target_prefix=codec.target_prefix,
            supported=backend_class.supported_compute_types(requested.device), default_compute_type=default_compute,
            budget_s=TUNE_BUDGET_S if force else None,
        )

    calibration = measure(False)
    loaded = build(calibration.config)
    seconds = time.perf_counter() - started
    logger.info("loaded %s with %s (%s; %s) in %.2f s", resolved.name, name, calibration.config.text(),
                calibration.source, seconds)
    return Engine(resolved, identity, loaded, codec, int(info.get("max_positions") or 512), seconds,
                  calibration, measure, build)


def choose_backend(requested: str, resolved: ResolvedModel) -> str:
    """The backend to run: the one requested, or for ``"auto"`` CTranslate2 when the model is a conversion or
    the library is installed (the conversion is cached), transformers otherwise."""
    if requested != "auto":
        return requested
    if resolved.format == "ct2":
        return "ct2"
    return "ct2" if importlib.util.find_spec("ctranslate2") is not None else "hf"
