"""Commands about input data: blank templates for offices, and validation that lists every problem."""

from __future__ import annotations

from pathlib import Path

import click

from kaoping.cli.common import Deployment, data_source, deployment_options, reports_errors, scheme_required
from kaoping.core.pipeline import load_and_validate
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
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help=N_("Folder to write the templates into."),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help=N_("Template format."),
)
@deployment_options
@reports_errors
def template_command(
    scheme_id: str | None,
    output: Path,
    fmt: str,
    deployment: Deployment,
) -> None:
    """Write blank data templates (its help is the message id above)."""
    scheme = scheme_required(deployment.setup(scheme_id))
    for path in write_templates(scheme, output, fmt):
        click.echo(_("wrote {path}").format(path=path))


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
@deployment_options
@reports_errors
def validate_command(
    scheme_id: str | None,
    data: Path | None,
    deployment: Deployment,
) -> None:
    """Check a dataset and report every problem (its help is the message id above)."""
    setup = deployment.setup(scheme_id)
    scheme = scheme_required(setup)
    dataset = load_and_validate(setup.host, scheme, data_source(setup, data))
    click.echo(
        _(
            "ok: {units} units, {values} values, {events} events, {vetoes} vetoes, {history} history rows "
            "valid for {scheme}"
        ).format(
            units=len(dataset.units),
            values=len(dataset.values),
            events=len(dataset.events),
            vetoes=len(dataset.vetoes),
            history=len(dataset.history),
            scheme=scheme.name or scheme.id,
        )
    )


COMMANDS = [template_command, validate_command]
