"""The engine configuration: one frozen object, made by the :class:`~idnews.translation.Translator` and passed
down unchanged to the engine, calibration and the backend.

Only ``device`` and ``compute_type`` can change the words (the precision); threads and batch sizes are run
metadata. ``None`` leaves a field to :meth:`EngineConfig.resolved`: the device's default precision and, on a
CPU, CTranslate2's own advice for threads — no more threads in total than physical cores — read from the
operating system (``/sys`` and the process's CPU affinity), with no extra dependency.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from pathlib import Path

from idnews.errors import require_at_least

#: Padded source tokens per batch when the user sets none and no tuned value is cached.
DEFAULT_MAX_BATCH_TOKENS = 4096
#: Batches run in parallel on a CPU by default (each with its share of the cores); see :meth:`resolved`.
DEFAULT_CPU_WORKERS = 2
_CPU_ROOT = Path("/sys/devices/system/cpu")
_CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


@dataclass(frozen=True)
class EngineConfig:
    """Where and how the engine runs.

    Args:
        device: ``"cpu"``, ``"cuda"`` or ``"auto"`` (a GPU when the backend finds one).
        compute_type: the precision (ct2: ``int8``, ``int8_float32``, ``int8_float16``, ``float16``,
            ``bfloat16``, ``float32``, or ``"auto"``: the fastest one :mod:`~idnews.translation.calibration`
            measures; hf: ``float32``, ``float16``, ``bfloat16``). ``None``: the device's default (ct2 ``int8``
            on a CPU, ``float16`` on a GPU; hf ``float32`` on a CPU). Changes the words.
        intra_threads: CPU threads per batch. ``None``: the physical cores shared out among the workers.
        inter_threads: batches translated in parallel (CTranslate2 workers). ``None``: two on a CPU with at least
            two physical cores, else one.
        max_batch_tokens: padded source tokens per batch (``sentences × longest``). ``None``: 4096.
        max_batch_size: sentences per batch at most (``None``: no limit besides the token budget).
    """

    device: str = "auto"
    compute_type: str | None = None
    intra_threads: int | None = None
    inter_threads: int | None = None
    max_batch_tokens: int | None = None
    max_batch_size: int | None = 64

    def __post_init__(self) -> None:
        require_at_least("intra_threads", self.intra_threads, 0, optional=True)
        require_at_least("inter_threads", self.inter_threads, 1, optional=True)
        require_at_least("max_batch_tokens", self.max_batch_tokens, 1, optional=True)
        require_at_least("max_batch_size", self.max_batch_size, 1, optional=True)

    def fixed(self) -> bool:
        """Whether the user left nothing for calibration to choose (threads count only on a CPU)."""
        chosen: list[object] = [self.max_batch_tokens]
        if self.device == "cpu":
            chosen += [self.intra_threads, self.inter_threads]
        return self.compute_type != "auto" and all(value is not None for value in chosen)

    def resolved(self, device: str, compute_type: str, cores: int | None = None) -> EngineConfig:
        """This configuration on a concrete ``device`` with a concrete precision and every unset field filled
        with its default: on a CPU ``intra × inter`` threads within the physical ``cores`` (never more threads
        than cores, as CTranslate2 advises), on a GPU no CPU threads (``0``: the engine's own) and one worker."""
        cpu = device == "cpu"
        cores = cores or physical_cores()
        if cpu:
            inter = self.inter_threads or (DEFAULT_CPU_WORKERS if cores >= DEFAULT_CPU_WORKERS else 1)
            intra = self.intra_threads if self.intra_threads is not None else max(1, cores // inter)
        else:
            inter = self.inter_threads or 1
            intra = self.intra_threads or 0
        return replace(
            self, device=device, compute_type=compute_type, intra_threads=intra, inter_threads=inter,
            max_batch_tokens=self.max_batch_tokens or DEFAULT_MAX_BATCH_TOKENS,
        )

    def text(self) -> str:
        """``intra 1 × inter 2, 4096 tokens, int8``: how it runs, for logs and tables."""
        return (f"intra {self.intra_threads} × inter {self.inter_threads}, {self.max_batch_tokens} tokens, "
                f"{self.compute_type}")


def physical_cores() -> int:
    """Physical CPU cores this process may run on: the distinct cores (not hyper-threads) of the CPUs in its
    affinity mask, within the container's CPU quota where one is set; the logical count where the system
    does not say."""
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        allowed = list(range(os.cpu_count() or 1))
    cores: set[tuple[str, str]] = set()
    for cpu in allowed:
        topology = _CPU_ROOT / f"cpu{cpu}" / "topology"
        try:
            package = (topology / "physical_package_id").read_text().strip()
            core = (topology / "core_id").read_text().strip()
        except OSError:
            cores.add(("cpu", str(cpu)))  # no topology: count the logical CPU
            continue
        cores.add((package, core))
    count = len(cores) or 1
    quota = _cgroup_quota()
    return max(1, min(count, quota)) if quota else count


def _cgroup_quota() -> int | None:
    """Whole CPUs the cgroup (v2) lets this process use, rounded up; ``None`` without a quota."""
    try:
        limit, period = _CGROUP_CPU_MAX.read_text().split()[:2]
    except (OSError, ValueError):
        return None
    if limit == "max":
        return None
    try:
        return math.ceil(int(limit) / int(period))
    except (ValueError, ZeroDivisionError):
        return None
