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
