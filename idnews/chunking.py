"""Cutting text into pieces that fit a model's input: over-long sentences split at clauses, pieces packed.

Used by translation (a sentence longer than the model's input) and abstractive summarisation (an article
longer than the model's input); nothing here knows about either.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_CLAUSE_BOUNDARY = re.compile(r"(?<=[,;:])\s+|\s+(?=[–—]\s)|(?<=\s[–—])\s+|\s+(?=\()")


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
