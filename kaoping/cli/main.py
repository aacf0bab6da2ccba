"""Entry point: the ``kaoping`` group, with commands gathered from the modules of :mod:`kaoping.cli`.

Each command module exposes ``COMMANDS``, a list of click commands, so a new command is one new module.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import sys

import click

import kaoping
import kaoping.cli
from kaoping.cli.progress import terminal_progress
from kaoping.core.progress import listening
from kaoping.locale import N_


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(kaoping.__version__, prog_name="kaoping")
@click.option("-q", "--quiet", is_flag=True, help=N_("No progress bar (it is drawn only on a terminal anyway)."))
@click.pass_context
def cli(ctx: click.Context, quiet: bool) -> None:
    """kaoping (考评): government performance evaluations computed as each locality's scheme says.

    \b
    Example:
      kaoping demo                       # score Zhangzhou's sample data, write report.xlsx
      kaoping score --scheme fujian.zhangzhou --data DIR --format json -o result.json
    """
    ctx.with_resource(listening(terminal_progress(quiet)))


def _load_commands() -> None:
    skip = {"main", "common"}
    for info in sorted(pkgutil.iter_modules(kaoping.cli.__path__), key=lambda m: m.name):
        if info.name in skip or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"kaoping.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)


_load_commands()


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
