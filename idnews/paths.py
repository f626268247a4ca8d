"""Where idnews keeps its cache and finds optional data; read from the environment at call time."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The idnews cache (converted models and the like): ``$IDNEWS_CACHE`` or ``~/.cache/idnews``."""
    env = os.environ.get("IDNEWS_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "idnews"


def data_dir() -> Path:
    """Root of the evaluation data sets: ``$IDNEWS_DATA`` or ``../shared/data`` beside the checkout."""
    env = os.environ.get("IDNEWS_DATA")
    if env:
        return Path(env).expanduser()
    shared = os.environ.get("IDNEWS_SHARED")
    if shared:
        return Path(shared).expanduser() / "data"
    return Path.cwd().parent / "shared" / "data"
