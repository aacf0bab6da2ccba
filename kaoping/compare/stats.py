"""Rank statistics between two schemes' results: Kendall's tau-b, Spearman's rho, percentiles.

Percentiles and medians of Monte Carlo ranks are read from a histogram ``{rank: draws}`` per unit, whose
size is bounded by the distinct ranks a unit drew, not by the units × group size of a full table.

Counts of concordant, discordant and tied pairs are exact integers and Spearman's sums are exact
fractions, so the only rounding is the one final square root. Tau-b (not tau-a) is used because
quotas and bands make ties common: tau-b corrects for ties in either ranking, as the OECD/JRC handbook
recommends when comparing rankings of a composite indicator.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

Number = int | float | Decimal | Fraction


@attrs.frozen
class TauB:
    """Kendall's tau-b with the pair counts it comes from, so a reader can check it by hand."""

    n: int
    concordant: int
    discordant: int
    ties_x: int  # pairs tied in x only
    ties_y: int  # pairs tied in y only
    ties_both: int
    value: float | None  # None when either ranking is constant (the statistic is undefined)


def kendall_tau_b(x: Sequence[Number], y: Sequence[Number]) -> TauB:
    """tau-b = (C − D) / sqrt((n0 − n1)(n0 − n2)), n0 = n(n−1)/2, n1/n2 = pairs tied in x/y.

    Knight's O(n log n) algorithm (W. R. Knight, "A computer method for calculating Kendall's tau with
    ungrouped data", JASA 61, 1966), with exact integer pair counts: sort the pairs by (x, y); pairs
    tied in x, and in both, are counted in runs of that order; a merge sort of the y's then counts the
    discordant pairs as its exchanges (a pair tied in x is already in y order, so it is never exchanged);
    pairs tied in y are counted in runs of the sorted y's; the concordant pairs are what remains.
    100,000 units take about a second where the pair-by-pair count took tens of minutes.
    """
    if len(x) != len(y):
        raise ValueError("kendall_tau_b needs two sequences of the same length")
    n = len(x)
    pairs = sorted(zip(x, y, strict=True))
    tied_x = _tied_pairs([a for a, _ in pairs])  # n1: pairs tied in x (with or without y)
    ties_both = _tied_pairs(pairs)
    ys = [b for _, b in pairs]
    discordant = _sort_counting_exchanges(ys)
    tied_y = _tied_pairs(ys)  # n2: ys is sorted now
    n0 = n * (n - 1) // 2
    ties_x, ties_y = tied_x - ties_both, tied_y - ties_both
    concordant = n0 - discordant - ties_x - ties_y - ties_both
    denominator = (n0 - tied_x) * (n0 - tied_y)
    value = None if denominator == 0 else (concordant - discordant) / math.sqrt(denominator)
    return TauB(n, concordant, discordant, ties_x, ties_y, ties_both, value)


def _tied_pairs(ordered: Sequence[object]) -> int:
    """Pairs of equal items in a sorted sequence: t(t − 1)/2 summed over each run of t equal items."""
    pairs = 0
    run = 1
    for previous, item in itertools.pairwise(ordered):
        if item == previous:
            run += 1
        else:
            pairs += run * (run - 1) // 2
            run = 1
    return pairs + run * (run - 1) // 2 if ordered else 0


def _sort_counting_exchanges(values: list[Number]) -> int:
    """Sort ``values`` in place (bottom-up merge sort) and return the pairs it found out of order
    (``i < j`` with ``values[i] > values[j]``); equal values are never counted."""
    n = len(values)
    exchanges = 0
    source, target = values[:], [values[0]] * n if n else []
    width = 1
    while width < n:
        for start in range(0, n, 2 * width):
            middle, end = min(start + width, n), min(start + 2 * width, n)
            i, j, k = start, middle, start
            while i < middle and j < end:
                if source[j] < source[i]:
                    target[k] = source[j]
                    exchanges += middle - i  # every item left in the left run is greater
                    j += 1
                else:
                    target[k] = source[i]
                    i += 1
                k += 1
            target[k : k + middle - i] = source[i:middle]
            k += middle - i
            target[k : k + end - j] = source[j:end]
        source, target = target, source
        width *= 2
    values[:] = source
    return exchanges


def average_ranks(values: Sequence[Number], descending: bool = True) -> list[Fraction]:
    """Ranks 1..n with tied values sharing the mean of the positions they cover (exact fractions)."""
    order = sorted(range(len(values)), key=lambda i: values[i], reverse=descending)
    ranks: list[Fraction] = [Fraction(0)] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = Fraction(start + 1 + end + 1, 2)
        for k in range(start, end + 1):
            ranks[order[k]] = shared
        start = end + 1
    return ranks


def spearman_rho(x: Sequence[Number], y: Sequence[Number]) -> float | None:
    """Pearson's correlation of the average ranks (the tie-corrected Spearman's rho).

    None when either side is constant. With no ties it equals 1 − 6Σd²/(n(n²−1)).
    """
    if len(x) != len(y):
        raise ValueError("spearman_rho needs two sequences of the same length")
    n = len(x)
    if n < 2:
        return None
    rx, ry = average_ranks(x), average_ranks(y)
    mean = Fraction(n + 1, 2)
    sxy = sum(((a - mean) * (b - mean) for a, b in zip(rx, ry, strict=True)), Fraction(0))
    sxx = sum(((a - mean) ** 2 for a in rx), Fraction(0))
    syy = sum(((b - mean) ** 2 for b in ry), Fraction(0))
    if sxx == 0 or syy == 0:
        return None
    product = sxx * syy
    return float(sxy) / math.sqrt(float(product))


