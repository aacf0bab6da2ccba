"""The ``compare`` command: one dataset through several schemes, or a baseline and its reforms."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from kaoping import hookimpl
from kaoping.cli.common import Deployment, data_source, deployment_options, read_overrides, reports_errors
from kaoping.compare.channels import read_channel_map
from kaoping.compare.engine import VariantSpec, compare_variants, run_variant
from kaoping.compare.perturb import DEFAULT_SEED, read_ranges, simulate
from kaoping.core.config import overrides_origin
from kaoping.core.errors import InputError
from kaoping.core.tomlread import read_toml
from kaoping.io.outputs import is_stdout, write_output, write_text_output, written_message
from kaoping.io.safety import terminal_text
from kaoping.locale import N_, _

if TYPE_CHECKING:  # the comparison is imported when the command runs, not for every command
    from kaoping.compare.engine import VariantSpec


def reform_spec(base: VariantSpec, path: Path) -> VariantSpec:
    """A reform file is an overrides table shaped like the scheme; or ``label`` plus ``[overrides]``."""
    label, overrides = read_overrides(path)
    return VariantSpec(label, base.scheme_id, (*base.overrides, (overrides, str(path))), base.notes)


def scheme_overrides(path: Path) -> tuple[str, str, dict[str, Any]]:
    """A deployment's settings for one compared scheme: ``scheme = "id"``, optional ``label``, ``[overrides]``.

    Some schemes leave numbers to the deployment (required parameters, grading cut-offs); without them the
    scheme cannot be run, so a comparison gives them as a deployment would.
    """
    data = read_toml(path)
    unknown = set(data) - {"scheme", "label", "overrides"}
    if unknown or "scheme" not in data or "overrides" not in data:
        raise InputError(
            _('{path}: expected scheme = "ID", an [overrides] table and optionally label').format(path=path)
        )
    return str(data["scheme"]), str(data.get("label", data["scheme"])), dict(data["overrides"])


def _unique(specs: list[VariantSpec]) -> list[VariantSpec]:
    seen: dict[str, int] = {}
    out = []
    for spec in specs:
        count = seen.get(spec.label, 0)
        seen[spec.label] = count + 1
        out.append(spec if not count else attrs.evolve(spec, label=f"{spec.label}#{count + 1}"))
    return out


@click.command(
    "compare",
    help=N_(
        "Compare schemes side by side: totals, ranks, grades, rank shifts, grade transitions, Kendall tau-b\n"
        "and Spearman, the rules behind each grade change, and (with --perturb) rank and grade uncertainty.\n"
        "\n"
        "The baseline is the deployment's scheme (with --config) or the first --scheme; every --reform file\n"
        "applies its overrides to the baseline. Schemes with other indicator systems read the data through\n"
        "channel maps (docs/compare.md); what a scheme needs and the data lacks is listed, never scored as 0.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping compare --data DIR --scheme fujian.zhangzhou --reform reform.toml --format html -o report.html\n"
        "  kaoping compare --config kaoping.toml --county zz --scheme other.scheme --data DIR\n"
        "  kaoping compare --data DIR --scheme fujian.zhangzhou --reform r.toml --perturb ranges.toml --seed 1\n"
        "  kaoping compare --data examples/compare/data --scheme fujian.zhangzhou --scheme hunan.heshan \\\n"
        "      --scheme xinjiang.yili --overrides examples/compare/heshan.toml --overrides examples/compare/yili.toml"
    ),
)
@click.option("--data", type=click.Path(path_type=Path), help=N_("Data folder, .xlsx workbook or .json file."))
@click.option(
    "--scheme", "schemes", multiple=True, metavar="ID", help=N_("A scheme to compare; the first is the baseline.")
)
@click.option(
    "--reform",
    "reforms",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=N_("A TOML of overrides applied to the baseline scheme (repeatable)."),
)
@click.option(
    "--channels",
    "channel_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=N_("A channel map file for a scheme (repeatable); see docs/compare.md."),
)
@click.option(
    "--overrides",
    "override_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=N_("Deployment settings for a compared --scheme (scheme = ID plus [overrides]); repeatable."),
)
@click.option(
    "--perturb",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=N_("A TOML of [[ranges]] to draw weights and parameters from (Monte Carlo)."),
)
@click.option(
    "--draws", type=click.IntRange(min=1, max=1_000_000), default=1000, show_default=True, help=N_("Monte Carlo draws.")
)
@click.option(
    "--seed", type=int, default=None, help=N_("Random seed of the draws (without it, a fixed seed is reported).")
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "xlsx", "html"]),
    default="table",
    show_default=True,
    help=N_("Output format."),
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help=N_("Write to FILE (- for standard output)."))
@deployment_options
@reports_errors
def compare_command(
    data: Path | None,
    schemes: tuple[str, ...],
    reforms: tuple[Path, ...],
    channel_files: tuple[Path, ...],
    override_files: tuple[Path, ...],
    perturb: Path | None,
    draws: int,
    seed: int | None,
    fmt: str,
    output: Path | None,
    deployment: Deployment,
) -> None:
    """Compare schemes or reforms on one dataset (its help is the message id above)."""
    setup = deployment.setup(None)
    specs: list[VariantSpec] = []
    if setup.county is not None:
        county = setup.county
        origin = overrides_origin(deployment.config, county.id) if deployment.config else str(county.id)
        layers: tuple[tuple[dict[str, Any], Any], ...] = ((county.overrides, origin),) if county.overrides else ()
        specs.append(VariantSpec(f"{county.scheme}[{county.id}]" if layers else county.scheme, county.scheme, layers))
    specs += [
        VariantSpec(scheme_id, scheme_id) for scheme_id in schemes if not specs or scheme_id != specs[0].scheme_id
    ]
    for path in override_files:
        scheme_id, label, overrides = scheme_overrides(path)
        targets = [i for i, s in enumerate(specs) if s.scheme_id == scheme_id and not s.overrides]
        if not targets:
            raise click.UsageError(
                _("{path}: scheme {scheme} is not compared (give --scheme {scheme})").format(
                    path=path, scheme=scheme_id
                )
            )
        for i in targets:
            note = _("deployment overrides from {path}").format(path=path)
            specs[i] = VariantSpec(label, scheme_id, ((overrides, str(path)),), (*specs[i].notes, note))
    if not specs:
        raise click.UsageError(_("give --scheme ID (the first is the baseline) or --config with a county"))
    specs += [reform_spec(specs[0], path) for path in reforms]
    specs = _unique(specs)
    if len(specs) < 2:
        raise click.UsageError(_("give a second --scheme, or a --reform of the baseline, to compare with"))
    host = setup.host
    maps = [read_channel_map(path) for path in channel_files]
    source = data_source(setup, data)
    dataset = host.load_dataset(source, host.scheme(specs[0].scheme_id))
    variants = [run_variant(host, spec, dataset, maps) for spec in specs]
    comparison = compare_variants(variants)
    if perturb is not None:
        if seed is None:
            seed = DEFAULT_SEED
            message = _("no --seed given: the draws use seed {seed}, so a rerun agrees (give --seed N for other draws)")
            click.echo(message.format(seed=seed), err=True)
        ranges = read_ranges(perturb)
        for variant in variants:
            if variant.result is not None:
                comparison.uncertainty.append(
                    simulate(variant.label, variant.scheme, variant.result, ranges, draws, seed)
                )
    inputs = (source, *deployment.files, *reforms, *channel_files, *override_files, perturb)
    _write(comparison, fmt, output, inputs)


def _write(comparison: Any, fmt: str, output: Path | None, inputs: tuple[Path | None, ...]) -> None:
    from kaoping.compare import html, report

    if fmt == "xlsx":
        if output is None:
            raise click.UsageError(_("--format xlsx needs -o FILE (or -o - for standard output)"))
        write_output(output, lambda temp: report.write_xlsx(comparison, temp), inputs)
        if not is_stdout(output):
            click.echo(written_message(output), err=True)
        return
    render = {"table": report.to_terminal, "json": report.to_json, "html": html.to_html}[fmt]
    text = render(comparison)
    if output is None:
        click.echo(terminal_text(text) if fmt == "table" else text, nl=False)
    else:
        write_text_output(output, text, inputs)
        if not is_stdout(output):
            click.echo(written_message(output), err=True)


@hookimpl
def kaoping_register_commands(cli: click.Group) -> None:
    cli.add_command(compare_command)
