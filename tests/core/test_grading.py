"""Ranks, bands, quotas (counts and shares), ties, and veto effects on grades."""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError
from tests.helpers import D, mini_scheme, run_scheme

GRADES = {"grades": ["优秀", "良好", "合格", "不合格"], "default": "合格"}


def scored(totals: dict[str, str], grading: dict, vetoes_table: list[dict] = (), veto_areas: list[dict] = ()):
    scheme = mini_scheme(grading={**GRADES, **grading}, vetoes=list(veto_areas))
    data = {
        "units": [{"unit": u, "name": u, "group": "g"} for u in totals],
        "values": [{"unit": u, "indicator": "i", "value": t} for u, t in totals.items()],
        "vetoes": list(vetoes_table),
    }
    return run_scheme(scheme, data)


def grades(result) -> dict[str, str]:
    return {u.unit: u.grade for u in result.units}


BANDS = [
    {"id": "good", "grade": "良好", "at_least": 80},
    {"id": "fail", "grade": "不合格", "below": 60},
]


def test_bands_with_inclusive_and_exclusive_bounds():
    result = scored({"a": "80", "b": "79.99", "c": "60", "d": "59.99"}, {"bands": BANDS})
    assert grades(result) == {"a": "良好", "b": "合格", "c": "合格", "d": "不合格"}


def test_competition_ranks_share_ties():
    result = scored({"a": "90", "b": "85", "c": "85", "d": "70"}, {})
    assert {u.unit: u.rank for u in result.units} == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_tie_break_orders_equal_totals():
    scheme = mini_scheme(
        parts=[{"id": "p", "name": "p", "points": 60}, {"id": "q", "name": "q", "points": 40}],
        indicators=[
            {"id": "i", "name": "i", "part": "p", "method": "direct", "points": 60},
            {"id": "j", "name": "j", "part": "q", "method": "direct", "points": 40},
        ],
        grading={**GRADES, "tie_break": ["p"]},
    )
    data = {
        "units": [{"unit": u, "name": u, "group": "g"} for u in "ab"],
        "values": [
            {"unit": "a", "indicator": "i", "value": "50"},
            {"unit": "a", "indicator": "j", "value": "30"},
            {"unit": "b", "indicator": "i", "value": "55"},
            {"unit": "b", "indicator": "j", "value": "25"},
        ],
    }
    # both 80; b has more in part p → b first
    assert {u.unit: u.rank for u in run_scheme(scheme, data).units} == {"b": 1, "a": 2}


@pytest.mark.parametrize(
    ("size", "rounding", "places"),
    [
        # 25% of 10 = 2.5: half up → 3, down → 2
        (10, "half_up", 3),
        (10, "down", 2),
        # 25% of 7 = 1.75 → 2 (half up)
        (7, "half_up", 2),
        # 25% of 4 = 1
        (4, "half_up", 1),
    ],
)
def test_share_quota_rounding_when_the_group_does_not_divide(size, rounding, places):
    totals = {f"u{i:02d}": str(90 - i) for i in range(size)}
    result = scored(totals, {"quotas": [{"id": "q", "grade": "优秀", "share": "25%", "rounding": rounding}]})
    assert sum(1 for u in result.units if u.grade == "优秀") == places


def test_quota_tie_policies():
    totals = {"a": "90", "b": "85", "c": "85"}
    quota = {"quotas": [{"id": "q", "grade": "优秀", "counts": {"g": 2}}]}
    assert grades(scored(totals, {**quota, "on_tie": "exclude"})) == {"a": "优秀", "b": "合格", "c": "合格"}
    assert grades(scored(totals, {**quota, "on_tie": "include"})) == {"a": "优秀", "b": "优秀", "c": "优秀"}
    with pytest.raises(InputError, match="tie for the last 优秀 place"):
        scored(totals, {**quota, "on_tie": "error"})


def test_tie_inside_the_quota_is_no_problem():
    totals = {"a": "90", "b": "90", "c": "85"}
    quota = {"quotas": [{"id": "q", "grade": "优秀", "counts": {"g": 2}}]}
    assert grades(scored(totals, quota)) == {"a": "优秀", "b": "优秀", "c": "合格"}


def test_disqualified_leader_passes_its_place_down():
    veto_areas = [{"id": "safety", "name": "安全生产", "effect": "disqualify", "grades": ["优秀"]}]
    vetoes = [{"unit": "a", "area": "safety"}]
    totals = {"a": "95", "b": "90", "c": "85"}
    quota = {"quotas": [{"id": "q", "grade": "优秀", "counts": {"g": 1}}]}
    result = scored(totals, quota, vetoes, veto_areas)
    assert grades(result) == {"a": "合格", "b": "优秀", "c": "合格"}
    assert result.by_unit()["a"].rank == 1  # the veto changes the grade, not the score or rank


