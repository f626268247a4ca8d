"""Shared fixtures: the location of the shared data folder, and skips when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from idnews import paths

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """``$IDNEWS_SHARED`` or ``shared/`` beside the checkout (the library's own rule)."""
    return paths.shared_dir()


def require_shared(*parts: str) -> Path:
    """Path under the shared folder, or skip the test saying what is missing and how to point at it."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set IDNEWS_SHARED to the folder holding seeds/, data/, models/)")
    return path


@pytest.fixture(autouse=True, scope="session")
def _offline_environment() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("IDNEWS_DATA", str(shared_dir() / "data"))


@pytest.fixture
def empty_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fresh idnews and Hugging Face caches (``<tmp>/idnews``, ``<tmp>/hf``), hub offline.

    huggingface_hub reads its cache folder from ``huggingface_hub.constants.HF_HUB_CACHE``, fixed at import
    time, so that constant is patched: setting ``HF_HOME`` after the import would change nothing.
    """
    import huggingface_hub.constants

    monkeypatch.setenv("IDNEWS_CACHE", str(tmp_path / "idnews"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hf"))
    return tmp_path


@pytest.fixture(scope="session")
def shared() -> Path:
    return require_shared()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return require_shared("seeds")


@pytest.fixture(scope="session")
def opus_config_dir() -> Path:
    return require_shared("models", "opus-mt-id-en")


@pytest.fixture(scope="session")
def indosum_path() -> Path:
    return require_shared("data", "summ", "indosum_dev_allfolds.jsonl")
