"""Stopping a run cleanly on Ctrl-C or SIGTERM: the run finishes the batch in flight and keeps what it wrote."""
from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class StopRequested:
    """Set by the first Ctrl-C or SIGTERM; the run stops after the batch in flight, keeping what is written.
    A second Ctrl-C aborts at once; a second SIGTERM ends the process."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.requested = False
        self.signal: int | None = None

    @contextmanager
    def installed(self) -> Iterator[StopRequested]:
        def handle(signum: int, frame: Any) -> None:
            self.requested = True
            self.signal = self.signal or signum
            signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)

        try:
            previous = {number: signal.signal(number, handle) for number in self.SIGNALS}
        except ValueError:  # not the main thread: leave the signals alone
            yield self
            return
        try:
            yield self
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
