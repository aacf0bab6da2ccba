"""One run: load → validate → vetoes → score → results, through the plugin host.

The public entry points are :func:`prepare` (resolve plugins and scheme from a deployment or defaults)
and :func:`run` (score one data source).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from kaoping.core.config import County, load_deployment
from kaoping.core.errors import InputError, MissingParameterError, Problem, split_problems
from kaoping.core.models import Dataset
from kaoping.core.plugins import PluginHost
from kaoping.core.results import RunResult
from kaoping.core.scheme import Scheme
from kaoping.core.validate import missing_number_problem, missing_number_problems


@attrs.frozen
class Setup:
    """A resolved deployment: the plugin host and, when a scheme is known, the scheme after overrides."""

    host: PluginHost
    scheme: Scheme | None
    county: County | None = None


def prepare(
    scheme_id: str | None = None,
    config: Path | None = None,
    county: str | None = None,
    overrides: dict[str, Any] | None = None,
    plugins: tuple[str, ...] = (),
    disable: tuple[str, ...] = (),
    overrides_origin: str = "overrides",
) -> Setup:
    """Build the plugin host and scheme for a command: from a deployment file, or from the defaults.

    ``overrides`` (an ``--overrides`` file, a sample's ``overrides.toml``) apply after the deployment's own,
    key by key, each layer checked and located on its own.
    """
    chosen: County | None = None
    base_dir = None
    layers: list[tuple[dict[str, Any], str]] = []
    if config is not None:
        deployment = load_deployment(config)
        chosen = deployment.county(county)
        base_dir = deployment.base_dir
        layers.append((chosen.overrides, f"{config} [counties.{chosen.id}.overrides]"))
        plugins = chosen.plugins + plugins
        disable = chosen.disable + disable
        if scheme_id is not None and scheme_id != chosen.scheme:
            raise InputError(f"--scheme {scheme_id} differs from county {chosen.id}'s scheme {chosen.scheme}")
        scheme_id = chosen.scheme
    elif county is not None:
        raise InputError("--county needs --config")
    if overrides:
        layers.append((overrides, overrides_origin))
    host = PluginHost(extra=plugins, disabled=disable, base_dir=base_dir)
    scheme = host.scheme(scheme_id, layers=layers) if scheme_id else None
    return Setup(host, scheme, chosen)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the length of a run.

    A run allocates millions of small acyclic objects (rows, trail entries, decimals); the collector would
    rescan the growing heap again and again, doubling the run time of large runs.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_and_validate(host: PluginHost, scheme: Scheme, source: Path) -> Dataset:
    dataset, _warnings = load_checked(host, scheme, source)
    return dataset


def load_checked(host: PluginHost, scheme: Scheme, source: Path) -> tuple[Dataset, list[Problem]]:
    """Load and validate; errors stop here, warnings (guidelines the source words loosely) are returned."""
    with gc_paused():
        dataset = host.load_dataset(source, scheme)
        problems = host.validate(scheme, dataset)
    return dataset, checked(problems)


def check_source(host: PluginHost, scheme: Scheme, source: Path) -> tuple[Dataset, list[Problem]]:
    """What ``kaoping validate`` checks: the data, and every number the deployment must still set.

    Data problems and missing deployment numbers are reported together; warnings are returned.
    """
    with gc_paused():
        dataset = host.load_dataset(source, scheme)
        problems = host.validate(scheme, dataset) + missing_number_problems(scheme, dataset)
    return dataset, checked(problems)


def checked(problems: list[Problem]) -> list[Problem]:
    """Raise on the errors among ``problems``; return the warnings."""
    errors, warnings = split_problems(problems)
    if errors:
        raise InputError(errors)
    return warnings


def require_grading(scheme: Scheme) -> None:
    """Refuse to run with numbers the source leaves out and the deployment has not set, all named at once.

    A scheme whose source names grades but no thresholds or quotas says so with ``[grading] required``;
    grading such a scheme without the deployment's numbers would give every unit the default grade. A part
    whose points are a deployment setting (``required = ["points"]``) and a required parameter are
    demanded the same way, before anything is scored.
    """
    problems = [
        missing_number_problem(scheme, key, quote)
        for key, quote in scheme.missing_numbers()
        if key.startswith("parts[")
    ]
    missing = scheme.grading.missing()
    if missing:
        reason = f" (「{scheme.grading.quote}」)" if scheme.grading.quote else ""
        problems.insert(
            0,
            Problem(
                f"{scheme.id}: the source gives no grade cut-offs{reason}; "
                f"set {' and '.join(missing)} in the deployment's overrides"
            ),
        )
    if problems:
        raise MissingParameterError(problems)


def run(host: PluginHost, scheme: Scheme, source: Path | Dataset) -> RunResult:
    """Score one data source (a path or an already loaded dataset) and apply results."""
    require_grading(scheme)
    if isinstance(source, Dataset):
        dataset = source
        with gc_paused():
            warnings = checked(host.validate(scheme, dataset))
    else:
        dataset, warnings = load_checked(host, scheme, source)
    with gc_paused():
        vetoes = host.check_vetoes(scheme, dataset)
        scores = host.score(scheme, dataset, vetoes)
        result = host.apply_results(scheme, scores, dataset, vetoes)
    result.warnings = [str(w) for w in warnings] + result.warnings
    return result
