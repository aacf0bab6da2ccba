"""A deployment's mistakes in one report: file types, override types, scheme sense and method parameters."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.core.errors import InputError
from kaoping.core.pipeline import prepare

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "kaoping" / "plugins" / "fujian_zhangzhou" / "sample"
ONE_OF_EACH = """\
[counties.a]
scheme = "fujian.zhangzhou"
year = "2024年"                 # a type error of kaoping.toml itself
[[counties.a.overrides.parts]]
id = "basic"
points = "many"                 # an override of the wrong type
[[counties.a.overrides.rules]]
id = "training"
cap = -3                        # a scheme error: a cap below 0
[[counties.a.overrides.indicators]]
id = "comprehensive_review"
bogus = 1                       # a method-parameter error: 'mean' has no 'bogus'
"""
EXPECTED_KEYS = {
    "counties.a.year",
    "counties.a.overrides.parts[basic].points",
    "counties.a.overrides.rules[training].cap",
    "counties.a.overrides.indicators[comprehensive_review].bogus",
}


def test_every_kind_of_deployment_mistake_is_reported_at_once(tmp_path: Path):
    path = tmp_path / "kaoping.toml"
    path.write_text(ONE_OF_EACH, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        prepare(config=path)
    problems = caught.value.problems
    assert {p.key for p in problems} == EXPECTED_KEYS
    assert {p.file for p in problems} == {str(path)}


def test_the_command_line_prints_them_together_with_exit_2(tmp_path: Path):
    path = tmp_path / "kaoping.toml"
    path.write_text(ONE_OF_EACH, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "en", "validate", "--config", str(path), "--data", str(SAMPLE)])
    assert result.exit_code == 2
    assert "4 problems" in result.output and "Traceback" not in result.output
    for key in EXPECTED_KEYS:
        assert f"key {key}:" in result.output


def test_without_type_errors_the_override_problems_come_together_too(tmp_path: Path):
    path = tmp_path / "kaoping.toml"
    path.write_text(ONE_OF_EACH.replace('year = "2024年"', "year = 2024"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        prepare(config=path)
    assert {p.key for p in caught.value.problems} == EXPECTED_KEYS - {"counties.a.year"}


def test_each_override_layer_is_named_for_its_own_mistakes(tmp_path: Path):
    path = tmp_path / "kaoping.toml"
    path.write_text(
        '[counties.a]\nscheme = "fujian.zhangzhou"\n[[counties.a.overrides.rules]]\nid = "training"\ncap = -3\n'
    )
    extra = tmp_path / "more.toml"
    extra.write_text('[[indicators]]\nid = "comprehensive_review"\nbogus = 1\n', encoding="utf-8")
    from kaoping.core.tomlread import read_toml

    with pytest.raises(InputError) as caught:
        prepare(config=path, overrides=read_toml(extra), overrides_origin=str(extra))
    placed = {(p.file, p.key) for p in caught.value.problems}
    assert placed == {
        (str(path), "counties.a.overrides.rules[training].cap"),
        (str(extra), "indicators[comprehensive_review].bogus"),
    }
    assert "scheme.toml" not in str(caught.value)


def test_a_wrongly_typed_override_of_a_whole_list_is_summarised_not_dumped(tmp_path: Path):
    path = tmp_path / "kaoping.toml"
    path.write_text('[counties.a]\nscheme = "fujian.zhangzhou"\n[counties.a.overrides]\ngroups = 3\n', "utf-8")
    with pytest.raises(InputError) as caught:
        prepare(config=path)
    (problem,) = caught.value.problems
    assert problem.key == "counties.a.overrides.groups" and len(problem.message) < 200
    assert "S1-01" not in problem.message
