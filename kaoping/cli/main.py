"""Entry point: the ``kaoping`` group, with commands gathered through the ``kaoping_register_commands`` hook.

kaoping's own command modules are the CLI's default plugins (as datasette ships ``DEFAULT_PLUGINS``); an
installed package adds commands through the same hook.
Every text the command line shows is in the chosen language (``--lang`` or ``KAOPING_LANG``, Chinese by
default); help strings are message ids translated where shown (:mod:`kaoping.cli._i18n`).
"""

from __future__ import annotations

import io
import sys
from typing import Any

import click

import kaoping
from kaoping.cli._i18n import route_click_messages, translate_help
from kaoping.cli.common import GuardedGroup, set_debug
from kaoping.cli.completion import complete_scheme_ids
from kaoping.cli.progress import terminal_progress
from kaoping.core.errors import KaopingError
from kaoping.core.plugins import PluginHost
from kaoping.core.progress import listening
from kaoping.locale import N_, set_language

DEFAULT_COMMAND_PLUGINS = tuple(
    f"kaoping.cli.{name}" for name in ("info", "data", "run", "compare", "conformance", "scaffold", "draft", "archive")
)
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


class KaopingGroup(GuardedGroup):
    """The top-level group: chooses the language from ``--lang`` before anything is parsed or printed, and
    turns every error into a message and an exit code (:class:`GuardedGroup`)."""

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
@click.option("-q", "--quiet", is_flag=True, help=N_("No progress bar (it is drawn only on a terminal anyway)."))
@click.option("--debug", is_flag=True, help=N_("Show the Python traceback of an internal error."))
@click.pass_context
def cli(ctx: click.Context, quiet: bool, debug: bool) -> None:
    """The ``kaoping`` group; its help is the message id above, shown in the chosen language."""
    set_debug(debug)
    ctx.with_resource(listening(terminal_progress(quiet)))


def gather_commands(group: click.Group) -> None:
    """Add the commands of the default command plugins and of installed plugins to ``group``."""
    try:
        host = PluginHost(defaults=DEFAULT_COMMAND_PLUGINS, collect=False)
    except KaopingError as error:  # a broken installed plugin: keep kaoping's own commands, say why
        click.echo(f"kaoping: {error}", err=True)
        host = PluginHost(defaults=DEFAULT_COMMAND_PLUGINS, collect=False, entry_points=False)
    host.register_commands(group)
    complete_scheme_ids(group)


gather_commands(cli)
route_click_messages()
translate_help(cli)


def main(args: Any = None) -> None:
    console_replaces_unencodable()
    cli(args)


def console_replaces_unencodable() -> None:
    """On a console whose code page lacks a character (a rare 字 of a unit name on GBK), print ``?`` for it
    instead of failing; kaoping's own texts use only characters GBK has (tested)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


if __name__ == "__main__":  # pragma: no cover
    main()
