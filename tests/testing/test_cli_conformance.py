"""``kaoping conformance``: a readable report, exit 0 when the suite passes and 1 when it fails."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from click.testing import CliRunner, Result

from kaoping.cli.main import cli
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA

QUOTA_BREAKER = """
from kaoping import hookimpl

__version__ = "0.0.1"


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme):
    result = yield
    for unit in result.units:
        if unit.rank is not None and unit.rank <= 6:
            unit.grade = "优秀"
    return result
"""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_built_in_plugin_passes_every_check():
    result = invoke("conformance", "fujian_zhangzhou")
    assert result.exit_code == 0, result.output
    assert "conformance of fujian.zhangzhou (plugin fujian_zhangzhou 0.1.0)" in result.output
    assert "25 passed, 1 skipped, 0 failed" in result.output  # the built-ins' quotes are tested against the seeds
    for stage in ("loading", "scoring", "vetoes", "results", "determinism", "provenance", "robustness"):
        assert f"\n  {stage}\n" in result.output


def test_verbose_says_what_each_check_verified():
    result = invoke("conformance", "fujian.zhangzhou", "--verbose")
    assert result.exit_code == 0
    assert "81 units match" in result.output
    assert "not perturbed: unannounced_visit" in result.output


def test_a_plugin_that_breaks_a_rule_exits_1_naming_it(tmp_path: Path):
    broken = tmp_path / "too_many_excellent.py"
    broken.write_text(textwrap.dedent(QUOTA_BREAKER), encoding="utf-8")
    result = invoke("conformance", "fujian.zhangzhou", "--plugin", str(broken))
    assert result.exit_code == 1
    assert "FAIL  quotas-respected" in result.output
    assert "quota 'excellent' (优秀) in group 'series1': 6 units hold it" in result.output
    assert "FAIL  expected-results" in result.output


def test_explicit_data_and_expected_results(tmp_path: Path):
    expected = tmp_path / "expected.csv"
    rows = (SAMPLE_DATA / "expected.csv").read_text(encoding="utf-8").splitlines()
    expected.write_text("\n".join([rows[0], rows[1].replace(",867.20,", ",867.30,"), *rows[2:]]), encoding="utf-8")
    result = invoke("conformance", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--expected", str(expected))
    assert result.exit_code == 1
    assert "unit S1-06: total 867.2, expected 867.3" in result.output


def test_an_unknown_target_is_an_input_error():
    result = CliRunner().invoke(cli, ["conformance", "no.such.scheme"])
    assert result.exit_code == 2
    assert "neither a registered scheme nor a plugin" in result.output


def test_a_scheme_without_declared_sample_data_fails(tmp_path: Path):
    plugin = tmp_path / "bare.py"
    plugin.write_text(
        textwrap.dedent(
            """
            from kaoping import hookimpl

            @hookimpl
            def kaoping_register_schemes(register):
                register({"id": "test.bare", "name": "无样例", "total": 100, "status": {"complete": True},
                          "parts": [{"id": "p", "name": "部分", "points": 100}]})
            """
        ),
        encoding="utf-8",
    )
    result = invoke("conformance", "bare", "--plugin", str(plugin))
    assert result.exit_code == 1
    assert "test.bare: no sample data declared" in result.output


def test_a_sample_is_scored_with_the_overrides_beside_it(tmp_path: Path):
    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE_DATA, sample)
    rows = (sample / "expected.csv").read_text(encoding="utf-8").splitlines()
    fifth = next(i for i, row in enumerate(rows) if row.startswith("S1-") and ",5,优秀" in row)
    rows[fifth] = rows[fifth].replace(",5,优秀", ",5,合格")
    (sample / "expected.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert invoke("conformance", "fujian.zhangzhou", "--data", str(sample)).exit_code == 1
    (sample / "overrides.toml").write_text(
        '[[grading.quotas]]\nid = "excellent"\ncounts = { series1 = 4 }\n', encoding="utf-8"
    )
    result = invoke("conformance", "fujian.zhangzhou", "--data", str(sample))
    assert result.exit_code == 0, result.output
