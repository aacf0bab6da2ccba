"""The commands of the Chinese manual (docs/zh/使用手册.md) run as written on the bundled samples."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
MANUAL = ROOT / "docs" / "zh" / "使用手册.md"


def manual_commands() -> list[str]:
    """Every ``kaoping …`` line of the manual's shell blocks, continuations joined, comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", MANUAL.read_text(encoding="utf-8"), flags=re.S)
    commands = []
    for block in blocks:
        for command in block.replace("\\\n", " ").splitlines():
            command = command.split("#")[0].strip()
            if command.startswith("kaoping ") and "kaoping.toml" not in command and "方案编号" not in command:
                commands.append(command)
    return commands


def test_the_manual_shows_the_whole_journey():
    verbs = {shlex.split(c)[1] for c in manual_commands()}
    assert {"template", "validate", "score", "explain"} <= verbs
    assert any("--format xlsx" in c for c in manual_commands()) and any("--format html" in c for c in manual_commands())
    for image in re.findall(r"\]\((images/[^)]+)\)", MANUAL.read_text(encoding="utf-8")):
        assert (MANUAL.parent / image).is_file(), image


@pytest.mark.parametrize("command", manual_commands())
def test_a_manual_command_runs(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    args = [str(ROOT / a) if a.startswith(("kaoping/plugins/", "tests/data/")) else a for a in shlex.split(command)]
    monkeypatch.chdir(tmp_path)  # outputs (模板/, 通报.xlsx, report.xlsx) land here
    result = CliRunner().invoke(cli, args[1:])
    expected = 2 if "bad_zhangzhou" in command else 0  # the manual's example of data with mistakes
    assert result.exit_code == expected, result.output
