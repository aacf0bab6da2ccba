"""Hand-computed tests of the ``fraction_of_assessed`` and ``plan_items`` methods."""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError
from tests.helpers import D, mini_scheme, run_scheme


def scheme(fraction: str | None) -> dict:
    rule = {"id": "r", "name": "连带", "kind": "deduction", "part": "p", "method": "fraction_of_assessed"}
    if fraction is not None:
        rule["fraction"] = fraction
    return mini_scheme(
        parts=[{"id": "p", "name": "部分", "points": 100}],
        indicators=[{"id": "i", "name": "指标", "part": "p", "method": "direct", "points": 100}],
        rules=[rule],
    )


def data(*points) -> dict:
    return {
        "units": [{"unit": "a", "name": "甲", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "value": 100}],
        "events": [{"unit": "a", "rule": "r", "points": p} for p in points],
    }


def test_half_of_each_assessed_amount():
    # ÷2: 100 − 7 × 0.5 − 3 × 0.5 = 95
    assert run_scheme(scheme("0.5"), data(7, 3)).units[0].total == D(95)


def test_default_fraction_is_whole_amount():
    # fraction 1: 100 − 7 = 93
    assert run_scheme(scheme(None), data(7)).units[0].total == D(93)


def test_missing_amount_is_an_error():
    records = data(1)
    del records["events"][0]["points"]
    with pytest.raises(InputError, match="assessed amount"):
        run_scheme(scheme("0.5"), records)


def plan_scheme() -> dict:
    return mini_scheme(indicators=[{"id": "i", "name": "指标", "part": "p", "method": "plan_items", "points": 100}])


def plan_data(*items) -> dict:
    rows = [{"unit": "a", "indicator": "i", "item": f"x{n}", "value": v, "target": t} for n, (v, t) in enumerate(items)]
    return {"units": [{"unit": "a", "name": "甲", "group": "g"}], "values": rows}


def test_plan_items_scaled_to_points():
    # awarded (20 + 25 + 10) / planned (30 + 30 + 20) = 55 / 80 × 100 = 68.75
    got = run_scheme(plan_scheme(), plan_data((20, 30), (25, 30), (10, 20))).units[0]
    assert got.total == D("68.75")


def test_plan_items_full_marks_at_plan():
    # every item at its plan: 100 × 50 / 50 = 100
    assert run_scheme(plan_scheme(), plan_data((30, 30), (20, 20))).units[0].total == D(100)


def test_plan_items_award_above_plan_is_an_error():
    with pytest.raises(InputError, match="planned points"):
        run_scheme(plan_scheme(), plan_data((31, 30)))
