"""Entry point: the ``kaoping`` group, with commands gathered through the ``kaoping_register_commands`` hook.

kaoping's own command modules are the CLI's default plugins (as datasette ships ``DEFAULT_PLUGINS``); an
installed package adds commands through the same hook.
"""

from __future__ import annotations

import io
import sys

import click

import kaoping
from kaoping.cli.common import GuardedGroup, set_debug
from kaoping.cli.completion import complete_scheme_ids
from kaoping.cli.progress import terminal_progress
from kaoping.core.errors import KaopingError
from kaoping.core.plugins import PluginHost
from kaoping.core.progress import listening
from kaoping.locale import N_

DEFAULT_COMMAND_PLUGINS = tuple(
    f"kaoping.cli.{name}" for name in ("info", "data", "run", "compare", "conformance", "scaffold", "draft", "archive")
)


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(kaoping.__version__, prog_name="kaoping")
@click.option("-q", "--quiet", is_flag=True, help=N_("No progress bar (it is drawn only on a terminal anyway)."))
@click.option("--debug", is_flag=True, help=N_("Show the Python traceback of an internal error."))
@click.pass_context
def cli(ctx: click.Context, quiet: bool, debug: bool) -> None:
    """kaoping (考评): government performance evaluations computed as each locality's scheme says.

    \b
    Example:
      kaoping demo                       # score Zhangzhou's sample data, write report.xlsx
      kaoping score --scheme fujian.zhangzhou --data DIR --format json -o result.json
    """
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


def main() -> None:
    console_replaces_unencodable()
    cli()


def console_replaces_unencodable() -> None:
    """On a console whose code page lacks a character (a rare 字 of a unit name on GBK), print ``?`` for it
    instead of failing; kaoping's own texts use only characters GBK has (tested)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


if __name__ == "__main__":  # pragma: no cover
    main()
