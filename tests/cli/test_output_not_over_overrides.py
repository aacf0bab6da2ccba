"""``score -o`` never replaces its own ``--overrides`` file (it did: the file was not among the inputs)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kaoping.cli.main import cli

SAMPLE = Path(__file__).parents[2] / "kaoping" / "plugins" / "fujian_zhangzhou" / "sample"


def test_the_overrides_file_is_an_input_the_output_may_not_replace(tmp_path: Path):
    overrides = tmp_path / "o.toml"
    overrides.write_text("[parameters]\n", encoding="utf-8")
    args = ["--lang", "en", "score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE)]
    result = CliRunner().invoke(cli, [*args, "--overrides", str(overrides), "--format", "csv", "-o", str(overrides)])
    assert result.exit_code == 2 and "one of this command's inputs" in result.output
    assert overrides.read_text(encoding="utf-8") == "[parameters]\n"
