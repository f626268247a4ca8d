"""Hugging Face datasets from the local ``datasets`` cache only: ``hf:OWNER/NAME[:CONFIG][@SPLIT]``.

``datasets.load_dataset("OWNER/NAME")`` leaves the prepared data in
``<cache>/OWNER___NAME/<config>/<version>/<revision hash>/`` (``dataset_info.json`` plus Arrow files
``NAME-<split>.arrow`` or ``NAME-<split>-NNNNN-of-NNNNN.arrow``). idnews reads those files directly and never
contacts the Hub, whatever ``HF_HUB_OFFLINE`` says. The cache is ``$HF_DATASETS_CACHE``, else
``$HF_HOME/datasets``, else ``~/.cache/huggingface/datasets``; with several cached revisions the newest is read
(as ``datasets`` itself does offline).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from idnews.errors import InputError
from idnews.evaluation.dataspec import HubId


def datasets_cache() -> Path:
    """The ``datasets`` cache folder, from the environment at call time."""
    if os.environ.get("HF_DATASETS_CACHE"):
        return Path(os.environ["HF_DATASETS_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "datasets"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "huggingface" / "datasets"


def _folders(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.endswith(".incomplete"))


def _config_folder(root: Path, hub: HubId) -> Path:
    configs = _folders(root)
    if hub.config is not None:
        chosen = [p for p in configs if p.name == hub.config] or [p for p in configs if p.name.startswith(f"{hub.config}-")]
        if not chosen:
            names = ", ".join(p.name for p in configs) or "none"
            raise InputError(root, f"config {hub.config!r} of hf:{hub.repo} is not cached (cached configs: {names})")
        return chosen[0]
    if len(configs) == 1:
        return configs[0]
    names = ", ".join(p.name for p in configs) or "none"
    raise InputError(root, f"hf:{hub.repo} has several cached configs ({names}); name one as hf:{hub.repo}:CONFIG")


def cached_revision(hub: HubId) -> Path:
    """The newest cached revision folder of ``hub`` (it holds ``dataset_info.json``); a clear error otherwise."""
    cache = datasets_cache()
    owner, name = hub.repo.split("/")
    root = cache / f"{owner}___{name}"
    if not root.is_dir():
        raise InputError(
            root,
            f"hf:{hub.repo} is not in the local datasets cache (idnews never downloads data sets): run "
            f"datasets.load_dataset({hub.repo!r}) where there is network and copy the cache here, or set "
            "HF_DATASETS_CACHE / HF_HOME to the cache that holds it",
        )
    config = _config_folder(root, hub)
    infos = [p for p in config.glob("*/*/dataset_info.json") if not p.parent.name.endswith(".incomplete")]
    if not infos:
        raise InputError(config, f"no prepared data of hf:{hub.repo} in the cache (no dataset_info.json)")
    return max(infos, key=lambda p: p.stat().st_mtime).parent


def load_cached_split(hub: HubId) -> tuple[Any, str, Path]:
    """The cached split of ``hub`` as a ``datasets.Dataset``, the split's name and the revision folder.

    Without a split, a data set with one split gives that split; otherwise the split must be named."""
    folder = cached_revision(hub)
    try:
        info = json.loads((folder / "dataset_info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(folder / "dataset_info.json", f"cannot read the cached dataset info: {exc}") from None
    splits = sorted((info.get("splits") or {}).keys())
    split = hub.split
    if split is None:
        if len(splits) != 1:
            names = ", ".join(splits) or "(none)"
            raise InputError(folder, f"hf:{hub.repo} has splits {names}; pick one with @SPLIT or --split")
        split = splits[0]
    if split not in splits:
        raise InputError(folder, f"hf:{hub.repo} has no split {split!r} (splits: {', '.join(splits) or 'none'})")
    stem = f"{info['splits'][split].get('dataset_name') or info.get('dataset_name') or hub.repo.split('/')[1]}-{split}"
    shards = sorted(folder.glob(f"{stem}.arrow")) + sorted(folder.glob(f"{stem}-[0-9]*-of-[0-9]*.arrow"))
    if not shards:
        raise InputError(folder, f"split {split!r} of hf:{hub.repo} is listed but its Arrow files are not in the cache")
    import datasets

    parts = [datasets.Dataset.from_file(str(shard)) for shard in shards]
    return (parts[0] if len(parts) == 1 else datasets.concatenate_datasets(parts)), split, folder
