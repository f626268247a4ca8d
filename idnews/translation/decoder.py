"""Sentences to English on a loaded engine: sentences too long for the model are cut into pieces, pieces are
batched for the engine's workers, each is decoded within its own length limit, and the faithfulness guard's
flagged pieces are decoded again with safer settings."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from idnews.chunking import split_long
from idnews.translation.backends import Decoding
from idnews.translation.batching import plan_batches
from idnews.translation.config import DEFAULT_MAX_BATCH_TOKENS
from idnews.translation.guard import GuardSettings, check

if TYPE_CHECKING:
    from idnews.translation.engine import Engine

#: ``max_length=None`` decodes at most ``AUTO_LENGTH_FACTOR × source + AUTO_LENGTH_MARGIN`` tokens, the source's
#: token count rounded up to a power of two, at least ``AUTO_LENGTH_SMALLEST``. Few distinct limits let beam
#: search (where only sentences with one limit share a batch) fill few batches; each sentence is decoded with
#: its own limit whatever else is in the call.
AUTO_LENGTH_FACTOR = 2
AUTO_LENGTH_MARGIN = 10
AUTO_LENGTH_SMALLEST = 16
#: How the automatic limit shows in a signature (``max_len``): the rule decides the words of a sentence that
#: runs to its limit, so a change of rule is a change of signature.
AUTO_LENGTH_LABEL = f"auto({AUTO_LENGTH_FACTOR}*pow2+{AUTO_LENGTH_MARGIN})"
#: ``max_input_tokens=None`` cuts sentences longer than the model's positions // ``INPUT_SHARE_OF_POSITIONS``
#: (so that the translation fits too), and never below ``MIN_INPUT_TOKENS``.
INPUT_SHARE_OF_POSITIONS = 2
MIN_INPUT_TOKENS = 8
#: Positions taken by the start and end tokens.
SPECIAL_POSITIONS = 2
TRUNCATED_WARNING = "truncated: decoding hit the length limit"


def auto_length_limit(source_tokens: int) -> int:
    """Target tokens a sentence of ``source_tokens`` may take when ``max_length`` is ``None`` (before the
    model's own cap): 42 up to 16 source tokens, 74 up to 32, 138 up to 64, 266 up to 128."""
    rounded = AUTO_LENGTH_SMALLEST
    while rounded < source_tokens:
        rounded *= 2
    return AUTO_LENGTH_FACTOR * rounded + AUTO_LENGTH_MARGIN


def translate_units(
    engine: Engine, units: list[str], decoding: Decoding, guard: GuardSettings | None
) -> list[tuple[str, list[str]]]:
    """Translate distinct sentences; returns each one's English and its warnings (pieces, truncation, guard)."""
    codec = engine.codec
    limit = decoding.max_input_tokens or max(MIN_INPUT_TOKENS, engine.max_positions // INPUT_SHARE_OF_POSITIONS)
    limit = min(limit, engine.max_positions - SPECIAL_POSITIONS - len(codec.target_prefix))
    pieces: list[str] = []
    owners: list[int] = []
    warnings: list[list[str]] = [[] for _ in units]
    encoded, sizes = codec.encode_counted(units)
    for index, (unit, size) in enumerate(zip(units, sizes)):
        parts = [unit]
        if size > limit:
            parts = split_long(unit, codec.count, limit)
            warnings[index].append(f"long-sentence: {size} tokens translated in {len(parts)} pieces")
        pieces.extend(parts)
        owners.extend([index] * len(parts))

    # nothing was cut: the tokens are already known
    known = encoded if len(pieces) == len(units) else None
    targets, truncated = decode(engine, pieces, decoding, known)
    piece_warnings = [[TRUNCATED_WARNING] if cut else [] for cut in truncated]
    if guard is not None:
        _apply_guard(engine, pieces, targets, piece_warnings, decoding, guard)

    joined: list[list[str]] = [[] for _ in units]
    for owner, target, found in zip(owners, targets, piece_warnings):
        joined[owner].append(target)
        warnings[owner].extend(w for w in found if w not in warnings[owner])
    return [(" ".join(t for t in parts if t), warnings[i]) for i, parts in enumerate(joined)]


def _apply_guard(
    engine: Engine, pieces: list[str], targets: list[str], piece_warnings: list[list[str]], decoding: Decoding,
    guard: GuardSettings,
) -> None:
    """Check every piece; decode the flagged ones again with the guard's safer settings and keep a retry
    where it has fewer problems (``targets`` and ``piece_warnings`` are updated in place)."""
    for index, (piece, target) in enumerate(zip(pieces, targets)):
        piece_warnings[index].extend(check(piece, target, guard))
    flagged = [i for i, found in enumerate(piece_warnings) if found]
    if not flagged:
        return
    safer = replace(
        decoding,
        beam_size=max(guard.retry_beam_size, decoding.beam_size),
        no_repeat_ngram_size=guard.retry_no_repeat_ngram_size,
        repetition_penalty=guard.retry_repetition_penalty,
    )
    retried, truncated = decode(engine, [pieces[i] for i in flagged], safer)
    for index, target, cut in zip(flagged, retried, truncated):
        found = ([TRUNCATED_WARNING] if cut else []) + check(pieces[index], target, guard)
        if len(found) < len(piece_warnings[index]):
            targets[index], piece_warnings[index] = target, found


def decode(
    engine: Engine, pieces: list[str], decoding: Decoding, tokens: list[list[str]] | None = None,
) -> tuple[list[str], list[bool]]:
    """Decode pieces (``tokens``: their encoding, when known) in length-sorted token-budget batches;
    returns texts and whether each was cut at its length limit."""
    codec, backend = engine.codec, engine.backend
    if tokens is None:
        tokens = codec.encode(pieces)
    lengths = [len(t) for t in tokens]
    outputs: list[list[str]] = [[] for _ in pieces]
    limits = [0] * len(pieces)
    ceiling = engine.max_positions - SPECIAL_POSITIONS - len(codec.target_prefix)
    config = engine.config

    def steps_at_most(length: int) -> int:
        return min(decoding.max_length or auto_length_limit(length), ceiling)

    # Batches balanced for the engine's parallel workers, handed over most costly first (the order never
    # changes a word; see plan_batches for what sharing a batch can change). Greedy outputs are prefixes
    # of longer ones, so sentences with different limits share a batch and are cut back to their own.
    greedy = decoding.beam_size == 1
    batches = plan_batches(
        lengths, max_tokens=config.max_batch_tokens or DEFAULT_MAX_BATCH_TOKENS, max_size=config.max_batch_size,
        workers=config.inter_threads or 1,
        steps=steps_at_most, beam_size=decoding.beam_size, mixed_limits=greedy,
    )
    steps = []
    for batch in batches:
        max_length = steps_at_most(max(lengths[i] for i in batch))
        steps.append(replace(decoding, max_length=max_length, min_length=min(decoding.min_length, max_length)))
    produced = backend.translate_batches([[tokens[i] for i in b] for b in batches], codec.target_prefix, steps)
    for batch, results in zip(batches, produced):
        for index, output in zip(batch, results):
            limits[index] = steps_at_most(lengths[index])
            outputs[index] = output[: limits[index]]
    truncated = [
        not decoding.forces_length and bool(out) and out[-1] != codec.eos_token and len(out) >= limit
        for out, limit in zip(outputs, limits)
    ]
    return codec.decode(outputs), truncated
