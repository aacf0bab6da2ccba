"""Each core scoring method on hand-computed cases."""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError
from tests.helpers import D, mini_scheme, run_scheme


def one(method: str, points: int, rows: list[dict], **params) -> dict:
    scheme = mini_scheme(
        total=points,
        parts=[{"id": "p", "name": "部分", "points": points}],
        indicators=[{"id": "i", "name": "指标", "part": "p", "method": method, "points": points, **params}],
    )
    data = {
        "units": [{"unit": "A", "name": "甲", "group": "g"}],
        "values": [{"unit": "A", "indicator": "i", **r} for r in rows],
    }
    return run_scheme(scheme, data).units[0]


def total(method: str, points: int, rows: list[dict], **params):
    return one(method, points, rows, **params).total


def test_direct_takes_the_assessed_score():
    assert total("direct", 50, [{"value": "37.5"}]) == D("37.5")


def test_ratio_is_completion_capped():
    # 20 × 90 / 120 = 15
    assert total("ratio", 20, [{"value": "90", "target": "120"}]) == D(15)
    # over-completion 150 / 120 = 1.25, capped at 1 → 20
    assert total("ratio", 20, [{"value": "150", "target": "120"}]) == D(20)
    # cap 1.2 allows 120%: 20 × min(150 / 100, 1.2) = 24 (a part cap is the part's business, not the method's)
    assert total("ratio", 20, [{"value": "150", "target": "100"}], cap="1.2") == D(24)


def test_ratio_rounds_to_scheme_precision():
    # 10 × 1 / 3 = 3.333… → 3.33 (precision 0.01, half up)
    assert total("ratio", 10, [{"value": "1", "target": "3"}]) == D("3.33")
    # 10 × 2 / 3 = 6.666… → 6.67
    assert total("ratio", 10, [{"value": "2", "target": "3"}]) == D("6.67")


def test_share_of_count_times_points():
    # 提前办结数 / 办结数 × 15: 36 / 48 × 15 = 11.25
    assert total("share", 15, [{"value": "36", "target": "48"}]) == D("11.25")


def test_share_with_zero_denominator_follows_on_zero():
    assert total("share", 15, [{"value": "0", "target": "0"}], on_zero="full") == D(15)
    assert total("share", 15, [{"value": "0", "target": "0"}], on_zero="zero") == D(0)
    with pytest.raises(InputError, match="total is 0"):
        total("share", 15, [{"value": "0", "target": "0"}])


def test_rating_converts_votes_to_points():
    # 满意 60, 基本满意 30, 不满意 10 with shares 1 / 0.6 / 0: 30 × (60 + 18) / 100 = 23.4
    rows = [{"item": "满意", "value": "60"}, {"item": "基本满意", "value": "30"}, {"item": "不满意", "value": "10"}]
    levels = {"满意": 1, "基本满意": "0.6", "不满意": 0}
    assert total("rating", 30, rows, levels=levels) == D("23.4")


def test_rating_rejects_unknown_levels():
    with pytest.raises(InputError, match="rating level '很满意'"):
        total("rating", 30, [{"item": "很满意", "value": "1"}], levels={"满意": 1})


def test_weighted_channels():
    # 70% × 80 + 30% × 90 = 83 on a 100 scale, into 100 points = 83
    rows = [{"item": "指标", "value": "80"}, {"item": "公众", "value": "90"}]
    assert total("weighted", 100, rows, channels={"指标": "70%", "公众": "30%"}) == D(83)


def test_weighted_needs_every_channel():
    with pytest.raises(InputError, match="lacks channel"):
        total("weighted", 100, [{"item": "指标", "value": "80"}], channels={"指标": "70%", "公众": "30%"})


def test_weighted_weights_must_sum_to_one():
    rows = [{"item": "a", "value": "80"}, {"item": "b", "value": "90"}]
    with pytest.raises(InputError, match="add up to 0.9"):
        total("weighted", 100, rows, channels={"a": "60%", "b": "30%"})


def test_mean_with_trim():
    # scores 40, 42, 44, 46, 50 on a 50 scale; dropping highest and lowest: (42+44+46)/3 = 44
    rows = [{"item": f"r{i}", "value": v} for i, v in enumerate(["40", "42", "44", "46", "50"])]
    assert total("mean", 50, rows, trim=1) == D(44)
    # without trim: 222 / 5 = 44.4
    assert total("mean", 50, rows) == D("44.4")


def test_mean_rescales():
    # monthly scores on 100 averaged into a 30-point part: 30 × (90 + 80) / 2 / 100 = 25.5
    rows = [{"period": "01", "value": "90"}, {"period": "02", "value": "80"}]
    assert total("mean", 30, rows, scale=100) == D("25.5")


def test_pass_fail_includes_the_threshold():
    # 以上 includes the boundary: 90 ≥ 90 → full points
    assert total("pass_fail", 5, [{"value": "90"}], threshold=90) == D(5)
    assert total("pass_fail", 5, [{"value": "89.99"}], threshold=90) == D(0)


def test_step_shortfall_per_started_step():
    # 每差欠5%扣4分: target 100%, actual 88% → shortfall 12% = 2.4 steps → 3 steps (partial counts) → 20 − 12 = 8
    assert total("step_shortfall", 20, [{"value": "0.88", "target": "1"}], step="0.05", points_per_step=4) == D(8)
    # counting whole steps only: 2 steps → 20 − 8 = 12
    rows = [{"value": "0.88", "target": "1"}]
    assert total("step_shortfall", 20, rows, step="0.05", points_per_step=4, partial="down") == D(12)
    # never below 0
    assert total("step_shortfall", 20, [{"value": "0", "target": "1"}], step="0.05", points_per_step=4) == D(0)


