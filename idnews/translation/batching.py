"""Length-sorted token-budget batches, and cutting over-long sentences into pieces the model can take."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_CLAUSE_BOUNDARY = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—]\s)|(?<=\s[–—])\s+|\s+(?=\()")


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


def split_long(
    sentence: str,
    count_tokens: Callable[[list[str]], list[int]],
    max_tokens: int,
) -> list[str]:
    """Cut ``sentence`` into consecutive pieces of at most ``max_tokens`` tokens each, losing no text.

    Clause boundaries (commas, semicolons, colons, dashes, brackets) are tried first; a clause that is
    still too long is cut between words; a single word longer than the budget is cut by characters.
    ``count_tokens`` returns the token count of each string it is given (one batched call per level).
    """
    clauses = [c for c in _CLAUSE_BOUNDARY.split(sentence) if c and c.strip()]
    pieces: list[str] = []
    for clause, size in zip(clauses, count_tokens(clauses)):
        if size <= max_tokens:
            pieces.append(clause)
        else:
            pieces.extend(_split_words(clause, count_tokens, max_tokens))
    return pack(pieces, count_tokens(pieces), max_tokens)


def _split_words(clause: str, count_tokens: Callable[[list[str]], list[int]], max_tokens: int) -> list[str]:
    words = clause.split()
    pieces: list[str] = []
    for word, size in zip(words, count_tokens(words)):
        if size <= max_tokens:
            pieces.append(word)
            continue
        step = max(1, len(word) * max_tokens // (2 * size))
        pieces.extend(word[i : i + step] for i in range(0, len(word), step))
    return pieces


def pack(pieces: Sequence[str], sizes: Sequence[int], max_tokens: int) -> list[str]:
    """Join neighbouring pieces (of the given token ``sizes``) greedily while the joined text fits the budget."""
    chunks: list[str] = []
    current: list[str] = []
    current_size = 0
    for piece, size in zip(pieces, sizes):
        if current and current_size + size > max_tokens:
            chunks.append(" ".join(current))
            current, current_size = [], 0
        current.append(piece)
        current_size += size
    if current:
        chunks.append(" ".join(current))
    return chunks
