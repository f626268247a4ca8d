"""Batch planning: which sentences go together, and in which order the engine gets the batches.

Sentences are grouped by length so that little padding is decoded, within a token budget. With one engine
worker that is all (the fewest batches cost the least). With several workers running batches in parallel,
a call ends when its slowest worker does, so the groups are cut by a cost model into pieces of equal
estimated time, a multiple of the workers in number, and handed over the most costly first.

Each sentence is decoded with its own length limit whatever else is in its batch. In greedy decoding a longer
limit only appends tokens, so sentences with different limits share a batch decoded to the largest of them,
and each output is cut back to its own limit afterwards (``mixed_limits``). Beam search keeps other
hypotheses alive under a longer limit, so there sentences whose limits differ never share a batch. Which
sentences share a batch then changes CTranslate2's words only through a sentence's padded length in int8,
rarely (a near-tie; see docs/translation.md), and never in float32.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Bisection steps when searching the smallest per-batch cost bound (the bound is then within 2**-24 of it).
_SEARCH_STEPS = 24


@dataclass(frozen=True)
class CostModel:
    """Estimated seconds of one batch: ``steps × (per_step + hypotheses × (per_hypothesis_step +
    per_attended_token × longest)) + sentences × longest × per_source_token``.

    ``per_step`` is what a decoding step costs whatever the batch (reading the decoder's and the output layer's
    weights), ``per_hypothesis_step`` what each hypothesis adds to a step, ``per_attended_token`` the attention
    over the source (and, in beam search, reordering its cache), ``per_source_token`` the encoder. Only the
    ratios matter for planning. The defaults come from least-squares fits on the opus-mt-id-en shape in
    CTranslate2 int8 on one CPU thread: 96 batches of 1 to 24 sentences, 8 and 24 steps, beam 1 and 4 (median
    error 6%); the encoder term from the greedy batches, the source-attention term from the beam-4 ones, where
    each is largest.
    """

    per_step: float = 8.1e-3
    per_hypothesis_step: float = 5.1e-4
    per_attended_token: float = 2.4e-6
    per_source_token: float = 1.75e-4

    def seconds(self, sentences: int, longest: int, steps: int, beam_size: int = 1) -> float:
        hypotheses = sentences * beam_size
        step = self.per_step + hypotheses * (self.per_hypothesis_step + self.per_attended_token * longest)
        return steps * step + sentences * longest * self.per_source_token


def token_batches(lengths: Sequence[int], *, max_tokens: int, max_size: int | None = None) -> list[list[int]]:
    """Group item indices into batches, longest first, so ``longest * count <= max_tokens``.

    Padding is what a batch really costs, so the budget counts ``count × longest length``. An item longer
    than the budget gets a batch of its own rather than being dropped.
    """
    return _pack(_longest_first(lengths), lengths, max_tokens, max_size, _anything, _same)


def plan_batches(
    lengths: Sequence[int],
    *,
    max_tokens: int,
    max_size: int | None = None,
    steps: Callable[[int], int],
    workers: int = 1,
    beam_size: int = 1,
    mixed_limits: bool = False,
    cost: CostModel = CostModel(),
) -> list[list[int]]:
    """Batches of item indices for an engine running ``workers`` batches at once, most costly first.

    ``steps(length)`` is the number of decoding steps an item of ``length`` tokens may take (it must not fall
    as ``length`` grows). Items whose ``steps`` differ never share a batch unless ``mixed_limits`` (greedy
    decoding, whose outputs the caller cuts back to each item's own limit); a batch is costed at the ``steps``
    of its longest item. One worker gets the fewest batches the token budget and ``max_size`` allow. Several
    get the length-sorted items cut into ``k × workers`` contiguous batches (``k`` as small as those allow, at
    most one item a batch) whose largest estimated cost (:class:`CostModel`) is as small as possible, so that
    every worker ends at about the same time.
    """
    group = _same if mixed_limits else steps
    order = _longest_first(lengths)

    def batch_cost(count: int, longest: int) -> float:
        return cost.seconds(count, longest, steps(longest), beam_size)

    def fits_under(bound: float) -> Callable[[int, int], bool]:
        return lambda count, longest: batch_cost(count, longest) <= bound

    def count_under(bound: float) -> int:
        return len(_pack(order, lengths, max_tokens, max_size, fits_under(bound), group))

    planned = _pack(order, lengths, max_tokens, max_size, _anything, group)
    if workers > 1 and len(lengths) > 1:
        wanted = min(len(lengths), -(-len(planned) // workers) * workers)
        low = max(batch_cost(1, max(length, 1)) for length in lengths)
        high = low
        if count_under(low) > wanted:  # else one item a batch is the most it can take
            high = max(batch_cost(len(b), _width(b, lengths)) for b in planned)
            for _ in range(_SEARCH_STEPS):
                middle = (low + high) / 2
                if count_under(middle) <= wanted:
                    high = middle
                else:
                    low = middle
        planned = _pack(order, lengths, max_tokens, max_size, fits_under(high), group)
    return sorted(planned, key=lambda batch: batch_cost(len(batch), _width(batch, lengths)), reverse=True)


def _anything(count: int, longest: int) -> bool:
    return True


def _same(length: int) -> int:
    return 0


def _longest_first(lengths: Sequence[int]) -> list[int]:
    return sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)


def _width(batch: Sequence[int], lengths: Sequence[int]) -> int:
    return max(max(lengths[i] for i in batch), 1)


def _pack(
    order: Sequence[int],
    lengths: Sequence[int],
    max_tokens: int,
    max_size: int | None,
    allowed: Callable[[int, int], bool],
    group: Callable[[int], int],
) -> list[list[int]]:
    """Fill batches greedily in ``order`` (longest first): an item joins the current batch while the budget,
    ``max_size`` and ``allowed(count, longest)`` all still hold and its ``group(length)`` is the batch's; a
    batch always takes at least one item."""
    batches: list[list[int]] = []
    current: list[int] = []
    longest = current_group = 0
    for index in order:
        width = max(longest, lengths[index], 1)
        count = len(current) + 1
        full = max_size is not None and count > max_size
        item_group = group(lengths[index])
        if current and (width * count > max_tokens or full or item_group != current_group or not allowed(count, width)):
            batches.append(current)
            current, width = [], max(lengths[index], 1)
        if not current:
            current_group = item_group
        current.append(index)
        longest = width
    if current:
        batches.append(current)
    return batches
