"""Keeping the memory a decoding step frees for the next one (glibc's ``malloc``), where that pays.

A decoding step allocates blocks of a few MiB (the logits alone are rows × vocabulary floats: 13 MiB a step
for 16 sentences at beam 4 on opus-mt-id-en) and frees them before the next. By default glibc hands such blocks
back to the kernel (its dynamic ``mmap`` threshold, heap trimming, and freeing a worker thread's whole heap),
so the next step page-faults the same memory in again, zeroed: about 13,000 minor faults a 32-sentence call at
beam 4, a few microseconds each. :func:`keep_freed_memory` raises glibc's thresholds with ``mallopt`` so that
freed memory stays in the process: the faults drop to a few hundred a call, and the words do not change (no
byte of any computation does).

This is a setting of the whole process, made once: memory freed later stays with the process, up to what it
held at its peak (blocks of up to 64 MiB; larger ones are still handed back), as with the allocators servers
preload for the same reason. It is made only for the CTranslate2 backend on a CPU, after the model is loaded,
never over the process's own malloc settings (``MALLOC_*_`` variables or ``GLIBC_TUNABLES``). Anything
unavailable (another C library, another system) leaves the process as it was and says why; nothing here
raises.
"""
from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

#: ``mallopt`` parameters from ``<malloc.h>``.
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3
#: Blocks up to this size come from the heap, not fresh mappings: a worker thread's heap holds at most 64 MiB.
MMAP_THRESHOLD = 64 << 20
#: glibc's own starting threshold: while a model loads, blocks above it get fresh mappings, as by default.
LOAD_MMAP_THRESHOLD = 128 << 10
#: Free memory at the top of the main heap kept rather than handed back.
TRIM_THRESHOLD = 128 << 20
#: Room each heap grows by beyond a request; it also stops glibc freeing a worker thread's emptied heap.
TOP_PAD = 64 << 20
#: The same thresholds as the environment of a process started with them (how a user sets them by hand).
ENVIRONMENT = {"MALLOC_MMAP_THRESHOLD_": str(MMAP_THRESHOLD), "MALLOC_TRIM_THRESHOLD_": str(TRIM_THRESHOLD),
               "MALLOC_TOP_PAD_": str(TOP_PAD)}
#: The process's own malloc settings, which always win.
USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_")
USER_TUNABLES = ("glibc.malloc.mmap_threshold", "glibc.malloc.trim_threshold", "glibc.malloc.top_pad",
                 "glibc.malloc.mmap_max")


@dataclass(frozen=True)
class FreedMemory:
    """Whether the process keeps the memory a call frees (:func:`keep_freed_memory`), or why not."""

    kept: bool
    reason: str

    def text(self) -> str:
        return "freed memory kept" if self.kept else f"freed memory handed back ({self.reason})"


_lock = threading.Lock()
_made: FreedMemory | None = None  # the process-wide setting, once made


def user_malloc_setting(environ: Mapping[str, str] = os.environ) -> str | None:
    """The name of the process's own malloc setting that ``environ`` shows, or ``None``."""
    for name in USER_SETTINGS:
        if name in environ:
            return name
    tunables = environ.get("GLIBC_TUNABLES", "")
    return next((f"GLIBC_TUNABLES {t}" for t in USER_TUNABLES if t in tunables), None)


def _mallopt() -> Callable[[int, int], int] | None:
    """glibc's ``mallopt``, or ``None`` on another C library."""
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    if not hasattr(libc, "gnu_get_libc_version") or not hasattr(libc, "mallopt"):
        return None
    mallopt = libc.mallopt
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt


@contextmanager
def fresh_mappings() -> Iterator[None]:
    """Within: blocks above 128 KiB get fresh mappings, as by default (for loading a model once freed memory is
    kept, so that its weights do not land in kept memory); nothing changes where freed memory is not kept."""
    mallopt = _mallopt() if _made is not None and _made.kept else None
    if mallopt is None:
        yield
        return
    mallopt(M_MMAP_THRESHOLD, LOAD_MMAP_THRESHOLD)
    try:
        yield
    finally:
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def keep_freed_memory(enabled: bool = True) -> FreedMemory:
    """Raise glibc's thresholds so that freed blocks of up to 64 MiB stay in the process (once a process).

    ``enabled=False`` only reports (it undoes nothing an earlier call made). Returns what holds now."""
    global _made
    with _lock:
        if _made is not None:
            return _made
        if not enabled:
            return FreedMemory(False, "off")
        own = user_malloc_setting()
        if own is not None:
            return FreedMemory(False, f"the process's own {own} is kept")
        mallopt = _mallopt()
        if mallopt is None:
            return FreedMemory(False, "not glibc")
        settings = ((M_MMAP_THRESHOLD, MMAP_THRESHOLD), (M_TRIM_THRESHOLD, TRIM_THRESHOLD), (M_TOP_PAD, TOP_PAD))
        applied = all(mallopt(parameter, value) == 1 for parameter, value in settings)
        _made = FreedMemory(True, "") if applied else FreedMemory(False, "mallopt refused")
        return _made
