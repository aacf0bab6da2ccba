"""Rank statistics between two schemes' results: Kendall's tau-b, Spearman's rho, percentiles.

Counts of concordant, discordant and tied pairs are exact integers and Spearman's sums are exact
fractions, so the only rounding is the one final square root. Tau-b (not tau-a) is used because
quotas and bands make ties common: tau-b corrects for ties in either ranking, as the OECD/JRC handbook
recommends when comparing rankings of a composite indicator.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

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

    An O(n²) pair count: comparisons involve tens or hundreds of units, and the plain count is the
    definition itself, which keeps the result auditable.
    """
    if len(x) != len(y):
        raise ValueError("kendall_tau_b needs two sequences of the same length")
    n = len(x)
    concordant = discordant = ties_x = ties_y = ties_both = 0
    for i in range(n):
        xi, yi = x[i], y[i]
        for j in range(i + 1, n):
            dx = (x[j] > xi) - (x[j] < xi)
            dy = (y[j] > yi) - (y[j] < yi)
            if dx == 0 and dy == 0:
                ties_both += 1
            elif dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif dx == dy:
                concordant += 1
            else:
                discordant += 1
    n0 = n * (n - 1) // 2
    n1 = ties_x + ties_both
    n2 = ties_y + ties_both
    denominator = (n0 - n1) * (n0 - n2)
    value = None if denominator == 0 else (concordant - discordant) / math.sqrt(denominator)
    return TauB(n, concordant, discordant, ties_x, ties_y, ties_both, value)


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
