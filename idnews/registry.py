"""A small name registry with lazy entries, shared by backends, summarisers and metrics.

Entries are registered either eagerly with the :meth:`Registry.register` decorator or lazily as a
``"module:attribute"`` string, so that heavy optional parts (torch, transformers, ctranslate2) are only
imported when their name is first used.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from idnews.errors import UnknownNameError

T = TypeVar("T")


class Registry(Generic[T]):
    """Maps names to objects (usually classes); unknown names fail listing the known ones."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, T | str] = {}

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator: ``@registry.register("name")`` on a class or function."""

        def decorate(obj: T) -> T:
            self._entries[name] = obj
            return obj

        return decorate

    def register_lazy(self, name: str, target: str) -> None:
        """Register ``"package.module:attribute"``, imported on first :meth:`get`."""
        self._entries[name] = target

    def get(self, name: str) -> T:
        try:
            entry = self._entries[name]
        except KeyError:
            raise UnknownNameError(self.kind, name, self._entries) from None
        if isinstance(entry, str):
            module_name, _, attribute = entry.partition(":")
            entry = getattr(importlib.import_module(module_name), attribute)
            self._entries[name] = entry
        return entry  # type: ignore[return-value]

    def names(self) -> list[str]:
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())
