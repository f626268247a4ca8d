"""Shared fixtures: the location of the shared data folder, and skips when it is absent."""
from __future__ import annotations

import json
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
    os.environ.setdefault("IDNEWS_SHARED", str(shared_dir()))


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
def tiny_marian(tmp_path_factory: pytest.TempPathFactory, opus_config_dir: Path) -> Path:
    """A randomly initialised tiny Marian model (seed 0) with the real opus-mt-id-en tokenizer, built once per
    test session; tests must not change its files. Its output is a placeholder by construction."""
    from idnews.testing import build_marian

    return build_marian(tmp_path_factory.mktemp("tiny") / "tiny-marian", config_dir=opus_config_dir, size="tiny", seed=0)


@pytest.fixture(scope="session")
def tiny_ct2(tiny_marian: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:func:`tiny_marian` converted to CTranslate2 with float32 weights (every byte repeats), once per session."""
    from idnews.testing import convert_to_ct2

    return convert_to_ct2(tiny_marian, tmp_path_factory.mktemp("tiny-ct2") / "ct2", quantization=None)


@pytest.fixture(scope="session")
def indosum_path() -> Path:
    return require_shared("data", "summ", "indosum_dev_allfolds.jsonl")


def cache_hub_dataset(cache: Path, repo: str, rows: list[dict], splits: tuple[str, ...] = ("test",), config: str = "default") -> Path:
    """Prepare ``rows`` with the datasets JSON builder and place the result where
    ``datasets.load_dataset(repo)`` leaves a Hub dataset: ``<cache>/OWNER___NAME/<config>/<version>/<hash>/``."""
    from datasets.packaged_modules.json.json import Json

    owner, name = repo.split("/")
    source = cache.parent / f"{owner}-{name}-{config}.jsonl"
    source.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    staging = cache.parent / f"staging-{owner}-{name}-{config}"
    builder = Json(cache_dir=str(staging), dataset_name=name, data_files={s: str(source) for s in splits}, hash="0123abcd")
    builder.download_and_prepare()
    prepared = Path(builder.cache_dir)  # <staging>/<name>/<config id>/<version>/<hash>
    target = cache / f"{owner}___{name}" / config / prepared.parent.name / prepared.name
    target.parent.mkdir(parents=True, exist_ok=True)
    prepared.rename(target)
    return target


def write_lines(path: Path, lines: list[str]) -> Path:
    """``lines`` as a UTF-8 text file, one a line."""
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def write_jsonl(path: Path, rows: list[object]) -> Path:
    """``rows`` as a UTF-8 JSON-lines file."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The ``slow`` tests first (stable order otherwise), so that the two workers end together rather than one
    finishing a long test alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
