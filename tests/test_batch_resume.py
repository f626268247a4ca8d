"""Killed runs resume byte-identically: inside large JSON-lines files, at random kill points, after SIGTERM/Ctrl-C.

Every run here is a real ``idnews summarize`` process (``lead`` summariser, no model) that is killed with
SIGKILL, SIGTERM or SIGINT and then re-run; the finished output folder, state included, must equal the
folder of one uninterrupted run byte for byte.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from idnews.batch.outputs import TEMP_SUFFIX
from test_batch_helpers import ARTICLES, make_pages, tree_bytes

COMMIT_EVERY = 40


def command(inputs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "idnews", "summarize", str(inputs), "--out", str(out), "--method", "lead", "-n", "2",
            "--format", "json", "--commit-every", str(COMMIT_EVERY), "-q", *extra]


def write_rows(path: Path, count: int) -> Path:
    """``count`` JSON lines of articles, with a broken line every 97 rows and a blank one every 101."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for index in range(count):
            if index % 97 == 50:
                handle.write('{"id": %d, "text": broken\n' % index)
                continue
            if index % 101 == 7:
                handle.write("\n")
            title, *body = ARTICLES[index % len(ARTICLES)].split("\n\n")
            text = "\n\n".join([f"{title} ({index})", *body[: 1 + index % 3], f"Baris nomor {index} selesai."])
            handle.write(json.dumps({"id": index, "text": text}, ensure_ascii=False) + "\n")
    return path


def committed_line(out: Path) -> int:
    """The input line up to which a running JSON-lines file has committed its progress (0 when none)."""
    for progress in (out / ".idnews" / "partial").glob("*.json"):
        try:
            return int(json.loads(progress.read_text(encoding="utf-8"))["line"])
        except (OSError, ValueError, KeyError):
            return 0  # being replaced this very moment
    return 0


def stop_when(cmd: list[str], ready: Callable[[], bool], how: int = signal.SIGKILL, timeout: float = 300) -> tuple[int, str]:
    """Start ``cmd``, send ``how`` once ``ready()``; returns the exit status and stderr. Fails if it ended first."""
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while not ready() and process.poll() is None:
        assert time.monotonic() < deadline, "the kill point was never reached"
        time.sleep(0.002)
    assert process.poll() is None, "the run ended before the kill point"
    process.send_signal(how)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def rerun(cmd: list[str]) -> list[dict]:
    done = subprocess.run([*cmd, "--log-json", "-"], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def no_temporaries(out: Path) -> bool:
    return not any(p.name.endswith(TEMP_SUFFIX) for p in out.rglob("*"))


@pytest.mark.slow
def test_a_large_jsonl_file_resumes_from_its_last_committed_chunk(tmp_path: Path) -> None:
    rows = 1500
    inputs = tmp_path / "in"
    write_rows(inputs / "news.jsonl", rows)
    reference_dir = tmp_path / "uninterrupted"
    subprocess.run(command(inputs, reference_dir), check=False, capture_output=True)
    reference = tree_bytes(reference_dir)
    assert len((reference_dir / "news.jsonl").read_text(encoding="utf-8").splitlines()) == rows

    for share in (0.1, 0.5, 0.9):
        out = tmp_path / f"killed-at-{share}"
        target = int(rows * share)
        code, _ = stop_when(command(inputs, out), lambda: committed_line(out) >= target)
        assert code == -signal.SIGKILL
        assert not (out / "news.jsonl").exists()  # the output appears whole, or not at all
        events = rerun(command(inputs, out))
        (file_event,) = [e for e in events if e["event"] == "file"]
        assert file_event["resumed_after_line"] >= target  # not from row 1
        assert file_event["records"] == rows and file_event["failed_records"] == len(range(50, rows, 97))
        assert tree_bytes(out) == reference, f"killed at {share}"


@pytest.mark.slow
def test_random_kills_then_resume_give_byte_identical_outputs(tmp_path: Path) -> None:
    seed = int(os.environ.get("IDNEWS_KILL_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    pages, rows = 120, 1200
    inputs = tmp_path / "in"
    make_pages(inputs / "pages", pages)
    write_rows(inputs / "rows" / "news.jsonl", rows)  # read after the pages (sorted order)
    reference_dir = tmp_path / "uninterrupted"
    subprocess.run(command(inputs, reference_dir), check=False, capture_output=True)
    reference = tree_bytes(reference_dir)

    def finished_pages(out: Path) -> int:
        return sum(1 for _ in (out / "pages").glob("*.json")) if (out / "pages").is_dir() else 0

    for attempt in range(4):
        out = tmp_path / f"attempt-{attempt}"
        for _ in range(1 + attempt % 2):  # every other attempt is killed twice before it may finish
            # a random point among the pages, or inside the JSON-lines file, beyond what is already done
            page_room = finished_pages(out) < pages - 10
            first_line, last_line = max(committed_line(out), 1) + 1, rows - 3 * COMMIT_EVERY
            if not page_room and first_line > last_line:
                break  # an earlier kill overshot past every point left to kill at
            if page_room and (first_line > last_line or rng.random() < 0.5):
                point = rng.randint(finished_pages(out) + 1, pages - 5)
                code, _ = stop_when(command(inputs, out), lambda: finished_pages(out) >= point)
            else:
                point = rng.randint(first_line, last_line)
                code, _ = stop_when(command(inputs, out), lambda: committed_line(out) >= point)
            assert code == -signal.SIGKILL
            for name, data in tree_bytes(out).items():
                if not name.startswith(".idnews/") and not name.endswith(TEMP_SUFFIX):
                    assert data == reference[name], f"seed {seed}: {name} is not whole after a kill at {point}"
        rerun(command(inputs, out))
        assert tree_bytes(out) == reference, f"seed {seed} (set IDNEWS_KILL_SEED to repeat), attempt {attempt}"


@pytest.mark.slow
def test_sigterm_finishes_the_write_in_progress_says_so_and_exits_143(tmp_path: Path) -> None:
    pages = make_pages(tmp_path / "pages", 400)
    out = tmp_path / "out"
    cmd = command(pages, out)[:-1]  # not quiet: the message is printed
    code, err = stop_when(cmd, lambda: out.is_dir() and sum(1 for _ in out.glob("*.json")) >= 20, signal.SIGTERM)
    assert code == 143, err[-2000:]
    assert "Terminated: finished files are kept. Re-run the same command to resume." in err
    assert no_temporaries(out)
    done = sum(1 for _ in out.glob("*.json"))
    assert 20 <= done < 400
    summary = rerun(cmd)[-1]
    assert summary["skipped"] == done and summary["ok"] == 400 - done


@pytest.mark.slow
def test_ctrl_c_inside_a_jsonl_file_commits_its_rows_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    write_rows(inputs / "news.jsonl", 1500)
    reference_dir = tmp_path / "uninterrupted"
    subprocess.run(command(inputs, reference_dir), check=False, capture_output=True)
    out = tmp_path / "out"
    code, err = stop_when(command(inputs, out), lambda: committed_line(out) >= 200, signal.SIGINT)
    assert code == 130, err[-2000:]
    assert no_temporaries(out)
    stopped_at = committed_line(out)  # the rows written before the stop were committed, not only the last chunk
    assert stopped_at >= 200
    (file_event,) = [e for e in rerun(command(inputs, out)) if e["event"] == "file"]
    assert file_event["resumed_after_line"] == stopped_at
    assert tree_bytes(out) == tree_bytes(reference_dir)
