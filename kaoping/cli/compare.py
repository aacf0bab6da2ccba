"""The ``compare`` command: one dataset through several schemes, or a baseline and its reforms."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from kaoping.cli.common import Deployment, data_source, deployment_options, reports_errors
from kaoping.core.errors import InputError
from kaoping.core.tomlread import read_toml
from kaoping.io.report import write_atomic

if TYPE_CHECKING:  # the comparison is imported when the command runs, not for every command
    from kaoping.compare.engine import VariantSpec


def reform_spec(base: VariantSpec, path: Path) -> VariantSpec:
    """A reform file is an overrides table shaped like the scheme; or ``label`` plus ``[overrides]``."""
    from kaoping.compare.engine import VariantSpec

    data = read_toml(path)
    if "overrides" in data:
        unknown = set(data) - {"overrides", "label"}
        if unknown:
            raise InputError(f"{path}: unknown key(s) {', '.join(sorted(unknown))} beside [overrides]")
        label, overrides = str(data.get("label", path.stem)), data["overrides"]
    else:
        label, overrides = path.stem, data
    return VariantSpec(label, base.scheme_id, (*base.overrides, (overrides, str(path))), base.notes)


def scheme_overrides(path: Path) -> tuple[str, str, dict[str, Any]]:
    """A deployment's settings for one compared scheme: ``scheme = "id"``, optional ``label``, ``[overrides]``.

    Some schemes leave numbers to the deployment (required parameters, grading cut-offs); without them the
    scheme cannot be run, so a comparison gives them as a deployment would.
    """
    data = read_toml(path)
    unknown = set(data) - {"scheme", "label", "overrides"}
    if unknown or "scheme" not in data or "overrides" not in data:
        raise InputError(f'{path}: expected scheme = "ID", an [overrides] table and optionally label')
    return str(data["scheme"]), str(data.get("label", data["scheme"])), dict(data["overrides"])


def _unique(specs: list[VariantSpec]) -> list[VariantSpec]:
    seen: dict[str, int] = {}
    out = []
    for spec in specs:
        count = seen.get(spec.label, 0)
        seen[spec.label] = count + 1
        out.append(spec if not count else attrs.evolve(spec, label=f"{spec.label}#{count + 1}"))
    return out


@click.command("compare")
@click.option("--data", type=click.Path(path_type=Path), help="Data folder, .xlsx workbook or .json file.")
@click.option(
    "--scheme", "schemes", multiple=True, metavar="ID", help="A scheme to compare; the first is the baseline."
)
@click.option(
    "--reform",
    "reforms",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A TOML of overrides applied to the baseline scheme (repeatable).",
)
@click.option(
    "--channels",
    "channel_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A channel map file for a scheme (repeatable); see docs/compare.md.",
)
@click.option(
    "--overrides",
    "override_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Deployment settings for a compared --scheme (scheme = ID plus [overrides]); repeatable.",
)
@click.option(
    "--perturb",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A TOML of [[ranges]] to draw weights and parameters from (Monte Carlo).",
)
@click.option("--draws", type=click.IntRange(min=1), default=1000, show_default=True, help="Monte Carlo draws.")
@click.option("--seed", type=int, default=None, help="Random seed, for a reproducible uncertainty run.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "xlsx", "html"]), default="table", show_default=True
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE.")
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
    """Compare schemes side by side: totals, ranks, grades, rank shifts, grade transitions, Kendall tau-b
    and Spearman, the rules behind each grade change, and (with --perturb) rank and grade uncertainty.

    The baseline is the deployment's scheme (with --config) or the first --scheme; every --reform file
    applies its overrides to the baseline. Schemes with other indicator systems read the data through
    channel maps (docs/compare.md); what a scheme needs and the data lacks is listed, never scored as 0.

    \b
    Example:
      kaoping compare --data DIR --scheme fujian.zhangzhou --reform reform.toml --format html -o report.html
      kaoping compare --config kaoping.toml --county zz --scheme other.scheme --data DIR
      kaoping compare --data DIR --scheme fujian.zhangzhou --reform r.toml --perturb ranges.toml --draws 10000 --seed 1
      kaoping compare --data examples/compare/data --scheme fujian.zhangzhou --scheme hunan.heshan \\
          --scheme xinjiang.yili --overrides examples/compare/heshan.toml --overrides examples/compare/yili.toml
    """
    from kaoping.compare.channels import read_channel_map
    from kaoping.compare.engine import VariantSpec, compare_variants, run_variant
    from kaoping.compare.perturb import read_ranges, simulate

    setup = deployment.setup(None)
    specs: list[VariantSpec] = []
    if setup.county is not None:
        county = setup.county
        origin = f"{deployment.config} [counties.{county.id}.overrides]"
        layers: tuple[tuple[dict[str, Any], str], ...] = ((county.overrides, origin),) if county.overrides else ()
        specs.append(VariantSpec(f"{county.scheme}[{county.id}]" if layers else county.scheme, county.scheme, layers))
    specs += [
        VariantSpec(scheme_id, scheme_id) for scheme_id in schemes if not specs or scheme_id != specs[0].scheme_id
    ]
    for path in override_files:
        scheme_id, label, overrides = scheme_overrides(path)
        targets = [i for i, s in enumerate(specs) if s.scheme_id == scheme_id and not s.overrides]
        if not targets:
            raise click.UsageError(f"{path}: scheme {scheme_id} is not compared (give --scheme {scheme_id})")
        for i in targets:
            note = f"deployment overrides from {path}"
            specs[i] = VariantSpec(label, scheme_id, ((overrides, str(path)),), (*specs[i].notes, note))
    if not specs:
        raise click.UsageError("give --scheme ID (the first is the baseline) or --config with a county")
    specs += [reform_spec(specs[0], path) for path in reforms]
    specs = _unique(specs)
    if len(specs) < 2:
        raise click.UsageError("give a second --scheme, or a --reform of the baseline, to compare with")
    host = setup.host
    maps = [read_channel_map(path) for path in channel_files]
    source = data_source(setup, data)
    dataset = host.load_dataset(source, host.scheme(specs[0].scheme_id))
    variants = [run_variant(host, spec, dataset, maps) for spec in specs]
    comparison = compare_variants(variants)
    if perturb is not None:
        ranges = read_ranges(perturb)
        for variant in variants:
            if variant.result is not None:
                comparison.uncertainty.append(
                    simulate(variant.label, variant.scheme, variant.result, ranges, draws, seed)
                )
    _write(comparison, fmt, output)


def _write(comparison: Any, fmt: str, output: Path | None) -> None:
    from kaoping.compare import html, report

    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs -o FILE")
        write_atomic(output, lambda temp: report.write_xlsx(comparison, temp))
        click.echo(f"wrote {output}")
        return
    render = {"table": report.to_terminal, "json": report.to_json, "html": html.to_html}[fmt]
    text = render(comparison)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, lambda temp: temp.write_text(text, encoding="utf-8"))
        click.echo(f"wrote {output}", err=True)


COMMANDS = [compare_command]
