"""Typed signatures: what produced a result, as data.

Every component that makes output (a translator, a summariser, a batch run) describes itself with a frozen
dataclass that lists every setting that changes its output, and names models by the content of their files
(:class:`ModelIdentity`), never by folder name. A signature prints in the ``key:value|key:value`` form of
sacreBLEU's, serialises to JSON with :meth:`to_dict`, and :meth:`digest` is the key resume trusts: two runs
with equal digests produce the same bytes. Nothing parses a printed signature back.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ModelIdentity:
    """A model (or parameters file) by the SHA-256 of its files (see :mod:`idnews.fingerprint`). The ``name`` is
    for people: two identities with the same content are equal, and give the same digest, whatever their names."""

    name: str = field(compare=False)
    sha256: str = ""

    @classmethod
    def of(cls, name: str, path: Any) -> ModelIdentity:
        from idnews.fingerprint import content_hash

        return cls(name, content_hash(path))

    def __str__(self) -> str:
        return f"{self.name}@sha256:{self.sha256[:12]}"


class TypedSignature:
    """Base of the signature dataclasses: subclasses list their printed fields in :meth:`fields`."""

    def fields(self) -> Mapping[str, object]:
        """The fields in print order (``None`` values are left out when printed)."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """Every field, nested signatures and settings included, as JSON-ready data."""
        return _jsonable(dataclasses.asdict(self))  # type: ignore[call-overload]

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of every field, models by content only (a model's display name is left
        out): equal exactly when everything that decides the output is equal."""
        canonical = json.dumps(_identity(self), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def __str__(self) -> str:
        return "|".join(f"{key}:{format_value(value)}" for key, value in self.fields().items() if value is not None)


def format_value(value: object) -> str:
    """How a field value prints: ``yes``/``no`` for booleans, nested signatures in brackets."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, TypedSignature):
        return f"[{value}]"
    return str(value)


def settings_text(settings: object | None, *, off: str = "off") -> str:
    """A settings dataclass as ``name=value,…`` (only fields that differ from the defaults), or ``off``."""
    if settings is None:
        return off
    defaults = type(settings)()
    changed = [
        f"{f.name}={getattr(settings, f.name)}"
        for f in dataclasses.fields(settings)  # type: ignore[arg-type]
        if getattr(settings, f.name) != getattr(defaults, f.name)
    ]
    return ",".join(changed) or "default"


def _identity(value: Any) -> Any:
    if isinstance(value, ModelIdentity):
        return {"sha256": value.sha256}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _identity(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _identity(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_identity(v) for v in value]
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
