"""Configuration types: every key of kaoping.toml and the scheme file is type-checked and named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.core import limits
from kaoping.core.config import DeploymentFile, load_deployment
from kaoping.core.errors import InputError, SchemeError
from kaoping.core.pipeline import prepare
from kaoping.core.schema_json import SCHEMA_DIR, SCHEMAS, rendered
from kaoping.core.scheme import parse_scheme
from kaoping.core.structure import structure
from kaoping.core.tomlread import read_toml
from tests.helpers import D

ROOT = Path(__file__).parents[2]


@pytest.fixture(autouse=True)
def reset_limits():
    yield
    limits.configure(None)


def problems(tmp_path: Path, text: str | None) -> list[str]:
    path = tmp_path / "kaoping.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_deployment(path)
    return [str(p) for p in caught.value.problems]


def test_a_plugin_list_written_as_text_is_an_error_not_five_plugins(tmp_path: Path):
    found = problems(tmp_path, 'plugins = "x.py"\n[counties.a]\nscheme = "s"\n')
    assert found == [f"{tmp_path / 'kaoping.toml'}, key plugins: expected a list, got text 'x.py'"]


def test_every_type_error_is_reported_with_its_dotted_key(tmp_path: Path):
    found = problems(
        tmp_path,
        'disable = [1]\n[limits]\nrows = "many"\n[counties.a]\nscheme = 3\nplugins = ["a.py", false]\nzz = 1\n'
        '[counties.b]\nname = "乙"\n[counties.c]\nscheme = "s"\noverrides = 3\n',
    )
    text = "\n".join(found)
    for expected in (
        "key disable[0]: expected text",
        "key limits.rows: expected a whole number, got text 'many'",
        "key counties.a.scheme: expected text, got a number 3",
        "key counties.a.plugins[1]: expected text, got true/false False",
        "key counties.a: unknown key 'zz'",
        "key counties.b.scheme: missing required key",
        "key counties.c.overrides: expected a table",
    ):
        assert expected in text
    assert len(found) == 7


def test_limits_must_be_above_zero_and_reach_the_reader(tmp_path: Path):
    assert problems(tmp_path, '[limits]\nxlsx_mb = 0\n[counties.a]\nscheme = "s"\n') == [
        f"{tmp_path / 'kaoping.toml'}, key limits.xlsx_mb: a limit must be a whole number above 0"
    ]
    path = tmp_path / "kaoping.toml"
    path.write_text('[limits]\nrows = 7\n[counties.a]\nscheme = "fujian.zhangzhou"\n', encoding="utf-8")
    prepare(config=path)
    assert limits.current().rows == 7


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.one_of(
        st.integers(),
        st.booleans(),
        st.text(max_size=5),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    ),
    key=st.sampled_from(["plugins", "disable", "name", "data", "scheme"]),
)
def test_any_wrongly_typed_county_key_is_named(value: object, key: str):
    wanted = {"plugins": list, "disable": list, "name": str, "data": str, "scheme": str}[key]
    table = {"scheme": "s", key: value}
    written, found = structure({"counties": {"a": table}}, DeploymentFile, "k.toml")
    ok = isinstance(value, wanted) and (wanted is str or all(isinstance(v, str) for v in value))
    assert (written is not None) == ok
    if not ok:
        assert all(p.key.startswith(f"counties.a.{key}") for p in found)


# -- the scheme file -------------------------------------------------------------------------------------


def minimal_scheme(**group: object) -> dict:
    return {
        "id": "t",
        "name": "t",
        "total": 10,
        "status": {"complete": True},
        "groups": [{"id": "g", "name": "g", **group}],
        "parts": [{"id": "p", "name": "p", "points": 10}],
        "indicators": [{"id": "i", "name": "i", "part": "p", "method": "assessed", "points": 10}],
        "grading": {"grades": ["好"], "default": "好"},
    }


def test_ranked_written_as_text_is_an_error_not_true():
    with pytest.raises(SchemeError) as caught:
        parse_scheme(minimal_scheme(ranked="false"), origin="s.toml")
    (problem,) = caught.value.problems
    assert problem.key == "groups[g].ranked" and "expected true or false" in problem.message


def test_a_year_written_as_text_is_an_error():
    data = minimal_scheme()
    data["year"] = "2024年"
    with pytest.raises(SchemeError, match="year: expected a whole number"):
        parse_scheme(data)


def test_override_problems_name_kaoping_toml_and_the_key(tmp_path: Path):
    path = tmp_path / "kaoping.toml"
    path.write_text(
        '[counties.a]\nscheme = "fujian.zhangzhou"\n'
        '[[counties.a.overrides.rules]]\nid = "training"\ncap = -3\n'
        '[[counties.a.overrides.grading.quotas]]\nid = "excellent"\ncounts = { series1 = -1, series2 = 2.5 }\n',
        encoding="utf-8",
    )
    with pytest.raises(SchemeError) as caught:
        prepare(config=path)
    found = {p.key: p for p in caught.value.problems}
    assert {p.file for p in found.values()} == {str(path)}
    for key in (
        "counties.a.overrides.rules[training].cap",
        "counties.a.overrides.grading.quotas[excellent].counts.series1",
        "counties.a.overrides.grading.quotas[excellent].counts.series2",
    ):
        assert key in found, key
    assert "<input>" not in str(caught.value) and "scheme.toml" not in str(caught.value)


@pytest.mark.parametrize(
    ("override", "key", "wanted"),
    [
        (
            '[[counties.a.overrides.parts]]\nid = "assessment"\npoints = "many"\n',
            "parts[assessment].points",
            "a number",
        ),
        ('[counties.a.overrides.parameters]\nvalidity_years = "三年"\n', "parameters.validity_years", "a number"),
        (
            '[[counties.a.overrides.groups]]\nid = "organs"\nranked = "false"\n',
            "groups[organs].ranked",
            "true or false",
        ),
    ],
)
def test_a_string_where_the_scheme_has_a_number_or_flag(tmp_path: Path, override: str, key: str, wanted: str):
    path = tmp_path / "kaoping.toml"
    path.write_text('[counties.a]\nscheme = "hubei.province.archives"\n' + override, encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        prepare(config=path)
    (problem,) = caught.value.problems
    assert problem.file == str(path) and problem.key == f"counties.a.overrides.{key}"
    assert f"must be {wanted}" in problem.message


def test_a_method_parameter_of_the_wrong_type_names_kaoping_toml_and_the_key(tmp_path: Path):
    path = tmp_path / "kaoping.toml"
    path.write_text(
        '[counties.a]\nscheme = "fujian.zhangzhou"\n[[counties.a.overrides.rules]]\nid = "training"\nmax = "lots"\n',
        encoding="utf-8",
    )
    with pytest.raises(SchemeError) as caught:
        prepare(config=path)
    (problem,) = caught.value.problems  # reported once: not again as a missing parameter
    assert problem.file == str(path) and problem.key == "counties.a.overrides.rules[training].max"


def test_an_unknown_override_key_names_kaoping_toml_and_the_key(tmp_path: Path):
    path = tmp_path / "kaoping.toml"
    path.write_text('[counties.a]\nscheme = "fujian.zhangzhou"\n[counties.a.overrides]\ntotl = 5\n', "utf-8")
    with pytest.raises(SchemeError) as caught:
        prepare(config=path)
    (problem,) = caught.value.problems
    assert problem.file == str(path) and problem.key == "counties.a.overrides.totl"


def test_perturbation_ranges_are_typed():
    from kaoping.compare.perturb import parse_ranges

    with pytest.raises(InputError) as caught:
        parse_ranges({"ranges": [{"path": "parts.x.points", "low": "low", "high": [1]}, "x"]}, "r.toml")
    keys = {p.key for p in caught.value.problems}
    assert keys == {"ranges[0].low", "ranges[0].high", "ranges[1]"}
    assert parse_ranges({"ranges": [{"path": "p", "pct": 10}]})[0].pct == D(10)


# -- published JSON Schemas ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_json_schemas_are_up_to_date(name: str):
    committed = (ROOT / SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == rendered(name), f"regenerate with: python -m kaoping.core.schema_json ({name})"


def test_every_builtin_scheme_and_example_deployment_matches_its_schema():
    jsonschema = pytest.importorskip("jsonschema")
    scheme_validator = jsonschema.Draft202012Validator(json.loads(rendered("scheme.schema.json")))
    files = sorted((ROOT / "kaoping" / "plugins").glob("*/scheme.toml"))
    assert files
    for path in files:
        errors = [e.message for e in scheme_validator.iter_errors(read_toml(path))]
        assert not errors, (path, errors[:3])
    config_validator = jsonschema.Draft202012Validator(json.loads(rendered("kaoping.schema.json")))
    for path in (ROOT / "examples").rglob("kaoping.toml"):
        errors = [e.message for e in config_validator.iter_errors(read_toml(path))]
        assert not errors, (path, errors[:3])
    bad = {"plugins": "x.py", "counties": {"a": {"scheme": "s", "plugins": "y.py"}}}
    assert len(list(config_validator.iter_errors(bad))) == 2


def test_a_deployment_file_with_a_bom_is_read_and_one_in_gbk_is_named(tmp_path: Path):
    path = tmp_path / "kaoping.toml"
    path.write_bytes('\ufeff[counties.a]\nscheme = "fujian.zhangzhou"\n'.encode())
    assert load_deployment(path).counties["a"].scheme == "fujian.zhangzhou"
    path.write_bytes('[counties.a]\nname = "漳州"\nscheme = "s"\n'.encode("gbk"))
    assert problems(tmp_path, None) == [f"{path}: not UTF-8 text (byte 21); save the file as UTF-8"]
