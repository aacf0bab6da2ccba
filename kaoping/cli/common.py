"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kaoping.core.errors import InputError, KaopingError
from kaoping.core.pipeline import Setup, prepare

EXIT_INPUT = 2


def deployment_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--config / --county / --plugin / --disable, resolved into a :class:`Setup` by :func:`setup_from`."""
    fn = click.option("--disable", multiple=True, metavar="NAME", help="Disable a plugin by name.")(fn)
    fn = click.option(
        "--plugin",
        "plugins",
        multiple=True,
        metavar="MODULE_OR_FILE",
        help="Load an extra plugin (module name or .py file).",
    )(fn)
    fn = click.option("--county", metavar="NAME", help="The county of the deployment file to use.")(fn)
    fn = click.option(
        "--config", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="Deployment file (kaoping.toml)."
    )(fn)
    return fn


def setup_from(
    scheme: str | None, config: Path | None, county: str | None, plugins: tuple[str, ...], disable: tuple[str, ...]
) -> Setup:
    return prepare(scheme_id=scheme, config=config, county=county, plugins=plugins, disable=disable)


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