def nearest_rank_percentile(sorted_values: Sequence[int], share: float) -> int:
    """The smallest value with at least ``share`` of the draws at or below it (nearest-rank method).

    Ranks are whole numbers; interpolating between them would report places no draw produced.
    """
    if not sorted_values:
        raise ValueError("no values")
    position = max(math.ceil(share * len(sorted_values)), 1)
    return sorted_values[position - 1]


def median(sorted_values: Sequence[int]) -> float:
    n = len(sorted_values)
    middle = n // 2
    if n % 2:
        return float(sorted_values[middle])
    return (sorted_values[middle - 1] + sorted_values[middle]) / 2


def histogram_value(histogram: Mapping[int, int], position: int) -> int:
    """The value at 1-based ``position`` of the sorted draws a histogram ``{value: count}`` stands for."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= position:
            return value
    raise ValueError(f"position {position} is beyond the {seen} draws")


def histogram_percentile(histogram: Mapping[int, int], share: float) -> int:
    """:func:`nearest_rank_percentile` of the draws a histogram stands for, without listing them."""
    total = sum(histogram.values())
    if not total:
        raise ValueError("no values")
    return histogram_value(histogram, max(math.ceil(share * total), 1))


def histogram_median(histogram: Mapping[int, int]) -> float:
    """:func:`median` of the draws a histogram stands for, without listing them."""
    total = sum(histogram.values())
    if total % 2:
        return float(histogram_value(histogram, total // 2 + 1))
    return (histogram_value(histogram, total // 2) + histogram_value(histogram, total // 2 + 1)) / 2


class RankHistograms:
    """Each unit's ranks over many draws, counted on arrays: draws × units at a time, exact counts.

    A unit's counts are kept for the ranks from the lowest to the highest it has drawn (a window that
    widens, by half again, when a draw falls outside it), one flat integer array for all units: the memory
    grows with the spread of each unit's ranks (ranks are 1 and up), not with units × group size, and a
    batch of draws is counted with one ``np.bincount``. Medians and percentiles are read as :func:`histogram_median` and
    :func:`histogram_percentile` read a ``{rank: draws}`` histogram (nearest rank), for all units at once.
    """

    def __init__(self, units: int, most: Any = None) -> None:
        """``units`` histograms; ``most``: the highest rank each unit can draw (its pool's size), if known."""
        import numpy as np

        self.most = most
        self.draws = 0
        self.low = np.zeros(units, dtype=np.int64)
        self.width = np.zeros(units, dtype=np.int64)
        self.offsets = np.zeros(units + 1, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)

    def add(self, ranks: Any) -> None:
        """Count a batch of draws: ``ranks`` of shape ``(draws, units)``."""
        import numpy as np

        if ranks.shape[0] == 0:
            return
        low, high = ranks.min(axis=0), ranks.max(axis=0)
        if self.draws == 0 or (low < self.low).any() or (high >= self.low + self.width).any():
            self._widen(low if self.draws == 0 else np.minimum(low, self.low), high)
        codes = (ranks - self.low) + self.offsets[:-1]
        self.counts += np.bincount(codes.ravel(), minlength=len(self.counts))
        self.draws += ranks.shape[0]

    def _widen(self, low: Any, high: Any) -> None:
        import numpy as np

        if self.draws:
            high = np.maximum(high, self.low + self.width - 1)
            # a window that had to widen is widened by half again, so that it rarely has to again
            pad = (high - low) // 2 + 1
            low, high = np.maximum(low - pad, 1), high + pad
            if self.most is not None:
                high = np.minimum(high, self.most)
        width = high - low + 1
        offsets = np.zeros(len(width) + 1, dtype=np.int64)
        np.cumsum(width, out=offsets[1:])
        counts = np.zeros(int(offsets[-1]), dtype=np.int64)
        if self.draws:
            unit = np.repeat(np.arange(len(self.width)), self.width)
            rank = self.low[unit] + np.arange(len(self.counts)) - self.offsets[unit]
            counts[offsets[unit] + rank - low[unit]] = self.counts
        self.low, self.width, self.offsets, self.counts = low, width, offsets, counts

    def value(self, position: int) -> Any:
        """Each unit's rank at 1-based ``position`` of its sorted draws."""
        import numpy as np

        cumulative = np.cumsum(self.counts)
        before = np.concatenate([[0], cumulative])[self.offsets[:-1]]
        found = np.searchsorted(cumulative, before + position, side="left")
        return self.low + found - self.offsets[:-1]

    def percentile(self, share: float) -> Any:
        """:func:`histogram_percentile` of every unit's draws."""
        if not self.draws:
            raise ValueError("no values")
        return self.value(max(math.ceil(share * self.draws), 1))

    def median(self) -> Any:
        """:func:`histogram_median` of every unit's draws."""
        if self.draws % 2:
            return self.value(self.draws // 2 + 1).astype(float)
        return (self.value(self.draws // 2) + self.value(self.draws // 2 + 1)) / 2

    def histogram(self, unit: int) -> dict[int, int]:
        """One unit's ``{rank: draws}``."""
        start, width = int(self.offsets[unit]), int(self.width[unit])
        counts = self.counts[start : start + width].tolist()
        return {int(self.low[unit]) + k: c for k, c in enumerate(counts) if c}
