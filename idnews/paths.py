"""Where idnews keeps its cache and finds optional data; read from the environment at call time.

Optional data (evaluation sets, sample pages) live in a shared folder: ``$IDNEWS_SHARED``, or the ``shared/``
folder beside a source checkout. The default is computed from where idnews is installed, never from the
current directory, so every command finds the same folder wherever it is run from.
"""
from __future__ import annotations

import os
from pathlib import Path

from idnews.errors import InputError

PACKAGE_DIR = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """The idnews cache (converted models and the like): ``$IDNEWS_CACHE`` or ``~/.cache/idnews``."""
    env = os.environ.get("IDNEWS_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "idnews"


def checkout_root() -> Path | None:
    """The source checkout idnews runs from (the folder holding ``pyproject.toml`` and the ``idnews``
    package), or ``None`` for an installed copy."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() else None


def shared_dir() -> Path:
    """The shared data folder: ``$IDNEWS_SHARED``, else ``shared/`` beside the source checkout.

    An installed idnews has no checkout to stand beside; then ``$IDNEWS_SHARED`` must be set.
    """
    env = os.environ.get("IDNEWS_SHARED")
    if env:
        return Path(env).expanduser()
    root = checkout_root()
    if root is None:
        raise InputError(None, "no shared data folder: set IDNEWS_SHARED to the folder holding data/ and seeds/")
    return root.parent / "shared"


def data_dir() -> Path:
    """Root of the evaluation data sets: ``data/`` in :func:`shared_dir` (``$IDNEWS_DATA``, an older setting, still
    wins when set)."""
    env = os.environ.get("IDNEWS_DATA")
    return Path(env).expanduser() if env else shared_dir() / "data"


def seeds_dir() -> Path:
    """Folder of the sample news pages: ``seeds/`` in :func:`shared_dir` (``$IDNEWS_SEEDS``, an older setting, still
    wins when set)."""
    env = os.environ.get("IDNEWS_SEEDS")
    return Path(env).expanduser() if env else shared_dir() / "seeds"


def write_cache_json(path: Path, data: object) -> bool:
    """Write ``data`` as JSON to the cache file ``path`` atomically, best effort: a cache that cannot be written
    only costs recomputing it next time. Returns whether it was written; never leaves a temporary file."""
    import json
    import tempfile

    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.replace(temporary, path)
        temporary = None
        return True
    except OSError:
        return False
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
