"""The period fold on arrays (kaoping/plugins/_common/period_arrays.py) gives the row fold's results.

The row fold (tests/plugins/period_fold_oracle.py: each period on the row engine, the months folded unit by
unit in ``Decimal``) and :func:`kaoping.plugins._common.periods.score_by_period` score the same generated
per-period datasets (several months, units missing from some months, events in some months, every
aggregate, a part cap and a floor, precisions 0.01 and 0.1, rounding half up): the full JSON of the run, or
the problems it stops with, must be identical. Numbers are the two folds' own; the hand-computed cases are in
test_common_periods.py and the three plugins' tests.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping import hookimpl
from kaoping.core.columnar.values import ValueColumns, ValueRowsView
from kaoping.core.errors import InputError, KaopingError
from kaoping.core.pipeline import run
from kaoping.core.plugins import PluginHost
from kaoping.io.dataio import dataset_from_records
from kaoping.io.report import to_json
from kaoping.plugins._common import periods
from kaoping.plugins._common.period_arrays import PeriodUnitScore
from kaoping.plugins._common.periods import period_aggregate
from tests.core.scoring_oracle import scored_by_oracle
from tests.helpers import score
from tests.plugins import period_fold_oracle

PLUGIN = "test_periods"
SCHEME_ID = "test.periods"


class PeriodPlugin:
    """A per-period scheme's plugin, as the built-in ones are: its scheme, scored by ``fold``."""

    def __init__(self, scheme: dict[str, Any], fold: Callable[..., Any]) -> None:
        self.scheme = scheme
        self.fold = fold

    @hookimpl
    def kaoping_register_schemes(self, register: Any) -> None:
        register(self.scheme)

    @hookimpl
    def kaoping_score(self, scheme: Any, dataset: Any, methods: Any) -> Any:
        table, _monthly = self.fold(scheme, dataset, methods, period_aggregate(scheme), plugin=PLUGIN)
        return table


def period_scheme(
    precision: str, aggregate: str, cap: str | None, below_floor: str, optional: bool, bonus_cap: str | None
) -> dict[str, Any]:
    """Two parts: indicators and bonuses (cap ``cap``), and a deduction part from a base with a floor."""
    return {
        "id": SCHEME_ID,
        "name": "按月考核测试方案",
        "total": 100,
        "precision": precision,
        "rounding": "half_up",
        "status": {"complete": True},
        "parameters": {"period_aggregate": aggregate},
        "groups": [{"id": "g1", "name": "一类"}, {"id": "g2", "name": "二类", "indicators": ["d"]}],
        "parts": [
            {"id": "a", "name": "业绩", "points": 50, **({"cap": cap} if cap else {})},
            {"id": "b", "name": "扣分项", "points": 50, "base": 50, "floor": 0, "below_floor": below_floor},
        ],
        "indicators": [
            {"id": "d", "name": "直接得分", "part": "a", "method": "direct", "points": 30, "optional": optional},
            {
                "id": "r",
                "name": "完成率",
                "part": "a",
                "method": "share",
                "points": 20,
                "on_zero": "full",
                "optional": optional,
            },
        ],
        "rules": [
            {"id": "x", "name": "违规", "kind": "deduction", "part": "b", "points": "7.5"},
            {"id": "y", "name": "加分", "kind": "bonus", "part": "a", "points": "1.5"}
            | ({"cap": bonus_cap} if bonus_cap else {}),
        ],
    }


AGGREGATES = ("mean", "sum", "last", "mean_sum_rules")
values_text = st.decimals(min_value=0, max_value=30, places=2).map(str)


