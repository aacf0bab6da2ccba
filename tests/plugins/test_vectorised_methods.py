"""Every built-in plugin's indicator method gives the same results on arrays as on rows.

One generated scheme carries an indicator of every plugin method (Heshan, Jishui, Liaoning, Nantong, the
county appraisal, Jingyang) under every rounding mode and several precisions; hypothesis-generated units
and rows are scored by the row engine of the tests (tests/core/scoring_oracle.py, rows read row by row) and
by the engine (``arrays`` and ``auto``), and the pinned JSON (points, trail inputs and notes, totals, ranks)
or the problems a run stops with must be identical. The valid datasets must also give no problem and no
warning (a warning makes the engine score the whole indicator by its row form). The numbers are the
engines' own: the test is that two independent computations agree (the plugins' own tests check them
against the seeds by hand).
"""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaoping.core.columnar.engine import ENGINE_ENV, vectorised_form
from kaoping.core.columnar.trail import CompactUnitScore
from kaoping.core.pipeline import run
from kaoping.io.dataio import dataset_from_records
from tests.core.test_columnar_engine import GENERATED
from tests.core.test_columnar_engine import generated_run as plugin_run
from tests.helpers import host, host_with, mini_scheme

PLUGIN_METHODS = (
    "heshan_rank_move",
    "jishui_cases_short",
    "jishui_all_rates_met",
    "liaoning_vs_last_year",
    "liaoning_vs_plan",
    "liaoning_adjusted",
    "liaoning_mixed",
    "nantong_targets",
    "nantong_review",
    "county_appraisal",
    "jingyang_target_sheet",
    "jingyang_key_work",
)
LEVELS = {"rated": ("好", "中", "差")}
LEADER, SOCIAL = ("先进", "良好", "达标"), ("满意", "基本满意", "不满意")
CHANNELS = ("c1", "c2", "c3")
RATES = ("省级", "县级")


def test_every_built_in_indicator_method_has_a_vectorised_form():
    methods = [m for m in host().methods if m.kind == "indicator"]
    assert {m.name for m in methods if m.plugin != "builtin"} == set(PLUGIN_METHODS)
    assert all(vectorised_form(m) is not None for m in methods), [m.name for m in methods if not vectorised_form(m)]
    for found in methods:  # a plugin's form is imported on first use: each one names a function that exists
        form = vectorised_form(found)
        assert callable(getattr(importlib.import_module(form.__module__), form.__name__)), found.name


