"""Entry point: the ``kaoping`` group, with commands gathered through the ``kaoping_register_commands`` hook.

kaoping's own command modules are the CLI's default plugins (as datasette ships ``DEFAULT_PLUGINS``); an
installed package adds commands through the same hook.
"""

from __future__ import annotations

import click

import kaoping
from kaoping.cli.completion import complete_scheme_ids
from kaoping.core.errors import KaopingError
from kaoping.core.plugins import PluginHost

DEFAULT_COMMAND_PLUGINS = tuple(
    f"kaoping.cli.{name}" for name in ("info", "data", "run", "compare", "conformance", "scaffold", "draft")
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(kaoping.__version__, prog_name="kaoping")
def cli() -> None:
    """kaoping (考评): government performance evaluations computed as each locality's scheme says.

    \b
    Example:
      kaoping demo                       # score Zhangzhou's sample data, write report.xlsx
      kaoping score --scheme fujian.zhangzhou --data DIR --format json -o result.json
    """


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
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
