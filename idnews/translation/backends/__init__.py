"""Translation backends: one small interface, a name registry, heavy imports only on first use.

A backend turns batches of source token strings into target token strings; tokenisation, batching,
long-sentence splitting and the faithfulness guard are shared and live in :mod:`idnews.translation`.
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from idnews.registry import Registry

if TYPE_CHECKING:
    from idnews.translation.tokenization import Codec


@dataclass(frozen=True)
class Decoding:
    """Decoding settings of one call. ``max_length``/``min_length`` count generated target tokens."""

    beam_size: int = 4
    max_length: int = 256
    min_length: int = 0
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    length_penalty: float = 1.0


class Backend(ABC):
    """Loads a model once and translates token batches. Subclasses fill :meth:`translate_batch`."""

    name: ClassVar[str]

    def __init__(
        self,
        path: Path,
        *,
        codec: Codec,
        device: str = "auto",
        compute_type: str | None = None,
        intra_threads: int | None = None,
        inter_threads: int = 1,
    ) -> None:
        self.path = Path(path)
        self.codec = codec
        self.device = self.pick_device(device)
        self.compute_type = compute_type or self.default_compute_type(self.device)
        self.intra_threads = intra_threads
        self.inter_threads = inter_threads

    @staticmethod
    @abstractmethod
    def pick_device(device: str) -> str:
        """Resolve ``"auto"`` to ``"cuda"`` or ``"cpu"``."""

    @staticmethod
    @abstractmethod
    def default_compute_type(device: str) -> str: ...

    @abstractmethod
    def translate_batch(
        self, source: list[list[str]], target_prefix: list[str], decoding: Decoding
    ) -> list[list[str]]:
        """Target tokens for each source token list (the end token included when one was produced)."""


def physical_cores() -> int:
    """Physical CPU cores (logical cores when psutil is missing)."""
    try:
        import psutil

        return psutil.cpu_count(logical=False) or os.cpu_count() or 1
    except ImportError:
        return os.cpu_count() or 1


BACKENDS: Registry[type[Backend]] = Registry("translation backend")
BACKENDS.register_lazy("hf", "idnews.translation.backends.hf:HFBackend")
BACKENDS.register_lazy("ct2", "idnews.translation.backends.ct2:CT2Backend")
