"""县年度政绩考核评价 (anonymous county, annual political-performance appraisal): seed 004.

Scores are data in ``scheme.toml``. This hook adds what a table cannot say: the loss of 评先选优 for a
unit vetoed in an inspection, and 末位淘汰 for the last place three years running (「连续三年排在末位」),
read from ``history`` rows (year + rank) within the unit's group. ``appeal_deadline`` gives the end of the
ten-day appeal window (「可以在十日内以书面形式向县委组织部提出申诉」).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from kaoping import hookimpl
from kaoping.core.errors import MissingParameterError
from kaoping.core.models import Dataset, HistoryRow
from kaoping.core.results import RunResult, UnitResult
from kaoping.core.scheme import Scheme
from kaoping.plugins._common.history import consecutive_years

SCHEME_ID = "anon.county_political_performance"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
VETO_LOSS = "取消其领导班子、主要领导和分管领导的本年度评先选优资格"
REMOVAL = "按干部管理权限和法定程序,在班子调整时实行免职、责令辞职、降职或改任非领导职务"


@hookimpl
def kaoping_register_schemes(register: Callable[[Path], None]) -> None:
    register(SCHEME_FILE)


def appeal_deadline(feedback: date, days: int = 10) -> date:
    """The last day an appeal may be filed: 「在十日内」 counted in calendar days after the feedback."""
    return feedback + timedelta(days=days)


def deputy_score(portfolio: Decimal, other: Decimal, share: Decimal = Decimal("0.8")) -> Decimal:
    """A deputy's 百分制 score: 「党政副职领导干部考核标准将分管工作占80%」, the rest on other work."""
    return share * portfolio + (1 - share) * other


def rating_share(votes: Mapping[str, int], levels: Mapping[str, Decimal]) -> Decimal:
    """Σ(votes × level value) / Σ votes on 好 / 中 / 差; the level values are not in the source."""
    missing = [name for name in votes if name not in levels]
    if missing:
        raise MissingParameterError(
            f"{SCHEME_ID}: no value for rating level(s) {', '.join(missing)}; 「将评价标准分为好、中、差三个档次」 "
            "gives no conversion; supply the level values"
        )
    total = sum(votes.values())
    if total == 0:
        return Decimal(0)
    return sum((Decimal(n) * levels[name] for name, n in votes.items()), Decimal(0)) / total


def evaluation_year(scheme: Scheme) -> int:
    year = int(scheme.parameters.get("evaluation_year", 0))
    if year <= 0:
        raise MissingParameterError(
            f"{SCHEME_ID}: parameter evaluation_year is not set; 「连续三年排在末位」 counts back from it; "
            "set it in the deployment's overrides"
        )
    return year


def last_in_history(history: tuple[HistoryRow, ...], members: set[str]) -> Callable[[HistoryRow], bool]:
    """A history row is a last place when its rank is the highest rank of its year within the group."""
    worst: dict[int, int] = {}
    for row in history:
        if row.unit in members and row.rank is not None:
            worst[row.year] = max(worst.get(row.year, 0), row.rank)
    return lambda row: row.rank is not None and row.rank == worst.get(row.year)


def apply_last_place(scheme: Scheme, dataset: Dataset, result: RunResult) -> None:
    if not dataset.history:
        return
    year = evaluation_year(scheme)
    needed = int(scheme.parameters.get("last_place_years", 3))
    groups: dict[str, list[UnitResult]] = {}
    for unit in result.units:
        groups.setdefault(unit.group, []).append(unit)
    for members in groups.values():
        ranks = [u.rank for u in members if u.rank is not None]
        if len(members) < 2 or not ranks:
            continue
        is_last = last_in_history(dataset.history, {u.unit for u in members})
        for unit in members:
            if unit.rank != max(ranks):
                continue
            earlier = [row for row in dataset.history if row.unit == unit.unit and row.year < year]
            run = 1 + consecutive_years(earlier, is_last, year - 1)
            unit.consequences["last_place_years"] = run
            if run >= needed:
                unit.consequences.setdefault("sanctions", []).append(REMOVAL)


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    if scheme.id != SCHEME_ID:
        return result
    for unit in result.units:
        if unit.vetoes:
            unit.consequences["excellence_barred"] = VETO_LOSS
    apply_last_place(scheme, dataset, result)
    return result
