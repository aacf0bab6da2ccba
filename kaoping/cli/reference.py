"""The command-line reference, docs/cli.md, generated from the commands themselves.

Regenerate after changing a command, an option or a help text::

    python -m kaoping.cli.reference > docs/cli.md

``tests/cli/test_reference.py`` fails while docs/cli.md differs from what this writes. The reference is
written in English (the message ids) with kaoping's own commands only, so it does not depend on the
reader's language or on the plugins installed where it is generated.
"""

from __future__ import annotations

import click

from kaoping.cli.main import DEFAULT_COMMAND_PLUGINS, cli
from kaoping.core.plugins import PluginHost
from kaoping.locale import get_language, set_language

WIDTH = 100
REGENERATE = "python -m kaoping.cli.reference > docs/cli.md"

COMPLETION = """\
## Shell completion

kaoping uses click's shell completion. Enable it once per shell:

```sh
eval "$(_KAOPING_COMPLETE=bash_source kaoping)"      # bash: add to ~/.bashrc
eval "$(_KAOPING_COMPLETE=zsh_source kaoping)"       # zsh: add to ~/.zshrc
_KAOPING_COMPLETE=fish_source kaoping | source       # fish: ~/.config/fish/completions/kaoping.fish
```

(Or write the script once, `_KAOPING_COMPLETE=bash_source kaoping > ~/.kaoping-complete.bash`, and
source that file from `~/.bashrc`, so the shell does not start kaoping on every login.)

Commands, options and paths complete; `--scheme` and the scheme argument of `show` and `template`
complete the ids of the registered schemes, built-in and installed (`kaoping score --scheme fu<TAB>`).
"""


def _kaoping_commands() -> click.Group:
    """The ``kaoping`` group with kaoping's own commands only (no installed plugin's)."""
    group = click.Group(
        name="kaoping", help=cli.help, params=list(cli.params), context_settings=dict(cli.context_settings)
    )
    PluginHost(defaults=DEFAULT_COMMAND_PLUGINS, collect=False, entry_points=False).register_commands(group)
    return group


def _help(command: click.Command, name: str, parent: click.Context | None) -> tuple[str, click.Context]:
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    context = click.Context(command, info_name=name, parent=parent, **settings)
    return command.get_help(context), context


def cli_reference() -> str:
    """docs/cli.md: every command's ``--help``, in English, then how to enable shell completion."""
    previous = get_language()
    set_language("en")
    try:
        group = _kaoping_commands()
        text, root = _help(group, "kaoping", None)
        sections = [
            "# Command-line reference",
            "",
            f"Generated from the commands by `{REGENERATE}`;",
            "do not edit by hand. Every command also prints this with `--help` (in Chinese by default, in",
            "English with `KAOPING_LANG=en`).",
            "",
            "## `kaoping`",
            "",
            "```text",
            text,
            "```",
            "",
        ]
        for name in sorted(group.commands):
            help_text, _ = _help(group.commands[name], name, root)
            sections += [f"## `kaoping {name}`", "", "```text", help_text, "```", ""]
        return "\n".join(sections) + "\n" + COMPLETION
    finally:
        set_language(previous)


if __name__ == "__main__":  # pragma: no cover
    click.echo(cli_reference(), nl=False)
