"""Scheme keys are declared once: the reader, the format document and the JSON Schema all follow them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from kaoping.core import fields, scheme
from kaoping.core.errors import SchemeError
from kaoping.core.fields import DERIVED, choices_of, declared, key_table, scheme_format
from kaoping.core.schema_json import scheme_schema
from kaoping.core.scheme import TABLE_CLASSES, parse_scheme, read_scheme
from tests.helpers import mini_scheme

DOC = Path(__file__).parents[2] / "docs" / "scheme-format.md"
# fields of the scheme classes that no file writes: the host fills them in
NOT_IN_FILE = {("Scheme", "raw"), ("Scheme", "plugin"), ("Scheme", "origin"), ("Status", "drafts")}


def test_the_key_tables_of_the_format_document_are_current():
    text = DOC.read_text(encoding="utf-8")
    assert scheme_format(text) == text, "docs/scheme-format.md is out of date: run python -m kaoping.core.fields"


def test_every_table_class_has_its_key_table_in_the_document():
    text = DOC.read_text(encoding="utf-8")
    for cls in TABLE_CLASSES:
        assert f"<!-- keys: {cls.__name__} -->" in text


@pytest.mark.parametrize("cls", TABLE_CLASSES, ids=lambda c: c.__name__)
def test_every_field_is_declared_with_a_kind_and_a_meaning(cls):
    for field in attrs.fields(cls):
        if (cls.__name__, field.name) in NOT_IN_FILE or DERIVED in field.metadata:
            continue
        spec = fields.spec_of(field)
        assert spec is not None, f"{cls.__name__}.{field.name} is not declared with key()"
        assert spec.doc.strip(), f"{cls.__name__}.{field.name} has no meaning"


def test_choices_come_from_the_literal_annotation_or_the_declaration():
    assert choices_of(scheme.Rule, "kind") == ("deduction", "bonus")
    assert choices_of(scheme.VetoArea, "effect") == ("deduct", "disqualify", "force_grade", "promote", "record")
    assert choices_of(scheme.Part, "required") == ("points", "base", "floor", "cap")
    assert "half_even" in choices_of(scheme.Quota, "rounding")
    assert choices_of(scheme.Part, "name") == ()


def test_a_key_table_shows_kind_default_choices_minimum_and_override():
    table = key_table(scheme.Part)
    assert '| `below_floor` | text | `"stop"` | yes |' in table and "(`stop`, `total`)" in table
    assert "| `points` | number | required (or listed in `required`) | yes |" in table and "(≥ 0)" in table
    assert "| `id` | text | required | no |" in table
    assert "*other keys*" in key_table(scheme.Indicator) and "*other keys*" not in table


def test_the_json_schema_follows_the_declarations():
    schema = scheme_schema()
    part = schema["$defs"]["Part"]
    assert part["required"] == ["id"]  # points may be left to the deployment (listed in `required`)
    assert part["properties"]["below_floor"]["enum"] == ["stop", "total"]
    assert part["properties"]["required"]["items"]["enum"] == ["points", "base", "floor", "cap"]
    assert schema["$defs"]["Indicator"]["additionalProperties"] is True
    assert schema["$defs"]["Band"]["additionalProperties"] is False
    assert schema["$defs"]["Quota"]["properties"]["rounding"]["enum"][0] == "half_up"
    assert set(schema["$defs"]["Group"]["properties"]) >= {"units", "ranked", "pool"}
    for cls in TABLE_CLASSES:
        if cls is scheme.Scheme:
            continue
        keys = {spec.name(field) for field, spec in declared(cls) if spec.kind != "params"}
        assert keys <= set(schema["$defs"][cls.__name__]["properties"]), cls.__name__


def problems_of(data, origin="schemes/x.toml"):
    return read_scheme(data, origin)[1]


def test_a_number_below_its_minimum_names_file_and_key():
    parts = [{"id": "p", "name": "部分", "points": 100, "cap": -1}]
    [problem] = problems_of(mini_scheme(parts=parts))
    assert problem.file == "schemes/x.toml" and problem.key == "parts[p].cap"
    assert problem.message == "part 'p': cap: must be at least 0, got -1"


def test_a_percent_is_read_as_an_exact_share():
    grading = {
        "grades": ["优秀", "合格"],
        "default": "合格",
        "quotas": [{"id": "q", "grade": "优秀", "share": "15%", "groups": ["g"]}],
    }
    parsed = parse_scheme(mini_scheme(grading=grading))
    assert parsed.grading.quotas[0].share == Decimal("0.15")


def test_a_value_outside_a_literal_vocabulary_is_named_with_the_choices():
    grading = {"grades": ["优"], "quotas": [{"id": "q", "grade": "优", "share": "15%", "rounding": "nearest"}]}
    [problem] = problems_of(mini_scheme(grading=grading))
    assert problem.key == "grading.quotas[q].rounding"
    assert "rounding must be one of half_up, half_even, down, up, floor, ceiling, got 'nearest'" in problem.message


def test_a_whole_number_is_not_text():
    [problem] = problems_of(mini_scheme(year="2014"))
    assert problem.key == "year" and "expected a whole number" in problem.message


def test_an_unknown_key_in_a_nested_table_names_its_dotted_key():
    condition = {"items": ["i"], "above": 0.3, "x": 1}
    rules = [{"id": "b", "part": "p", "kind": "bonus", "points": 1, "only_if_deducted": condition}]
    found = problems_of(mini_scheme(rules=rules))
    assert [(p.key, p.message) for p in found] == [
        ("rules[b].only_if_deducted.x", "rule 'b'.only_if_deducted: unknown key 'x'")
    ]


def test_every_problem_of_a_file_is_reported_together():
    parts = [{"id": "p", "points": "many", "below_floor": "down"}]
    with pytest.raises(SchemeError) as caught:
        parse_scheme(mini_scheme(parts=parts, totl=1, year=1.5, groups=[{"id": "g", "ranked": "no"}]))
    keys = sorted(p.key for p in caught.value.problems if p.key)  # the sums of parts are checked unkeyed
    assert keys == ["groups[g].ranked", "parts[p].below_floor", "parts[p].points", "totl", "year"]
    assert {p.file for p in caught.value.problems} == {"<scheme>"}


@pytest.mark.parametrize("listed", [["points"], "points"])
def test_a_required_number_left_to_the_deployment_may_be_absent(listed):
    parts = [{"id": "p", "name": "部分", "required": listed}]
    parsed, found = read_scheme(mini_scheme(parts=parts), "x.toml")
    assert found == []
    assert parsed.parts[0].unset == ("points",) and parsed.missing_numbers() == [("parts[p].points", "")]


def test_every_builtin_scheme_loads_without_a_problem():
    from kaoping.core.plugins import PluginHost

    host = PluginHost(entry_points=False)
    assert len(host.schemes) >= 18
    for entry in host.schemes.values():
        assert read_scheme(entry.data, entry.origin, entry.plugin)[1] == [], entry.id


def test_keys_declared_not_overridable_cannot_be_overridden():
    from kaoping.core.overrides import apply_overrides
    from kaoping.core.plugins import PluginHost

    fixed = {(cls.__name__, spec.name(f)) for cls in TABLE_CLASSES for f, spec in declared(cls) if not spec.override}
    assert ("Scheme", "id") in fixed and ("Part", "id") in fixed
    with pytest.raises(SchemeError, match="may not change the scheme id"):
        PluginHost(entry_points=False).scheme("fujian.zhangzhou", overrides={"id": "other.scheme"})
    # an item's id names the item an override changes: a new id is an unknown item, not a renamed one
    with pytest.raises(SchemeError, match="id 'q'"):
        apply_overrides(mini_scheme(), {"parts": [{"id": "q", "points": 5}]})
