"""Scheme keys declared once: one reader for every declared table, and the documentation generated."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from kaoping.core import scheme as scheme_module
from kaoping.core.errors import Problem, SchemeError
from kaoping.core.fields import read, scheme_format, spec_of
from kaoping.core.scheme import DOCUMENTED_TABLES, Part, Quota, Rule, parse_scheme
from tests.helpers import mini_scheme

DOC = Path(__file__).parents[2] / "docs" / "scheme-format.md"


def test_the_key_tables_of_the_scheme_format_are_up_to_date():
    text = DOC.read_text(encoding="utf-8")
    assert scheme_format(text) == text, "run: python -m kaoping.core.fields docs/scheme-format.md"
    for name in DOCUMENTED_TABLES:
        assert f"<!-- keys: {name} -->" in text, name


@pytest.mark.parametrize("name", DOCUMENTED_TABLES)
def test_every_declared_key_says_what_it_means(name: str):
    for field in attrs.fields(getattr(scheme_module, name)):
        spec = spec_of(field)
        if spec is None:  # not from the TOML: the file as read, and the plugin that registered it
            assert (name, field.name) in {("Scheme", "raw"), ("Scheme", "plugin")}
            continue
        assert spec.doc, f"{name}.{field.name}"


def test_one_reader_converts_kinds_and_fills_defaults():
    problems: list[Problem] = []
    part = read(Part, {"id": "p", "points": "15%", "floor": 0, "quote": "扣完为止"}, "part 'p'", problems, "x.toml")
    assert problems == []
    assert part == Part("p", "", Decimal("0.15"), floor=Decimal(0), quote="扣完为止")
    rule = read(Rule, {"id": "r", "part": "p", "kind": "bonus", "points": 2, "joint": {"lead": "80%"}}, "r", [], "")
    assert rule.params == {"points": 2} and rule.joint == {"lead": Decimal("0.8")} and rule.method == "per_event"
    quota = read(Quota, {"id": "q", "grade": "优秀", "counts": {"g": "3"}}, "q", [], "")
    assert quota.counts == {"g": 3} and quota.rounding == "half_up"


def test_every_problem_of_a_table_is_reported_at_once_and_located():
    problems: list[Problem] = []
    table = {"points": "many", "below_floor": "carry", "colour": "red", "cap": 5}
    part = read(Part, table, "part '?'", problems, "scheme.toml")
    assert [p.message for p in problems] == [
        "part '?': missing required key 'id'",
        "part '?': points: expected a number, got 'many'",
        "part '?': below_floor must be 'stop' or 'total', got 'carry'",
        "part '?': unknown key 'colour'",
    ]
    assert {p.file for p in problems} == {"scheme.toml"}
    assert (part.below_floor, part.cap) == ("stop", Decimal(5))  # reading went on past each problem


def test_a_choice_outside_its_vocabulary_is_a_scheme_error():
    wrong = mini_scheme(
        rules=[{"id": "r", "name": "规则", "part": "p", "kind": "penalty", "points": 1}],
        parts=[{"id": "p", "name": "部分", "points": 100}],
    )
    with pytest.raises(SchemeError, match="rule 'r': kind must be 'deduction' or 'bonus', got 'penalty'"):
        parse_scheme(wrong)


def test_a_flag_must_be_true_or_false():
    wrong = mini_scheme(indicators=[{**mini_scheme()["indicators"][0], "optional": "yes"}])
    with pytest.raises(SchemeError, match="optional: expected true or false, got 'yes'"):
        parse_scheme(wrong)


def test_precision_must_be_above_zero():
    with pytest.raises(SchemeError, match='precision must be above 0, e.g. "0.01", got 0'):
        parse_scheme(mini_scheme(precision=0))


def test_the_status_is_read_as_a_table_of_its_own():
    assert parse_scheme(mini_scheme()).status.complete is True
    undeclared = mini_scheme()
    del undeclared["status"]
    assert parse_scheme(undeclared).status.missing == ("status not declared",)
    with pytest.raises(SchemeError, match="status: unknown key 'done'"):
        parse_scheme(mini_scheme(status={"done": True}))
