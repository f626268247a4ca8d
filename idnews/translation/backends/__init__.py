"""Translation backends: one small interface, a name registry, heavy imports only on first use.

A backend turns batches of source token strings into target token strings; tokenisation, batching,
long-sentence splitting and the faithfulness guard are shared and live in :mod:`idnews.translation`.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from idnews.errors import ConfigError, require_at_least
from idnews.registry import Registry
from idnews.translation.config import EngineConfig

if TYPE_CHECKING:
    from idnews.translation.tokenization import Codec


@dataclass(frozen=True)
class Decoding:
    """How sentences are decoded; every field changes the output.

    ``max_length``/``min_length`` count generated target tokens; ``max_length=None`` gives each sentence its own limit,
    :func:`~idnews.translation.decoder.auto_length_limit` of its source length (capped by the model). Sentences longer
    than ``max_input_tokens`` are cut at clauses, then words, and translated in pieces (never truncated);
    ``None`` means half the model's positions. A backend always receives a concrete ``max_length``.
    """

    beam_size: int = 4
    max_length: int | None = None
    min_length: int = 0
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    length_penalty: float = 1.0
    max_input_tokens: int | None = None

    def __post_init__(self) -> None:
        require_at_least("beam_size", self.beam_size, 1)
        require_at_least("max_length", self.max_length, 1, optional=True)
        require_at_least("min_length", self.min_length, 0)
        require_at_least("no_repeat_ngram_size", self.no_repeat_ngram_size, 0)
        require_at_least("repetition_penalty", self.repetition_penalty, 0.0)
        require_at_least("max_input_tokens", self.max_input_tokens, 1, optional=True)
        if self.max_length is not None and self.min_length > self.max_length:
            raise ConfigError("min_length", f"{self.min_length} exceeds max_length {self.max_length}")

    @property
    def forces_length(self) -> bool:
        """Whether ``min_length`` reaches ``max_length``: every output is exactly that long, never "cut"."""
        return self.max_length is not None and self.min_length >= self.max_length

    @property
    def batch_limit(self) -> int:
        """``max_length`` as a backend receives it: the decoder resolves ``None`` per batch beforehand."""
        if self.max_length is None:
            raise ValueError("a backend is given a concrete max_length; None is resolved by the decoder")
        return self.max_length


class Backend(ABC):
    """Loads a model once and translates token batches. Subclasses fill :meth:`translate_batch`.

    ``config`` is resolved (:meth:`EngineConfig.resolved`): a concrete device, precision and thread counts.
    """

    name: ClassVar[str]

    def __init__(self, path: Path, *, codec: Codec, config: EngineConfig) -> None:
        self.path = Path(path)
        self.codec = codec
        self.config = config

    @property
    def device(self) -> str:
        return self.config.device

    @property
    def compute_type(self) -> str:
        return self.config.compute_type or self.default_compute_type(self.device)

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

    def translate_batches(
        self, batches: list[list[list[str]]], target_prefix: list[str], decodings: list[Decoding]
    ) -> list[list[list[str]]]:
        """:meth:`translate_batch` for each batch with its own decoding; backends that can run batches in
        parallel override it. The words never depend on how batches are run."""
        return [self.translate_batch(batch, target_prefix, d) for batch, d in zip(batches, decodings)]

    @staticmethod
    def supported_compute_types(device: str) -> set[str]:
        """The precisions this engine can run on ``device`` (for ``compute_type="auto"``)."""
        return set()


def check_device(device: str, available: bool) -> str:
    """``device`` when the machine has it; a clear error instead of the backend's failure deep in loading."""
    if not available:
        raise ConfigError("device", f"{device!r} was asked for, but no usable CUDA GPU was found; use 'cpu' or 'auto'")
    return device


BACKENDS: Registry[type[Backend]] = Registry(
    "translation backend", modules=["idnews.translation.backends.ct2", "idnews.translation.backends.hf"]
)
