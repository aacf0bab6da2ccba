"""Commands that score: score, explain, demo."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from kaoping import hookimpl
from kaoping.cli.archive import RunChoice, run_options, show_since_published, warn
from kaoping.cli.common import (
    Deployment,
    deployment_options,
    overrides_option,
    reports_errors,
    scheme_required,
)
from kaoping.core.config import County
from kaoping.core.engine_choice import ENGINES, chosen_engine
from kaoping.core.errors import InputError
from kaoping.core.pipeline import prepare, run
from kaoping.core.results import RunResult
from kaoping.core.scheme import Scheme
from kaoping.io.bulletin import Bulletin, build_bulletin
from kaoping.io.bulletin_html import to_html
from kaoping.io.bulletin_xlsx import write_bulletin_xlsx
from kaoping.io.outputs import is_stdout, write_output, write_text_output, write_text_stream, written_message
from kaoping.io.report import FORMATS, explain_text, fit_lines, to_csv, to_json, to_table, write_csv, write_json
from kaoping.io.safety import terminal_text
from kaoping.locale import N_, _

DEMO_SCHEME = "fujian.zhangzhou"
SCORE_FORMATS = (*FORMATS, "parquet")  # parquet: results.parquet and points.parquet in a folder


def write_result(
    result: RunResult,
    fmt: str,
    output: Path | None,
    bulletin: Bulletin | None = None,
    inputs: Sequence[Path | None] = (),
) -> None:
    """Print or write a result; files go through the output guard (never an input, never half-written).

    ``xlsx`` and ``html`` write the 考评结果通报 (``bulletin``, built from the result and its scheme)."""
    if fmt == "parquet":
        if output is None or is_stdout(output):
            raise click.UsageError(_("--format parquet needs -o DIR (a folder for results.parquet and points.parquet)"))
        from kaoping.io.parquet import write_results

        write_results(result, output, inputs)
        click.echo(written_message(output), err=True)
        return
    if fmt in ("xlsx", "html"):
        if bulletin is None:
            raise ValueError(f"--format {fmt} writes the bulletin: pass write_result the one bulletin_of made")
        if fmt == "xlsx":
            if output is None:
                raise click.UsageError(_("--format xlsx needs -o FILE (or -o - for standard output)"))
            book = bulletin
            write_output(output, lambda temp: write_bulletin_xlsx(book, temp), inputs)
            if not is_stdout(output):
                click.echo(written_message(output), err=True)
            return
        text = to_html(bulletin)
    elif fmt in ("json", "csv") and output is not None:
        write = {"json": write_json, "csv": write_csv}[fmt]
        write_text_stream(output, lambda out: write(result, out), inputs)
        if not is_stdout(output):
            click.echo(written_message(output), err=True)
        return
    else:
        text = {"json": to_json, "csv": to_csv, "table": to_table}[fmt](result)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text_output(output, text, inputs)
        if not is_stdout(output):
            click.echo(written_message(output), err=True)


@click.command(
    "score",
    help=N_(
        "Score a dataset: totals, ranks within each group, grades, vetoes, consequences and the trail.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping score --scheme fujian.zhangzhou --data DIR --format json -o result.json\n"
        "  kaoping score --config kaoping.toml --county zhangzhou --data DIR --format xlsx -o 通报.xlsx\n"
        "  kaoping score --scheme hunan.heshan --data DIR --format html --title 赫山区 --year 2013 -o 通报.html\n"
        "  kaoping score --config kaoping.toml --county heshan --year 2014 --record --by 王科长\n"
        "  kaoping score --run 3 --format xlsx -o 通报.xlsx"
    ),
)
@click.option("--scheme", "scheme_id", metavar="ID", help=N_("Scheme id (or take it from --config)."))
@click.option("--data", type=click.Path(path_type=Path), help=N_("Data folder, .xlsx workbook or .json file."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(SCORE_FORMATS),
    default="table",
    show_default=True,
    help=N_("xlsx and html write the bulletin of results (考评结果通报) for printing and publishing."),
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help=N_("Write to FILE instead of stdout (- for stdout).")
)
@click.option(
    "--title",
    metavar="NAME",
    help=N_("Who publishes the bulletin, e.g. a county (default: the county's name in --config, else the scheme)."),
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    help=N_(
        "The scoring engine (default: the environment variable KAOPING_ENGINE, else auto): auto (arrays is "
        "the same engine), or dask, which scores each ranking pool on a Dask cluster ([engine] in kaoping.toml; "
        "pip install 'kaoping[dask]'). --format parquet writes results.parquet and points.parquet into -o DIR."
    ),
)
@run_options
@overrides_option
@deployment_options
@reports_errors
def score_command(
    scheme_id: str | None,
    data: Path | None,
    fmt: str,
    output: Path | None,
    title: str | None,
    engine: str | None,
    overrides: Path | None,
    deployment: Deployment,
    archived: RunChoice,
) -> None:
    """Score a dataset and print or write the result (its help is the message id above)."""
    with chosen_engine(engine):
        result = archived.result(deployment, scheme_id, data, overrides)
    warn(result)
    bulletin = None
    if fmt in ("xlsx", "html"):
        setup = archived.setup or deployment.setup(result.scheme_id)  # a stored run: its scheme as deployed
        bulletin = bulletin_of(result, scheme_required(setup), setup.county, title, archived.year, archived.changes)
    write_result(result, fmt, output, bulletin, (data, overrides, *deployment.files))  # never over an input
    show_since_published(archived, fmt)


def bulletin_of(
    result: RunResult,
    scheme: Scheme,
    county: County | None,
    title: str | None = None,
    year: int | None = None,
    changes: Sequence[str] = (),
) -> Bulletin:
    """The bulletin of a run, named after ``--title``, else the deployment's county, else the scheme."""
    return build_bulletin(
        result,
        scheme,
        title=title,
        year=year,
        deployment=county.name if county is not None else None,
        overrides=county.overrides if county is not None else None,
        changes=changes,
    )


