"""Length-sorted token-budget batches (over-long sentences are cut by :mod:`idnews.chunking`)."""
from __future__ import annotations

from collections.abc import Sequence


def token_batches(lengths: Sequence[int], *, max_tokens: int, max_size: int | None = None) -> list[list[int]]:
    """Group item indices into batches, longest first, so ``longest * count <= max_tokens``.

    Padding is what a batch really costs, so the budget counts ``count × longest length``. An item longer
    than the budget gets a batch of its own rather than being dropped.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index in order:
        width = max(longest, lengths[index], 1)
        full = max_size is not None and len(current) >= max_size
        if current and (width * (len(current) + 1) > max_tokens or full):
            batches.append(current)
            current, width = [], max(lengths[index], 1)
        current.append(index)
        longest = width
    if current:
        batches.append(current)
    return batches


def parallel_batches(
    lengths: Sequence[int], *, max_tokens: int, max_size: int | None = None, parallel: int = 1
) -> list[list[int]]:
    """:func:`token_batches`, with at least ``parallel`` batches when there are that many items, so that an
    engine running ``parallel`` batches at once has work for each of its workers."""
    if parallel > 1 and len(lengths) > 1:
        share = -(-len(lengths) // parallel)
        max_size = share if max_size is None else min(max_size, share)
    return token_batches(lengths, max_tokens=max_tokens, max_size=max_size)
