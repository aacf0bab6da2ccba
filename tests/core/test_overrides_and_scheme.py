"""Scheme parsing is strict, overrides are validated before anything is applied."""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError, MissingParameterError, SchemeError
from kaoping.core.overrides import apply_overrides
from kaoping.core.scheme import parse_scheme
from tests.helpers import D, host, host_with, mini_scheme, run_scheme


def test_override_changes_a_number_by_id():
    merged = apply_overrides(mini_scheme(), {"indicators": [{"id": "i", "name": "改名"}]})
    assert merged["indicators"][0]["name"] == "改名"


def test_override_of_unknown_key_is_an_error():
    with pytest.raises(SchemeError, match="'totl'"):
        apply_overrides(mini_scheme(), {"totl": 1000})


def test_override_of_unknown_id_is_an_error():
    with pytest.raises(SchemeError, match="id 'j'.*known: i"):
        apply_overrides(mini_scheme(), {"indicators": [{"id": "j", "points": 5}]})


def test_every_bad_override_is_reported_together():
    with pytest.raises(SchemeError) as caught:
        apply_overrides(mini_scheme(), {"totl": 1, "parts": [{"id": "x"}], "groups": [{"id": "g", "nme": "x"}]})
    assert len(caught.value.problems) == 3


def test_override_may_add_an_item_explicitly():
    merged = apply_overrides(mini_scheme(), {"groups": [{"id": "h", "name": "新组", "add": True}]})
    assert [g["id"] for g in merged["groups"]] == ["g", "h"]


def test_added_items_create_an_array_the_scheme_lacks():
    base = mini_scheme(grading={"grades": ["好", "差"], "default": "好"})
    merged = apply_overrides(base, {"grading": {"bands": [{"id": "bad", "grade": "差", "below": 60, "add": True}]}})
    assert merged["grading"]["bands"] == [{"id": "bad", "grade": "差", "below": 60}]
    assert parse_scheme(merged).grading.bands[0].below == D(60)
    # without add = true the missing array is still a typo
    with pytest.raises(SchemeError, match="'grading.bands', which the scheme does not have"):
        apply_overrides(base, {"grading": {"bands": [{"id": "bad", "grade": "差", "below": 60}]}})


def test_override_may_supply_a_required_number():
    scheme = mini_scheme(
        parts=[{"id": "p", "name": "p", "points": 100, "base": 100, "floor": 0}],
        indicators=[],
        rules=[{"id": "r", "name": "r", "part": "p", "kind": "deduction", "required": ["points"]}],
    )
    merged = apply_overrides(scheme, {"rules": [{"id": "r", "points": 3}]})
    assert merged["rules"][0]["points"] == 3


RATIO_WITHOUT_CAP = {"id": "i", "name": "i", "part": "p", "method": "ratio", "points": 100, "required": ["cap"]}


def test_a_required_parameter_gets_no_default_and_is_demanded_when_used():
    # ratio's cap defaults to 1, but a scheme that lists it in 'required' must get it from the deployment
    scheme = mini_scheme(indicators=[RATIO_WITHOUT_CAP])
    data = {
        "units": [{"unit": "a", "name": "a", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "value": "90", "target": "100"}],
    }
    with pytest.raises(InputError, match="'i' is used by the data but the deployment has not set cap"):
        run_scheme(scheme, data)
    # with cap = 0.8 set by the deployment: min(90 / 100, 0.8) × 100 points = 80
    result = run_scheme(apply_overrides(scheme, {"indicators": [{"id": "i", "cap": "0.8"}]}), data)
    assert result.units[0].score.indicator_points()["i"] == D(80)


def test_a_required_field_of_the_rule_itself_counts_as_given():
    rule = {"id": "r", "name": "r", "part": "p", "kind": "deduction", "points": 2, "required": ["cap"]}
    scheme = mini_scheme(
        parts=[{"id": "p", "name": "p", "points": 100, "base": 100, "floor": 0}], indicators=[], rules=[rule]
    )
    data = {
        "units": [{"unit": "a", "name": "a", "group": "g"}],
        "events": [{"unit": "a", "rule": "r", "count": 5}],
    }
    with pytest.raises(InputError, match="has not set cap"):
        run_scheme(scheme, data)
    # 5 events × 2 points = 10, capped at 6: 100 − 6 = 94
    assert run_scheme(apply_overrides(scheme, {"rules": [{"id": "r", "cap": 6}]}), data).units[0].total == D(94)


def test_required_must_name_a_parameter_or_field():
    with pytest.raises(SchemeError, match="'required' names 'cpa'"):
        host_with(mini_scheme(indicators=[{**RATIO_WITHOUT_CAP, "required": ["cpa"]}])).scheme("test.mini")


def test_override_leaves_the_original_untouched():
    base = mini_scheme()
    apply_overrides(base, {"name": "x"})
    assert base["name"] == "测试方案"


def test_deployment_override_of_zhangzhou_threshold_changes_grades():
    scheme = host().scheme("fujian.zhangzhou", {"grading": {"bands": [{"id": "unqualified", "below": 750}]}})
    assert scheme.grading.bands[0].below == D(750)


def test_unknown_scheme_key_is_an_error():
    with pytest.raises(SchemeError, match="unknown key 'totl'"):
        parse_scheme({**mini_scheme(), "totl": 3})