def test_disqualified_unit_leaves_a_band_it_is_barred_from():
    # A bar on a grade holds also when the score falls in that grade's band: 「不得评为优秀」.
    veto_areas = [
        {"id": "talks", "name": "约谈", "effect": "disqualify", "grades": ["优秀"]},
        {"id": "safety", "name": "安全生产", "effect": "disqualify", "grades": ["优秀", "良好"]},
    ]
    bands = [{"id": "top", "grade": "优秀", "at_least": 90}, *BANDS]
    vetoes = [{"unit": "a", "area": "talks"}, {"unit": "b", "area": "safety"}]
    result = scored({"a": "95", "b": "95", "c": "95"}, {"bands": bands}, vetoes, veto_areas)
    assert grades(result) == {"a": "良好", "b": "合格", "c": "优秀"}
    assert "barred from 优秀" in result.by_unit()["a"].grade_reason


def test_bar_with_no_allowed_grade_below_keeps_the_grade_and_says_so():
    veto_areas = [{"id": "x", "name": "x", "effect": "disqualify", "grades": ["优秀", "良好", "合格", "不合格"]}]
    result = scored({"a": "50"}, {"bands": BANDS}, [{"unit": "a", "area": "x"}], veto_areas)
    assert grades(result) == {"a": "不合格"}
    assert "no lower grade is allowed" in result.by_unit()["a"].grade_reason


def test_force_grade_overrides_score():
    veto_areas = [{"id": "x", "name": "x", "effect": "force_grade", "grade": "不合格"}]
    result = scored({"a": "99"}, {"bands": BANDS}, [{"unit": "a", "area": "x"}], veto_areas)
    assert grades(result) == {"a": "不合格"}


def test_promote_outside_quota():
    veto_areas = [{"id": "honor", "name": "国家级表彰", "effect": "promote", "grade": "优秀"}]
    totals = {"a": "95", "b": "90", "c": "85"}
    quota = {"quotas": [{"id": "q", "grade": "优秀", "counts": {"g": 1}}]}
    result = scored(totals, quota, [{"unit": "c", "area": "honor"}], veto_areas)
    assert grades(result) == {"a": "优秀", "b": "合格", "c": "优秀"}


def test_promotion_only_from_the_band_grades_it_names():
    # 「评定为“绩效评估达标单位”等次的,可不受名额限制,直接评为“绩效评估优秀单位”」 (003): only from 合格 here
    veto_areas = [{"id": "honor", "name": "表彰", "effect": "promote", "grade": "优秀", "from_grades": ["合格"]}]
    vetoes = [{"unit": "a", "area": "honor"}, {"unit": "b", "area": "honor"}]
    result = scored({"a": "70", "b": "50"}, {"bands": BANDS}, vetoes, veto_areas)
    assert grades(result) == {"a": "优秀", "b": "不合格"}


def test_bands_first_keeps_failing_units_out_of_quota():
    totals = {"a": "59", "b": "58"}
    quota = {"bands": BANDS, "quotas": [{"id": "q", "grade": "优秀", "counts": {"g": 1}}]}
    assert grades(scored(totals, quota)) == {"a": "不合格", "b": "不合格"}
    # quotas_first: the best unit takes the quota place whatever its band
    assert grades(scored(totals, {**quota, "precedence": "quotas_first"})) == {"a": "优秀", "b": "不合格"}


def test_quota_floor_keeps_units_below_the_pass_line_out_when_the_default_is_failing():
    # the default is the failing grade (未达标): without quota_floor nothing is "below the default", so a unit
    # under the pass line could take a prize place
    grading = {
        "grades": ["先进", "达标", "未达标"],
        "default": "未达标",
        "bands": [{"id": "pass", "grade": "达标", "at_least": 60}],
        "quotas": [{"id": "q", "grade": "先进", "counts": {"g": 2}}],
    }
    assert grades(scored({"a": "70", "b": "50"}, grading)) == {"a": "先进", "b": "先进"}
    assert grades(scored({"a": "70", "b": "50"}, {**grading, "quota_floor": "达标"})) == {"a": "先进", "b": "未达标"}


def test_decimal_sums_never_drift_at_a_threshold():
    # 0.1 + 0.2 must be exactly 0.3: a band at 0.3 includes it
    scheme = mini_scheme(
        total=1,
        parts=[{"id": "p", "name": "p", "points": "0.5"}, {"id": "q", "name": "q", "points": "0.5"}],
        indicators=[
            {"id": "i", "name": "i", "part": "p", "method": "direct", "points": "0.5"},
            {"id": "j", "name": "j", "part": "q", "method": "direct", "points": "0.5"},
        ],
        precision="0.1",
        grading={"grades": ["好", "差"], "default": "差", "bands": [{"id": "b", "grade": "好", "at_least": "0.3"}]},
    )
    data = {
        "units": [{"unit": "a", "name": "a", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "value": 0.1}, {"unit": "a", "indicator": "j", "value": 0.2}],
    }
    result = run_scheme(scheme, data).units[0]
    assert result.total == D("0.3") and result.grade == "好"


def pooled(totals: dict[str, tuple[str, str]], grading: dict, groups: list[dict]):
    """Units in several groups (unit → (group, total)), one indicator scored directly."""
    scheme = mini_scheme(grading={**GRADES, **grading}, groups=groups)
    data = {
        "units": [{"unit": u, "name": u, "group": g} for u, (g, _) in totals.items()],
        "values": [{"unit": u, "indicator": "i", "value": t} for u, (_, t) in totals.items()],
    }
    return run_scheme(scheme, data)


