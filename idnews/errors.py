"""Exceptions raised by idnews. Every user-facing failure is an :class:`IdnewsError`."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class IdnewsError(Exception):
    """Base class of every error idnews raises on purpose."""


class InputError(IdnewsError):
    """An input file (or text) cannot be read; the message names the file and the problem."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = None if path is None else str(path)
        self.problem = problem
        where = self.path if self.path is not None else "<text>"
        super().__init__(f"{where}: {problem}")


class ConfigError(IdnewsError, ValueError):
    """A setting has a value that cannot work; the message names the option."""

    def __init__(self, option: str, problem: str) -> None:
        self.option = option
        self.problem = problem
        super().__init__(f"{option}: {problem}")


def require_at_least(option: str, value: object, least: int | float, *, optional: bool = False) -> None:
    """Raise :class:`ConfigError` unless ``value`` is a number of at least ``least`` (or ``None`` if ``optional``)."""
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < least:
        raise ConfigError(option, f"must be at least {least}, got {value!r}")


class UnknownNameError(IdnewsError, KeyError):
    """A registry was asked for a name it does not know."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = sorted(known)
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(self.known) or '(none)'}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.args[0]


class ModelNotFoundError(IdnewsError):
    """No model could be found offline; the message lists what was tried and how to fetch it."""
