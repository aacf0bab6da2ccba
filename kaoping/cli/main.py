"""Entry point: the ``kaoping`` group, with commands gathered from the modules of :mod:`kaoping.cli`.

Each command module exposes ``COMMANDS``, a list of click commands, so a new command is one new module.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

import kaoping
import kaoping.cli
from kaoping.cli.common import GuardedGroup, set_debug
from kaoping.locale import N_


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(kaoping.__version__, prog_name="kaoping")
@click.option("--debug", is_flag=True, help=N_("Show the Python traceback of an internal error."))
def cli(debug: bool) -> None:
    """kaoping (考评): government performance evaluations computed as each locality's scheme says.

    \b
    Example:
      kaoping demo                       # score Zhangzhou's sample data, write report.xlsx
      kaoping score --scheme fujian.zhangzhou --data DIR --format json -o result.json
    """
    set_debug(debug)


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
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