@st.composite
def plugin_schemes(draw, warnings: bool = False):
    """A scheme with one indicator of every plugin method, its parameters drawn."""
    pick = lambda *options: draw(st.sampled_from(options))  # noqa: E731
    params: dict[str, dict[str, Any]] = {
        "heshan_rank_move": {
            "per_place": pick("0.5", "1", "0.3"),
            "max_per_indicator": pick("2", "1.5"),
            "kept_first": pick("1", "2.5"),
        },
        "jishui_cases_short": {"rate": pick("0.9", "0.95", "1", "0.333"), "points_per_case": pick("1", "0.5", "2")},
        "jishui_all_rates_met": {"thresholds": {RATES[0]: "0.95", RATES[1]: pick("0.9", "0.875")}},
        "liaoning_vs_last_year": {"tier": "t1", "cap": pick("1.2", "1")},
        "liaoning_vs_plan": {"tier": "t2", **({"cap": "1.1"} if draw(st.booleans()) else {})},
        "liaoning_adjusted": {"tier": "t3", **pick({}, {"max_bonus": "2"}, {"max_bonus": "1", "max_deduction": "1.5"})},
        "liaoning_mixed": {"tier": "t4", **pick({}, {"max_deduction": "0.5"})},
        "nantong_targets": {
            "breakthrough": "0.9",
            "completed": "0.8",
            "incomplete_cap": pick("0.8", "0.75"),
            **({"share": "50%", "pool": ["nantong_targets", "nantong_pool"], "tolerance": "0%"} if warnings else {}),
        },
        "nantong_review": {
            "channels": {"市领导评鉴": pick("0.6", "0.5", "0.35"), "社会评议": None},
            "leader_levels": dict(zip(LEADER, pick((1, "0.8", "0.6"), ("1", "0.7", "0.3")), strict=True)),
            "social_levels": dict(zip(SOCIAL, pick((1, "0.7", 0), ("0.9", "0.6", "0.1")), strict=True)),
        },
        "county_appraisal": {
            **pick(
                {"channels": dict(zip(CHANNELS, ("0.5", "0.3", "0.2"), strict=True))},
                {"channels": dict(zip(CHANNELS, ("0.8", "0.2", "0"), strict=True)), "fixed_channels": ["c1"]},
                {"channels": dict(zip(CHANNELS, ("0.7", "0.3", "0"), strict=True))},
            ),
            "levels": dict(zip(LEVELS["rated"], pick((1, "0.6", 0), ("1", "0.5", "0.25")), strict=True)),
            "rating_weight": pick("0", "0.3", "1", "0.35"),
            "scale": pick(100, 30),
            **({"ballot_items": 3} if warnings else {}),
        },
        "jingyang_target_sheet": {},
        "jingyang_key_work": {},
    }
    review = params["nantong_review"]["channels"]
    review["社会评议"] = str(1 - Decimal(review["市领导评鉴"]))
    points = 10
    indicators = [
        {"id": name, "name": name, "part": "p", "method": name, "points": points, **params[name]}
        for name in PLUGIN_METHODS
    ]
    # the pool the key-work share is checked against with ``warnings`` (「職能目標總分的60%左右」)
    indicators.append(
        {"id": "nantong_pool", "name": "pool", "part": "p", "method": "nantong_targets", "points": points}
        | {k: v for k, v in params["nantong_targets"].items() if k in ("breakthrough", "completed", "incomplete_cap")}
    )
    total = points * len(indicators)
    return mini_scheme(
        id="test.plugin_methods",
        total=total,
        precision=pick("0.01", "0.1", "1", "0.001"),
        rounding=pick("half_up", "half_even", "down", "up", "floor", "ceiling"),
        parameters={"tier_weights": {"t1": "10", "t2": "7.5", "t3": "5", "t4": "3"}},
        parts=[{"id": "p", "name": "部分", "points": total}],
        indicators=indicators,
    )


