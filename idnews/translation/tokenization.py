"""Source/target tokenisation shared by every backend, so that all backends see the same tokens.

Marian checkpoints (``source.spm`` + ``target.spm`` + ``vocab.json``) are tokenised with sentencepiece
directly — one batched C++ call, no transformers import. Other models (NLLB and the like) use their
Hugging Face tokenizer; NLLB gets its source language code in front and its target language code as
the decoder prefix, as the CTranslate2 documentation prescribes.
"""
from __future__ import annotations

import functools
import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, cast


class Codec(ABC):
    """Text ↔ token strings for one model."""

    eos_token = "</s>"
    target_prefix: list[str] = []

    @abstractmethod
    def encode(self, texts: list[str]) -> list[list[str]]:
        """Source tokens of each text, special tokens included."""

    @abstractmethod
    def count(self, texts: list[str]) -> list[int]:
        """Token count of each text, without special tokens."""

    @abstractmethod
    def decode(self, tokens: list[list[str]]) -> list[str]:
        """Text of each target token list; special tokens and the target prefix are dropped."""

    def encode_counted(self, texts: list[str]) -> tuple[list[list[str]], list[int]]:
        """:meth:`encode` and :meth:`count` together (one tokeniser pass where the codec allows it)."""
        return self.encode(texts), self.count(texts)

    @abstractmethod
    def to_ids(self, tokens: list[list[str]]) -> list[list[int]]: ...

    @abstractmethod
    def to_tokens(self, ids: list[list[int]]) -> list[list[str]]: ...


class MarianCodec(Codec):
    """Marian's source sentencepiece model plus its shared ``vocab.json``.

    Target pieces are joined directly (see :meth:`decode`), so ``target.spm`` is never loaded; the vocabulary,
    which only the transformers backend needs (token ids), is read on first use.
    """

    def __init__(self, folder: Path) -> None:
        import sentencepiece as spm

        self.folder = folder
        self.source = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.specials = {"</s>", "<pad>", "<unk>", "<s>"}

    @functools.cached_property
    def vocab(self) -> dict[str, int]:
        vocab_file = self.folder / "vocab.json"
        if not vocab_file.is_file():
            vocab_file = self.folder / "shared_vocabulary.json"
        vocab = json.loads(vocab_file.read_text(encoding="utf-8"))
        if isinstance(vocab, list):  # CTranslate2's shared_vocabulary.json is a list of tokens
            vocab = {token: index for index, token in enumerate(vocab)}
        return vocab

    @functools.cached_property
    def inverse(self) -> dict[int, str]:
        return {index: token for token, index in self.vocab.items()}

    @property
    def unk_id(self) -> int:
        return self.vocab.get("<unk>", 1)

    def encode(self, texts: list[str]) -> list[list[str]]:
        return [pieces + [self.eos_token] for pieces in self.source.encode(texts, out_type=str)]

    def count(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self.source.encode(texts)]

    def encode_counted(self, texts: list[str]) -> tuple[list[list[str]], list[int]]:
        tokens = self.encode(texts)
        return tokens, [len(t) - 1 for t in tokens]  # encode adds the end token only

    def decode(self, tokens: list[list[str]]) -> list[str]:
        # Joining pieces directly (rather than sentencepiece's decode) keeps pieces the target model
        # does not know instead of turning them into "⁇".
        return [
            "".join(t for t in seq if t not in self.specials).replace("\u2581", " ").strip() for seq in tokens
        ]

    def to_ids(self, tokens: list[list[str]]) -> list[list[int]]:
        return [[self.vocab.get(t, self.unk_id) for t in seq] for seq in tokens]

    def to_tokens(self, ids: list[list[int]]) -> list[list[str]]:
        return [[self.inverse.get(i, "<unk>") for i in seq] for seq in ids]


class HFTokenizerCodec(Codec):
    """Any Hugging Face tokenizer; ``source_lang``/``target_lang`` are set for multilingual models."""

    def __init__(self, folder: Path, *, family: str, source_lang: str | None, target_lang: str | None) -> None:
        from transformers import AutoTokenizer

        kwargs: dict[str, Any] = {}
        if family == "nllb":
            kwargs = {"src_lang": source_lang, "tgt_lang": target_lang}
            self.target_prefix = [str(target_lang)]
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), **kwargs)
        self.eos_token = self.tokenizer.eos_token or "</s>"
        self.specials = set(self.tokenizer.all_special_tokens)

    def encode(self, texts: list[str]) -> list[list[str]]:
        ids = self.tokenizer(texts, add_special_tokens=True)["input_ids"]
        return self.to_tokens(ids)

    def count(self, texts: list[str]) -> list[int]:
        return [len(seq) for seq in self.tokenizer(texts, add_special_tokens=False)["input_ids"]]

    def decode(self, tokens: list[list[str]]) -> list[str]:
        return [
            self.tokenizer.convert_tokens_to_string([t for t in seq if t not in self.specials]).strip()
            for seq in tokens
        ]

    def to_ids(self, tokens: list[list[str]]) -> list[list[int]]:
        # a list in gives a list out; the tokenizer's annotation also covers a single token
        return [cast("list[int]", self.tokenizer.convert_tokens_to_ids(seq)) for seq in tokens]

    def to_tokens(self, ids: list[list[int]]) -> list[list[str]]:
        return [cast("list[str]", self.tokenizer.convert_ids_to_tokens(seq)) for seq in ids]


def load_codec(folder: Path, info: dict[str, Any]) -> Codec:
    """The fastest codec that fits the model in ``folder``."""
    if info.get("family") == "marian" and (folder / "source.spm").is_file() and (folder / "target.spm").is_file():
        return MarianCodec(folder)
    return HFTokenizerCodec(
        folder, family=str(info.get("family")), source_lang=info.get("source_lang"), target_lang=info.get("target_lang")
    )
