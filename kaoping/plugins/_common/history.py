"""Rules on a unit's earlier years (the ``history`` table): consecutive years, waiting periods, validity.

Several schemes reach back over years: 「连续三年排在末位」 (three consecutive last places),
「取得…等级证书一年后」 (a waiting period before the next application), 「有效期为三年」 (a level that lapses).
These helpers read ``HistoryRow`` tuples only, so each plugin decides which rows count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from kaoping.api import HistoryRow, RunResult


def rows_of(history: Iterable[HistoryRow], unit: str) -> list[HistoryRow]:
    """The unit's rows, oldest first."""
    return sorted((row for row in history if row.unit == unit), key=lambda row: row.year)


def consecutive_years(rows: Iterable[HistoryRow], test: Callable[[HistoryRow], bool], last_year: int) -> int:
    """How many consecutive years ending at ``last_year`` have a row passing ``test``.

    A missing year breaks the run: a year without a row is not presumed to pass.
    """
    by_year = {row.year: row for row in rows}
    count = 0
    year = last_year
    while year in by_year and test(by_year[year]):
        count += 1
        year -= 1
    return count


def waited(since_year: int, year: int, years: int) -> bool:
    """True when at least ``years`` full years separate ``since_year`` from ``year`` (「一年后」)."""
    return year - since_year >= years


def expiry_year(granted_year: int, validity_years: int) -> int:
    """The year a certificate granted in ``granted_year`` expires (「有效期为三年」: 2011 → 2014)."""
    return granted_year + validity_years


def last_in_history(history: Iterable[HistoryRow], members: set[str]) -> Callable[[HistoryRow], bool]:
    """A history row is a last place when its rank is the highest rank of its year among ``members``."""
    worst: dict[int, int] = {}
    for row in history:
        if row.unit in members and row.rank is not None:
            worst[row.year] = max(worst.get(row.year, 0), row.rank)
    return lambda row: row.rank is not None and row.rank == worst.get(row.year)


def last_place_runs(result: RunResult, history: Sequence[HistoryRow], year: int) -> dict[str, int]:
    """For each unit last in its ranking pool (or group) this year: how many consecutive years, this one
    included, it has been last (「连续三年排在末位」).

    Units tied at the last place are all last; a pool whose units all tie at the top has no last place,
    and neither has a pool of one.
    """
    runs: dict[str, int] = {}
    for members in result.ranking_sections().values():
        ranked = [u for u in members if u.rank is not None]
        worst = max((u.rank or 0 for u in ranked), default=0)
        if len(ranked) < 2 or worst == 1:
            continue
        is_last = last_in_history(history, {u.unit for u in ranked})
        for unit in ranked:
            if unit.rank == worst:
                earlier = [row for row in history if row.unit == unit.unit and row.year < year]
                runs[unit.unit] = 1 + consecutive_years(earlier, is_last, year - 1)
    return runs
