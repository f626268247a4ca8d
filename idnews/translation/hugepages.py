"""Backing a loaded model with 2 MiB pages (Linux transparent huge pages), where that pays.

One sentence a call, decoding is bound by streaming the weights from memory for every output token: the
output projection alone is vocabulary × hidden size. With 4 KiB pages every step walks tens of thousands of
page-table entries and the hardware prefetchers stop at each page boundary. Where the kernel offers
``MADV_COLLAPSE`` (Linux 6.1 and later), the memory a model load filled can be collapsed into 2 MiB pages. The
bytes do not move or change, so the output is the same; only the time to read them does.

"The memory a load filled" is every 2 MiB stretch of private anonymous memory (the heap included) that is wholly
resident after the load and was not before it; free memory the allocator kept is handed back first
(``malloc_trim``), so a load that reuses it is seen too. Only wholly resident stretches are collapsed, so
resident memory does not grow. :func:`load_and_find_pages` finds that memory (a few milliseconds);
:class:`PageMove` moves it in a background thread when asked, since the copy takes tens to hundreds of
milliseconds for 80 MiB and only small calls gain from it: batches of many sentences reuse each weight enough
that they do not. Anything unavailable (another system, an older kernel, huge pages switched off) leaves the
model as it was and says why in :attr:`HugePages.reason`; nothing here raises.
"""
from __future__ import annotations

import ctypes
import errno
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
HUGE_PAGE = 2 << 20
#: ``MADV_COLLAPSE`` from ``<linux/mman.h>``.
MADV_COLLAPSE = 25
MAPS = Path("/proc/self/maps")
NOTHING_FILLED = "the load filled no whole 2 MiB stretch"
#: Tries per 2 MiB stretch after the kernel refused a run for a passing reason (``EAGAIN``).
TRIES = 4

Range = tuple[int, int]


@dataclass(frozen=True)
class HugePages:
    """What :func:`load_on_huge_pages` did: bytes now on 2 MiB pages, or why none."""

    collapsed_bytes: int = 0
    reason: str | None = None

    def text(self) -> str:
        if self.collapsed_bytes:
            return f"{self.collapsed_bytes / 2**20:.0f} MiB on 2 MiB pages"
        return f"4 KiB pages ({self.reason})" if self.reason else "4 KiB pages"


def anonymous_ranges(maps: str) -> list[Range]:
    """Private writable anonymous mappings (the heap included) of a ``/proc/<pid>/maps`` text."""
    found = []
    for line in maps.splitlines():
        fields = line.split()
        if len(fields) < 5 or not fields[1].startswith("rw") or not fields[1].endswith("p") or fields[4] != "0":
            continue
        if len(fields) == 5 or fields[5] == "[heap]":
            start, end = (int(x, 16) for x in fields[0].split("-"))
            found.append((start, end))
    return found


