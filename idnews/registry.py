"""A small name registry shared by backends, summarisers, metrics and data sets.

A component registers itself once, with the :meth:`Registry.register` decorator in the module that defines it.
The registry knows which modules hold its components and imports them only when a name is first looked up,
so heavy optional parts (torch, transformers, ctranslate2) stay unimported until they are used.
"""
from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar

from idnews.errors import IdnewsError, UnknownNameError

T = TypeVar("T")


class Registry(Generic[T]):
    """Maps names to objects (usually classes); unknown names fail listing the known ones.

    ``modules`` are the modules whose ``@registry.register(...)`` decorators fill the registry; they are
    imported in order, as far as needed, on the first lookup of a name not yet registered. ``aliases`` map
    extra names onto registered ones (``{"auto": "learned"}``).
    """

    def __init__(self, kind: str, *, modules: Sequence[str] = (), aliases: Mapping[str, str] | None = None) -> None:
        self.kind = kind
        self._entries: dict[str, T] = {}
        self._pending = list(modules)
        self._aliases = dict(aliases or {})
        self._lock = threading.RLock()  # a lookup waits for another thread's half-done import

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator: ``@registry.register("name")`` on a class or function; a name is registered once."""

        def decorate(obj: T) -> T:
            if name in self._aliases:
                raise IdnewsError(f"{self.kind} {name!r} is already an alias of {self._aliases[name]!r}")
            if name in self._entries and self._entries[name] is not obj:
                raise IdnewsError(f"{self.kind} {name!r} is registered twice")
            self._entries[name] = obj
            return obj

        return decorate

    def get(self, name: str) -> T:
        """The object registered as ``name`` (or the name it aliases), importing the component modules
        until it is found."""
        target = self._aliases.get(name, name)
        with self._lock:
            while target not in self._entries and self._pending:
                self._import_next()
        if target not in self._entries:
            raise UnknownNameError(self.kind, name, self.names())
        return self._entries[target]

    def names(self) -> list[str]:
        """Every registered name and alias, sorted (imports all component modules)."""
        with self._lock:
            while self._pending:
                self._import_next()
        return sorted([*self._entries, *self._aliases])

    def _import_next(self) -> None:
        module = self._pending.pop(0)
        try:
            importlib.import_module(module)
        except BaseException:
            self._pending.insert(0, module)  # a failed import is retried, and reported, on the next lookup
            raise

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.names()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())
