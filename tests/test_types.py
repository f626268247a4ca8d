"""``mypy idnews`` passes with the settings in pyproject.toml: the package ships ``py.typed``, so its annotations
are a promise to its users. Run here so that the README's test command (and CI) checks it."""
from __future__ import annotations

import pytest

from conftest import REPO


@pytest.mark.slow
def test_mypy_passes_on_the_package() -> None:
    api = pytest.importorskip("mypy.api", reason="mypy is not installed (pip install -e '.[dev]')")
    stdout, stderr, status = api.run(["--config-file", str(REPO / "pyproject.toml"), str(REPO / "idnews")])
    assert status == 0, stdout + stderr
    assert stdout.startswith("Success: no issues found")
