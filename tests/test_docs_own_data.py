"""docs/own-data.md: every example runs and prints what the page shows.

Python blocks run in order in a fresh folder; ``yaml NAME`` blocks are written to ``NAME``; in ``console``
blocks each ``$ `` line is run and the lines after it must appear in its output, in order (a ``…`` line
skips, a line ending in ``…`` is a prefix, run times (``12 s``, ``0.1 s``) may differ). Score rows of the randomly initialised
``tiny-marian`` model are compared by system and item count only: its int8 output may differ between CPUs.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, cache_hub_dataset, require_shared

DOC = REPO / "docs" / "own-data.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.S | re.M)


def _commands(block: str) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line.rstrip())
    return commands


def _matches(expected: str, actual: str) -> bool:
    if expected.startswith("tiny-marian "):
        return expected.split()[:2] == actual.split()[:2]
    expected, actual = (re.sub(r"\b\d+(?:\.\d+)? s\b", "N s", line.rstrip()) for line in (expected, actual))
    if expected.endswith("…"):
        return actual.startswith(expected[:-1])
    return expected == actual


def _check_output(command: str, expected: list[str], output: str) -> None:
    actual = output.splitlines()
    position = 0
    for line in expected:
        if line in ("", "…"):
            continue
        found = next((i for i in range(position, len(actual)) if _matches(line, actual[i])), None)
        assert found is not None, f"$ {command}\nmissing line: {line}\nactual output:\n{output}"
        position = found + 1


@pytest.mark.slow
def test_every_example_of_the_own_data_page_runs(tmp_path, opus_config_dir, seeds_dir, indosum_path):
    from idnews.evaluation import load_eval_dataset
    from idnews.testing import build_marian

    require_shared("data", "mt", "flores200_devtest")
    work = tmp_path / "work"
    work.mkdir()
    build_marian(work / "tiny-marian", config_dir=opus_config_dir, size="tiny")
    cache = tmp_path / "hf" / "datasets"
    cache.mkdir(parents=True)
    articles = load_eval_dataset("indosum-test", limit=100).items
    cache_hub_dataset(cache, "redaksi/ringkasan-berita", [{"isi": a.text, "ringkasan": a.references[0]} for a in articles])
    env = {
        **os.environ,
        "HF_HOME": str(tmp_path / "hf"),
        "HF_HUB_OFFLINE": "1",
        "IDNEWS_SEEDS": str(seeds_dir),
        "IDNEWS_CACHE": str(tmp_path / "idnews-cache"),
    }
    env.pop("HF_DATASETS_CACHE", None)
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert [kind for kind, _, _ in blocks].count("console") >= 8
    cwd = Path.cwd()
    for kind, info, body in blocks:
        if kind == "python":
            os.chdir(work)
            try:
                exec(compile(body, str(DOC), "exec"), {})
            finally:
                os.chdir(cwd)
        elif kind == "yaml":
            (work / info.strip()).write_text(body, encoding="utf-8")
        elif kind == "console":
            for command, expected in _commands(body):
                shell = re.sub(r"^idnews ", f"{sys.executable} -m idnews ", command)
                process = subprocess.run(shell, shell=True, cwd=work, env=env, capture_output=True, text=True)
                output = process.stdout + process.stderr
                assert process.returncode == 0, f"$ {command}\n{output[-3000:]}"
                print(f"$ {command}\n{output}")
                _check_output(command, expected, output)