def huge_page_spans(ranges: Iterable[Range]) -> list[Range]:
    """The whole 2 MiB-aligned stretches inside ``ranges``."""
    spans = []
    for start, end in ranges:
        first, last = -(-start // HUGE_PAGE) * HUGE_PAGE, end // HUGE_PAGE * HUGE_PAGE
        if last - first >= HUGE_PAGE:
            spans.append((first, last))
    return spans


def runs(starts: Iterable[int]) -> list[Range]:
    """Sorted 2 MiB stretch starts joined into contiguous ``(start, end)`` runs."""
    joined: list[Range] = []
    for start in sorted(starts):
        if joined and joined[-1][1] == start:
            joined[-1] = (joined[-1][0], start + HUGE_PAGE)
        else:
            joined.append((start, start + HUGE_PAGE))
    return joined


class _Kernel:
    """The three libc calls, through ctypes."""

    def __init__(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.madvise = libc.madvise
        self.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        self.mincore = libc.mincore
        self.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
        self.malloc_trim: Any = getattr(libc, "malloc_trim", None)  # glibc only
        self.page = os.sysconf("SC_PAGE_SIZE")

    def full_stretches(self, spans: list[Range]) -> set[int]:
        """Starts of the 2 MiB stretches whose every page is resident."""
        per_huge = HUGE_PAGE // self.page
        full = set()
        for first, last in spans:
            pages = (last - first) // self.page
            vector = (ctypes.c_ubyte * pages)()
            if self.mincore(first, last - first, vector) != 0:
                continue  # unmapped meanwhile
            resident = bytes(vector)
            for index in range(0, pages, per_huge):
                if resident.count(0, index, index + per_huge) == 0:
                    full.add(first + index * self.page)
        return full


def _read_maps() -> str | None:
    try:
        return MAPS.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


class PageMove:
    """The memory one load filled, moved onto 2 MiB pages in a background thread from the first :meth:`start`
    on; the engine keeps translating meanwhile (a stretch being copied is paused for about a millisecond)."""

    def __init__(self, spans: list[Range] | None = None, kernel: _Kernel | None = None, *,
                 reason: str | None = None, idle: str = "not moved yet") -> None:
        self._spans = spans
        self._kernel = kernel
        self._idle = idle
        self._result: HugePages | None = None if spans else HugePages(reason=reason or NOTHING_FILLED)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def bytes(self) -> int:
        """How much memory the load filled, in whole 2 MiB stretches."""
        return sum(last - first for first, last in self._spans or [])

    def start(self) -> None:
        """Begin the move (once; later calls return at once, without taking the lock)."""
        if self._thread is not None or self._result is not None:
            return
        with self._lock:
            if self._thread is None and self._result is None:
                self._thread = threading.Thread(target=self._move, name="idnews-huge-pages", daemon=True)
                self._thread.start()

    def _move(self) -> None:
        self._result = collapse(self._spans or [], self._kernel)

    def result(self) -> HugePages:
        """What the move did, waiting for it if it is under way; if it never started, that it has not."""
        thread = self._thread
        if thread is not None:
            thread.join()
        return self._result or HugePages(reason=self._idle)

    def text(self) -> str:
        """:meth:`result`'s text without waiting."""
        if self._thread is not None and self._thread.is_alive():
            return f"moving {self.bytes / 2**20:.0f} MiB onto 2 MiB pages"
        return self.result().text()


def load_and_find_pages(
    load: Callable[[], T], *, enabled: bool = True, idle: str = "not moved yet"
) -> tuple[T, PageMove]:
    """``load()``, and the memory it filled as a :class:`PageMove` not yet started (``idle`` says why, until it
    is); where the system cannot move it, a :class:`PageMove` that says why."""
    if not enabled:
        return load(), PageMove(reason="switched off")
    if not sys.platform.startswith("linux"):
        return load(), PageMove(reason="Linux only")
    try:
        kernel = _Kernel()
    except (OSError, AttributeError, ValueError) as exc:
        return load(), PageMove(reason=f"no madvise/mincore ({exc})")
    before_maps = _read_maps()
    if before_maps is None:
        return load(), PageMove(reason=f"{MAPS} unreadable")
    if kernel.malloc_trim is not None:
        kernel.malloc_trim(0)  # free memory the allocator kept becomes non-resident, so its reuse is seen
    before = kernel.full_stretches(huge_page_spans(anonymous_ranges(before_maps)))
    loaded = load()
    after_maps = _read_maps()
    if after_maps is None:
        return loaded, PageMove(reason=f"{MAPS} unreadable")
    filled = kernel.full_stretches(huge_page_spans(anonymous_ranges(after_maps))) - before
    return loaded, PageMove(runs(filled), kernel, idle=idle)


def collapse(spans: list[Range], kernel: _Kernel | None = None) -> HugePages:
    """``madvise(MADV_COLLAPSE)`` on each 2 MiB-aligned span, now.

    The kernel refuses a whole span with ``EAGAIN`` when one page in it is briefly busy (locked, or still in a
    per-CPU batch), though it may have collapsed the rest; such a span is then collapsed one 2 MiB stretch at a
    time, each tried up to :data:`TRIES` times, so one busy page costs one stretch, not the run."""
    if not spans:
        return HugePages(reason=NOTHING_FILLED)
    kernel = kernel or _Kernel()
    done, errors = 0, set()
    for first, last in spans:
        if kernel.madvise(first, last - first, MADV_COLLAPSE) == 0:
            done += last - first
            continue
        error = ctypes.get_errno()
        if error != errno.EAGAIN:
            errors.add(error)
            continue
        for stretch in range(first, last, HUGE_PAGE):
            error = _collapse_stretch(kernel, stretch)
            if error:
                errors.add(error)
            else:
                done += HUGE_PAGE
    if done:
        return HugePages(done)
    return HugePages(reason="madvise(MADV_COLLAPSE): " + ", ".join(sorted(os.strerror(e) for e in errors)))


def _collapse_stretch(kernel: _Kernel, start: int) -> int:
    """Collapse one 2 MiB stretch, trying again while the kernel says ``EAGAIN``; 0 or the last errno."""
    error = 0
    for attempt in range(TRIES):
        if kernel.madvise(start, HUGE_PAGE, MADV_COLLAPSE) == 0:
            return 0
        error = ctypes.get_errno()
        if error != errno.EAGAIN:
            return error
        time.sleep(0.001 * (attempt + 1))
    return error
