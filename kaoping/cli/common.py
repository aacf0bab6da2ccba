"""Options and error handling shared by every command."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import attrs
import click

from kaoping.core.errors import InputError, KaopingError, Problem
from kaoping.core.pipeline import Setup, prepare
from kaoping.core.tomlread import read_toml
from kaoping.io.safety import terminal_text
from kaoping.locale import N_, _, ngettext

EXIT_INPUT = 2
EXIT_INTERNAL = 3
DEBUG_ENV = "KAOPING_DEBUG"
_DEBUG_KEY = "kaoping.debug"


@attrs.frozen
class Deployment:
    """What the deployment options chose: a config file and county, extra and disabled plugins."""

    config: Path | None = None
    county: str | None = None
    plugins: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[Path, ...]:
        """The files the deployment options name (config, plugin files): an output must not replace one."""
        plugin_files = tuple(Path(p) for p in self.plugins if p.endswith(".py"))
        return (self.config, *plugin_files) if self.config is not None else plugin_files

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

    wrapper = click.option("--disable", multiple=True, metavar="NAME", help=N_("Disable a plugin by name."))(wrapper)
    wrapper = click.option(
        "--plugin",
        "plugins",
        multiple=True,
        metavar="MODULE_OR_FILE",
        help=N_("Load an extra plugin (module or .py file)."),
    )(wrapper)
    wrapper = click.option("--county", metavar="NAME", help=N_("The county of the deployment file to use."))(wrapper)
    wrapper = click.option(
        "--config",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        help=N_("Deployment file (kaoping.toml)."),
    )(wrapper)
    return wrapper


def reports_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every error into a message and an exit code: 2 for bad input, 3 for a fault of kaoping itself."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:
            exit_for(error)

    return wrapper


def exit_for(error: Exception) -> NoReturn:
    """Print ``error`` for the person at the terminal and exit with its code."""
    if isinstance(error, InputError):
        count = len(error.problems)
        _echo(ngettext("error: {count} problem found:", "error: {count} problems found:", count).format(count=count))
        for problem in error.problems:
            _echo(f"  {problem}")
        sys.exit(EXIT_INPUT)
    if isinstance(error, KaopingError):
        _echo(_("error: {error}").format(error=error))
        if debugging() and error.__cause__ is not None:  # a plugin's failure: its author wants the traceback
            cause = error.__cause__
            _echo("".join(traceback.format_exception(type(cause), cause, cause.__traceback__)).rstrip())
        sys.exit(EXIT_INPUT)
    if isinstance(error, OSError):
        # the machine said no (permission, disk full, a folder where a file belongs): not a fault of kaoping
        _echo(_("error: {file}: {reason}").format(file=_os_name(error), reason=_os_reason(error)))
        sys.exit(EXIT_INPUT)
    _echo(_("internal error: {kind}: {message}").format(kind=type(error).__name__, message=error))
    _echo(
        _(
            "This is a fault in kaoping, not in your data. Please report it to the kaoping maintainers "
            "with the command you ran and the output of the same command run with 'kaoping --debug …'."
        )
    )
    if debugging():
        _echo("".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip())
    sys.exit(EXIT_INTERNAL)


def _echo(text: str) -> None:
    click.echo(terminal_text(str(text)), err=True)


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileExistsError):
        return _("a file is in the way where a folder is needed")
    if isinstance(error, NotADirectoryError):
        return _("a part of the path is a file, not a folder")
    if isinstance(error, PermissionError):
        return _("permission denied (a read-only folder or file?)")
    return str(error.strerror or error)


def _os_name(error: OSError) -> str:
    return str(error.filename) if error.filename else "-"


def set_debug(on: bool) -> None:
    """Remember ``--debug`` for this invocation (the group's option)."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[_DEBUG_KEY] = on


def debugging() -> bool:
    """Show tracebacks: ``kaoping --debug`` or ``KAOPING_DEBUG=1``."""
    context = click.get_current_context(silent=True)
    if context is not None and context.meta.get(_DEBUG_KEY):
        return True
    return os.environ.get(DEBUG_ENV, "").strip().lower() in {"1", "true", "yes"}


class GuardedGroup(click.Group):
    """A click group whose every command ends in a message and exit code, never a Python traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:
            exit_for(error)


def data_source(setup: Setup, data: Path | None) -> Path:
    if data is not None:
        return data
    if setup.county is not None and setup.county.data is not None:
        return setup.county.data
    raise click.UsageError(_("give --data (or set 'data' for the county in the deployment file)"))


def scheme_required(setup: Setup) -> Any:
    if setup.scheme is None:
        raise click.UsageError(_("give --scheme ID or --config with a county"))
    return setup.scheme


# ``--format table|json``: a table for people, JSON for scripts (the listing commands all take it).
table_or_json_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help=N_("Output format."),
)
