"""``kaoping conformance``: run the conformance suite on an installed plugin or scheme, without pytest."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from kaoping.cli.common import Deployment, deployment_options, reports_errors
from kaoping.core.errors import InputError
from kaoping.core.pipeline import prepare
from kaoping.core.plugins import PluginHost
from kaoping.core.scheme import Scheme

if TYPE_CHECKING:  # the conformance suite is imported when the command runs, not for every command
    from kaoping.testing import Sample

EXIT_FAILED = 1


def _resolver(
    deployment: Deployment, scheme_id: str, overrides: Mapping[str, Any] | None
) -> Callable[[], tuple[PluginHost, Scheme]]:
    """Resolve the scheme as the deployment options say, freshly each call (the rerun check needs two).

    A sample's own ``overrides.toml`` applies on top of the deployment's, as ``--config`` overrides do.
    """

    def resolve() -> tuple[PluginHost, Scheme]:
        setup = prepare(
            scheme_id=scheme_id,
            config=deployment.config,
            county=deployment.county,
            overrides=dict(overrides) if overrides else None,
            plugins=deployment.plugins,
            disable=deployment.disable,
        )
        if setup.scheme is None:  # pragma: no cover - setup with a scheme id always has one
            raise InputError(f"scheme {scheme_id!r} could not be resolved")
        return setup.host, setup.scheme

    if deployment.config is None and not deployment.plugins:  # another process can resolve it the same way
        resolve.recipe = {  # type: ignore[attr-defined]
            "scheme": scheme_id,
            "entry_points": True,
            "overrides": dict(overrides) if overrides else None,
            "disabled": list(deployment.disable),
            "plugin_objects": [],
        }
    return resolve


def _samples(
    deployment: Deployment, target: str, data: Path | None, expected: Path | None
) -> tuple[list[Sample], list[str]]:
    """The samples to check and the schemes of the target that declare none."""
    from kaoping.testing import Sample, find_expected, find_overrides, resolve_target

    setup = deployment.setup()
    schemes, samples = resolve_target(setup.host, target)
    if not schemes:
        raise InputError(f"plugin {target!r} registers no scheme; name the scheme it acts on instead")
    if data is None and setup.county is not None and setup.county.data is not None:
        data = setup.county.data
        schemes = [s for s in schemes if s == setup.county.scheme]
    if data is not None:
        if len(schemes) != 1:
            raise click.UsageError(f"--data needs one scheme, but {target!r} has {len(schemes)}: {', '.join(schemes)}")
        entry = setup.host.schemes[schemes[0]]
        found = expected or find_expected(data)
        samples = [Sample(schemes[0], entry.plugin, data, found, overrides=find_overrides(data))]
    elif expected is not None:
        samples = [attrs.evolve(s, expected=expected) for s in samples]
    declared = {s.scheme_id for s in samples}
    return samples, [s for s in schemes if s not in declared]


@click.command("conformance")
@click.argument("target", metavar="PLUGIN_OR_SCHEME")
@click.option(
    "--data", type=click.Path(path_type=Path, exists=True), help="Sample data (default: the plugin's SAMPLE_DATA)."
)
@click.option(
    "--expected",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Expected results, expected.csv or .json (default: the one beside the sample).",
)
@click.option("-v", "--verbose", is_flag=True, help="Say what each passing check verified.")
@deployment_options
@reports_errors
def conformance_command(
    target: str, data: Path | None, expected: Path | None, verbose: bool, deployment: Deployment
) -> None:
    """Run the conformance suite on every scheme of a plugin (or on one scheme) and print a report.

    The checks are those of kaoping.testing.SchemeConformance: the scheme validates, the sample
    scores to the expected results, trails add up, scores move the right way, vetoes, grades and quotas
    behave as declared, reruns are byte-identical, and every result names its plugin. Exit code 0 when
    every check passes or is skipped (with its reason), 1 when one fails, 2 on bad input.

    \b
    Example:
      kaoping conformance fujian_zhangzhou
      kaoping conformance fujian.zhangzhou --data DIR --expected DIR/expected.csv
      kaoping conformance fujian.zhangzhou --config kaoping.toml --county longhai
    """
    from kaoping.testing import FAIL, Subject, read_expected, report_text, run_checks

    samples, undeclared = _samples(deployment, target, data, expected)
    failed = False
    for scheme_id in undeclared:
        click.echo(f"{scheme_id}: no sample data declared (SAMPLE_DATA in the plugin module, or --data)")
        failed = True
    for sample in samples:
        subject = Subject(
            scheme_id=sample.scheme_id,
            resolver=_resolver(deployment, sample.scheme_id, sample.overrides),
            sample=sample.data,
            expected=read_expected(sample.expected) if sample.expected else None,
            capabilities=sample.capabilities,
            lower_is_better=sample.lower_is_better,
        )
        outcomes = run_checks(subject)
        click.echo(report_text(f"conformance of {subject.describe()}", outcomes, verbose))
        failed = failed or any(o.status == FAIL for o in outcomes)
    if failed:
        sys.exit(EXIT_FAILED)


COMMANDS = [conformance_command]
