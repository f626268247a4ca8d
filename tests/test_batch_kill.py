"""A batch run killed with SIGKILL at several points, then re-run, ends byte-identical to an uninterrupted run."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from idnews.batch.outputs import TEMP_SUFFIX
from test_batch_helpers import make_pages, private_cache, tree_bytes  # noqa: F401 (fixtures)

FILES = 12


def _command(pages: Path, out: Path, model: Path) -> list[str]:
    # float32: a resumed run batches the files it still has, so a sentence may share a batch with other ones
    # than before; in int8 a sentence's padded length can flip a near-tie (docs/translation.md, "Same words")
    return [
        sys.executable, "-m", "idnews", "process", str(pages), "--out", str(out), "--format", "json",
        "--method", "lead", "--model", str(model), "--beam-size", "1", "--max-length", "12",
        "--compute-type", "float32", "--batch-sentences", "3", "-q",
    ]


def _finished_outputs(out: Path) -> int:
    return sum(1 for _ in out.glob("*.json")) if out.is_dir() else 0


def _kill_after(command: list[str], out: Path, outputs: int, *, timeout: float = 300) -> None:
    """Start ``command`` and SIGKILL it once ``outputs`` files are finished (0: as soon as the folder exists)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while (not out.is_dir() or _finished_outputs(out) < outputs) and process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {outputs} outputs after {timeout} s")
        time.sleep(0.005)
    still_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    _, err = process.communicate()
    assert still_running, f"the run ended before the kill point ({outputs} outputs): {err.decode()[-500:]}"
    assert process.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_sigkill_then_rerun_gives_byte_identical_outputs(tmp_path: Path, tiny_marian: Path) -> None:
    pages = make_pages(tmp_path / "pages", FILES)
    reference_dir = tmp_path / "uninterrupted"
    subprocess.run(_command(pages, reference_dir, tiny_marian), check=True, capture_output=True)
    reference = tree_bytes(reference_dir)
    assert sum(1 for name in reference if name.endswith(".json") and "/" not in name) == FILES

    for outputs in (0, 3, 8):
        out = tmp_path / f"killed-after-{outputs}"
        _kill_after(_command(pages, out, tiny_marian), out, outputs)
        for name, data in tree_bytes(out).items():  # every output a killed run left is complete, or a hidden temp file
            if not name.startswith(".idnews/"):  # the resume journal is compared once the rerun has finished
                assert name.endswith(TEMP_SUFFIX) or data == reference[name], name
        rerun = subprocess.run([*_command(pages, out, tiny_marian), "--log-json", "-"], capture_output=True, text=True)
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        summary = json.loads(rerun.stdout.splitlines()[-1])
        # the newest output may lack its completion record (killed between the two writes): it is redone
        assert summary["skipped"] >= max(outputs - 1, 0) and summary["ok"] + summary["skipped"] == FILES
        assert tree_bytes(out) == reference


@pytest.mark.slow
def test_ctrl_c_stops_after_the_batch_in_flight_and_says_how_to_resume(tmp_path: Path, tiny_marian: Path) -> None:
    pages = make_pages(tmp_path / "pages", FILES)
    out = tmp_path / "out"
    command = _command(pages, out, tiny_marian)[:-1]  # not quiet: the summary and the resume hint are printed
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while _finished_outputs(out) < 2 and process.poll() is None:
        time.sleep(0.005)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert "Interrupted" in err and "Re-run the same command to resume" in err
    done = _finished_outputs(out)
    assert 2 <= done < FILES
    rerun = subprocess.run([*command, "--log-json", "-"], capture_output=True, text=True)
    assert rerun.returncode == 0
    assert json.loads(rerun.stdout.splitlines()[-1])["skipped"] == done
