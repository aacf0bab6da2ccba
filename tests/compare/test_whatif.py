"""``explain --what-if``: the least gain, and the part, that reaches the next better grade."""

from __future__ import annotations

import pytest

from kaoping.compare.whatif import headroom, what_if, what_if_text
from kaoping.core.pipeline import run
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.helpers import D, host, host_with, mini_scheme, run_scheme


@pytest.fixture(scope="module")
def zhangzhou():
    scheme = host().scheme("fujian.zhangzhou")
    return scheme, run(host(), scheme, SAMPLE_DATA)


def test_quota_boundary(zhangzhou):
    # S1-13 (777.1, 合格) must pass S1-12 (834.2), the last of series 1's five 优秀: 834.21 − 777.1 = 57.11.
    # Its basic part has 450 − 395.7 = 54.3 of headroom: not enough alone; review and innovation have room.
    scheme, result = zhangzhou
    answer = what_if(scheme, result, "S1-13")
    assert (answer.target, answer.points) == ("优秀", D("57.11"))
    parts = {part: (room, least) for part, room, least in answer.parts}
    assert parts["basic"] == (D("54.3"), None)
    assert parts["review"][1] == D("57.11") and parts["innovation"][1] == D("57.11")
    assert parts["efficiency"] == (D(0), None)


def test_band_threshold(zhangzhou):
    # S2-14 has 699.9, below 700 (不合格, 「700分(不含700分)以下」): 0.1 reaches 700 and 合格.
    scheme, result = zhangzhou
    answer = what_if(scheme, result, "S2-14")
    assert (answer.grade, answer.target, answer.points) == ("不合格", "合格", D("0.1"))
    text = what_if_text(host(), scheme, result, "S2-14")
    assert text.startswith("what if: S2-14 is 不合格; next better grade 合格\n+0.1 points (total 699.9 → 700)")


def test_best_grade_and_unranked(zhangzhou):
    scheme, result = zhangzhou
    assert "already at the best grade" in what_if(scheme, result, "S1-06").message
    assert "not ranked" in what_if(scheme, result, "N-01").message


def test_tie_at_the_boundary_needs_one_step_more():
    # two places of A for three units; b and c tie at 80 behind a (90): on_tie = exclude gives neither
    # the second A. For b, matching c's 80 is not enough: 80.01 is (one precision step more).
    scheme = {
        "id": "test.tie",
        "name": "并列",
        "total": 100,
        "status": {"complete": True},
        "groups": [{"id": "g", "name": "组"}],
        "parts": [{"id": "p", "name": "部分", "points": 100}],
        "indicators": [{"id": "i", "name": "指标", "part": "p", "method": "direct", "points": 100}],
        "grading": {"grades": ["A", "B"], "default": "B", "quotas": [{"id": "q", "grade": "A", "counts": {"g": 2}}]},
    }
    data = {
        "units": [{"unit": u, "name": u, "group": "g"} for u in "abc"],
        "values": [{"unit": u, "indicator": "i", "value": v} for u, v in (("a", 90), ("b", 80), ("c", 80))],
    }
    result = run_scheme(scheme, data)
    assert [u.grade for u in sorted(result.units, key=lambda u: u.unit)] == ["A", "B", "B"]
    bound = host_with(scheme).scheme("test.tie")
    answer = what_if(bound, result, "b")
    assert answer.points == D("0.01")
    assert headroom(bound, result.by_unit()["b"]) == {"p": D(20)}


def test_explain_cli_uses_it():
    from click.testing import CliRunner

    from kaoping.cli.main import cli

    args = ["explain", "S1-13", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--what-if"]
    output = CliRunner().invoke(cli, args, catch_exceptions=False).output
    assert "next better grade 优秀" in output and "+57.11 points" in output


def test_a_pooled_unit_must_pass_the_units_of_its_pool():
    # x and y are ranked in one pool with one 优秀 place: b (group y, 85) must pass a (group x, 90),
    # 90.01 − 85 = 5.01, although no unit of its own group is ahead of it
    groups = [{"id": "x", "name": "x", "pool": "all"}, {"id": "y", "name": "y", "pool": "all"}]
    grading = {
        "grades": ["优秀", "合格"],
        "default": "合格",
        "quotas": [{"id": "q", "grade": "优秀", "counts": {"all": 1}}],
    }
    scheme_data = mini_scheme(groups=groups, grading=grading)
    data = {
        "units": [{"unit": "a", "name": "甲", "group": "x"}, {"unit": "b", "name": "乙", "group": "y"}],
        "values": [{"unit": "a", "indicator": "i", "value": "90"}, {"unit": "b", "indicator": "i", "value": "85"}],
    }
    result = run_scheme(scheme_data, data)
    answer = what_if(host_with(scheme_data).scheme("test.mini"), result, "b")
    assert (answer.grade, answer.target, answer.points) == ("合格", "优秀", D("5.01"))
