"""Translation model cards and offline-first model resolution.

``model=`` accepts a registry name (a card in the repository's ``models/`` folder), a Hugging Face hub
id, or a local directory holding a transformers checkpoint or a CTranslate2 conversion. Resolution
tries, in order: the local path, the idnews cache, the Hugging Face cache, and — only when the caller
allows it and ``HF_HUB_OFFLINE`` is not set — a hub download.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

from idnews.errors import InputError, ModelNotFoundError, UnknownNameError
from idnews.paths import cache_dir, checkout_root

ModelFormat = Literal["transformers", "ct2"]
SIDECAR = "idnews_model.json"
TOKENIZER_FILES = (
    "source.spm",
    "target.spm",
    "vocab.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "tokenizer.json",
    "sentencepiece.bpe.model",
    "generation_config.json",
)
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class ModelCard:
    """What idnews knows about a translation model: identity, languages, licence, size, published scores."""

    name: str
    task: str
    hub_id: str
    family: str
    source_lang: str
    target_lang: str
    license: str
    parameters: int
    max_positions: int = 512
    default: bool = False
    scores: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ResolvedModel:
    """A model found on disk: its display name, folder, format and card (``None`` for unlisted models)."""

    name: str
    path: Path
    format: ModelFormat
    card: ModelCard | None = None

    def info(self) -> dict[str, Any]:
        """Family, languages and position limit, from the card, a conversion sidecar or the config."""
        sidecar = self.path / SIDECAR
        if sidecar.is_file():
            return json.loads(sidecar.read_text(encoding="utf-8"))
        if self.card is not None:
            return {
                "family": self.card.family,
                "source_lang": self.card.source_lang,
                "target_lang": self.card.target_lang,
                "max_positions": self.card.max_positions,
            }
        return describe_checkpoint(self.path)


def cards_dir() -> Path:
    """The folder of model cards: ``$IDNEWS_MODEL_CARDS``, the ``models/`` folder of a source checkout, or the
    copy a wheel installs under ``<prefix>/share/idnews/models``."""
    env = os.environ.get("IDNEWS_MODEL_CARDS")
    if env:
        return Path(env).expanduser()
    root = checkout_root()
    if root is not None:
        return root / "models"
    return Path(sys.prefix) / "share" / "idnews" / "models"


def load_cards() -> dict[str, ModelCard]:
    """All translation model cards (JSON files with ``"task": "translation"``) by name.

    A missing folder, or one without a translation card, is an :class:`InputError` naming the folder: an
    empty registry would turn every model name into a confusing "unknown model".
    """
    cards: dict[str, ModelCard] = {}
    folder = cards_dir()
    if not folder.is_dir():
        raise InputError(folder, "model cards not found; set IDNEWS_MODEL_CARDS to the folder of models/*.json")
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise InputError(path, f"not valid JSON ({exc})") from None
        if not isinstance(data, dict) or data.get("task") != "translation":
            continue  # the folder also documents models of other tasks
        try:
            card = ModelCard(**data)
        except TypeError as exc:
            raise InputError(path, f"not a valid translation model card ({exc})") from None
        cards[card.name] = card
    if not cards:
        raise InputError(folder, "no translation model card (*.json with \"task\": \"translation\") in this folder")
    return cards


def get_card(name: str) -> ModelCard:
    cards = load_cards()
    if name not in cards:
        raise UnknownNameError("translation model", name, cards)
    return cards[name]


def default_model_name() -> str:
    cards = load_cards()
    return next((c.name for c in cards.values() if c.default), "opus-mt-id-en")


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE


def safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "--", name).strip("-") or "model"


def model_format(path: Path) -> ModelFormat | None:
    """``"ct2"`` for a CTranslate2 conversion, ``"transformers"`` for a checkpoint, else ``None``."""
    if (path / "model.bin").is_file() and any(path.glob("*vocabulary*")):
        return "ct2"
    if (path / "config.json").is_file() and (
        any(path.glob("*.safetensors")) or any(path.glob("pytorch_model*.bin")) or any(path.glob("*.index.json"))
    ):
        return "transformers"
    return None


def describe_checkpoint(path: Path) -> dict[str, Any]:
    """Family, languages and position limit read from a transformers ``config.json`` and tokenizer files."""
    config: dict[str, Any] = {}
    if (path / "config.json").is_file():
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    tokenizer: dict[str, Any] = {}
    if (path / "tokenizer_config.json").is_file():
        tokenizer = json.loads((path / "tokenizer_config.json").read_text(encoding="utf-8"))
    kind = str(config.get("model_type") or tokenizer.get("tokenizer_class") or "").lower()
    nllb = "m2m" in kind or "nllb" in kind
    return {
        "family": "nllb" if nllb else "marian" if "marian" in kind or (path / "source.spm").is_file() else kind,
        "source_lang": tokenizer.get("src_lang") or ("ind_Latn" if nllb else tokenizer.get("source_lang", "id")),
        "target_lang": tokenizer.get("tgt_lang") or ("eng_Latn" if nllb else tokenizer.get("target_lang", "en")),
        "max_positions": int(config.get("max_position_embeddings") or tokenizer.get("model_max_length") or 512),
    }


def ct2_cache_path(name: str, quantization: str | None) -> Path:
    """Where the CTranslate2 conversion of ``name`` with ``quantization`` is cached."""
    return cache_dir() / "ct2" / f"{safe_name(name)}-{quantization or 'float32'}"


def resolve(model: str | os.PathLike[str] | None = None, *, allow_download: bool = False) -> ResolvedModel:
    """Find ``model`` on disk (see the module docstring for the order); raise :class:`ModelNotFoundError`."""
    name = str(model) if model is not None else default_model_name()
    tried: list[str] = []

    path = Path(name).expanduser()
    if path.is_dir():
        found = model_format(path)
        if found is None:
            raise InputError(path, "not a model folder (no config.json with weights, no CTranslate2 model.bin)")
        return ResolvedModel(name=path.name, path=path, format=found, card=None)
    tried.append(f"local folder {path}")

    if name.startswith((".", "/", "~")) or os.sep + os.sep in name:
        raise InputError(path, "no such model folder")
    cards = load_cards()
    card = cards.get(name) or next((c for c in cards.values() if c.hub_id == name), None)
    if card is None and "/" not in name:
        raise UnknownNameError("translation model (or model folder)", name, cards)
    hub_id = card.hub_id if card else name
    display = card.name if card else name

    models_dir = cache_dir() / "models"
    for candidate in dict.fromkeys([models_dir / safe_name(display), models_dir / safe_name(hub_id)]):
        tried.append(f"idnews cache {candidate}")
        if candidate.is_dir() and model_format(candidate):
            return ResolvedModel(display, candidate, model_format(candidate) or "transformers", card)

    tried.append(f"Hugging Face cache {_hf_cache_root()} ({hub_id})")
    cached = _hf_snapshot(hub_id, local_only=True)
    if cached is not None and model_format(cached):
        return ResolvedModel(display, cached, model_format(cached) or "transformers", card)

    if allow_download and not hub_offline():
        downloaded = _hf_snapshot(hub_id, local_only=False)
        if downloaded is not None and model_format(downloaded):
            return ResolvedModel(display, downloaded, model_format(downloaded) or "transformers", card)
        tried.append(f"hub download of {hub_id} (failed)")
    else:
        reason = "HF_HUB_OFFLINE is set" if hub_offline() else "downloads not allowed"
        tried.append(f"hub download of {hub_id} (skipped: {reason})")

    raise ModelNotFoundError(
        f"translation model {display!r} not found offline. Tried:\n  - "
        + "\n  - ".join(tried)
        + f"\nOn a machine with internet access run:  idnews models fetch {display} --out {safe_name(display)}"
        + f"\nthen copy that folder (plain files) to {cache_dir() / 'models' / safe_name(display)}"
        + " (found automatically) or anywhere, and pass model=/path/to/folder (or --model /path/to/folder)."
    )


def _hf_cache_root() -> str:
    from huggingface_hub import constants

    return str(constants.HF_HUB_CACHE)


def _hf_snapshot(hub_id: str, *, local_only: bool) -> Path | None:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    try:
        return Path(snapshot_download(hub_id, local_files_only=local_only))
    except (LocalEntryNotFoundError, HfHubHTTPError, OSError, ValueError):
        return None


def fetch(model: str | None = None, *, out: str | os.PathLike[str] | None = None) -> Path:
    """Download a model into the Hugging Face cache (needs network unless it is cached already); returns its
    folder, or with ``out`` a self-contained copy there (see :func:`export_model`)."""
    name = model or default_model_name()
    cards = load_cards()
    card = cards.get(name) or next((c for c in cards.values() if c.hub_id == name), None)
    hub_id = card.hub_id if card else name
    if out is not None:
        _check_new_folder(Path(out).expanduser())  # before a download that could take long
    snapshot = _hf_snapshot(hub_id, local_only=True)
    if snapshot is None or model_format(snapshot) is None:
        if hub_offline():
            raise ModelNotFoundError(f"cannot fetch {hub_id}: HF_HUB_OFFLINE is set; unset it on a connected machine")
        from huggingface_hub import snapshot_download

        try:
            snapshot = Path(snapshot_download(hub_id))
        except Exception as exc:  # noqa: BLE001 - any hub failure becomes one clear message
            raise ModelNotFoundError(f"could not download {hub_id}: {exc}") from exc
    if out is None:
        return snapshot
    found = ResolvedModel(card.name if card else hub_id, snapshot, model_format(snapshot) or "transformers", card)
    return export_model(found, out)


def export_model(resolved: ResolvedModel, out: str | os.PathLike[str]) -> Path:
    """Copy a model folder to ``out`` as plain files (a Hugging Face cache snapshot holds symlinks into its
    ``blobs/`` folder, which break when copied elsewhere), with a sidecar naming the model.

    The copy goes to a temporary sibling first and is renamed when complete; an existing non-empty ``out``
    is refused, never replaced.
    """
    target = Path(out).expanduser()
    _check_new_folder(target)
    if model_format(resolved.path) is None:
        raise InputError(resolved.path, "not a model folder (no config.json with weights, no CTranslate2 model.bin)")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        for item in sorted(resolved.path.iterdir()):
            if item.name.startswith("."):
                continue
            if item.is_dir():
                shutil.copytree(item, partial / item.name, symlinks=False)
            else:
                shutil.copyfile(item, partial / item.name)  # follows a symlink to its blob
        if not (partial / SIDECAR).exists():
            sidecar = {**resolved.info(), "name": resolved.name, "exported_from": str(resolved.path)}
            (partial / SIDECAR).write_text(json.dumps(sidecar, indent=2), encoding="utf-8")
        if target.exists():
            target.rmdir()
        partial.rename(target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target


def _check_new_folder(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InputError(target, "exists and is not empty; choose a new folder")


def convert_checkpoint(
    model_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    quantization: str | None = None,
    force: bool = False,
    info: dict[str, Any] | None = None,
) -> Path:
    """Convert a transformers checkpoint with CTranslate2's own converter, copying the tokenizer files.

    Conversion goes to a temporary sibling folder first, so an interrupted run never leaves a broken
    ``out_dir``. An existing conversion in ``out_dir`` is kept unless ``force``; any other non-empty
    ``out_dir`` is refused, ``force`` or not.
    """
    from ctranslate2.converters import TransformersConverter

    source, out = Path(model_dir), Path(out_dir)
    if out.exists():
        if model_format(out) == "ct2":
            if not force:
                return out
        elif not out.is_dir() or any(out.iterdir()):  # never replace anything but an old conversion
            raise InputError(out, "exists and is not a CTranslate2 model; choose another output folder")
    copy = [name for name in TOKENIZER_FILES if (source / name).is_file()]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        TransformersConverter(str(source), copy_files=copy).convert(str(partial), quantization=quantization, force=True)
        sidecar = dict(info or describe_checkpoint(source))
        sidecar.update(quantization=quantization or "float32", converted_from=str(source))
        (partial / SIDECAR).write_text(json.dumps(sidecar, indent=2), encoding="utf-8")
        if out.exists() and (force or not any(out.iterdir())):
            shutil.rmtree(out)
        if out.exists():  # another process finished the same conversion first
            return out
        partial.rename(out)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return out


def conversion_path(resolved: ResolvedModel, quantization: str | None, *, content: str | None = None) -> Path:
    """Cache folder of the conversion of ``resolved``, keyed by its name and the SHA-256 of its files
    (``content``, computed when not given): a changed or different model never reuses another's conversion."""
    from idnews.fingerprint import content_hash

    digest = content or content_hash(resolved.path)
    return ct2_cache_path(f"{resolved.name}-{digest[:16]}", quantization)


@overload
def converted(
    resolved: ResolvedModel, quantization: str | None, *, create: Literal[True] = True, content: str | None = None
) -> Path: ...


@overload
def converted(
    resolved: ResolvedModel, quantization: str | None, *, create: bool, content: str | None = None
) -> Path | None: ...


def converted(
    resolved: ResolvedModel, quantization: str | None, *, create: bool = True, content: str | None = None
) -> Path | None:
    """The cached CTranslate2 conversion of ``resolved`` (made now when ``create``), or ``None``; ``content``
    is the model's content hash when the caller has it."""
    if resolved.format == "ct2":
        return resolved.path
    target = conversion_path(resolved, quantization, content=content)
    if model_format(target) == "ct2":
        return target
    if not create:
        return None
    return convert_checkpoint(resolved.path, target, quantization=quantization, info=resolved.info())