@st.composite
def period_runs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    optional = draw(st.booleans())
    scheme = period_scheme(
        precision=draw(st.sampled_from(["0.01", "0.1"])),
        aggregate=draw(st.sampled_from(AGGREGATES)),
        cap=draw(st.sampled_from([None, "45", "48.5"])),
        below_floor=draw(st.sampled_from(["stop", "total"])),
        optional=optional,
        bonus_cap=draw(st.sampled_from([None, "3"])),
    )
    months = [f"2015-{m:02d}" for m in range(1, draw(st.sampled_from([1, 2, 3, 4, 6])) + 1)]
    units, values, events = [], [], []
    for i in range(draw(st.integers(min_value=1, max_value=5))):
        unit, group = f"U{i}", draw(st.sampled_from(["g1", "g2"]))
        units.append({"unit": unit, "name": f"单位{i}", "group": group})
        # a unit missing from a month: an optional indicator scores 0 there, a required one is a problem
        skips = draw(st.booleans()) and (optional or draw(st.integers(0, 9)) == 0)
        for period in months:
            if skips and draw(st.booleans()):
                continue
            values.append({"unit": unit, "indicator": "d", "value": draw(values_text), "period": period})
            if group == "g1":
                done = draw(st.integers(min_value=0, max_value=7))
                early = draw(st.integers(min_value=0, max_value=done))
                values.append({"unit": unit, "indicator": "r", "value": early, "target": done, "period": period})
            for _ in range(draw(st.integers(min_value=0, max_value=2))):
                rule = draw(st.sampled_from(["x", "y"]))
                count = draw(st.integers(min_value=1, max_value=7))
                events.append({"unit": unit, "rule": rule, "count": count, "date": f"{period}-15"})
    if not values:  # a run needs at least one assessed month
        values.append({"unit": "U0", "indicator": "d", "value": "1", "period": months[0]})
    return scheme, {"units": units, "values": values, "events": events}


def outcome(scheme: dict[str, Any], records: dict[str, Any], fold: Callable[..., Any], columns: bool = False) -> str:
    """The run's pinned JSON under ``fold``, or the problems it stops with."""
    host = PluginHost(entry_points=False, plugin_objects=[(PLUGIN, PeriodPlugin(scheme, fold))])
    try:
        dataset = dataset_from_records(records)
        if columns:  # the values as the CSV reader gives them: columns, cut by period without rows
            dataset = dataset.evolve(values=ValueRowsView(ValueColumns.from_rows(dataset.values)))
        return to_json(run(host, host.scheme(SCHEME_ID), dataset))
    except KaopingError as error:
        return f"{type(error).__name__}: {error}"


DIFFERENTIAL = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@DIFFERENTIAL
@given(period_runs())
def test_the_fold_on_arrays_gives_the_row_folds_json(run_data):
    scheme, records = run_data
    expected = outcome(scheme, records, period_fold_oracle.score_by_period)
    assert outcome(scheme, records, periods.score_by_period, columns=True) == expected
    assert outcome(scheme, records, periods.score_by_period) == expected
    with scored_by_oracle():  # months of plain UnitScores: folded on arrays all the same
        assert outcome(scheme, records, periods.score_by_period) == expected


def test_a_generated_run_scores():  # the differential test compares results, not only the problems
    scheme = period_scheme("0.1", "mean_sum_rules", "45", "total", optional=True, bonus_cap="3")
    records = {
        "units": [{"unit": "A", "name": "甲", "group": "g1"}, {"unit": "B", "name": "乙", "group": "g2"}],
        "values": [
            {"unit": "A", "indicator": "d", "value": "29.5", "period": "2015-01"},
            {"unit": "A", "indicator": "r", "value": 1, "target": 3, "period": "2015-01"},
            {"unit": "B", "indicator": "d", "value": "12.25", "period": "2015-02"},
        ],
        "events": [{"unit": "A", "rule": "y", "count": 5, "date": "2015-01-03"}],
    }
    expected = outcome(scheme, records, period_fold_oracle.score_by_period)
    assert expected.startswith("{")
    assert outcome(scheme, records, periods.score_by_period, columns=True) == expected


# ---------------------------------------------------------------------------------------------------------
# hand-computed, through the Weihai scheme (seed 002_f0b00884609f5575.txt, 篇(4))

WEIHAI = "shandong.weihai.e_monitoring"


