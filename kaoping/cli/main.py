"""Entry point: the ``kaoping`` group, with commands gathered from the modules of :mod:`kaoping.cli`.

Each command module exposes ``COMMANDS``, a list of click commands, so a new command is one new module.
Every text the command line shows is in the chosen language (``--lang`` or ``KAOPING_LANG``, Chinese by
default); help strings are message ids translated where shown (:mod:`kaoping.cli._i18n`).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import click

import kaoping
import kaoping.cli
from kaoping.cli._i18n import route_click_messages, translate_help
from kaoping.locale import N_, set_language

LANG_CHOICES = ("zh", "en")


def _lang_in(args: list[str]) -> str | None:
    """The ``--lang`` given before the command name, so that parsing errors and help are in it too."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        elif not arg.startswith("-"):
            return None
        else:
            continue
        return value if value in LANG_CHOICES else None
    return None


class KaopingGroup(click.Group):
    """The top-level group: chooses the language from ``--lang`` before anything is parsed or printed."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        set_language(_lang_in(args))  # each run: its --lang, else KAOPING_LANG, else Chinese
        return super().parse_args(ctx, args)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        set_language(value)
    return value


@click.group(
    cls=KaopingGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
    help=N_(
        "kaoping (考评): government performance evaluations computed as each locality's scheme says.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping demo                       # score Zhangzhou's sample data, write report.xlsx\n"
        "  kaoping score --scheme fujian.zhangzhou --data DIR --format json -o result.json\n"
        "  kaoping --lang en score --help     # in English (or set KAOPING_LANG=en)"
    ),
)
@click.option(
    "--lang",
    type=click.Choice(LANG_CHOICES),
    default=None,
    is_eager=True,
    expose_value=False,
    callback=_choose_language,
    help=N_("Language of every text shown: zh (Simplified Chinese, the default) or en. Also KAOPING_LANG."),
)
@click.version_option(kaoping.__version__, prog_name="kaoping", help=N_("Show the version and exit."))
def cli() -> None:
    """The ``kaoping`` group; its help is the message id above, shown in the chosen language."""


def _load_commands() -> None:
    skip = {"main", "common"}
    for info in sorted(pkgutil.iter_modules(kaoping.cli.__path__), key=lambda m: m.name):
        if info.name in skip or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"kaoping.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)


_load_commands()
route_click_messages()
translate_help(cli)


def main(args: Any = None) -> None:
    cli(args)


if __name__ == "__main__":  # pragma: no cover
    main()
