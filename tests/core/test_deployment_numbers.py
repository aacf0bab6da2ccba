"""Numbers the source leaves to the deployment: a part's points may be one, and every gap is named at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.core.errors import MissingParameterError, SchemeError
from kaoping.core.pipeline import run
from kaoping.io.dataio import dataset_from_records
from tests.helpers import D, host_with

# 「各项指标分值由各县区结合实际确定」-style scheme: the weights of two parts are set per deployment.
WEIGHTED = {
    "id": "test.weights",
    "name": "权重由部署确定",
    "total": 100,
    "status": {"complete": True},
    "groups": [{"id": "g", "name": "单位"}],
    "parts": [
        {"id": "work", "name": "工作实绩", "required": ["points"], "quote": "分值由各地确定"},
        {"id": "party", "name": "党建工作", "required": ["points"]},
    ],
    "indicators": [
        {"id": "work_rate", "name": "完成率", "part": "work", "method": "direct", "points": 0},
        {"id": "party_rate", "name": "党建", "part": "party", "method": "direct", "points": 0},
    ],
    "grading": {"grades": ["合格"], "default": "合格"},
}
DATA = {
    "units": [{"unit": "A", "name": "甲", "group": "g"}],
    "values": [
        {"unit": "A", "indicator": "work_rate", "value": 50},
        {"unit": "A", "indicator": "party_rate", "value": 20},
    ],
}


def test_a_part_may_leave_its_points_to_the_deployment_and_a_run_demands_them_all_at_once():
    host = host_with(WEIGHTED)
    scheme = host.scheme("test.weights")
    with pytest.raises(MissingParameterError) as error:
        run(host, scheme, dataset_from_records(DATA))
    text = str(error.value)
    assert "parts[work].points" in text and "parts[party].points" in text  # both, not the first only
    assert "分值由各地确定" in text


def test_the_deployment_sets_the_weights_and_the_parts_must_then_add_up():
    host = host_with(WEIGHTED)
    overrides = {
        "parts": [{"id": "work", "points": 70}, {"id": "party", "points": 30}],
        "indicators": [{"id": "work_rate", "points": 70}, {"id": "party_rate", "points": 30}],
    }
    scheme = host.scheme("test.weights", overrides)
    assert [p.points for p in scheme.parts] == [D(70), D(30)]
    result = run(host, scheme, dataset_from_records(DATA))
    assert result.units[0].total == D(70)  # direct: 50 + 20
    wrong = {"parts": [{"id": "work", "points": 70}, {"id": "party", "points": 20}]}
    with pytest.raises(SchemeError, match="parts add up to 90"):
        host.scheme("test.weights", wrong)


def test_only_a_parts_numbers_may_be_required():
    bad = {**WEIGHTED, "parts": [{"id": "work", "name": "工作", "points": 100, "required": ["name"]}], "indicators": []}
    with pytest.raises(SchemeError, match="required may list points, base, floor, cap"):
        host_with(bad).scheme("test.weights")


XINGAN = Path(__file__).parents[2] / "kaoping/plugins/jiangxi_xingan_sunshine/sample"
OVERRIDES = str(XINGAN / "overrides.toml")


def test_validate_fails_while_deployment_numbers_are_missing():
    result = CliRunner().invoke(cli, ["validate", "--scheme", "jiangxi.xingan.sunshine", "--data", str(XINGAN)])
    assert result.exit_code == 2
    assert "parameters.host_item_points is not set" in result.output
    done = CliRunner().invoke(
        cli,
        ["validate", "--scheme", "jiangxi.xingan.sunshine", "--data", str(XINGAN), "--overrides", OVERRIDES],
    )
    assert done.exit_code == 0, done.output


def test_validate_names_an_items_number_the_data_uses(tmp_path: Path):
    # Zhangzhou: a rule whose points the source leaves out, required = ["points"], used by an event
    scheme = host_with().scheme("fujian.zhangzhou")
    rule = next(r for r in scheme.rules if "points" in r.required)
    sample = Path(__file__).parents[2] / "kaoping/plugins/fujian_zhangzhou/sample"
    for name in ("units.csv", "values.csv"):
        (tmp_path / name).write_text((sample / name).read_text(encoding="utf-8"), encoding="utf-8")
    unit = (sample / "units.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    (tmp_path / "events.csv").write_text(f"unit,rule,count\n{unit},{rule.id},1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--scheme", "fujian.zhangzhou", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert f"rules[{rule.id}].points is not set" in result.output


def test_override_scheme_and_method_problems_come_together_each_located():
    scheme = {
        **WEIGHTED,
        "parts": [{"id": "work", "name": "工作", "points": 100, "cpa": 1}],
        "indicators": [
            {"id": "work_rate", "name": "完成率", "part": "work", "method": "direct", "points": 100, "capp": 3}
        ],
    }
    host = host_with(scheme)
    with pytest.raises(SchemeError) as error:
        host.scheme("test.weights", {"rules": [{"id": "nope", "points": 1}]}, "kaoping.toml [counties.x.overrides]")
    lines = [str(p) for p in error.value.problems]
    assert len(lines) == 3, lines
    assert lines[0].startswith("kaoping.toml [counties.x.overrides], key rules: ") and "'rules'" in lines[0]
    assert lines[1].startswith("test_schemes:<dict>, key parts[work].cpa: ") and "unknown key 'cpa'" in lines[1]
    assert lines[2].startswith("test_schemes:<dict>, key indicators[work_rate].capp: ")
    assert "method 'direct' has no parameter 'capp'" in lines[2]
    assert not any("<input>" in line for line in lines)


def test_a_missing_parameter_names_the_scheme_file_and_the_dotted_key():
    host = host_with({**WEIGHTED, "parameters": {"required": ["threshold"]}})
    overrides = {
        "parts": [{"id": "work", "points": 60}, {"id": "party", "points": 40}],
        "indicators": [{"id": "work_rate", "points": 60}, {"id": "party_rate", "points": 40}],
    }
    scheme = host.scheme("test.weights", overrides)
    with pytest.raises(MissingParameterError) as error:
        scheme.parameter("threshold")
    assert str(error.value).startswith("test_schemes:<dict>: ") and "parameters.threshold" in str(error.value)