def weihai(early: list[tuple[int, int]]) -> dict[str, list[dict[str, Any]]]:
    values = [
        {"unit": "A", "indicator": "early_completion", "value": e, "target": d, "period": f"2015-{m:02d}"}
        for m, (e, d) in enumerate(early, start=1)
    ]
    return {"units": [{"unit": "A", "name": "审批部门甲", "group": "approval"}], "values": values}


def weihai_json(records: dict[str, Any], fold: Callable[..., Any]) -> str:
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr("kaoping.plugins.shandong_weihai_e_monitoring.score_by_period", fold)
        return to_json(score(WEIHAI, records))


def test_a_mean_on_a_rounding_boundary_is_summed_as_the_row_fold_summed_it():
    # 「(当月本部门提前办结数/当月本部门办结数)×15」, 「年度考核总分取每月算术平均分」, six months:
    # 15×4/7 = 8.57, 15×2/6 = 5.00, 15×0/7 = 0.00, 15×5/6 = 12.50, 15×6/6 = 15.00, 15×1/1 = 15.00
    # exact mean 56.07 / 6 = 9.345, on the half-way point; the row fold adds the shares 8.57/6 … divided
    # at 28 digits: 9.344999…9, which rounds to 9.34. The fold on arrays finds the unit on the boundary
    # and sums its shares the same way (docs/engine.md, "Per-period schemes").
    records = weihai([(4, 7), (2, 6), (0, 7), (5, 6), (6, 6), (1, 1)])
    got = score(WEIHAI, records).units[0]
    assert isinstance(got.score, PeriodUnitScore)
    assert got.parts["early"] == Decimal("9.34")
    # the shares 1.43 + 0.83 + 0 + 2.08 + 2.50 + 2.50 = 9.34: no rounding entry
    assert [e.points for e in got.score.trail if e.part == "early"] == [
        Decimal(v) for v in ("1.43", "0.83", "0.00", "2.08", "2.50", "2.50")
    ]
    assert weihai_json(records, periods.score_by_period) == weihai_json(records, period_fold_oracle.score_by_period)


def test_the_annual_trail_is_built_when_read_and_adds_up():
    # 「年度考核总分取每月算术平均分」: early 15×1/3 = 5.00 and 15×1/1 = 15.00 → shares 2.50 + 7.50 = 10.00
    got = score(WEIHAI, weihai([(1, 3), (1, 1)]))
    unit = got.units[0].score
    assert isinstance(unit, PeriodUnitScore)
    to_json(got)  # writing the run builds each unit's trail for the writer, and keeps none
    assert unit._trail is None
    assert unit.parts["early"] == Decimal(10)
    assert unit.total == Decimal(100) - 15 + 10  # every other part full: 50 + 15 + 10 + 20
    assert sum(e.points for e in unit.trail) == unit.total
    assert {e.inputs["period"] for e in unit.trail} == {"2015-01", "2015-02"}


def test_the_monthly_tables_are_the_row_folds():
    records = weihai([(1, 3), (2, 3), (0, 3)])
    host = PluginHost(entry_points=False)
    scheme = host.scheme(WEIHAI)
    data = dataset_from_records(records)
    new = periods.score_by_period(scheme, data, host.methods, "mean")[1]
    old = period_fold_oracle.score_by_period(scheme, data, host.methods, "mean")[1]
    assert list(new) == list(old) == ["2015-01", "2015-02", "2015-03"]
    for period in old:
        assert [(u.unit, u.total, u.trail) for u in new[period]] == [(u.unit, u.total, u.trail) for u in old[period]]


def test_a_value_row_without_a_period_is_named_from_columns_as_from_rows():
    records = weihai([(1, 3), (2, 3)])
    records["values"][1]["period"] = ""
    rows = dataset_from_records(records)
    columns = rows.evolve(values=ValueRowsView(ValueColumns.from_rows(rows.values)))
    found = []
    for data in (rows, columns):
        with pytest.raises(InputError) as error:
            periods.split_by_period(data)
        found.append([(p.file, p.row, p.column) for p in error.value.problems])
    assert found[0] == found[1] == [("<records>#values", 2, "period")]
