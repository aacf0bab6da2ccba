"""``kaoping conformance``: run the conformance suite on an installed plugin or scheme, without pytest."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
import click

from kaoping import hookimpl
from kaoping.cli.common import Deployment, deployment_options, reports_errors
from kaoping.core.errors import InputError
from kaoping.core.pipeline import prepare
from kaoping.core.plugins import PluginHost
from kaoping.core.scheme import Scheme
from kaoping.locale import N_, _
from kaoping.testing import (
    FAIL,
    Sample,
    Subject,
    find_expected,
    find_overrides,
    read_expected,
    report_text,
    resolve_target,
    run_checks,
)

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
            overrides_origin="sample overrides.toml",
            plugins=deployment.plugins,
            disable=deployment.disable,
        )
        if setup.scheme is None:  # pragma: no cover - setup with a scheme id always has one
            raise InputError(_("scheme 「{scheme}」 could not be resolved").format(scheme=scheme_id))
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
    from kaoping.testing import Sample

    setup = deployment.setup()
    schemes, samples = resolve_target(setup.host, target)
    if not schemes:
        raise InputError(
            _("plugin 「{plugin}」 registers no scheme; name the scheme it acts on instead").format(plugin=target)
        )
    if data is None and setup.county is not None and setup.county.data is not None:
        data = setup.county.data
        schemes = [s for s in schemes if s == setup.county.scheme]
    if data is not None:
        if len(schemes) != 1:
            raise click.UsageError(
                _("--data needs one scheme, but 「{target}」 has {count}: {schemes}").format(
                    target=target, count=len(schemes), schemes=", ".join(schemes)
                )
            )
        entry = setup.host.schemes[schemes[0]]
        found = expected or find_expected(data)
        samples = [Sample(schemes[0], entry.plugin, data, found, overrides=find_overrides(data))]
    elif expected is not None:
        samples = [attrs.evolve(s, expected=expected) for s in samples]
    declared = {s.scheme_id for s in samples}
    return samples, [s for s in schemes if s not in declared]


@click.command(
    "conformance",
    help=N_(
        "Run the conformance suite on every scheme of a plugin (or on one scheme) and print a report.\n"
        "\n"
        "The checks are those of kaoping.testing.SchemeConformance: the scheme validates, the sample\n"
        "scores to the expected results, trails add up, scores move the right way, vetoes, grades and quotas\n"
        "behave as declared, reruns are byte-identical, and every result names its plugin. Exit code 0 when\n"
        "every check passes or is skipped (with its reason), 1 when one fails, 2 on bad input.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping conformance fujian_zhangzhou\n"
        "  kaoping conformance fujian.zhangzhou --data DIR --expected DIR/expected.csv\n"
        "  kaoping conformance fujian.zhangzhou --config kaoping.toml --county longhai"
    ),
)
@click.argument("target", metavar="PLUGIN_OR_SCHEME")
@click.option(
    "--data",
    type=click.Path(path_type=Path, exists=True),
    help=N_("Sample data (default: the sample registered with the scheme)."),
)
@click.option(
    "--expected",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help=N_("Expected results, expected.csv or .json (default: the one beside the sample)."),
)
@click.option("-v", "--verbose", is_flag=True, help=N_("Say what each passing check verified."))
@deployment_options
@reports_errors
def conformance_command(
    target: str, data: Path | None, expected: Path | None, verbose: bool, deployment: Deployment
) -> None:
    """Run the conformance suite and print its report (its help is the message id above)."""
    samples, undeclared = _samples(deployment, target, data, expected)
    failed = False
    for scheme_id in undeclared:
        click.echo(
            _("{scheme}: no sample data declared (register(scheme_file, sample=...) in the plugin, or --data)").format(
                scheme=scheme_id
            )
        )
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
        click.echo(report_text(_("conformance of {subject}").format(subject=subject.describe()), outcomes, verbose))
        failed = failed or any(o.status == FAIL for o in outcomes)
    if failed:
        sys.exit(EXIT_FAILED)


@hookimpl
def kaoping_register_commands(cli: click.Group) -> None:
    cli.add_command(conformance_command)
