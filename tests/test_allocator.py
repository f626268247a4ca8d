"""Keeping freed memory (``idnews.translation.allocator``): the setting is made once, never over the process's
own, and it does what it says — measured in fresh processes, since it holds for the whole process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from idnews.translation import allocator
from idnews.testing import build_marian, convert_to_ct2
from idnews.translation.allocator import FreedMemory, keep_freed_memory, user_malloc_setting

glibc_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's (Linux)")

#: A worker thread allocating, touching and freeing a 40 MiB block eight times, as a decoding step does its
#: scratch (or the calling thread, as a model load): prints the minor page faults of the last seven rounds.
CHURN = """
import ctypes, json, resource, sys, threading
from idnews.translation.allocator import fresh_mappings, keep_freed_memory
made = keep_freed_memory(sys.argv[1] != "off")
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
size, faults = 40 << 20, []
def churn():
    for _ in range(8):
        before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
        block = libc.malloc(size)
        ctypes.memset(block, 1, size)
        libc.free(block)
        faults.append(resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before)
if sys.argv[1] == "load":  # as a model load after the first (in the calling thread): fresh mappings within
    with fresh_mappings():
        churn()
else:
    worker = threading.Thread(target=churn)
    worker.start(); worker.join()
print(json.dumps({"kept": made.kept, "reason": made.reason, "faults": sum(faults[1:])}))
"""
#: The pages of the seven counted rounds: each faults the whole block in again when it is handed back.
CHURNED_PAGES = 7 * (40 << 20) // 4096


def _churn(mode: str, env: dict[str, str] | None = None) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", CHURN, mode], capture_output=True, text=True, check=True,
                          env={**os.environ, **(env or {})})
    return json.loads(done.stdout)


@glibc_only
def test_kept_memory_is_not_faulted_in_again() -> None:
    handed_back = _churn("off")
    kept = _churn("keep")
    assert handed_back["kept"] is False and handed_back["reason"] == "off"
    assert kept == {"kept": True, "reason": "", "faults": kept["faults"]}
    assert handed_back["faults"] > CHURNED_PAGES // 2
    assert kept["faults"] < CHURNED_PAGES // 20


@glibc_only
def test_loads_get_fresh_mappings_while_freed_memory_is_kept() -> None:
    """A model loaded later in the process is laid out as the first was: its blocks in fresh mappings."""
    loading = _churn("load")
    assert loading["kept"] is True and loading["faults"] > CHURNED_PAGES // 2


@glibc_only
def test_the_process_own_malloc_setting_wins() -> None:
    found = _churn("keep", {"MALLOC_TOP_PAD_": "0"})
    assert found["kept"] is False and found["reason"] == "the process's own MALLOC_TOP_PAD_ is kept"
    assert found["faults"] > CHURNED_PAGES // 2


def test_user_settings_are_recognised() -> None:
    assert user_malloc_setting({}) is None
    assert user_malloc_setting({"MALLOC_TRIM_THRESHOLD_": "1"}) == "MALLOC_TRIM_THRESHOLD_"
    assert user_malloc_setting({"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=1"}) == (
        "GLIBC_TUNABLES glibc.malloc.mmap_threshold")
    assert user_malloc_setting({"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}) is None  # not about handing back


def test_made_once_and_off_only_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocator, "_made", None)
    assert keep_freed_memory(False) == FreedMemory(False, "off")
    assert allocator._made is None
    made = FreedMemory(True, "")
    monkeypatch.setattr(allocator, "_made", made)
    assert keep_freed_memory(False) is made and keep_freed_memory(True) is made
    assert made.text() == "freed memory kept"
    assert FreedMemory(False, "off").text() == "freed memory handed back (off)"


#: The same sentences translated with and without the setting, each in its own process.
WORDS = """
import json, sys
from idnews.translation import Translator
translator = Translator.from_options(sys.argv[1], backend="ct2", compute_type="float32", beam_size=2, guard=False,
                                     calibrate=False, detect_english=False, keep_freed_memory=sys.argv[2] == "keep")
words = [s.target for s in translator.translate_sentences(json.loads(sys.argv[3]))]
print(json.dumps({"kept": translator._engine().backend.freed_memory.kept, "words": words}))
"""


SENTENCES = [
    "Presiden Joko Widodo meresmikan jembatan baru di Jakarta pada hari Senin.",
    "Harga beras naik menjadi Rp 15.000 per kilogram di pasar tradisional.",
    "Inflasi tahunan tercatat 2,5 persen pada bulan Oktober 2023.",
    "Ia mengaku belum menerima undangan resmi dari panitia.",
]


@pytest.fixture(scope="module")
def tiny_ct2(tmp_path_factory: pytest.TempPathFactory, opus_config_dir: Path) -> Path:
    tiny = build_marian(tmp_path_factory.mktemp("tiny") / "marian", config_dir=opus_config_dir, size="tiny", seed=0)
    return convert_to_ct2(tiny, tmp_path_factory.mktemp("tiny-ct2") / "ct2", quantization=None)


@glibc_only
def test_translations_are_byte_identical_with_freed_memory_kept(tiny_ct2: Path) -> None:
    runs = {}
    for mode in ("keep", "off"):
        done = subprocess.run([sys.executable, "-c", WORDS, str(tiny_ct2), mode, json.dumps(SENTENCES)],
                              capture_output=True, text=True, check=True)
        runs[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    assert runs["keep"]["kept"] is True and runs["off"]["kept"] is False
    assert runs["keep"]["words"] == runs["off"]["words"] and len(runs["keep"]["words"]) == len(SENTENCES)
