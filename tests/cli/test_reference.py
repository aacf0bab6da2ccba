"""docs/cli.md is generated from the commands and kept up to date."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.cli.reference import REGENERATE, cli_reference

DOC = Path(__file__).parents[2] / "docs" / "cli.md"


def test_the_cli_reference_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == cli_reference(), f"docs/cli.md is out of date: run {REGENERATE}"


def test_the_reference_lists_every_command_of_kaoping():
    text = cli_reference()
    for name in cli.commands:
        assert f"## `kaoping {name}`" in text, name
    assert "_KAOPING_COMPLETE=bash_source kaoping" in text


def test_scheme_ids_complete_on_the_command_line(monkeypatch):
    monkeypatch.setenv("COMP_WORDS", "kaoping score --scheme hunan.")
    monkeypatch.setenv("COMP_CWORD", "3")
    result = CliRunner().invoke(cli, [], prog_name="kaoping", env={"_KAOPING_COMPLETE": "bash_complete"})
    assert result.output.split() == ["plain,hunan.heshan", "plain,hunan.province"]


def test_the_scheme_argument_of_show_completes_too(monkeypatch):
    monkeypatch.setenv("COMP_WORDS", "kaoping show fujian.zh")
    monkeypatch.setenv("COMP_CWORD", "2")
    result = CliRunner().invoke(cli, [], prog_name="kaoping", env={"_KAOPING_COMPLETE": "bash_complete"})
    assert result.output.split() == ["plain,fujian.zhangzhou"]
