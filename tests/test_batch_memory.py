"""Peak memory of a batch run does not grow with the number of files (100 vs 1,000 files, tiny model)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_batch_helpers import make_pages, private_cache  # noqa: F401 (fixtures)

# Runs the CLI in a fresh interpreter and reports its peak resident set size (KiB on Linux) on stderr.
PEAK_RSS = """
import resource, sys
from idnews.cli import main
try:
    main(sys.argv[1:])
finally:
    print("PEAK_RSS_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def peak_rss_kib(pages: Path, out: Path, model: Path) -> tuple[int, dict]:
    command = [sys.executable, "-c", PEAK_RSS, "translate", str(pages), "--out", str(out), "--model", str(model),
               "--beam-size", "1", "--max-length", "4", "--no-guard", "-q", "--log-json", "-"]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_RSS_KIB"))
    return peak, json.loads(done.stdout.splitlines()[-1])


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss is in KiB on Linux only")
def test_peak_memory_does_not_grow_with_the_number_of_files(tmp_path: Path, tiny_marian: Path) -> None:
    warm_up = make_pages(tmp_path / "warm-up", 1, paragraphs=1)
    peak_rss_kib(warm_up, tmp_path / "out-warm-up", tiny_marian)  # the model's one-off conversion is not measured
    small = make_pages(tmp_path / "small", 100, paragraphs=1)
    large = make_pages(tmp_path / "large", 1000, paragraphs=1)
    small_peak, small_summary = peak_rss_kib(small, tmp_path / "out-small", tiny_marian)
    large_peak, large_summary = peak_rss_kib(large, tmp_path / "out-large", tiny_marian)
    assert small_summary["ok"] == 100 and large_summary["ok"] == 1000
    assert large_summary["sentences"] == 10 * small_summary["sentences"]
    print(f"peak RSS: 100 files {small_peak / 1024:.1f} MiB, 1,000 files {large_peak / 1024:.1f} MiB")
    assert large_peak <= small_peak + 16 * 1024, (small_peak, large_peak)