def test_groups_in_one_pool_are_ranked_and_given_places_together():
    groups = [{"id": "x", "name": "x", "pool": "all"}, {"id": "y", "name": "y", "pool": "all"}]
    quota = {"quotas": [{"id": "q", "grade": "优秀", "counts": {"all": 2}}]}
    result = pooled({"a": ("x", "90"), "b": ("y", "95"), "c": ("x", "80"), "d": ("y", "85")}, quota, groups)
    assert {u.unit: u.rank for u in result.units} == {"b": 1, "a": 2, "d": 3, "c": 4}
    assert grades(result) == {"a": "优秀", "b": "优秀", "c": "合格", "d": "合格"}


def test_a_band_limited_to_some_groups_grades_only_them():
    groups = [{"id": "x", "name": "x"}, {"id": "y", "name": "y"}]
    bands = [
        {"id": "x_good", "grade": "良好", "at_least": 80, "groups": ["x"]},
        {"id": "y_good", "grade": "良好", "at_least": 90, "groups": ["y"]},
    ]
    result = pooled({"a": ("x", "85"), "b": ("y", "85"), "c": ("y", "90")}, {"bands": bands}, groups)
    assert grades(result) == {"a": "良好", "b": "合格", "c": "良好"}


def test_a_band_or_quota_naming_an_unknown_group_or_pool_is_refused():
    from kaoping.core.errors import SchemeError
    from kaoping.core.scheme import parse_scheme

    bad = mini_scheme(grading={**GRADES, "bands": [{"id": "b", "grade": "良好", "at_least": 1, "groups": ["zz"]}]})
    with pytest.raises(SchemeError, match="band 'b' names group 'zz', which is neither a group nor a pool"):
        parse_scheme(bad)


def test_grading_the_source_leaves_open_must_come_from_the_deployment():
    from kaoping.core.errors import MissingParameterError

    open_grading = {"bands": [], "required": ["bands_or_quotas"], "quote": "分为优秀、良好、合格、不合格四个等次"}
    with pytest.raises(MissingParameterError, match="「分为优秀、良好、合格、不合格四个等次」.*bands or grading"):
        scored({"a": "80"}, open_grading)
    assert grades(scored({"a": "80"}, {**open_grading, "bands": BANDS})) == {"a": "良好"}
    quota_only = {**open_grading, "quotas": [{"id": "q", "grade": "优秀", "counts": {"g": 1}}]}
    assert grades(scored({"a": "80"}, quota_only)) == {"a": "优秀"}


def test_grades_the_source_names_without_a_rule_must_each_be_given():
    from kaoping.core.errors import MissingParameterError

    # 「最佳、先進、良好、達標和誡勉單位五個等次」 (000): every grade but the default needs a band or a quota
    grading = {"bands": [], "required_grades": ["优秀", "不合格"]}
    with pytest.raises(MissingParameterError, match="for 优秀、不合格"):
        scored({"a": "80"}, grading)
    empty_quota = {**grading, "bands": BANDS, "quotas": [{"id": "q", "grade": "优秀", "counts": {"g": 0}}]}
    with pytest.raises(MissingParameterError, match=r"with places\) for 优秀 in"):
        scored({"a": "80"}, empty_quota)
    given = {**empty_quota, "quotas": [{"id": "q", "grade": "优秀", "counts": {"g": 1}}]}
    assert grades(scored({"a": "80", "b": "50"}, given)) == {"a": "优秀", "b": "不合格"}


def test_a_veto_area_brings_its_consequences():
    # 「及優質服務獎和爭先進位獎兩個單項獎」 (000): awards decided by the office, entered as record rows
    veto_areas = [
        {"id": "service", "name": "优质服务奖", "effect": "record", "consequences": {"awards": ["优质服务奖"]}},
        {"id": "advance", "name": "争先进位奖", "effect": "record", "consequences": {"awards": ["争先进位奖"]}},
    ]
    vetoes = [{"unit": "a", "area": "service"}, {"unit": "a", "area": "advance"}, {"unit": "b", "area": "service"}]
    result = scored({"a": "90", "b": "80", "c": "70"}, {"bands": BANDS}, vetoes, veto_areas).by_unit()
    assert result["a"].consequences["awards"] == ["争先进位奖", "优质服务奖"]  # areas in id order: advance, service
    assert result["b"].consequences["awards"] == ["优质服务奖"]
    assert "awards" not in result["c"].consequences
    assert result["a"].grade == "良好"  # a record veto changes no grade


def test_a_consequence_table_quote_stays_in_the_scheme():
    # a table's quote says where its keys come from; it is not something that happens to the unit
    scheme = mini_scheme(
        grading={**GRADES, "bands": BANDS},
        consequences={"grades": {"良好": {"award": 3000, "quote": "奖励3000元"}}},
    )
    data = {
        "units": [{"unit": "a", "name": "a", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "value": 85}],
    }
    assert run_scheme(scheme, data).units[0].consequences == {"award": D(3000)}
