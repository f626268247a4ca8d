"""Scale-out on Ray: the batch run of :mod:`idnews.batch` spread over a pool of replicas, one loaded model each.

:func:`process_files` runs ``idnews translate|summarize|process --engine ray``: the same outputs, resume records
and summary as a local run. :func:`process_dataset` maps a ``ray.data.Dataset`` of texts to output records,
lazily, for the caller to write. Ray is an optional extra (``pip install "idnews[ray]"``); importing this
package does not import it.
"""
from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "EngineSettings": "idnews.distributed.spec",
    "ModelSpec": "idnews.distributed.spec",
    "require_ray": "idnews.distributed.spec",
    "process_files": "idnews.distributed.files",
    "run_files": "idnews.distributed.files",
    "process_dataset": "idnews.distributed.dataset",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'idnews.distributed' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
