"""Commands that score: score, explain, demo."""

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
from kaoping.core.errors import InputError
from kaoping.core.pipeline import prepare, run
from kaoping.core.results import RunResult
from kaoping.io.report import explain_text, to_csv, to_json, to_table, write_atomic, write_xlsx

DEMO_SCHEME = "fujian.zhangzhou"


def write_result(result: RunResult, fmt: str, output: Path | None) -> None:
    """Print or write a result; files are written atomically so a failure leaves nothing behind."""
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs -o FILE")
        write_atomic(output, lambda temp: write_xlsx(result, temp))
        click.echo(f"wrote {output}")
        return
    text = {"json": to_json, "csv": to_csv, "table": to_table}[fmt](result)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, lambda temp: temp.write_text(text, encoding="utf-8"))
        click.echo(f"wrote {output}", err=True)


@click.command("score")
@click.option("--scheme", "scheme_id", metavar="ID", help="Scheme id (or take it from --config).")
@click.option("--data", type=click.Path(path_type=Path), help="Data folder, .xlsx workbook or .json file.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE instead of stdout."
)
@overrides_option
@deployment_options
@reports_errors
def score_command(
    scheme_id: str | None,
    data: Path | None,
    fmt: str,
    output: Path | None,
    overrides: Path | None,
    deployment: Deployment,
) -> None:
    """Score a dataset: totals, ranks within each group, grades, vetoes, consequences and the trail.

    \b
    Example:
      kaoping score --scheme fujian.zhangzhou --data DIR --format json -o result.json
      kaoping score --config kaoping.toml --county zhangzhou --data DIR --format xlsx -o report.xlsx
      kaoping score --scheme jiangxi.xingan.sunshine --data DIR --overrides DIR/overrides.toml
    """
    setup = deployment.setup(scheme_id, overrides)
    result = run(setup.host, scheme_required(setup), data_source(setup, data))
    write_result(result, fmt, output)


@click.command("explain")
@click.argument("unit")
@click.option("--scheme", "scheme_id", metavar="ID", help="Scheme id (or take it from --config).")
@click.option("--data", type=click.Path(path_type=Path), help="Data folder, .xlsx workbook or .json file.")
@click.option("--what-if", "what_if", is_flag=True, help="Also say how many points, and where, reach the next grade.")
@overrides_option
@deployment_options
@reports_errors
def explain_command(
    unit: str,
    scheme_id: str | None,
    data: Path | None,
    what_if: bool,
    overrides: Path | None,
    deployment: Deployment,
) -> None:
    """Show how one unit's total was reached, rule by rule (UNIT is a unit id or name).

    \b
    Example:
      kaoping explain S2-14 --scheme fujian.zhangzhou --data kaoping/plugins/fujian_zhangzhou/sample
      kaoping explain 建设局 --scheme fujian.zhangzhou --data DIR --what-if
    """
    setup = deployment.setup(scheme_id, overrides)
    result = run(setup.host, scheme_required(setup), data_source(setup, data))
    matches = [u for u in result.units if unit in (u.unit, u.name)]
    if not matches:
        raise InputError(f"no unit {unit!r} in the data (give a unit id or its exact name)")
    scheme = scheme_required(setup)
    for match in matches:
        click.echo(explain_text(match), nl=False)
        if what_if:
            from kaoping.compare.whatif import what_if_text

            click.echo(what_if_text(setup.host, scheme, result, match.unit), nl=False)


@click.command("demo")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("report.xlsx"),
    show_default=True,
    help="Where to write the XLSX report.",
)
@reports_errors
def demo_command(output: Path) -> None:
    """Score the bundled Zhangzhou sample (76 units in 3 series), print the ranking, write report.xlsx.

    \b
    Example:
      kaoping demo -o /tmp/report.xlsx
    """
    from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA

    setup = prepare(scheme_id=DEMO_SCHEME)
    result = run(setup.host, scheme_required(setup), SAMPLE_DATA)
    click.echo(to_table(result), nl=False)
    write_atomic(output, lambda temp: write_xlsx(result, temp))
    click.echo(f"\nwrote {output}")


COMMANDS = [score_command, explain_command, demo_command]