def test_parts_must_add_up_to_the_total():
    with pytest.raises(SchemeError, match="parts add up to 100, but the scheme's total is 1000"):
        parse_scheme(mini_scheme(total=1000))


def test_indicators_must_add_up_to_their_part():
    bad = mini_scheme(indicators=[{"id": "i", "name": "i", "part": "p", "method": "direct", "points": 90}])
    with pytest.raises(SchemeError, match="add up to 90, but the part has 100"):
        parse_scheme(bad)


def test_grades_must_be_declared():
    bad = mini_scheme(grading={"grades": ["好"], "bands": [{"id": "b", "grade": "差", "below": 60}]})
    with pytest.raises(SchemeError, match="grade '差' is used but not listed"):
        parse_scheme(bad)


def test_unknown_parts_and_rules_are_named():
    bad = mini_scheme(caps=[{"id": "c", "name": "c", "rules": ["nope"], "max": 3}])
    with pytest.raises(SchemeError, match="rule 'nope'"):
        parse_scheme(bad)


def test_each_ranked_group_with_its_own_parts_must_add_up():
    # two groups scored on different 70-point tables beside a shared 30-point part
    parts = [
        {"id": "common", "name": "共性", "points": 30},
        {"id": "own_a", "name": "个性A", "points": 70},
        {"id": "own_b", "name": "个性B", "points": 60},
    ]
    indicators = [
        {"id": "c", "name": "c", "part": "common", "method": "direct", "points": 30},
        {"id": "a", "name": "a", "part": "own_a", "method": "direct", "points": 70},
        {"id": "b", "name": "b", "part": "own_b", "method": "direct", "points": 60},
    ]
    groups = [
        {"id": "ga", "name": "A", "parts": ["common", "own_a"], "pool": "bureau"},
        {"id": "gb", "name": "B", "parts": ["common", "own_b"], "pool": "bureau"},
    ]
    with pytest.raises(SchemeError, match="group 'gb': parts add up to 90, but the scheme's total is 100"):
        parse_scheme(mini_scheme(parts=parts, indicators=indicators, groups=groups))
    parts[2]["points"] = indicators[2]["points"] = 70
    assert parse_scheme(mini_scheme(parts=parts, indicators=indicators, groups=groups)).group("gb").pool == "bureau"


def test_a_group_restricted_to_some_indicators_must_fill_its_part():
    indicators = [
        {"id": "i", "name": "i", "part": "p", "method": "direct", "points": 100},
        {"id": "j", "name": "j", "part": "p", "method": "direct", "points": 100},
    ]
    groups = [{"id": "g", "name": "g", "indicators": ["i"]}, {"id": "h", "name": "h", "indicators": ["j"]}]
    assert len(parse_scheme(mini_scheme(indicators=indicators, groups=groups)).groups) == 2
    indicators[1]["points"] = 90
    with pytest.raises(SchemeError, match="group 'h': indicators of part 'p' add up to 90"):
        parse_scheme(mini_scheme(indicators=indicators, groups=groups))


def test_a_required_parameter_stops_a_run_that_needs_it_until_the_deployment_sets_it():
    raw = mini_scheme(parameters={"required": ["evaluation_year"], "kept": 2})
    scheme = parse_scheme(raw)
    assert scheme.required_parameters == ("evaluation_year",)
    assert scheme.missing_parameters() == ["evaluation_year"]
    assert "required" not in scheme.parameters
    with pytest.raises(MissingParameterError, match="parameter evaluation_year is required.*连续两年"):
        scheme.parameter("evaluation_year", "「连续两年」")
    # the deployment may add a required parameter the scheme file leaves out, and nothing else
    given = parse_scheme(apply_overrides(raw, {"parameters": {"evaluation_year": 2014}}))
    assert given.parameter("evaluation_year") == 2014 and given.missing_parameters() == []
    with pytest.raises(SchemeError, match="parameters.evaluation_yaer"):
        apply_overrides(raw, {"parameters": {"evaluation_yaer": 2014}})


def test_indicator_direction_is_scheme_data():
    # hunan.heshan 「主要指标增长率全区排位」: a place in the district, 1 is best
    heshan = host().scheme("hunan.heshan")
    directions = {i.id: i.direction for i in heshan.indicators}
    assert directions["growth_rank"] == "lower"
    assert {d for i, d in directions.items() if i != "growth_rank"} == {"higher"}
    lower = mini_scheme(indicators=[{**mini_scheme()["indicators"][0], "direction": "lower"}])
    assert parse_scheme(lower).indicators[0].direction == "lower"


def test_an_unknown_direction_is_refused():
    wrong = mini_scheme(indicators=[{**mini_scheme()["indicators"][0], "direction": "down"}])
    with pytest.raises(SchemeError, match="direction must be 'higher' or 'lower'.*got 'down'"):
        parse_scheme(wrong)


def test_closed_vocabularies_are_literal_types():
    from typing import get_args

    from kaoping.api import EntryKind, RuleKind, VetoEffect
    from kaoping.core.results import ENTRY_KINDS, VETO_EFFECTS

    assert VETO_EFFECTS == get_args(VetoEffect) == ("deduct", "disqualify", "force_grade", "promote", "record")
    assert ENTRY_KINDS == get_args(EntryKind)
    assert get_args(RuleKind) == ("deduction", "bonus")
