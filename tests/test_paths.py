"""Where idnews finds its optional data: computed from the checkout, never from the current directory."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, require_shared
from idnews import paths
from idnews.errors import InputError

DATA_VARIABLES = ("IDNEWS_SHARED", "IDNEWS_DATA", "IDNEWS_SEEDS")


@pytest.fixture
def no_data_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in DATA_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    return elsewhere


def test_shared_folder_default_is_beside_the_checkout_whatever_the_current_directory(no_data_variables: Path) -> None:
    assert paths.checkout_root() == REPO
    assert paths.shared_dir() == REPO.parent / "shared"
    assert paths.data_dir() == REPO.parent / "shared" / "data"
    assert paths.seeds_dir() == REPO.parent / "shared" / "seeds"


def test_environment_variables_override_the_default(no_data_variables: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDNEWS_SHARED", str(no_data_variables / "mine"))
    assert paths.data_dir() == no_data_variables / "mine" / "data"
    assert paths.seeds_dir() == no_data_variables / "mine" / "seeds"
    monkeypatch.setenv("IDNEWS_DATA", str(no_data_variables / "sets"))
    monkeypatch.setenv("IDNEWS_SEEDS", str(no_data_variables / "pages"))
    assert paths.data_dir() == no_data_variables / "sets"
    assert paths.seeds_dir() == no_data_variables / "pages"


def test_an_installed_copy_without_idnews_shared_says_what_to_set(
    no_data_variables: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "PACKAGE_DIR", no_data_variables / "site-packages" / "idnews")
    assert paths.checkout_root() is None
    with pytest.raises(InputError, match="no shared data folder: set IDNEWS_SHARED"):
        paths.data_dir()


def test_eval_finds_the_seed_pages_when_run_from_another_folder(no_data_variables: Path) -> None:
    seeds = require_shared("seeds")
    env = {k: v for k, v in os.environ.items() if k not in DATA_VARIABLES}
    code = "from idnews.evaluation.datasets import load_eval_dataset; print(load_eval_dataset('seeds-intinya').origin)"
    env["PYTHONPATH"] = str(REPO)
    out = subprocess.run([sys.executable, "-c", code], cwd=no_data_variables, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()) == seeds
