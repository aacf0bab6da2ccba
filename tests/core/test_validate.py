"""Validation of a dataset against a scheme's groups: rows the unit is not scored on are refused."""

from __future__ import annotations

import pytest

from kaoping import hookimpl
from kaoping.core.errors import InputError, warning
from tests.helpers import D, mini_scheme, run_scheme

PARTS = [
    {"id": "common", "name": "共性", "points": 30},
    {"id": "own_a", "name": "个性A", "points": 70, "base": 70, "floor": 0},
    {"id": "own_b", "name": "个性B", "points": 70, "base": 70, "floor": 0},
]
SCHEME = mini_scheme(
    parts=PARTS,
    indicators=[{"id": "c", "name": "共性", "part": "common", "method": "direct", "points": 30}],
    rules=[
        {"id": "ra", "name": "A的扣分", "part": "own_a", "kind": "deduction", "points": 1},
        {"id": "rb", "name": "B的扣分", "part": "own_b", "kind": "deduction", "points": 1},
    ],
    groups=[
        {"id": "ga", "name": "A", "parts": ["common", "own_a"], "pool": "bureau", "units": [{"id": "a"}]},
        {"id": "gb", "name": "B", "parts": ["common", "own_b"], "pool": "bureau"},
    ],
)


def data(**changes):
    records = {
        "units": [{"unit": "a", "name": "甲", "group": "ga"}, {"unit": "b", "name": "乙", "group": "gb"}],
        "values": [{"unit": "a", "indicator": "c", "value": "30"}, {"unit": "b", "indicator": "c", "value": "28"}],
        "events": [{"unit": "a", "rule": "ra", "count": 2}],
    }
    records.update(changes)
    return records


def test_each_unit_is_scored_on_its_own_table():
    totals = {u.unit: u.total for u in run_scheme(SCHEME, data()).units}
    assert totals == {"a": 98, "b": 98}  # a: 30 + 70 − 2; b: 28 + 70


def test_an_event_of_another_groups_table_is_refused():
    with pytest.raises(InputError) as caught:
        run_scheme(SCHEME, data(events=[{"unit": "b", "rule": "ra", "count": 1}]))
    [problem] = caught.value.problems
    assert problem.column == "rule" and problem.row is not None
    assert "unit 'b' (group 'gb') is not scored on part 'own_a'" in problem.message


def test_a_unit_listed_on_another_groups_roster_is_refused():
    units = [{"unit": "a", "name": "甲", "group": "gb"}, {"unit": "b", "name": "乙", "group": "gb"}]
    with pytest.raises(InputError, match="unit 'a' is on the roster of group 'ga', not 'gb'"):
        run_scheme(SCHEME, data(units=units, events=[]))


def test_a_value_of_an_indicator_outside_the_group_is_refused():
    scheme = mini_scheme(
        indicators=[
            {"id": "i", "name": "i", "part": "p", "method": "direct", "points": 100},
            {"id": "j", "name": "j", "part": "p", "method": "direct", "points": 100},
        ],
        groups=[{"id": "g", "name": "g", "indicators": ["i"]}, {"id": "h", "name": "h", "indicators": ["j"]}],
    )
    records = {
        "units": [{"unit": "a", "name": "甲", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "value": "90"}, {"unit": "a", "indicator": "j", "value": "80"}],
    }
    with pytest.raises(InputError, match="unit 'a' \\(group 'g'\\) is not scored on indicator 'j'"):
        run_scheme(scheme, records)


def test_a_warning_is_listed_in_the_result_and_does_not_stop_the_run():
    # a guideline the source words loosely (「左右」) is a warning: the run goes on and the result lists it
    class Guideline:
        @hookimpl
        def kaoping_validate_dataset(self, scheme, dataset):
            return [warning("「一般要达到…60%左右」: 45%", file="values.csv", row=2, column="value")]

    scheme = mini_scheme()
    data = {
        "units": [{"unit": "a", "name": "a", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "value": 80}],
    }
    result = run_scheme(scheme, data, plugins=(("guideline", Guideline()),))
    assert result.units[0].total == D(80)
    assert result.warnings == ["values.csv, row 2, column 'value': 「一般要达到…60%左右」: 45%"]
