"""Backing a freshly loaded model with 2 MiB pages (Linux transparent huge pages).

One sentence a call, decoding is bound by streaming the weights from memory for every output token: the
output projection alone is vocabulary × hidden size. With 4 KiB pages every step walks tens of thousands of
page-table entries and the hardware prefetchers stop at each page boundary. Where the kernel offers
``MADV_COLLAPSE`` (Linux 6.1 and later), the memory a model load mapped is collapsed into 2 MiB pages right
after the load. The bytes do not move or change, so the output is the same; only the time to read them does.

Only memory that appeared during the load and is almost fully resident is collapsed, so resident memory does
not grow. Anything unavailable (another system, an older kernel, huge pages switched off) leaves the model as
it was and says why in :attr:`HugePages.reason`; nothing here raises.
"""
from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
HUGE_PAGE = 2 << 20
#: ``MADV_COLLAPSE`` from ``<linux/mman.h>``.
MADV_COLLAPSE = 25
#: A range is collapsed only when at least this share of it is resident (so collapsing adds no memory).
MIN_RESIDENT_SHARE = 0.9
MAPS = Path("/proc/self/smaps")

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


def anonymous_ranges(smaps: str) -> dict[Range, int]:
    """Private writable anonymous mappings (the heap included) of an ``smaps`` text, with resident bytes."""
    found: dict[Range, int] = {}
    current: Range | None = None
    for line in smaps.splitlines():
        head = line.split()
        if not head:
            continue
        if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
            start, end = (int(x, 16) for x in head[0].split("-"))
            path = head[5] if len(head) > 5 else ""
            anonymous = head[1].startswith("rw") and head[1].endswith("p") and head[4] == "0"
            current = (start, end) if anonymous and path in ("", "[heap]") else None
            if current:
                found[current] = 0
        elif current and head[0] == "Rss:":
            found[current] = int(head[1]) * 1024
    return found


def new_ranges(before: dict[Range, int], after: dict[Range, int]) -> list[tuple[Range, int]]:
    """The parts of ``after``'s ranges that no range of ``before`` covered, each with its whole range's resident
    share in bytes (scaled to the part)."""
    pieces: list[tuple[Range, int]] = []
    old = sorted(before)
    for (start, end), resident in after.items():
        parts = [(start, end)]
        for low, high in old:
            parts = [p for a, b in parts for p in _minus((a, b), (low, high))]
        share = resident / max(end - start, 1)
        pieces += [((a, b), int((b - a) * share)) for a, b in parts]
    return pieces


def _minus(part: Range, hole: Range) -> list[Range]:
    (a, b), (low, high) = part, hole
    if high <= a or low >= b:
        return [part]
    return [r for r in ((a, low), (high, b)) if r[1] > r[0]]


def _read_smaps() -> str | None:
    try:
        return MAPS.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def load_on_huge_pages(load: Callable[[], T], *, enabled: bool = True) -> tuple[T, HugePages]:
    """``load()``, then the memory it mapped collapsed into 2 MiB pages where the system allows it."""
    if not enabled:
        return load(), HugePages(reason="switched off")
    if not sys.platform.startswith("linux"):
        return load(), HugePages(reason="Linux only")
    before_text = _read_smaps()
    loaded = load()
    after_text = _read_smaps()
    if before_text is None or after_text is None:
        return loaded, HugePages(reason=f"{MAPS} unreadable")
    return loaded, collapse(new_ranges(anonymous_ranges(before_text), anonymous_ranges(after_text)))


def collapse(pieces: list[tuple[Range, int]]) -> HugePages:
    """``madvise(MADV_COLLAPSE)`` on the whole 2 MiB pages of each mostly resident piece."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
    except (OSError, AttributeError) as exc:
        return HugePages(reason=f"no madvise ({exc})")
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    done, errors = 0, set()
    for (start, end), resident in pieces:
        first, last = -(-start // HUGE_PAGE) * HUGE_PAGE, end // HUGE_PAGE * HUGE_PAGE
        if last - first < HUGE_PAGE or resident < MIN_RESIDENT_SHARE * (end - start):
            continue
        if madvise(first, last - first, MADV_COLLAPSE) == 0:
            done += last - first
        else:
            errors.add(ctypes.get_errno())
    if done:
        return HugePages(done)
    if errors:
        return HugePages(reason="madvise(MADV_COLLAPSE): " + ", ".join(sorted(os.strerror(e) for e in errors)))
    return HugePages(reason="no large new mapping")
