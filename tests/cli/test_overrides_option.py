"""``--overrides FILE`` on score, explain and validate: the sample's numbers applied as a deployment would."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from kaoping.cli.main import cli

XINGAN = Path(__file__).parents[2] / "kaoping/plugins/jiangxi_xingan_sunshine/sample"
SCHEME = "jiangxi.xingan.sunshine"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_score_needs_the_deployment_number_and_takes_it_from_overrides():
    without = invoke("score", "--scheme", SCHEME, "--data", str(XINGAN))
    assert without.exit_code == 2
    assert "host_item_points" in without.output
    scored = invoke(
        "score",
        "--scheme",
        SCHEME,
        "--data",
        str(XINGAN),
        "--overrides",
        str(XINGAN / "overrides.toml"),
        "--format",
        "json",
    )
    assert scored.exit_code == 0, scored.output
    totals = {u["unit"]: Decimal(str(u["total"])) for u in json.loads(scored.output)["units"]}
    # expected.csv: X03 「15+10+(60-5)+15+10」 = 105
    assert totals["X03"] == Decimal(105)


def test_explain_and_validate_take_overrides_too():
    overrides = str(XINGAN / "overrides.toml")
    explained = invoke("explain", "X03", "--scheme", SCHEME, "--data", str(XINGAN), "--overrides", overrides)
    assert explained.exit_code == 0, explained.output
    assert "105" in explained.output
    valid = invoke("validate", "--scheme", SCHEME, "--data", str(XINGAN), "--overrides", overrides)
    assert valid.exit_code == 0, valid.output


def test_a_misspelt_override_names_the_file_and_the_key(tmp_path: Path):
    bad = tmp_path / "typo.toml"
    bad.write_text(
        '[parameters]\nhost_item_points = 10\n\n[[rules]]\nid = "no_such_rule"\npoints = 3\n', encoding="utf-8"
    )
    result = invoke("score", "--scheme", SCHEME, "--data", str(XINGAN), "--overrides", str(bad))
    assert result.exit_code == 2
    assert str(bad) in result.output and "no_such_rule" in result.output


def test_overrides_apply_after_the_countys_key_by_key(tmp_path: Path):
    """The county sets one parameter, the file another: both hold (not one table replacing the other)."""
    config = tmp_path / "kaoping.toml"
    config.write_text(
        f'[counties.xg]\nscheme = "{SCHEME}"\n\n[counties.xg.overrides.parameters]\nhost_item_points = 10\n',
        encoding="utf-8",
    )
    extra = tmp_path / "extra.toml"
    extra.write_text("[parameters]\nclamp_host_value = false\n", encoding="utf-8")
    result = invoke(
        "score", "--config", str(config), "--data", str(XINGAN), "--overrides", str(extra), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    x03 = next(u for u in json.loads(result.output)["units"] if u["unit"] == "X03")
    # expected.csv: 「105×10/100 = 10.5 → clamped to 10.00」; unclamped with the file's setting
    assert "10.5" in json.dumps(x03, ensure_ascii=False)