@click.command(
    "explain",
    help=N_(
        "Show how one unit's total was reached, rule by rule (UNIT is a unit id or name).\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping explain S2-14 --scheme fujian.zhangzhou --data kaoping/plugins/fujian_zhangzhou/sample\n"
        "  kaoping explain 建设局 --scheme fujian.zhangzhou --data DIR --what-if\n"
        "  kaoping explain 衡龙桥镇 --run 3"
    ),
)
@click.argument("unit")
@click.option("--scheme", "scheme_id", metavar="ID", help=N_("Scheme id (or take it from --config)."))
@click.option("--data", type=click.Path(path_type=Path), help=N_("Data folder, .xlsx workbook or .json file."))
@click.option(
    "--what-if", "what_if", is_flag=True, help=N_("Also say how many points, and where, reach the next grade.")
)
@run_options
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
    archived: RunChoice,
) -> None:
    """Explain one unit\'s total (its help is the message id above)."""
    if what_if and archived.run_id is not None:
        raise click.UsageError(_("--what-if re-scores the data; it does not take --run"))
    result = archived.result(deployment, scheme_id, data, overrides)
    matches = [u for u in result.units if unit in (u.unit, u.name)]
    if not matches:
        raise InputError(_("no unit 「{unit}」 in the data (give a unit id or its exact name)").format(unit=unit))
    for match in matches:
        click.echo(explain_text(match, result.names), nl=False)
        if what_if:
            from kaoping.compare.whatif import what_if_text

            setup = archived.setup
            assert setup is not None, "--what-if scores the data (it refuses --run), so the setup is kept"
            text = what_if_text(setup.host, scheme_required(setup), result, match.unit).rstrip("\n")
            click.echo(fit_lines([terminal_text(text)]), nl=False)


@click.command(
    "demo",
    help=N_(
        "Score the bundled Zhangzhou sample (76 units in 3 series), print the ranking, write the bulletin "
        "report.xlsx.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping demo -o /tmp/report.xlsx"
    ),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("report.xlsx"),
    show_default=True,
    help=N_("Where to write the bulletin of results (XLSX)."),
)
@reports_errors
def demo_command(output: Path) -> None:
    """Score the bundled sample (its help is the message id above)."""
    from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA

    setup = prepare(scheme_id=DEMO_SCHEME)
    scheme = scheme_required(setup)
    result = run(setup.host, scheme, SAMPLE_DATA)
    click.echo(to_table(result), nl=False, err=is_stdout(output))  # stdout may carry the workbook
    bulletin = bulletin_of(result, scheme, None)
    write_output(output, lambda temp: write_bulletin_xlsx(bulletin, temp), (SAMPLE_DATA,))
    if not is_stdout(output):
        click.echo("\n" + written_message(output))


@hookimpl
def kaoping_register_commands(cli: click.Group) -> None:
    for command in (score_command, explain_command, demo_command):
        cli.add_command(command)
