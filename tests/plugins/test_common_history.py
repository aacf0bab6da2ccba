"""Tests of the history helpers (kaoping/plugins/_common/history.py), computed by hand."""

from __future__ import annotations

from kaoping.core.models import HistoryRow
from kaoping.plugins._common.history import consecutive_years, expiry_year, rows_of, waited


def row(unit: str, year: int, rank: int | None = None, grade: str = "") -> HistoryRow:
    return HistoryRow(unit=unit, year=year, rank=rank, grade=grade)


HISTORY = [row("A", 2017, 9), row("A", 2015, 9), row("A", 2016, 9), row("B", 2016, 1), row("A", 2014, 2)]


def test_rows_of_sorted_and_filtered():
    assert [r.year for r in rows_of(HISTORY, "A")] == [2014, 2015, 2016, 2017]


def test_consecutive_years_counts_back_from_last_year():
    rows = rows_of(HISTORY, "A")
    last = lambda r: r.rank == 9  # noqa: E731
    assert consecutive_years(rows, last, 2017) == 3  # 2017, 2016, 2015; 2014 rank 2 stops
    assert consecutive_years(rows, last, 2018) == 0  # no 2018 row
    assert consecutive_years(rows, last, 2014) == 0


def test_consecutive_years_gap_breaks_the_run():
    rows = [row("A", 2017, 9), row("A", 2015, 9)]
    assert consecutive_years(rows, lambda r: r.rank == 9, 2017) == 1


def test_waiting_and_validity():
    assert waited(2011, 2012, 1) and not waited(2011, 2011, 1)
    assert expiry_year(2011, 3) == 2014


def test_last_place_runs_count_back_over_the_pool_history():
    # 「连续三年排在末位」 (004): last this year and in the two years before → a run of 3
    from kaoping.core.results import RunResult, UnitResult, UnitScore
    from kaoping.plugins._common.history import last_place_runs

    def unit(uid: str, rank: int) -> UnitResult:
        return UnitResult(unit=uid, name=uid, group="g", score=UnitScore(uid, ()), rank=rank)

    result = RunResult("s", "s", [unit("a", 1), unit("b", 2), unit("c", 3)])
    history = [
        HistoryRow("c", 2023, rank=3),
        HistoryRow("a", 2023, rank=1),
        HistoryRow("c", 2022, rank=2),
        HistoryRow("b", 2022, rank=3),
        HistoryRow("c", 2021, rank=3),
    ]
    assert last_place_runs(result, history, 2024) == {"c": 2}  # 2024 and 2023; in 2022 b was last
    tied_top = RunResult("s", "s", [unit("a", 1), unit("b", 1)])
    assert last_place_runs(tied_top, history, 2024) == {}