def test_unknown_method_parameter_is_an_error():
    with pytest.raises(InputError, match="has no parameter 'capp'"):
        total("ratio", 20, [{"value": "1", "target": "1"}], capp=1)


def test_missing_value_is_listed_not_scored_zero():
    scheme = mini_scheme()
    data = {"units": [{"unit": "A", "name": "甲", "group": "g"}], "values": []}
    with pytest.raises(InputError, match="has no value for indicator 'i'"):
        run_scheme(scheme, data)


def test_optional_indicator_scores_zero_with_a_note():
    scheme = mini_scheme(
        indicators=[{"id": "i", "name": "指标", "part": "p", "method": "direct", "points": 100, "optional": True}]
    )
    result = run_scheme(scheme, {"units": [{"unit": "A", "name": "甲", "group": "g"}]}).units[0]
    assert result.total == D(0)
    assert "optional" in result.score.trail[0].note


# ----------------------------------------------------------------------------------------------------------
# rule methods and the rule engine


def rules_scheme(rules: list[dict], caps: list[dict] = (), part: dict | None = None) -> dict:
    part = part or {"id": "p", "name": "扣分", "points": 100, "base": 100, "floor": 0}
    return mini_scheme(parts=[part], indicators=[], rules=rules, caps=list(caps))


def rule_total(rules: list[dict], events: list[dict], caps: list[dict] = (), part: dict | None = None):
    data = {"units": [{"unit": "A", "name": "甲", "group": "g"}], "events": [{"unit": "A", **e} for e in events]}
    return run_scheme(rules_scheme(rules, caps, part), data).units[0]


DEDUCT = {"id": "d", "name": "扣", "part": "p", "kind": "deduction", "points": 3}


def test_per_event_deduction_floor_at_zero():
    # 扣完为止: 40 events × 3 = 120 from 100 → 0 (stop)
    result = rule_total([DEDUCT], [{"rule": "d", "count": 40}])
    assert result.total == D(0) and result.score.adjustments == D(0)


def test_per_event_deduction_overflow_into_total():
    # overflow: 100 − 120 → part 0, −20 outside the part
    part = {"id": "p", "name": "扣分", "points": 100, "base": 100, "floor": 0, "below_floor": "total"}
    result = rule_total([DEDUCT], [{"rule": "d", "count": 40}], part=part)
    assert result.parts["p"] == D(0) and result.total == D(-20)


def test_points_by_attribute():
    rule = {
        "id": "d",
        "name": "扣",
        "part": "p",
        "kind": "deduction",
        "points_by": "rank",
        "points_table": {"科级以上": 15, "科级以下": 10},
    }
    # 100 − 15 − 2×10 = 65
    result = rule_total([rule], [{"rule": "d", "rank": "科级以上"}, {"rule": "d", "rank": "科级以下", "count": 2}])
    assert result.total == D(65)


def test_cap_group_over_several_rules():
    part = {"id": "p", "name": "加分", "points": 100, "cap": 100}
    rules = [
        {"id": "a", "name": "甲", "part": "p", "kind": "bonus", "points": 4},
        {"id": "b", "name": "乙", "part": "p", "kind": "bonus", "points": 5},
        {"id": "c", "name": "丙", "part": "p", "kind": "bonus", "points": 1},
    ]
    caps = [{"id": "ab", "name": "甲乙", "rules": ["a", "b"], "max": 10}]
    # a 2×4 + b 1×5 = 13 → capped 10; c 1 is outside the cap: 11
    result = rule_total(rules, [{"rule": "a", "count": 2}, {"rule": "b"}, {"rule": "c"}], caps=caps, part=part)
    assert result.total == D(11)


def test_nested_caps_see_capped_amounts():
    part = {"id": "p", "name": "加分", "points": 100, "cap": 100}
    rules = [
        {"id": "a", "name": "甲", "part": "p", "kind": "bonus", "points": 4, "cap": 6},
        {"id": "b", "name": "乙", "part": "p", "kind": "bonus", "points": 5},
    ]
    caps = [{"id": "ab", "name": "甲乙", "rules": ["a", "b"], "max": 10}]
    # a 3×4 = 12 → rule cap 6; + b 5 = 11 → group cap 10
    result = rule_total(rules, [{"rule": "a", "count": 3}, {"rule": "b"}], caps=caps, part=part)
    assert result.total == D(10)
    assert sum(e.points for e in result.score.trail) == D(10)


def test_per_quantity_and_threshold_step():
    part = {"id": "p", "name": "加分", "points": 100, "cap": 100}
    rules = [
        {
            "id": "q",
            "name": "资金",
            "part": "p",
            "kind": "bonus",
            "method": "per_quantity",
            "step": 500000,
            "points": 1,
        },
        {
            "id": "t",
            "name": "投资",
            "part": "p",
            "kind": "bonus",
            "method": "threshold_step",
            "threshold": 10000000,
            "base": 5,
            "step": 3000000,
            "points": 1,
        },
    ]
    # floor(2,750,000 / 500,000) = 5; 19,000,000: 5 + floor(9,000,000 / 3,000,000) = 8 → 13
    events = [{"rule": "q", "quantity": "2750000"}, {"rule": "t", "quantity": "19000000"}]
    assert rule_total(rules, events, part=part).total == D(13)


def test_discretionary_requires_points():
    rule = {"id": "d", "name": "酌情", "part": "p", "kind": "deduction", "method": "discretionary", "max": 5}
    with pytest.raises(InputError, match="needs its points"):
        rule_total([rule], [{"rule": "d"}])


def test_negative_count_is_rejected_by_the_loader():
    with pytest.raises(InputError, match="count cannot be negative"):
        rule_total([DEDUCT], [{"rule": "d", "count": "-1"}])
