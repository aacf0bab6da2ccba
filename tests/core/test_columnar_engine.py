"""The engine gives the row engine's results (tests/core/scoring_oracle.py), byte for byte in the pinned JSON.

The engine and the oracle run on every built-in sample, every dataset under tests/data and
hypothesis-generated datasets; results (or the problems reported) must be identical. Numbers are the
engines' own: the test is that two independent computations agree, plus hand-computed cases where decimal
arithmetic (28 significant digits) and exact fractions part ways.
"""

from __future__ import annotations

from collections.abc import Generator
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping import hookimpl
from kaoping.core.columnar import engine as columnar_engine
from kaoping.core.columnar.core_methods import VECTORISED
from kaoping.core.columnar.engine import ENGINE_ENV, all_vectorised
from kaoping.core.columnar.table import ColumnarDataset
from kaoping.core.columnar.trail import CompactUnitScore
from kaoping.core.columnar.vector import VectorAwards
from kaoping.core.errors import InputError, KaopingError
from kaoping.core.methods import Award, ScoringContext, method
from kaoping.core.pipeline import prepare, run
from kaoping.core.results import ScoreTable, TrailEntry
from kaoping.io import dataio, loader
from kaoping.io.dataio import dataset_from_records
from kaoping.io.report import to_json
from kaoping.plugins._common.period_arrays import PeriodUnitScore
from kaoping.testing import builtin_samples
from tests.core.scoring_oracle import score_dataset as oracle_score
from tests.core.test_properties import datasets
from tests.helpers import host, host_with, mini_scheme

DATA = Path(__file__).parents[1] / "data"


def outcome(monkeypatch: pytest.MonkeyPatch, engine: str, score: Any, reader: str = "columns") -> str:
    """The pinned JSON of a run under ``engine`` (``oracle``: the row engine of the tests), or the problems it
    stops with.

    ``reader``: a folder's values.csv read into columns (the default loader) or row by row.
    """
    monkeypatch.setenv(ENGINE_ENV, "auto" if engine == "oracle" else engine)
    with monkeypatch.context() as patched:
        if reader == "rows":
            patched.setattr(loader, "load_dataset", partial(dataio.load_dataset, columnar=False))
        if engine == "oracle":
            patched.setattr(columnar_engine, "score", oracle_score)
        try:
            return to_json(score())
        except (KaopingError, ValueError) as error:  # ValueError: a number JSON cannot carry exactly
            return f"{type(error).__name__}: {error}"


def same_in_both(monkeypatch: pytest.MonkeyPatch, score: Any) -> str:
    """The oracle on rows read row by row, against the engine (both names) on the values read into columns
    and on rows, and the oracle on columns."""
    rows = outcome(monkeypatch, "oracle", score, reader="rows")
    assert outcome(monkeypatch, "arrays", score) == rows
    assert outcome(monkeypatch, "auto", score) == rows
    assert outcome(monkeypatch, "oracle", score) == rows
    assert outcome(monkeypatch, "auto", score, reader="rows") == rows
    return rows


@pytest.mark.parametrize("sample", builtin_samples(), ids=lambda s: s.scheme_id)
def test_every_builtin_sample_scores_the_same(monkeypatch, sample):
    setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
    assert setup.scheme is not None
    result = same_in_both(monkeypatch, lambda: run(setup.host, setup.scheme, sample.data))
    assert '"units"' in result


def on_arrays(score: object) -> bool:
    """Whether a unit was scored on arrays: a compact score, or the annual score of a per-period plugin whose
    every period was (kaoping/plugins/_common/period_arrays.py, docs/engine.md)."""
    if isinstance(score, PeriodUnitScore):
        return all(month.store is not None for month in score.store.months)
    return isinstance(score, CompactUnitScore)


@pytest.mark.parametrize("sample", builtin_samples(), ids=lambda s: s.scheme_id)
def test_every_builtin_sample_runs_on_arrays_under_auto(monkeypatch, sample):
    setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
    assert setup.scheme is not None
    assert all_vectorised(setup.scheme, setup.host.methods)  # no method goes through the adapter
    monkeypatch.setenv(ENGINE_ENV, "auto")
    result = run(setup.host, setup.scheme, sample.data)
    assert all(on_arrays(u.score) for u in result.units)


