"""Every ``python examples/...`` invocation written in the examples' docstrings, the README and docs/ runs as shown:
on the bundled pages by default, with expected errors (no model, a missing file) as a message and exit status 1,
never a traceback."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, shared_dir

# its module fixtures are costly: every test of the file runs on one worker under pytest-xdist
pytestmark = pytest.mark.xdist_group("examples")

INVOCATION = re.compile(r"python (examples/\w+\.py(?: [^\s#`<>|]+)*)")
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), *sorted((REPO / "examples").glob("*.py"))]
SCRIPTS = sorted(p.name for p in (REPO / "examples").glob("*.py"))


def documented_invocations() -> list[str]:
    found: dict[str, None] = {}
    for document in DOCUMENTS:
        for match in INVOCATION.finditer(document.read_text(encoding="utf-8")):
            found[match.group(1).strip()] = None
    # the model builder first: later invocations use the folder it writes
    return sorted(found, key=lambda line: not line.startswith("examples/build_tiny_model.py"))


def run(line: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *shlex.split(line)], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=600)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A folder like a fresh checkout's root (``examples/`` in it), empty model caches, hub offline."""
    root = tmp_path_factory.mktemp("checkout")
    (root / "examples").symlink_to(REPO / "examples")
    env = {**os.environ, "IDNEWS_CACHE": str(root / "cache"), "HF_HUB_CACHE": str(root / "hf"),
           "HF_HUB_OFFLINE": "1", "IDNEWS_SHARED": str(shared_dir())}
    return root, env


def test_every_example_script_is_documented_with_a_runnable_invocation() -> None:
    documented = {line.split()[0].split("/")[-1] for line in documented_invocations()}
    assert set(SCRIPTS) <= documented, set(SCRIPTS) - documented


class Runs(dict[str, "subprocess.CompletedProcess[str]"]):
    """Each documented invocation's finished process. Its repr (what a failing test shows of its arguments) is
    short: the runs' output is not to be printed whole, least of all a random-weight model's."""

    def __repr__(self) -> str:
        return f"<{len(self)} documented runs>"


@pytest.fixture(scope="module")
def documented_runs(workspace: tuple[Path, dict[str, str]], opus_config_dir: Path) -> Runs:
    """Every documented invocation, run once in order in :func:`workspace`."""
    root, env = workspace
    return Runs((line, run(line, root, env)) for line in documented_invocations())


def test_documented_invocations_run_as_shown(documented_runs: Runs) -> None:
    for line, done in documented_runs.items():
        assert "Traceback" not in done.stderr, (line, done.stderr)
        if line.startswith("examples/translate_article.py") and "--model" not in line:
            # no model offline: the not-found message, which names the command that gets one
            assert done.returncode == 1, (line, done.stderr)
            assert done.stderr.startswith("error: translation model 'opus-mt-id-en' not found offline")
            assert "idnews models fetch opus-mt-id-en --out" in done.stderr
            continue
        assert done.returncode == 0, (line, done.stderr)
        assert done.stdout.strip(), line
        if line.startswith("examples/translate_article.py"):
            assert "segment(s) flagged" in done.stdout


def test_documented_invocations_print_no_offensive_word(documented_runs: Runs) -> None:
    """All that each run prints, stdout and stderr — the random-weight ``tiny-marian``'s translations included —
    against better-profanity's word list (see tests/test_demo_words.py)."""
    from test_demo_words import offensive_lines

    assert any("--model tiny-marian" in line for line in documented_runs)
    found = {line: offensive_lines(done.stdout + done.stderr) for line, done in documented_runs.items()}
    assert not any(found.values()), {line: lines for line, lines in found.items() if lines}


@pytest.mark.parametrize("script", ["read_article.py", "summarize_article.py", "translate_article.py"])
def test_a_missing_page_is_one_line_and_exit_1(script: str, workspace: tuple[Path, dict[str, str]]) -> None:
    root, env = workspace
    done = run(f"examples/{script} no-such-page.txt", root, env)
    assert done.returncode == 1
    assert done.stderr.startswith("error: no-such-page.txt: ") and done.stderr.count("\n") == 1, done.stderr
