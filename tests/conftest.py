"""Shared fixtures: the location of the shared data folder, and skips when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """``$IDNEWS_SHARED`` or ``../shared`` beside the checkout."""
    env = os.environ.get("IDNEWS_SHARED")
    return Path(env).expanduser() if env else REPO.parent / "shared"


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