@pytest.mark.parametrize("folder", sorted(p for p in DATA.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_test_dataset_scores_or_fails_the_same(monkeypatch, folder):
    scheme_id = "fujian.zhangzhou" if "zhangzhou" in folder.name else None
    assert scheme_id is not None, f"say which scheme reads {folder.name}"
    same_in_both(monkeypatch, lambda: run(host(), host().scheme(scheme_id), folder))


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(datasets())
def test_generated_zhangzhou_datasets_score_the_same(records):
    with pytest.MonkeyPatch.context() as monkeypatch:
        same_in_both(monkeypatch, lambda: run(host(), host().scheme("fujian.zhangzhou"), dataset_from_records(records)))


# ---------------------------------------------------------------------------------------------------------
# every vectorised core method, every rounding mode, parts with bases, caps, floors and overflows

METHOD_ROWS = ("direct", "ratio", "share", "pass_fail", "mean", "weighted", "rating", "plan_items", "step_shortfall")
CHANNELS = ("c1", "c2", "c3")
LEVELS = ("好", "中", "差")


@st.composite
def method_schemes(draw):
    precision = draw(st.sampled_from(["0.01", "0.1", "1", "0.001"]))
    rounding = draw(st.sampled_from(["half_up", "half_even", "down", "up", "floor", "ceiling"]))
    points = draw(st.sampled_from([3, 7, 15, 20, "7.5", "12.25"]))
    indicators = []
    for k, name in enumerate(METHOD_ROWS):
        extra: dict[str, Any] = {}
        if name == "share":
            extra["on_zero"] = draw(st.sampled_from(["full", "zero", "error"]))
        if name == "mean":
            extra["trim"] = draw(st.integers(0, 1))
            extra["scale"] = draw(st.sampled_from([3, 10, 100]))
        if name == "ratio":
            extra["cap"] = draw(st.sampled_from(["1", "1.2"]))
        if name == "pass_fail":
            extra["threshold"] = draw(st.sampled_from([1, 2]))
        if name == "weighted":
            weights = draw(st.sampled_from([("0.5", "0.25", "0.25"), ("0.6", "0.3", "0.1"), ("0.7", "0.3", "0")]))
            extra["channels"] = dict(zip(CHANNELS, weights, strict=True))
            extra["scale"] = draw(st.sampled_from([3, 100]))
        if name == "rating":
            shares = draw(st.sampled_from([(1, "0.6", 0), (1, "0.5", "0.25"), ("0.9", "0.7", "0.3")]))
            extra["levels"] = dict(zip(LEVELS, shares, strict=True))
        if name == "step_shortfall":
            extra["step"] = draw(st.sampled_from(["0.05", "0.1", "1", "0.3", "2.5"]))
            extra["points_per_step"] = draw(st.sampled_from([4, "2.5", 1, "0.125"]))
            extra["partial"] = draw(st.sampled_from(["up", "down"]))
        indicators.append({"id": name, "name": name, "part": f"p{k % 2}", "method": name, "points": points, **extra})
    each = Decimal(str(points))
    cap = draw(st.sampled_from([None, each, each * 2]))
    parts = [
        {"id": "p0", "name": "甲", "points": str(5 * each), **({"cap": str(cap)} if cap is not None else {})},
        {"id": "p1", "name": "乙", "points": str(4 * each)},
        {
            "id": "d",
            "name": "扣分",
            "points": 10,
            "base": 10,
            "floor": 0,
            "below_floor": draw(st.sampled_from(["stop", "total"])),
        },
    ]
    scheme = mini_scheme(
        id="test.methods",
        total=str(9 * each + 10),
        precision=precision,
        rounding=rounding,
        parts=parts,
        indicators=indicators,
        rules=[{"id": "r", "name": "扣分", "part": "d", "kind": "deduction", "points": 3}],
    )
    return scheme


@st.composite
def method_records(draw, valid: bool = True):
    """Records for ``method_schemes``: in range (``valid``), or with some rows each method refuses."""
    low = 0 if valid else -1

    def number(high: int) -> int:
        return draw(st.integers(min_value=low, max_value=high))

    units, values, events = [], [], []
    for u in range(draw(st.integers(1, 5))):
        uid = f"u{u}"
        units.append({"unit": uid, "name": uid, "group": "g"})
        values.append({"unit": uid, "indicator": "direct", "value": str(Decimal(number(12)) / 4)})
        values.append({"unit": uid, "indicator": "ratio", "value": number(40), "target": number(40) + int(valid)})
        total = number(40)
        values.append(
            {"unit": uid, "indicator": "share", "value": number(total) if valid else number(40), "target": total}
        )
        values.append({"unit": uid, "indicator": "pass_fail", "value": str(Decimal(number(40)) / 10)})
        for item in range(draw(st.integers(1 + 2 * int(valid), 4))):
            values.append({"unit": uid, "indicator": "mean", "item": f"r{item}", "value": number(3)})
        channels = CHANNELS if valid else draw(st.lists(st.sampled_from([*CHANNELS, "c9"]), min_size=1, max_size=4))
        for channel in channels:
            values.append({"unit": uid, "indicator": "weighted", "item": channel, "value": number(3)})
        levels = LEVELS if valid else draw(st.lists(st.sampled_from([*LEVELS, "坏"]), min_size=1, max_size=4))
        for k, level in enumerate(levels):
            values.append(
                {"unit": uid, "indicator": "rating", "item": level, "value": number(5) + int(valid and not k)}
            )
        for item in range(draw(st.integers(1, 3))):
            planned = number(6) + int(valid and not item)
            awarded = number(planned) if valid else number(8)
            values.append(
                {"unit": uid, "indicator": "plan_items", "item": f"p{item}", "value": awarded, "target": planned}
            )
        shortfall = {"unit": uid, "indicator": "step_shortfall", "value": str(Decimal(number(120)) / 100)}
        if valid or draw(st.booleans()):  # the row form refuses a row without a target
            shortfall["target"] = draw(st.sampled_from(["1", "0.95", "100", "3"]))
        values.append(shortfall)
        if draw(st.booleans()):
            events.append({"unit": uid, "rule": "r", "count": draw(st.integers(0, 6))})
    return {"units": units, "values": values, "events": events}


def generated_run(scheme: dict[str, Any], records: dict[str, Any]) -> str:
    test_host = host_with(scheme)
    bound = test_host.scheme(scheme["id"])
    with pytest.MonkeyPatch.context() as monkeypatch:
        return same_in_both(monkeypatch, lambda: run(test_host, bound, dataset_from_records(records)))


GENERATED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@GENERATED
@given(method_schemes(), method_records())
def test_generated_schemes_of_every_vectorised_method_score_the_same(scheme, records):
    outcome_json = generated_run(scheme, records)
    if scheme["indicators"][2]["on_zero"] != "error":
        # only a zero total can be refused; a mean of three scores can repeat (1/3), which the JSON
        # writer refuses to round (the row engine's behaviour, kept)
        assert outcome_json.startswith("{") or "more digits than a JSON number" in outcome_json, outcome_json


@GENERATED
@given(method_schemes(), method_records(valid=False))
def test_generated_refused_rows_are_reported_the_same(scheme, records):
    generated_run(scheme, records)


def test_a_quotient_decimal_rounds_onto_a_boundary_gets_the_row_engines_points(monkeypatch):
    # mean of 0, 0 and 1 over a scale of 1, times 3 points: exactly 1, but 1/3 is rounded to 28 digits
    # first (0.333…3), so decimal arithmetic gives 0.999…9, which rounding "down" makes 0.99.
    scheme = mini_scheme(
        rounding="down",
        total=3,
        parts=[{"id": "p", "name": "部分", "points": 3}],
        indicators=[
            {"id": "i", "name": "指标", "part": "p", "method": "mean", "points": 3, "scale": 1},
        ],
    )
    records = {
        "units": [{"unit": "a", "name": "甲", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "item": f"r{k}", "value": v} for k, v in enumerate("001")],
    }
    test_host = host_with(scheme)
    for scorer in (oracle_score, columnar_engine.score):
        with monkeypatch.context() as patched:
            patched.setattr(columnar_engine, "score", scorer)
            result = run(test_host, test_host.scheme("test.mini"), dataset_from_records(records))
        assert result.units[0].total == Decimal("0.99")


# ---------------------------------------------------------------------------------------------------------
# the adapter, the choice, the compact trail


@method("test_double", "indicator", doc="twice the value (a third party's row-based method)")
def double(indicator, rows, ctx):
    return {unit: Award(unit_rows[0].value * 2, {"twice": unit_rows[0].value}) for unit, unit_rows in rows.items()}


def double_columns(indicator, columns, ctx):
    """The columnar form of ``test_double``: units with one row are decided here, others by the rows."""
    one = columns.counts == 1
    rows = columns.starts[:-1][one]
    value = columns.value
    return VectorAwards(
        units=columns.units[one],
        num=2 * value.ints[rows],
        den=np.full(int(one.sum()), 10**value.scale),
        inputs=lambda k: {"twice": value.decimal(int(rows[k]))},
        rows_for=columns.units[~one],
    )


double_vectorised = method("test_double", "indicator", vectorised=double_columns)(double.fn)


class RowMethodPlugin:
    def __init__(self, registered=double):
        self.registered = registered

    @hookimpl
    def kaoping_register_methods(self, register):
        register(self.registered)


def row_method_run(monkeypatch, engine: str, registered=double, engines_used: list[str] | None = None) -> str:
    scheme = mini_scheme(
        total=200,
        parts=[{"id": "p", "name": "部分", "points": 200}],
        indicators=[
            {"id": "i", "name": "指标", "part": "p", "method": "direct", "points": 100},
            {"id": "j", "name": "加倍", "part": "p", "method": "test_double", "points": 100},
        ],
    )
    test_host = host_with(scheme, plugins=(("row_method", RowMethodPlugin(registered)),))
    records = {
        "units": [{"unit": u, "name": u, "group": "g"} for u in ("a", "b")],
        "values": [
            {"unit": "a", "indicator": "i", "value": "10.5"},
            {"unit": "b", "indicator": "i", "value": "20"},
            {"unit": "a", "indicator": "j", "value": "1.25"},
            {"unit": "b", "indicator": "j", "value": "3"},
        ],
    }
    vectorised = registered.vectorised is not None
    assert all_vectorised(test_host.scheme("test.mini"), test_host.methods) is vectorised
    scheme_bound = test_host.scheme("test.mini")

    def score():
        result = run(test_host, scheme_bound, dataset_from_records(records))
        if engines_used is not None:
            engines_used.append("arrays" if isinstance(result.units[0].score, CompactUnitScore) else "oracle")
        return result

    return outcome(monkeypatch, engine, score)


def test_a_row_based_method_runs_through_the_adapter_with_the_same_result(monkeypatch):
    used: list[str] = []
    adapted = row_method_run(monkeypatch, "arrays", engines_used=used)
    assert adapted == row_method_run(monkeypatch, "oracle") == row_method_run(monkeypatch, "auto", engines_used=used)
    assert used == ["arrays", "arrays"]  # auto is the same engine: a method without a vectorised form is adapted
    # a: 10.5 + 2 × 1.25 = 13; b: 20 + 2 × 3 = 26
    assert '"total": 13' in adapted and '"total": 26' in adapted and '"twice": 1.25' in adapted


def test_a_plugin_method_with_a_vectorised_form_scores_on_arrays_with_the_same_result(monkeypatch):
    used: list[str] = []
    on_arrays = row_method_run(monkeypatch, "auto", double_vectorised, used)
    assert used == ["arrays"]
    assert on_arrays == row_method_run(monkeypatch, "oracle", double_vectorised)
    assert on_arrays == row_method_run(monkeypatch, "oracle")


def test_an_unknown_engine_setting_is_refused(monkeypatch):
    monkeypatch.setenv(ENGINE_ENV, "gpu")
    with pytest.raises(InputError, match="KAOPING_ENGINE"):
        run(host(), host().scheme("fujian.zhangzhou"), _zhangzhou_sample())


def _zhangzhou_sample() -> Path:
    return next(s.data for s in builtin_samples() if s.scheme_id == "fujian.zhangzhou")


class AddsAnEntry:
    """A ``kaoping_score`` wrapper that adds a point after scoring, as the hook spec describes."""

    @hookimpl(wrapper=True)
    def kaoping_score(self) -> Generator[None, ScoreTable, ScoreTable]:
        table = yield
        for score in table:
            score.add(TrailEntry("adjustment", "bonus", "加一分", "p", Decimal(1)))
        return table


def test_the_compact_trail_is_built_on_demand_and_takes_later_entries(monkeypatch):
    monkeypatch.setenv(ENGINE_ENV, "arrays")
    test_host = host_with(mini_scheme(), plugins=(("adds", AddsAnEntry()),))
    records = {
        "units": [{"unit": "a", "name": "甲", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "value": "80.5"}],
    }
    result = run(test_host, test_host.scheme("test.mini"), dataset_from_records(records))
    score = result.units[0].score
    assert isinstance(score, CompactUnitScore)
    assert [e.kind for e in score.trail] == ["indicator", "adjustment"]
    assert result.units[0].total == Decimal("81.5")  # 80.5 assessed + 1 added by the wrapper


def test_explaining_one_unit_builds_no_other_units_trail(monkeypatch):
    monkeypatch.setenv(ENGINE_ENV, "arrays")
    result = run(host(), host().scheme("fujian.zhangzhou"), _zhangzhou_sample())
    first, *others = result.units
    assert first.score.trail
    assert all(isinstance(u.score, CompactUnitScore) and u.score._trail is None for u in others)


def test_step_shortfall_is_decided_on_arrays_with_hand_computed_points(monkeypatch):
    # 「全面完成市政府下达的2014年补充耕地任务数(20分),每差欠5%扣4分」 (jiangxi_jishui_land_bureau seed):
    # 93% of the target is 7% short: 2 steps of 5% (a partial step counts whole) → 20 − 2 × 4 = 12;
    # 95% is exactly 1 step → 16; 100% and above → 20; 0% is 20 steps → 20 − 80, never below 0 → 0.
    scheme = mini_scheme(
        id="test.shortfall",
        total=20,
        parts=[{"id": "p", "name": "部分", "points": 20}],
        indicators=[
            {
                "id": "s",
                "name": "补充耕地",
                "part": "p",
                "method": "step_shortfall",
                "points": 20,
                "step": "0.05",
                "points_per_step": 4,
            }
        ],
    )
    values = {"a": "0.93", "b": "0.95", "c": "1.02", "d": "0"}
    records = {
        "units": [{"unit": u, "name": u, "group": "g"} for u in values],
        "values": [{"unit": u, "indicator": "s", "value": v, "target": "1"} for u, v in values.items()],
    }
    test_host = host_with(scheme)
    bound = test_host.scheme("test.shortfall")
    assert all_vectorised(bound, test_host.methods)  # no method goes through the adapter
    dataset = dataset_from_records(records)
    columns = ColumnarDataset.from_dataset(dataset)
    rows = columns.indicator("s")
    assert rows is not None
    context = ScoringContext(scheme=bound, dataset=dataset)
    awards = VECTORISED["step_shortfall"](bound.indicators[0], rows, context)
    assert len(awards.units) == 4 and len(awards.rows_for) == 0  # no unit left to the row form
    monkeypatch.setenv(ENGINE_ENV, "auto")
    result = run(test_host, bound, dataset)
    assert {u.unit: str(u.total) for u in result.units} == {"a": "12.00", "b": "16.00", "c": "20.00", "d": "0.00"}
    steps = {u.unit: u.score.trail[0].inputs["steps"] for u in result.units}
    assert steps == {"a": 2, "b": 1, "c": 0, "d": 20}
