"""Kendall's tau-b and Spearman's rho on examples small enough to check by hand."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from kaoping.compare.stats import (
    TauB,
    average_ranks,
    histogram_median,
    histogram_percentile,
    kendall_tau_b,
    median,
    nearest_rank_percentile,
    spearman_rho,
)


def pair_by_pair_tau_b(x, y) -> TauB:
    """The definition, pair by pair in O(n²): the implementation Knight's algorithm replaced."""
    n = len(x)
    concordant = discordant = ties_x = ties_y = ties_both = 0
    for i in range(n):
        for j in range(i + 1, n):
            dx = (x[j] > x[i]) - (x[j] < x[i])
            dy = (y[j] > y[i]) - (y[j] < y[i])
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
    denominator = (n0 - ties_x - ties_both) * (n0 - ties_y - ties_both)
    value = None if denominator == 0 else (concordant - discordant) / math.sqrt(denominator)
    return TauB(n, concordant, discordant, ties_x, ties_y, ties_both, value)


def test_tau_b_with_ties_by_hand():
    # x = 1 2 2 3, y = 1 3 2 2. Pairs: (0,1) C, (0,2) C, (0,3) C, (1,2) tied in x only,
    # (1,3) x up / y down: D, (2,3) tied in y only. C = 3, D = 1, n0 = 6, n1 = 1, n2 = 1:
    # tau-b = (3 − 1) / sqrt((6 − 1)(6 − 1)) = 2 / 5 = 0.4
    tau = kendall_tau_b([1, 2, 2, 3], [1, 3, 2, 2])
    assert (tau.concordant, tau.discordant, tau.ties_x, tau.ties_y, tau.ties_both) == (3, 1, 1, 1, 0)
    assert tau.value == pytest.approx(0.4, abs=1e-15)


def test_tau_b_ties_in_both_and_decimals():
    # x = 1 1 2, y = 5 5 4 (Decimals). (0,1) tied in both; (0,2) and (1,2): x up, y down: D = 2.
    # n0 = 3, n1 = 1, n2 = 1: tau-b = (0 − 2) / sqrt(2 · 2) = −1
    tau = kendall_tau_b([Decimal(1), Decimal(1), Decimal(2)], [Decimal(5), Decimal(5), Decimal(4)])
    assert (tau.discordant, tau.ties_both) == (2, 1)
    assert tau.value == pytest.approx(-1.0, abs=1e-15)


def test_tau_b_undefined_for_a_constant_ranking():
    assert kendall_tau_b([1, 1, 1], [1, 2, 3]).value is None


def test_spearman_with_ties_by_hand():
    # average ranks (descending): x = 1 2 2 3 → 4, 2.5, 2.5, 1; y = 1 3 2 2 → 4, 1, 2.5, 2.5.
    # Deviations from 2.5: x (1.5, 0, 0, −1.5), y (1.5, −1.5, 0, 0): Σxy = 2.25, Σx² = Σy² = 4.5:
    # rho = 2.25 / 4.5 = 0.5
    assert average_ranks([1, 2, 2, 3]) == [Fraction(4), Fraction(5, 2), Fraction(5, 2), Fraction(1)]
    assert spearman_rho([1, 2, 2, 3], [1, 3, 2, 2]) == pytest.approx(0.5, abs=1e-15)


def test_spearman_without_ties_matches_the_d_squared_formula():
    # ranks 2 3 5 4 6 1 against 1 4 3 5 6 2: Σd² = 1 + 1 + 4 + 1 + 0 + 1 = 8;
    # rho = 1 − 6 · 8 / (6 · 35) = 27/35
    assert spearman_rho([2, 3, 5, 4, 6, 1], [1, 4, 3, 5, 6, 2]) == pytest.approx(27 / 35, abs=1e-15)


