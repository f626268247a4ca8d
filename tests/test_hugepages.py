"""Moving a freshly loaded model onto 2 MiB pages: which memory is chosen, that nothing changes, that the move
waits to be started and runs in the background, and that an unsupported system only says why."""
from __future__ import annotations

import ctypes
import errno
import mmap
import os
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from idnews.translation import hugepages
from idnews.translation.hugepages import (
    HUGE_PAGE, HugePages, PageMove, anonymous_ranges, huge_page_spans, load_and_find_pages, runs,
)

T = TypeVar("T")

MAPS = """\
55d0c0000000-55d0c0400000 rw-p 00000000 00:00 0                          [heap]
7f0000000000-7f0000800000 rw-p 00000000 00:00 0 
7f0000800000-7f0000a00000 r--p 00000000 08:01 1234                       /usr/lib/libc.so.6
7f0000a00000-7f0000c00000 rw-s 00000000 00:01 99                         /dev/zero (deleted)
7f0000c00000-7f0000e00000 ---p 00000000 00:00 0 
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
"""


def test_only_private_writable_anonymous_memory_and_the_heap_are_candidates() -> None:
    assert anonymous_ranges(MAPS) == [(0x55D0C0000000, 0x55D0C0400000), (0x7F0000000000, 0x7F0000800000)]


def test_stretches_are_whole_aligned_2_mib_and_join_into_runs() -> None:
    mib = 1 << 20
    assert huge_page_spans([(1 * mib, 7 * mib), (8 * mib, 9 * mib)]) == [(2 * mib, 6 * mib)]
    assert runs([6 * mib, 2 * mib, 4 * mib, 10 * mib]) == [(2 * mib, 8 * mib), (10 * mib, 12 * mib)]


def _collapse_expected() -> bool:
    """Whether this system should collapse: Linux 6.1 or later with transparent huge pages not switched off."""
    if not sys.platform.startswith("linux"):
        return False
    release = tuple(int(p) for p in platform.release().split(".")[:2] if p.isdigit())
    enabled = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    return release >= (6, 1) and enabled.exists() and "[never]" not in enabled.read_text()


def _assert_collapsed(done: HugePages, at_least: int) -> None:
    """At least ``at_least`` bytes were collapsed; where the kernel had no 2 MiB page to give (``ENOMEM``, or
    ``EAGAIN`` on every retry: its memory is fragmented or under pressure), skip and say so."""
    if done.collapsed_bytes == 0 and any(
        os.strerror(code) in (done.reason or "") for code in (errno.ENOMEM, errno.EAGAIN)
    ):
        pytest.skip(f"the kernel gave no 2 MiB page now ({done.reason}); the memory was found")
    assert done.collapsed_bytes >= at_least, done


