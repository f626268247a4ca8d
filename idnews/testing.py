"""Model builders for tests and benchmarks.

No real Indonesian translation weights are needed to exercise loading, tokenisation, batching,
CTranslate2 conversion and speed: :func:`build_marian` makes a *randomly initialised* Marian model
from the real ``opus-mt-id-en`` config and tokenizer. Its output is gibberish by construction; it
proves plumbing and speed, never quality.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Literal, TypedDict

from idnews.translation.models import TOKENIZER_FILES


class _TinyShape(TypedDict):
    """Keyword arguments of both a Marian and an M2M100 config."""

    d_model: int
    encoder_layers: int
    decoder_layers: int
    encoder_attention_heads: int
    decoder_attention_heads: int
    encoder_ffn_dim: int
    decoder_ffn_dim: int
    init_std: float


TINY_SHAPE: _TinyShape = {
    "d_model": 32,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    # With the default 0.02 a network this small ignores its input; 0.2 makes outputs input-dependent.
    "init_std": 0.2,
}


def build_marian(
    out_dir: str | Path,
    *,
    config_dir: str | Path,
    size: Literal["tiny", "real"] = "tiny",
    seed: int = 0,
) -> Path:
    """Save a randomly initialised ``MarianMTModel`` plus the tokenizer files to ``out_dir``.

    ``config_dir`` holds a real Marian ``config.json`` and tokenizer (e.g. opus-mt-id-en without
    weights). ``size="real"`` keeps the exact shape (74M parameters for opus-mt-id-en);
    ``size="tiny"`` keeps the vocabulary but shrinks the network to d_model 32, one layer each side.
    The result is deterministic given ``seed`` and loads offline with
    ``AutoModelForSeq2SeqLM.from_pretrained(out_dir)`` / ``AutoTokenizer.from_pretrained(out_dir)``.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel

    if size not in ("tiny", "real"):
        raise ValueError(f"size must be 'tiny' or 'real', not {size!r}")
    config_dir = Path(config_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    values = json.loads((config_dir / "config.json").read_text(encoding="utf-8"))
    if size == "tiny":
        values.update(TINY_SHAPE)
    config = MarianConfig.from_dict(values)

    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.eval()
    model.save_pretrained(out)

    for name in TOKENIZER_FILES:
        source = config_dir / name
        if source.exists():
            shutil.copyfile(source, out / name)
    return out


def convert_to_ct2(
    model_dir: str | Path,
    out_dir: str | Path,
    *,
    quantization: str | None = None,
    force: bool = True,
) -> Path:
    """Convert a transformers checkpoint with CTranslate2's own converter; returns ``out_dir``.

    ``quantization`` is a CTranslate2 weight type (``"int8"``, ``"float16"``, ``"int8_float16"``…) or
    ``None`` to keep float32 weights. Tokenizer files are copied alongside so the folder is self-contained
    and loads with ``Translator(out_dir, backend="ct2")``.
    """
    from idnews.translation.models import convert_checkpoint

    return convert_checkpoint(model_dir, out_dir, quantization=quantization, force=force)


def build_tiny_nllb(out_dir: str | Path, *, texts: list[str], vocab_size: int = 1000, seed: int = 0) -> Path:
    """Save a tiny randomly initialised NLLB-style model (M2M100 architecture) with its own tokenizer.

    No NLLB files are needed: a small BPE vocabulary is trained on ``texts`` and wrapped in
    ``NllbTokenizer``, which adds the real language codes (``ind_Latn``, ``eng_Latn``…). This exercises
    the NLLB conventions — source language code first, target language code as decoder prefix — in
    both backends.
    """
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    out = Path(out_dir)
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.Metaspace()
    special = ["<s>", "<pad>", "</s>", "<unk>"]
    bpe.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=special))
    state = json.loads(bpe.to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in state["merges"]]
    # transformers annotates merges as str | list[str], yet hands them to tokenizers' BPE, which takes (a, b) pairs
    tokenizer = NllbTokenizer(vocab=state["vocab"], merges=merges,  # type: ignore[arg-type]
                              src_lang="ind_Latn", tgt_lang="eng_Latn")
    tokenizer.save_pretrained(out)

    config = M2M100Config(
        vocab_size=len(tokenizer),
        max_position_embeddings=256,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        scale_embedding=True,
        **TINY_SHAPE,
    )
    torch.manual_seed(seed)
    M2M100ForConditionalGeneration(config).eval().save_pretrained(out)
    return out