def test_against_scipy_when_available():
    stats = pytest.importorskip("scipy.stats", reason="scipy is not a dependency; cross-check only when present")
    rng = random.Random(7)
    for _ in range(20):
        x = [rng.randint(1, 6) for _ in range(25)]
        y = [rng.randint(1, 6) for _ in range(25)]
        assert kendall_tau_b(x, y).value == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-12)
        assert spearman_rho(x, y) == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)
    # and at a size where only an O(n log n) count is practical
    x = [rng.randint(1, 300) for _ in range(20_000)]
    y = [v + rng.randint(-50, 50) for v in x]
    assert kendall_tau_b(x, y).value == pytest.approx(stats.kendalltau(x, y).statistic, abs=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_knights_count_equals_the_pair_by_pair_count(seed: int):
    """Exact pair counts, not only the value: random lengths (0 to 120), many ties in x, y and both."""
    rng = random.Random(seed)
    n = rng.choice([0, 1, 2, 3, rng.randint(4, 120)])
    spread = rng.choice([1, 2, 3, 10, 1000])
    x = [rng.randint(1, spread) for _ in range(n)]
    y = [rng.randint(1, spread) if rng.random() < 0.7 else x[i] for i in range(n)]
    if seed % 3 == 0:  # exact decimals and fractions, as the engine's totals are
        x = [Decimal(v) / 4 for v in x]
        y = [Fraction(v, 3) for v in y]
    assert kendall_tau_b(x, y) == pair_by_pair_tau_b(x, y)


def test_knights_count_leaves_its_inputs_alone():
    x, y = [3, 1, 2, 2], [1, 2, 3, 3]
    kendall_tau_b(x, y)
    assert (x, y) == ([3, 1, 2, 2], [1, 2, 3, 3])


@pytest.mark.parametrize("seed", range(10))
def test_percentiles_from_a_histogram_equal_those_of_the_listed_draws(seed: int):
    rng = random.Random(seed)
    draws = sorted(rng.choice([1, 2, 2, 3, 9, 40]) for _ in range(rng.randint(1, 301)))
    histogram: dict[int, int] = {}
    for rank in draws:
        histogram[rank] = histogram.get(rank, 0) + 1
    for share in (0.0, 0.05, 0.5, 0.95, 1.0):
        assert histogram_percentile(histogram, share) == nearest_rank_percentile(draws, share)
    assert histogram_median(histogram) == median(draws)


def test_percentiles_use_the_nearest_rank():
    ranks = sorted([1] * 5 + [2] * 90 + [7] * 5)
    # 5 % of 100 draws is the 5th value (1); 95 % is the 95th (2); the 96th would be 7.
    assert nearest_rank_percentile(ranks, 0.05) == 1
    assert nearest_rank_percentile(ranks, 0.95) == 2
    assert median([1, 2, 3, 4]) == 2.5 and median([3, 5, 9]) == 5


def test_rank_histograms_read_as_the_dict_histograms():
    """Batches of ranks counted on arrays give each unit the median and percentiles of its own
    ``{rank: draws}`` histogram, whichever way the windows had to widen between batches."""
    import numpy as np

    from kaoping.compare.stats import RankHistograms, histogram_median, histogram_percentile

    rng = np.random.default_rng(7)
    histograms = RankHistograms(5, most=np.full(5, 200))
    by_unit: list[dict[int, int]] = [{} for _ in range(5)]
    for spread in (1, 3, 40, 2, 90):  # later batches reach ranks the first windows did not hold
        ranks = rng.integers(1, spread + 1, size=(int(rng.integers(1, 30)), 5)) + np.arange(5) * 7
        histograms.add(ranks)
        for row in ranks.tolist():
            for unit, rank in enumerate(row):
                by_unit[unit][rank] = by_unit[unit].get(rank, 0) + 1
    assert [histograms.histogram(u) for u in range(5)] == by_unit
    assert histograms.median().tolist() == [histogram_median(h) for h in by_unit]
    for share in (0.05, 0.5, 0.95):
        assert histograms.percentile(share).tolist() == [histogram_percentile(h, share) for h in by_unit]
    # the memory is the spread of the ranks drawn (padded), never beyond the pool's size
    assert (histograms.low + histograms.width - 1 <= 200).all()
    assert len(histograms.counts) < 5 * int(histograms.low.max() + histograms.width.max())
