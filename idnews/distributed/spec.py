"""What a Ray replica is built from: a small picklable spec of its models, and the engine's settings.

A loaded model is never pickled: each replica loads its own from :class:`ModelSpec`, once, with as many CPU
threads as the replica was given (the CTranslate2 backend would otherwise start one per core of the node).
"""
from __future__ import annotations

import importlib.util
import logging
import math
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from idnews.errors import IdnewsError

if TYPE_CHECKING:
    from idnews.batch.pipeline import Models

INSTALL_HINT = 'the Ray engine needs Ray: pip install "idnews[ray]"'
#: Variables of the driver's environment that replicas get too: where converted models are cached, offline mode.
FORWARDED_PREFIXES = ("IDNEWS_", "HF_")


def require_ray() -> Any:
    """The ``ray`` module, or an :class:`IdnewsError` saying how to install it."""
    if importlib.util.find_spec("ray") is None or importlib.util.find_spec("ray.data") is None:
        raise IdnewsError(INSTALL_HINT)
    import ray
    import ray.data  # noqa: F401 (the extra "ray[data]" is needed, not only ray)

    return ray


@dataclass(frozen=True)
class ModelSpec:
    """The models of a run as settings: ``translator`` holds :meth:`Translator.from_options` keywords with the
    model under ``"model"`` (``None``: no translator), ``summarizer`` a summariser method (``None``: none)."""

    translator: dict[str, Any] | None = None
    summarizer: str | None = None

    def load(self, *, cpus: float | None = None, gpus: float = 0) -> Models:
        """Load the models in this process; ``cpus`` caps the translator's threads (intra ``cpus`` × inter 1
        unless set), ``gpus`` > 0 puts it on the GPU when its device is ``auto``."""
        from idnews.batch.pipeline import Models

        translator = None
        if self.translator is not None:
            from idnews.translation import Translator

            settings = {k: v for k, v in self.translator.items() if v is not None}
            model = settings.pop("model", None)
            if cpus is not None:  # the replica's CPUs are all its threads: one batch at a time on them
                settings.setdefault("intra_threads", max(1, math.floor(cpus)))
                settings.setdefault("inter_threads", 1)
            if gpus > 0 and settings.get("device", "auto") == "auto":
                settings["device"] = "cuda"
            translator = Translator.from_options(model, **settings).load()
        summarizer = None
        if self.summarizer is not None:
            from idnews.summarization import get_summarizer

            summarizer = get_summarizer(self.summarizer)
        return Models(translator=translator, summarizer=summarizer)


@dataclass(frozen=True)
class ClusterSettings:
    """How a run is spread: the cluster's ``address`` (``None`` starts Ray on this machine, ``"auto"`` joins
    the running cluster, ``"ray://HOST:10001"`` a remote one), the number of ``replicas``, the CPUs and GPUs of
    each (fractions allowed), and the input files given to a replica at a time."""

    address: str | None = None
    replicas: int = 2
    cpus_per_replica: float = 1.0
    gpus_per_replica: float = 0.0
    files_per_task: int = 16
    #: Above this many inputs, the file listing is written as JSON-lines shards read by the cluster.
    listing_shard_rows: int = 100_000
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.replicas < 1:
            raise IdnewsError(f"--replicas must be at least 1, not {self.replicas}")
        if self.cpus_per_replica <= 0:
            raise IdnewsError(f"--cpus-per-replica must be more than 0, not {self.cpus_per_replica}")
        if self.gpus_per_replica < 0:
            raise IdnewsError(f"--gpus-per-replica cannot be negative, not {self.gpus_per_replica}")
        if self.files_per_task < 1:
            raise IdnewsError(f"--files-per-task must be at least 1, not {self.files_per_task}")
        if self.listing_shard_rows < 1:
            raise IdnewsError(f"listing shards need at least 1 row, not {self.listing_shard_rows}")

    def map_arguments(self, ray: Any, tasks: int) -> dict[str, Any]:
        """The ``map_batches`` arguments of a replica pool: at most ``tasks`` replicas, their CPUs, GPUs and
        environment."""
        arguments: dict[str, Any] = {
            "compute": ray.data.ActorPoolStrategy(size=max(1, min(self.replicas, tasks))),
            "num_cpus": self.cpus_per_replica,
            "runtime_env": {"env_vars": self.replica_env()},
        }
        if self.gpus_per_replica:
            arguments["num_gpus"] = self.gpus_per_replica
        return arguments

    def replica_env(self) -> dict[str, str]:
        """The environment variables replicas get: the driver's ``IDNEWS_*`` and ``HF_*`` ones, then ``env``."""
        forwarded = {k: v for k, v in os.environ.items() if k.startswith(FORWARDED_PREFIXES)}
        return {**forwarded, **self.env}


def connect(settings: ClusterSettings) -> bool:
    """Join or start Ray as ``settings`` say, unless this process is already connected; returns whether this
    call connected (and so should disconnect at the end)."""
    ray = require_ray()
    if ray.is_initialized():
        return False
    if settings.address is None:
        ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    else:
        ray.init(address=settings.address, log_to_driver=False, logging_level=logging.WARNING)
    return True
