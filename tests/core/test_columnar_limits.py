"""Limits across units and over several items, generated: the engine against the row engine of the tests.

Every kind of limit the engine applies on its arrays or across units is drawn into one scheme (bonuses kept
only where others were deducted, on a rule or an indicator, over the run or a pool; bonuses for at most a
share of units; caps over indicators, nested; caps over parts; caps as a share of an item's points, over
rules, indicators and parts; part caps and floors), with hypothesis-generated units, values and events.
The pinned JSON (or the problems) must be identical to the oracle's (tests/core/scoring_oracle.py), under
every rounding mode and several precisions, a coarse one (``1E+1``: points count tens) among them. The
limits' own numbers are computed by hand in tests/core/test_limits.py and test_primitives_limits.py.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.core.test_columnar_engine import GENERATED, generated_run

UNITS = ("A", "B", "C", "D", "E", "F")


@st.composite
def limit_schemes(draw: st.DrawFn) -> dict[str, Any]:
    precision = draw(st.sampled_from(["0.01", "0.1", "1", "1E+1"]))
    rounding = draw(st.sampled_from(["half_up", "half_even", "down", "up", "floor", "ceiling"]))
    scope = draw(st.sampled_from(["all", "group"]))
    deducted_on = draw(st.sampled_from([["late"], ["i1"], ["late", "i2"]]))
    caps: list[dict[str, Any]] = []
    if draw(st.booleans()):
        caps.append(
            {"id": "inner", "name": "目标一二", "indicators": ["i1", "i2"], "max": draw(st.sampled_from([50, "45.5"]))}
        )
    if draw(st.booleans()):
        caps.append({"id": "outer", "name": "目标合计", "indicators": ["i2", "i1", "i3"], "max": 60})
    if draw(st.booleans()):
        caps.append({"id": "of_i3", "name": "目标三上限", "indicators": ["i3"], "share": "75%", "of": "i3"})
    if draw(st.booleans()):
        caps.append({"id": "late_cap", "name": "迟到上限", "rules": ["late"], "share": "30%", "of": "conduct"})
    if draw(st.booleans()):
        caps.append(
            {
                "id": "soft",
                "name": "作风加分合计",
                "parts": ["work", "conduct", "bonus"],
                "max": draw(st.sampled_from([80, "82.5"])),
            }
        )
    if draw(st.booleans()):
        caps.append(
            {"id": "soft2", "name": "加分作风", "parts": ["bonus", "conduct"], "share": "110%", "of": "conduct"}
        )
    clean: dict[str, Any] = {"id": "clean", "name": "无迟到加分", "part": "bonus", "kind": "bonus", "points": 3}
    if draw(st.booleans()):
        clean["only_if_deducted"] = {
            "items": deducted_on,
            "above": draw(st.sampled_from(["0", "30%", "50%"])),
            "scope": scope,
        }
    award: dict[str, Any] = {"id": "award", "name": "获表彰", "part": "bonus", "kind": "bonus", "points": "2.5"}
    if draw(st.booleans()):
        award["at_most_share"] = draw(st.sampled_from(["20%", "40%", "50%"]))
        award["share_scope"] = draw(st.sampled_from(["all", "group"]))
    return {
        "id": "test.limits",
        "name": "限额测试",
        "total": 100,
        "precision": precision,
        "rounding": rounding,
        "status": {"complete": True},
        "groups": [{"id": "g1", "name": "一组", "pool": "p1"}, {"id": "g2", "name": "二组", "pool": "p2"}],
        "parts": [
            {"id": "work", "name": "工作目标", "points": 70, "cap": draw(st.sampled_from([70, 65]))},
            {
                "id": "conduct",
                "name": "作风建设",
                "points": 20,
                "base": 20,
                "floor": 0,
                "below_floor": draw(st.sampled_from(["stop", "total"])),
            },
            {"id": "bonus", "name": "加分", "points": 10, "cap": 10},
        ],
        "indicators": [
            {"id": "i1", "name": "目标一", "part": "work", "method": "direct", "points": 30},
            {"id": "i2", "name": "目标二", "part": "work", "method": "direct", "points": 30},
            {"id": "i3", "name": "目标三", "part": "work", "method": "ratio", "points": 10},
        ],
        "rules": [
            {"id": "late", "name": "迟到", "part": "conduct", "kind": "deduction", "points": "1.5"},
            clean,
            award,
        ],
        "caps": caps,
        "grading": {"grades": ["合格"], "default": "合格"},
    }


@st.composite
def limit_records(draw: st.DrawFn) -> dict[str, Any]:
    units = UNITS[: draw(st.integers(1, len(UNITS)))]
    values, events = [], []
    for unit in units:
        values.append({"unit": unit, "indicator": "i1", "value": str(draw(st.integers(0, 60)) / 2)})
        values.append({"unit": unit, "indicator": "i2", "value": draw(st.integers(0, 30))})
        values.append(
            {"unit": unit, "indicator": "i3", "value": draw(st.integers(0, 9)), "target": draw(st.integers(1, 9))}
        )
        for rule in ("late", "clean", "award"):
            if draw(st.booleans()):
                events.append({"unit": unit, "rule": rule, "count": draw(st.integers(0, 15))})
    return {
        "units": [{"unit": u, "name": f"单位{u}", "group": "g1" if k % 2 == 0 else "g2"} for k, u in enumerate(units)],
        "values": values,
        "events": events,
    }


@GENERATED
@given(limit_schemes(), limit_records())
def test_generated_limits_across_units_and_items_score_as_the_row_engine_does(scheme, records):
    outcome = generated_run(scheme, records)
    assert outcome.startswith("{"), outcome
