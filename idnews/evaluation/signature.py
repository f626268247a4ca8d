"""Reproducibility signatures: ``key:value`` pairs joined by ``|``, in the spirit of sacreBLEU's."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def _format_value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True)
class Signature:
    """An ordered, immutable set of ``key:value`` fields; ``None`` values are left out."""

    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, values: Mapping[str, object] | None = None, /, **more: object) -> Signature:
        """Build from a mapping and/or keywords, keeping their order."""
        merged = {**(values or {}), **more}
        return cls(tuple((key, _format_value(value)) for key, value in merged.items() if value is not None))

    def extend(self, values: Mapping[str, object] | None = None, /, **more: object) -> Signature:
        """A new signature with extra fields appended (an existing key is replaced in place)."""
        current = dict(self.fields)
        for key, value in Signature.of(values, **more).fields:
            current[key] = value
        return Signature(tuple(current.items()))

    def get(self, key: str) -> str | None:
        return dict(self.fields).get(key)

    def __str__(self) -> str:
        return "|".join(f"{key}:{value}" for key, value in self.fields)
