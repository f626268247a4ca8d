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
from typing import Any, Literal, TypedDict

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

#: The only words a random-weight model built here can write (as whole words, with their capitalised forms
#: where the vocabulary has them, and ``.`` ``,``): plain, neutral, and obviously a placeholder.
PLACEHOLDER_WORDS = (
    "sample", "text", "model", "output", "token", "demo", "test", "example", "word", "random",
    "data", "value", "sentence", "string", "line", "page", "note", "field", "label", "content",
)
PLACEHOLDER_PUNCTUATION = (".", ",")
#: Added to every other target logit: far below any logit of a random network (a few units), yet finite and
#: representable in float16, so that CTranslate2 converts and quantises it like any bias.
BANNED_BIAS = -1e4
#: The end token's: far below the placeholder words, so that outputs still run to their length limit as
#: before, yet far above :data:`BANNED_BIAS`: once a no-repeat rule bans every placeholder, decoding ends.
END_BIAS = -100.0
WORD_START = "\u2581"  # sentencepiece's mark of a piece that starts a word


def placeholder_ids(vocab: dict[str, int]) -> list[int]:
    """Ids of the placeholder pieces in a sentencepiece ``vocab``. Only whole-word pieces (``▁word``), never
    word parts, so that however they are joined they spell placeholder words and nothing else."""
    words = [WORD_START + form for word in PLACEHOLDER_WORDS for form in (word, word.capitalize())]
    found = sorted({vocab[piece] for piece in [*words, *PLACEHOLDER_PUNCTUATION] if piece in vocab})
    if len(found) < len(PLACEHOLDER_WORDS):
        raise ValueError(f"only {len(found)} placeholder pieces in the vocabulary; at least "
                         f"{len(PLACEHOLDER_WORDS)} are needed for input-dependent output")
    return found


def placeholder_bias(vocab_size: int, allowed: list[int], eos_id: int) -> Any:
    """A logit bias: 0 for the ``allowed`` ids, :data:`END_BIAS` for ``eos_id``, :data:`BANNED_BIAS` elsewhere."""
    import torch

    bias = torch.full((vocab_size,), BANNED_BIAS)
    bias[allowed] = 0.0
    bias[eos_id] = END_BIAS
    return bias


def _readable(out: Path) -> None:
    """Give every file in ``out`` the mode ``config.json`` was written with (the umask's): safetensors writes
    ``model.safetensors`` through a private temporary file, which would otherwise leave it 0600."""
    mode = (out / "config.json").stat().st_mode & 0o777
    for path in out.iterdir():
        if path.is_file() and path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)


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

    Random weights over the real 54k-piece vocabulary can write any word, offensive ones included, so
    ``final_logits_bias`` (Marian's own output bias, which CTranslate2's converter carries over) is set by
    :func:`placeholder_bias`: with greedy or beam search, in both backends, the model writes only
    :data:`PLACEHOLDER_WORDS`. Both sizes get it: the shape and parameter count stay the real ones and a
    vector add per step costs nothing measurable.
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
    vocab = json.loads((config_dir / "vocab.json").read_text(encoding="utf-8"))
    with torch.no_grad():
        model.final_logits_bias.copy_(placeholder_bias(config.vocab_size, placeholder_ids(vocab), vocab["</s>"]))
    model.save_pretrained(out)

    for name in TOKENIZER_FILES:
        source = config_dir / name
        if source.exists():
            shutil.copyfile(source, out / name)
    _readable(out)
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

    Pieces of any text, joined, can spell any word, so as in :func:`build_marian` the output is limited to
    :data:`PLACEHOLDER_WORDS` (added to the BPE training text, so that each is one piece). M2M100 has no
    output bias; instead the last hidden unit of the decoder's final layer norm is fixed at 1 (weight 0,
    bias 1) and the untied ``lm_head`` reads the :func:`placeholder_bias` through it.
    """
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    out = Path(out_dir)
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.Metaspace()
    special = ["<s>", "<pad>", "</s>", "<unk>"]
    placeholders = [" ".join(PLACEHOLDER_WORDS)] * max(64, len(texts))  # frequent enough to be merged first
    bpe.train_from_iterator([*texts, *placeholders], trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=special))
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
        tie_word_embeddings=False,
        **TINY_SHAPE,
    )
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(config).eval()
    bias = placeholder_bias(config.vocab_size, placeholder_ids(tokenizer.get_vocab()), tokenizer.eos_token_id)
    unit = config.d_model - 1
    with torch.no_grad():
        model.model.decoder.layer_norm.weight[unit] = 0.0
        model.model.decoder.layer_norm.bias[unit] = 1.0
        model.lm_head.weight[:, unit] = bias
    model.save_pretrained(out)
    _readable(out)
    return out
