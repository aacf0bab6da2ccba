"""Commands are gathered through ``kaoping_register_commands``: kaoping's own and an installed plugin's."""

from __future__ import annotations

import importlib.metadata as metadata

import click
import pytest
from click.testing import CliRunner

from kaoping import hookimpl
from kaoping.cli.main import DEFAULT_COMMAND_PLUGINS, cli, gather_commands


class GreetingPlugin:
    """A third party's tiny plugin: one command, nothing else."""

    @hookimpl
    def kaoping_register_commands(self, cli):
        @cli.command("greet")
        @click.argument("name")
        def greet(name: str) -> None:
            """Say hello."""
            click.echo(f"你好, {name}")


def fake_entry_points(*plugins: tuple[str, object]):
    class Dist:
        version = "1.0"

    def entry(name: str, plugin: object):
        class Entry:
            value = f"{name}:plugin"
            dist = Dist()

            def load(self):
                return plugin

        Entry.name = name
        return Entry()

    return lambda group: [entry(name, plugin) for name, plugin in plugins]


def test_kaoping_commands_come_from_its_default_command_plugins():
    assert {"score", "explain", "demo", "compare", "conformance", "new-plugin", "plugins", "validate"} <= set(
        cli.commands
    )
    assert all(name.startswith("kaoping.cli.") for name in DEFAULT_COMMAND_PLUGINS)


def test_an_installed_plugin_adds_a_command(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(metadata, "entry_points", fake_entry_points(("greeting", GreetingPlugin())))
    group = click.Group("kaoping")
    gather_commands(group)
    assert "greet" in group.commands and "score" in group.commands
    result = CliRunner().invoke(group, ["greet", "漳州"])
    assert result.exit_code == 0 and result.output == "你好, 漳州\n"


def test_a_disabled_plugin_adds_no_command(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(metadata, "entry_points", fake_entry_points(("greeting", GreetingPlugin())))
    monkeypatch.setenv("KAOPING_DISABLE", "greeting")
    group = click.Group("kaoping")
    gather_commands(group)
    assert "greet" not in group.commands and "score" in group.commands


def test_a_broken_installed_plugin_keeps_kaopings_own_commands(monkeypatch: pytest.MonkeyPatch, capsys):
    class Broken:
        name = "broken"
        value = "broken:plugin"
        dist = None

        def load(self):
            raise ImportError("no module named broken")

    monkeypatch.setattr(metadata, "entry_points", lambda group: [Broken()])
    group = click.Group("kaoping")
    gather_commands(group)
    assert "score" in group.commands
    assert "entry point 'broken'" in capsys.readouterr().err
