"""Scale-out on Ray: the batch run of :mod:`idnews.batch` spread over a pool of replicas, one loaded model each.

:func:`process_files` runs ``idnews translate|summarize|process --engine ray``: the same outputs, resume records
and summary as a local run. :func:`process_dataset` maps a ``ray.data.Dataset`` of texts to output records,
lazily, for the caller to write. Ray is an optional extra (``pip install "idnews[ray]"``); importing this
package does not import it.
"""
from __future__ import annotations

from idnews.lazy import lazy_attributes

_LAZY = {
    "ClusterSettings": "idnews.distributed.spec",
    "ModelSpec": "idnews.distributed.spec",
    "require_ray": "idnews.distributed.spec",
    "process_files": "idnews.distributed.files",
    "run_files": "idnews.distributed.files",
    "process_dataset": "idnews.distributed.dataset",
}

__all__ = list(_LAZY)

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())
