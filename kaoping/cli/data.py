"""Commands about input data: blank templates for offices, and validation that lists every problem."""

from __future__ import annotations

from pathlib import Path

import click

from kaoping import hookimpl
from kaoping.cli.common import (
    Deployment,
    data_source,
    deployment_options,
    overrides_option,
    reports_errors,
    scheme_required,
)
from kaoping.core.pipeline import check_source, run
from kaoping.io.outputs import written_message
from kaoping.io.safety import terminal_text
from kaoping.io.templates import write_templates
from kaoping.locale import N_, _


@click.command(
    "template",
    help=N_(
        "Write blank data templates (Chinese headers plus ids, roster pre-filled) for a scheme.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping template fujian.zhangzhou -o templates/\n"
        "  kaoping template fujian.zhangzhou -o templates/ --format xlsx"
    ),
)
@click.argument("scheme_id", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help=N_("Folder to write the templates into (- writes the workbook to standard output)."),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help=N_("Template format."),
)
@click.option("--force", is_flag=True, help=N_("Replace template files that already exist."))
@deployment_options
@reports_errors
def template_command(
    scheme_id: str | None,
    output: Path,
    fmt: str,
    force: bool,
    deployment: Deployment,
) -> None:
    """Write blank data templates (Chinese headers plus ids, roster pre-filled) for a scheme.

    \b
    Example:
      kaoping template fujian.zhangzhou -o templates/
      kaoping template fujian.zhangzhou -o templates/ --format xlsx
    """
    setup = deployment.setup(scheme_id)
    scheme = scheme_required(setup)
    for path in write_templates(scheme, output, fmt, force=force, methods=setup.host.methods):
        click.echo(written_message(path), err=True)


@click.command(
    "validate",
    help=N_(
        "Check a dataset against a scheme and report every problem with file, row and column (exit 2).\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping validate --scheme fujian.zhangzhou --data data/2024"
    ),
)
@click.option("--scheme", "scheme_id", metavar="ID", help=N_("Scheme id (or take it from --config)."))
@click.option(
    "--data", type=click.Path(path_type=Path, exists=False), help=N_("Data folder, .xlsx workbook or .json file.")
)
@overrides_option
@deployment_options
@reports_errors
def validate_command(
    scheme_id: str | None,
    data: Path | None,
    overrides: Path | None,
    deployment: Deployment,
) -> None:
    """Check a dataset and report every problem (its help is the message id above)."""
    setup = deployment.setup(scheme_id, overrides)
    scheme = scheme_required(setup)
    dataset, warnings = check_source(setup.host, scheme, data_source(setup, data))
    for found in warnings:
        click.echo(_("warning: {problem}").format(problem=terminal_text(str(found))), err=True)
    run(setup.host, scheme, dataset)  # every check scoring makes, including those inside scoring methods
    click.echo(
        _(
            "ok: {units} units, {values} values, {events} events, {vetoes} vetoes, "
            "{history} history rows valid for {scheme}"
        ).format(
            units=len(dataset.units),
            values=len(dataset.values),
            events=len(dataset.events),
            vetoes=len(dataset.vetoes),
            history=len(dataset.history),
            scheme=scheme.name or scheme.id,
        )
    )
    for notice in dataset.notices:
        click.echo(terminal_text(_("note: {notice}").format(notice=notice)))


@hookimpl
def kaoping_register_commands(cli: click.Group) -> None:
    for command in (template_command, validate_command):
        cli.add_command(command)