def test_a_large_new_mapping_is_collapsed_and_its_bytes_are_unchanged() -> None:
    size = 8 * HUGE_PAGE
    pattern = bytes(range(256)) * (size // 256)

    def load() -> mmap.mmap:
        memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        memory.write(pattern)  # resident, as loaded weights are
        return memory

    memory, move = load_and_find_pages(load, idle="no small call yet")
    try:
        assert move.bytes >= 2 * HUGE_PAGE and move.result() == HugePages(reason="no small call yet")
        move.start()
        move.start()  # once only
        done = move.result()
        assert memory[:] == pattern
        if _collapse_expected():
            _assert_collapsed(done, 2 * HUGE_PAGE)
            assert done.text().endswith("MiB on 2 MiB pages")
        else:
            assert done.collapsed_bytes == 0 and done.reason, done
    finally:
        memory.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/smaps (Linux only)")
def test_sparse_memory_is_left_alone() -> None:
    """A mapping mostly not yet touched would grow if collapsed: it is skipped."""
    def load() -> mmap.mmap:
        memory = mmap.mmap(-1, 16 * HUGE_PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        memory[:1] = b"x"
        return memory

    import ctypes

    memory, move = load_and_find_pages(load)
    move.start()
    move.result()
    start = ctypes.addressof(ctypes.c_char.from_buffer(memory))
    huge_kb = None
    current = False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and not head[0].endswith(":"):
            low, high = (int(x, 16) for x in head[0].split("-"))
            current = low <= start < high
        elif current and head[0] == "AnonHugePages:":
            huge_kb = int(head[1])
    memory.close()
    assert huge_kb == 0  # other memory the load happened to fill may be collapsed, never this mapping


def _moved(load: Callable[[], T], **options: Any) -> tuple[T, HugePages]:
    value, move = load_and_find_pages(load, **options)
    move.start()
    return value, move.result()


def test_switched_off_or_unsupported_only_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _moved(lambda: 7, enabled=False) == (7, HugePages(reason="switched off"))
    monkeypatch.setattr(hugepages, "MAPS", Path(os.devnull) / "missing")
    value, done = _moved(lambda: "model")
    assert value == "model" and done.collapsed_bytes == 0 and "unreadable" in (done.reason or "")
    monkeypatch.setattr(hugepages.sys, "platform", "darwin")
    assert _moved(lambda: 1)[1].reason == "Linux only"


def test_memory_reused_from_an_earlier_load_is_seen() -> None:
    """The allocator hands freed memory to the next load; it is still memory that load filled."""
    size = 16 * HUGE_PAGE
    first, _ = _moved(lambda: bytearray(b"a" * size))
    del first
    again, move = load_and_find_pages(lambda: bytearray(b"b" * size))
    assert move.bytes >= size - 2 * HUGE_PAGE or not _collapse_expected(), move.bytes
    move.start()
    done = move.result()
    assert again[:1] == b"b"
    if _collapse_expected():
        _assert_collapsed(done, size - 2 * HUGE_PAGE)


class _BusyKernel:
    """A kernel that refuses whole runs and every stretch's first try with ``EAGAIN``, and one stretch always."""

    def __init__(self, stuck: int) -> None:
        self.stuck = stuck
        self.calls: list[tuple[int, int]] = []

    def madvise(self, start: int, length: int, advice: int) -> int:
        self.calls.append((start, length))
        tried = sum(1 for call in self.calls if call == (start, length))
        if length > HUGE_PAGE or start == self.stuck or tried == 1:
            ctypes.set_errno(errno.EAGAIN)
            return -1
        return 0


def test_a_busy_page_costs_its_stretch_not_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hugepages.time, "sleep", lambda seconds: None)
    kernel = _BusyKernel(stuck=6 * HUGE_PAGE)
    done = hugepages.collapse([(4 * HUGE_PAGE, 8 * HUGE_PAGE)], kernel)  # type: ignore[arg-type]
    assert done == HugePages(3 * HUGE_PAGE)
    assert kernel.calls.count((6 * HUGE_PAGE, HUGE_PAGE)) == hugepages.TRIES
    assert kernel.calls.count((5 * HUGE_PAGE, HUGE_PAGE)) == 2
    all_stuck = hugepages.collapse([(4 * HUGE_PAGE, 5 * HUGE_PAGE)], _BusyKernel(stuck=4 * HUGE_PAGE))  # type: ignore[arg-type]
    assert all_stuck == HugePages(reason="madvise(MADV_COLLAPSE): " + os.strerror(errno.EAGAIN))


def test_a_refused_madvise_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hugepages, "MADV_COLLAPSE", -1)  # an advice no kernel knows: EINVAL
    done = hugepages.collapse([(4 * HUGE_PAGE, 8 * HUGE_PAGE)])
    assert done.collapsed_bytes == 0 and (done.reason or "").startswith("madvise(MADV_COLLAPSE): ")


def test_the_move_runs_in_the_background_and_text_never_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    release = threading.Event()

    def slow_collapse(spans: list[tuple[int, int]], kernel: object = None) -> HugePages:
        release.wait(10)
        return HugePages(sum(b - a for a, b in spans))

    monkeypatch.setattr(hugepages, "collapse", slow_collapse)
    move = PageMove([(0, 2 * HUGE_PAGE)])
    move.start()
    assert move.text() == "moving 4 MiB onto 2 MiB pages"  # answered while the move is under way
    release.set()
    assert move.result() == HugePages(2 * HUGE_PAGE)
    assert move.text() == "4 MiB on 2 MiB pages"
