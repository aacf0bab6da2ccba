"""The cases the row engine used to take: numbers past int64, a coarse precision, repeated unit ids.

Each runs through the engine and through the row engine of the tests (tests/core/scoring_oracle.py); the
JSON (or the problems) must be identical, and the numbers are computed by hand below.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaoping.api import score_dataset
from kaoping.core.columnar import engine as columnar_engine
from kaoping.core.columnar.trail import CompactUnitScore
from kaoping.core.errors import InputError
from kaoping.io.dataio import dataset_from_records
from kaoping.io.report import to_json
from tests.core.scoring_oracle import score_dataset as oracle_score
from tests.core.test_columnar_engine import generated_run
from tests.helpers import host_with, mini_scheme, run_scheme


def test_points_past_int64_are_scored_exactly_on_python_integers(monkeypatch):
    # 99,999,999,999,999.5 at a precision of 0.00001 is 9,999,999,999,999,950,000 ≈ 10¹⁹ > 2⁶²: past int64's
    # safe range, so the run is scored on Python integers
    scheme = mini_scheme(
        total="999999999999999",
        precision="0.00001",
        parts=[{"id": "p", "name": "部分", "points": "999999999999999"}],
        indicators=[
            {"id": "i", "name": "指标", "part": "p", "method": "direct", "points": "999999999999989"},
            {"id": "j", "name": "指标二", "part": "p", "method": "direct", "points": 10},
        ],
    )
    records = {
        "units": [{"unit": u, "name": u, "group": "g"} for u in ("a", "b")],
        "values": [
            {"unit": "a", "indicator": "i", "value": "99999999999999.5"},
            {"unit": "b", "indicator": "i", "value": "99999999999999.25"},
            {"unit": "a", "indicator": "j", "value": "1.5"},
            {"unit": "b", "indicator": "j", "value": "2"},
        ],
    }
    json = generated_run(scheme, records)
    result = run_scheme(scheme, records)
    assert isinstance(result.units[0].score, CompactUnitScore) and result.units[0].score.store.wide
    # a: 99,999,999,999,999.5 + 1.5 = 100,000,000,000,001; b: …999.25 + 2 = 100,000,000,000,001.25 (first)
    assert {u.unit: u.total for u in result.units} == {
        "a": Decimal("100000000000001.00000"),
        "b": Decimal("100000000000001.25000"),
    }
    assert {u.unit: u.rank for u in result.units} == {"a": 2, "b": 1}
    assert json.startswith("{")


def test_a_precision_coarser_than_one_counts_tens(monkeypatch):
    # precision 1E+1: 「得分取整到十位」; 14 → 10, 15 → 20 (四舍五入), 26.5 → 30
    scheme = mini_scheme(precision="1E+1", total=100)
    records = {
        "units": [{"unit": u, "name": u, "group": "g"} for u in ("a", "b", "c")],
        "values": [{"unit": u, "indicator": "i", "value": v} for u, v in zip("abc", ("14", "15", "26.5"), strict=True)],
    }
    generated_run(scheme, records)
    result = run_scheme(scheme, records)
    assert {u.unit: u.total for u in result.units} == {"a": 10, "b": 20, "c": 30}
    b = next(u for u in result.units if u.unit == "b")
    assert str(b.score.trail[0].points) == "2E+1"  # as the decimal quantize gives it


def test_repeated_unit_ids_are_scored_as_a_table_keyed_by_unit_keeps_them(monkeypatch):
    # validation refuses a repeated id before scoring; a plugin scoring a slice itself may still pass one:
    # the second row's group counts (g2 is scored on i and k, g1 on i and j), listed where the id first appears
    scheme = mini_scheme(
        groups=[
            {"id": "g1", "name": "一组", "indicators": ["i", "j"]},
            {"id": "g2", "name": "二组", "indicators": ["i", "k"]},
        ],
        indicators=[
            {"id": "i", "name": "指标", "part": "p", "method": "direct", "points": 50},
            {"id": "j", "name": "指标二", "part": "p", "method": "direct", "points": 50},
            {"id": "k", "name": "指标三", "part": "p", "method": "direct", "points": 50},
        ],
    )
    records = {
        "units": [
            {"unit": "a", "name": "甲", "group": "g1"},
            {"unit": "b", "name": "乙", "group": "g1"},
            {"unit": "a", "name": "甲二", "group": "g2"},
        ],
        "values": [
            {"unit": u, "indicator": i, "value": v}
            for u, i, v in (("a", "i", "10"), ("b", "i", "20"), ("a", "j", "5"), ("b", "j", "7"), ("a", "k", "3"))
        ],
    }
    test_host = host_with(scheme)
    bound = test_host.scheme("test.mini")
    dataset = dataset_from_records(records)
    ours, theirs = (scorer(bound, dataset, test_host.methods) for scorer in (score_dataset, oracle_score))
    assert list(ours.scores) == list(theirs.scores) == ["a", "b"]
    assert {s.unit: s.total for s in ours} == {s.unit: s.total for s in theirs} == {"a": 13, "b": 27}
    assert [e.points for e in ours["a"].trail] == [e.points for e in theirs["a"].trail]


def test_every_problem_of_a_run_is_listed_in_the_row_engines_order(monkeypatch):
    # a missing required row and an out-of-range value in two indicators, and a bad role on an event:
    # all listed at once, in the order of the scheme's indicators, then the rules
    scheme = mini_scheme(
        total=200,
        groups=[{"id": "g1", "name": "一组"}, {"id": "g2", "name": "二组"}],
        parts=[{"id": "p", "name": "部分", "points": 150}, {"id": "d", "name": "扣分", "points": 50}],
        indicators=[
            {"id": "i", "name": "指标", "part": "p", "method": "ratio", "points": 50},
            {"id": "j", "name": "指标二", "part": "p", "method": "direct", "points": 100},
        ],
        rules=[
            {
                "id": "r",
                "name": "扣分",
                "part": "d",
                "kind": "deduction",
                "points": 1,
                "joint": {"主办": 1, "协办": "0.5"},
            }
        ],
    )
    records = {
        "units": [{"unit": u, "name": u, "group": g} for u, g in (("a", "g2"), ("b", "g1"), ("c", "g2"))],
        "values": [
            {"unit": "a", "indicator": "i", "value": "1", "target": "0"},
            {"unit": "c", "indicator": "i", "value": "-1", "target": "2"},
            {"unit": "a", "indicator": "j", "value": "5"},
        ],
        "events": [{"unit": "b", "rule": "r", "count": 1, "role": "旁观"}],
    }
    test_host = host_with(scheme)
    bound = test_host.scheme("test.mini")
    dataset = dataset_from_records(records)
    errors = []
    for scorer in (score_dataset, oracle_score):
        with pytest.raises(InputError) as raised:
            scorer(bound, dataset, test_host.methods)
        errors.append([str(p) for p in raised.value.problems])
    assert errors[0] == errors[1]
    assert len(errors[0]) >= 4 and any("'b'" in p and "'i'" in p for p in errors[0])  # b has no row for i


def test_rows_is_no_longer_an_engine(monkeypatch):
    monkeypatch.setenv(columnar_engine.ENGINE_ENV, "rows")
    with pytest.raises(InputError, match="must be one of auto, arrays, dask, got 'rows'"):
        run_scheme(
            mini_scheme(),
            {
                "units": [{"unit": "a", "name": "甲", "group": "g"}],
                "values": [{"unit": "a", "indicator": "i", "value": 1}],
            },
        )


def test_json_of_a_wide_run_equals_the_oracles(monkeypatch):
    big = "999999999999999"
    scheme = mini_scheme(precision="0.000001", total=big, parts=[{"id": "p", "name": "部分", "points": big}])
    scheme["indicators"][0]["points"] = big
    records = {
        "units": [{"unit": "a", "name": "甲", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "value": "999999999999.125"}],
    }
    ours = to_json(run_scheme(scheme, records))
    with monkeypatch.context() as patched:
        patched.setattr(columnar_engine, "score", oracle_score)
        assert to_json(run_scheme(scheme, records)) == ours
