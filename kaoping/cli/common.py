"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import click

from kaoping.core.errors import InputError, KaopingError, Problem
from kaoping.core.pipeline import Setup, prepare
from kaoping.core.tomlread import read_toml
from kaoping.locale import N_, _

EXIT_INPUT = 2


@attrs.frozen
class Deployment:
    """What the deployment options chose: a config file and county, extra and disabled plugins."""

    config: Path | None = None
    county: str | None = None
    plugins: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()

    def setup(self, scheme_id: str | None = None, overrides: Path | None = None) -> Setup:
        """Host and scheme as the options say; an ``--overrides`` file applies after the county's own."""
        return prepare(
            scheme_id=scheme_id,
            config=self.config,
            county=self.county,
            plugins=self.plugins,
            disable=self.disable,
            overrides=read_overrides(overrides)[1] if overrides is not None else None,
            overrides_origin=str(overrides),
        )


def read_overrides(path: Path) -> tuple[str, dict[str, Any]]:
    """An overrides file: a table shaped like the scheme file, or ``label`` plus an ``[overrides]`` table.

    Returns its label (the file's stem unless it names one) and the overrides. The same file serves
    ``kaoping score --overrides`` and a reform of ``kaoping compare --reform``.
    """
    data = read_toml(path)
    if "overrides" not in data:
        return path.stem, data
    unknown = set(data) - {"overrides", "label"}
    if unknown:
        raise InputError(
            Problem(
                _("unknown key(s) {keys} beside [overrides]").format(keys=", ".join(sorted(unknown))), file=str(path)
            )
        )
    return str(data.get("label", path.stem)), dict(data["overrides"])


def overrides_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--overrides FILE``: scheme overrides shaped like the scheme file (as a deployment writes them)."""
    return click.option(
        "--overrides",
        "overrides",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        metavar="FILE",
        help=N_(
            "Scheme overrides, shaped like the scheme file (for example a sample's overrides.toml); "
            "applied after the county's."
        ),
    )(fn)


def deployment_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add --config / --county / --plugin / --disable; the command receives them as ``deployment``."""

    @functools.wraps(fn)
    def wrapper(
        *args: Any,
        config: Path | None,
        county: str | None,
        plugins: tuple[str, ...],
        disable: tuple[str, ...],
        **kwargs: Any,
    ) -> Any:
        return fn(*args, deployment=Deployment(config, county, plugins, disable), **kwargs)

    wrapper = click.option("--disable", multiple=True, metavar="NAME", help="Disable a plugin by name.")(wrapper)
    wrapper = click.option(
        "--plugin",
        "plugins",
        multiple=True,
        metavar="MODULE_OR_FILE",
        help="Load an extra plugin (module or .py file).",
    )(wrapper)
    wrapper = click.option("--county", metavar="NAME", help="The county of the deployment file to use.")(wrapper)
    wrapper = click.option(
        "--config", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="Deployment file (kaoping.toml)."
    )(wrapper)
    return wrapper


def reports_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Print every problem of a :class:`KaopingError` to stderr and exit with code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as error:
            count = len(error.problems)
            click.echo(f"error: {count} problem{'s' if count != 1 else ''} found:", err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            sys.exit(EXIT_INPUT)
        except KaopingError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_INPUT)

    return wrapper


def data_source(setup: Setup, data: Path | None) -> Path:
    if data is not None:
        return data
    if setup.county is not None and setup.county.data is not None:
        return setup.county.data
    raise click.UsageError("give --data (or set 'data' for the county in the deployment file)")


def scheme_required(setup: Setup) -> Any:
    if setup.scheme is None:
        raise click.UsageError("give --scheme ID or --config with a county")
    return setup.scheme
