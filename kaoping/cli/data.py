"""Commands about input data: blank templates for offices, and validation that lists every problem."""

from __future__ import annotations

from pathlib import Path

import click

from kaoping.cli.common import (
    Deployment,
    data_source,
    deployment_options,
    overrides_option,
    reports_errors,
    scheme_required,
)
from kaoping.core.pipeline import check_source
from kaoping.io.safety import terminal_text
from kaoping.io.templates import write_templates
from kaoping.locale import _


@click.command("template")
@click.argument("scheme_id", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write the templates into.",
)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@deployment_options
@reports_errors
def template_command(
    scheme_id: str | None,
    output: Path,
    fmt: str,
    deployment: Deployment,
) -> None:
    """Write blank data templates (Chinese headers plus ids, roster pre-filled) for a scheme.

    \b
    Example:
      kaoping template fujian.zhangzhou -o templates/
      kaoping template fujian.zhangzhou -o templates/ --format xlsx
    """
    scheme = scheme_required(deployment.setup(scheme_id))
    for path in write_templates(scheme, output, fmt):
        click.echo(f"wrote {path}")


@click.command("validate")
@click.option("--scheme", "scheme_id", metavar="ID", help="Scheme id (or take it from --config).")
@click.option(
    "--data", type=click.Path(path_type=Path, exists=False), help="Data folder, .xlsx workbook or .json file."
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
    """Check a dataset against a scheme, and the numbers the deployment must set; report every problem (exit 2).

    \b
    Example:
      kaoping validate --scheme fujian.zhangzhou --data data/2024
    """
    setup = deployment.setup(scheme_id, overrides)
    scheme = scheme_required(setup)
    dataset, warnings = check_source(setup.host, scheme, data_source(setup, data))
    for found in warnings:
        click.echo(_("warning: {problem}").format(problem=terminal_text(str(found))), err=True)
    click.echo(
        f"ok: {len(dataset.units)} units, {len(dataset.values)} values, {len(dataset.events)} events, "
        f"{len(dataset.vetoes)} vetoes, {len(dataset.history)} history rows valid for {scheme.id}"
    )


COMMANDS = [template_command, validate_command]