@st.composite
def plugin_records(draw, valid: bool = True):
    """Units with rows for every plugin indicator: in range (``valid``), or with rows each method refuses."""

    def bad() -> bool:
        return not valid and draw(st.integers(0, 5)) == 0

    def small(low: int, high: int) -> int:
        return draw(st.integers(low, high))

    units, values = [], []
    for u in range(draw(st.integers(1, 5))):
        uid = f"u{u}"
        units.append({"unit": uid, "name": uid, "group": "g"})

        def row(indicator: str, value: Any, **more: Any) -> None:
            values.append({"unit": uid, "indicator": indicator, "value": str(value), **more})  # noqa: B023

        for k in range(small(1, 3)):  # places this year and last
            place = draw(st.sampled_from(["0", "2.5"])) if bad() else small(1, 6)
            last = {} if bad() else {"baseline": draw(st.sampled_from([str(small(1, 6)), "2.5"]))}
            row("heshan_rank_move", place, item=f"k{k}", **last)
        arising = small(0, 40)
        handled = small(0, arising) if not bad() else arising + 1
        row("jishui_cases_short", handled, target=arising)
        if bad():
            row("jishui_cases_short", handled, target=arising)
        levels = list(RATES) if not bad() else draw(st.lists(st.sampled_from([*RATES, "乡级"]), max_size=3))
        for level in levels:
            rate = draw(st.sampled_from(["0.89", "0.9", "0.875", "0.95", "1", "0.949"]))
            row("jishui_all_rates_met", rate, item=level)
        for name, column in (("liaoning_vs_last_year", "baseline"), ("liaoning_vs_plan", "target")):
            reference = str(small(1, 40)) if not bad() else draw(st.sampled_from(["0", ""]))
            row(name, small(0, 60) if not bad() else -1, **({column: reference} if reference else {}))
        adjustments = [draw(st.sampled_from(["-1", "0.5", "2", "-0.25", "1.5"])) for _ in range(small(0, 3))]
        for k, amount in enumerate(adjustments):
            row("liaoning_adjusted", amount, item=f"m{k}", **({"target": "1"} if bad() else {}))
        if not adjustments:
            row("liaoning_adjusted", "0", item="m")
        plans = 1 if not bad() else draw(st.sampled_from([0, 2]))
        for k in range(plans):
            row("liaoning_mixed", small(0, 30), item=f"plan{k}", target=small(1, 30))
        for k, amount in enumerate(adjustments):
            row("liaoning_mixed", amount, item=f"m{k}")
        if plans == 0 and not adjustments:
            row("liaoning_mixed", "1", item="m")
        for name in ("nantong_targets", "nantong_pool"):
            for k in range(small(1, 3)):
                standard = {"baseline": draw(st.sampled_from(["1", "3", "2.5", "7"]))} if not bad() else {}
                if draw(st.booleans()):
                    share = draw(st.sampled_from(["0.8", "0.85", "0.9", "0.95", "1"])) if not bad() else "0.7"
                    row(name, share, item=f"t{k}", **standard)
                else:
                    planned = small(1, 12)
                    done = small(0, planned - 1) if not bad() else planned
                    row(name, done, item=f"t{k}", target=planned, **standard)
        for channel, names in ((0, LEADER), (1, SOCIAL)):
            given = [small(0, 7) for _ in names]
            if not any(given) and not bad():
                given[channel % len(given)] = 1
            for name, votes in zip(names, given, strict=True):
                row("nantong_review", votes if not bad() else -1, item=name)
        if bad():
            row("nantong_review", 1, item="优秀")
        for channel in CHANNELS:
            if bad() and draw(st.booleans()):
                continue
            row("county_appraisal", small(0, 3) if draw(st.booleans()) else small(0, 30), item=channel)
        marks = [small(0, 9) for _ in LEVELS["rated"]]
        if not any(marks):
            marks[0] = 3
        for level, count in zip(LEVELS["rated"], marks, strict=True):
            row("county_appraisal", count if not bad() else "1.5", item=level)
        if bad():
            row("county_appraisal", 101, item="c1")
        for k in range(small(1, 3)):
            row("jingyang_target_sheet", draw(st.sampled_from(["4", "6.5", "10"])), item=f"目标{k}")
            row("jingyang_key_work", small(60, 100), item=f"q{k}")
    return {"units": units, "values": values}


@GENERATED
@given(plugin_schemes(), plugin_records())
def test_generated_data_of_every_plugin_method_scores_the_same_on_arrays(scheme, records):
    outcome = plugin_run(scheme, records)
    assert outcome.startswith("{") or "more digits than a JSON number" in outcome, outcome
    test_host = host_with(scheme)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(ENGINE_ENV, "auto")
        result = run(test_host, test_host.scheme(scheme["id"]), dataset_from_records(records))
    assert all(isinstance(u.score, CompactUnitScore) for u in result.units)
    assert not result.warnings  # no indicator went to its row form as a whole for a warning


@GENERATED
@given(plugin_schemes(), plugin_records(valid=False))
def test_generated_refused_rows_of_every_plugin_method_are_reported_the_same(scheme, records):
    plugin_run(scheme, records)


@GENERATED
@given(plugin_schemes(warnings=True), plugin_records())
def test_generated_warnings_of_plugin_methods_are_the_same(scheme, records):
    plugin_run(scheme, records)
