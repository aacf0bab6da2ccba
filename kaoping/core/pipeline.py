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

from kaoping.core import engine_choice, limits, memory
from kaoping.core.config import County, Deployment, load_deployment
from kaoping.core.config import overrides_origin as county_overrides_origin
from kaoping.core.errors import InputError, KaopingError, MissingParameterError, Problem, split_problems
from kaoping.core.models import Dataset
from kaoping.core.overrides import Origin
from kaoping.core.plugins import PluginHost
from kaoping.core.procedure import evaluation_year, with_year
from kaoping.core.results import RunResult
from kaoping.core.scheme import Scheme
from kaoping.core.tomlread import read_toml
from kaoping.core.validate import missing_number_problem, missing_number_problems, with_group_ids
from kaoping.locale import _


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
    year: int | None = None,
    plugin_objects: tuple[tuple[str, object], ...] = (),
    overrides_origin: str = "overrides",
) -> Setup:
    """Build the plugin host and scheme for a command: from a deployment file, or from the defaults.

    ``overrides`` (an ``--overrides`` file, a sample's ``overrides.toml``) apply after the deployment's own,
    key by key, each layer checked and located on its own. ``year`` (``--year``) wins over the county's
    ``year``, which wins over the scheme's; ``plugin_objects`` are (name, object) pairs registered as
    plugins for this command only (the archive's history source).
    """
    chosen: County | None = None
    base_dir = None
    layers: list[tuple[dict[str, Any], str | Origin]] = []
    limits.configure(None)
    engine_choice.configure(None)
    if config is not None:
        deployment = _load_deployment_with_schemes(config, county)
        limits.configure(deployment.limits)
        engine_choice.configure(deployment.engine)
        chosen = deployment.county(county)
        base_dir = deployment.base_dir
        layers.append((chosen.overrides, county_overrides_origin(config, chosen.id)))
        plugins = chosen.plugins + plugins
        disable = chosen.disable + disable
        if scheme_id is not None and scheme_id != chosen.scheme:
            raise InputError(
                _("--scheme {scheme_id} differs from county {chosen}'s scheme {scheme}").format(
                    scheme_id=scheme_id, chosen=chosen.id, scheme=chosen.scheme
                )
            )
        scheme_id = chosen.scheme
        year = year if year is not None else chosen.year
    elif county is not None:
        raise InputError(_("--county needs --config"))
    if overrides:
        layers.append((overrides, overrides_origin))
    host = PluginHost(extra=plugins, disabled=disable, base_dir=base_dir, plugin_objects=plugin_objects)
    scheme = with_year(host.scheme(scheme_id, layers=layers), year) if scheme_id else None
    return Setup(host, scheme, chosen)


def _load_deployment_with_schemes(config: Path, county: str | None) -> Deployment:
    """The deployment; when ``kaoping.toml`` has type errors, they come with its schemes' problems.

    A wrong type somewhere in the file (``year = "2024年"``) would otherwise hide the problems of the
    overrides (a negative cap, an unknown method parameter) until it is fixed: one report lists them all.
    """
    try:
        return load_deployment(config)
    except InputError as error:
        raise InputError([*error.problems, *_scheme_problems_despite(config, county)]) from None


def _scheme_problems_despite(config: Path, county: str | None) -> list[Problem]:
    """The problems of each county's scheme and overrides, read from ``kaoping.toml`` as far as it is sound."""
    try:
        written = read_toml(config)
    except KaopingError:
        return []  # the file itself cannot be read: that is the one problem
    counties = written.get("counties")
    if not isinstance(counties, dict):
        return []
    problems: list[Problem] = []
    for county_id, table in counties.items():
        if county is not None and county_id != county:
            continue
        if not isinstance(table, dict) or not isinstance(table.get("scheme"), str):
            continue
        overrides = table.get("overrides", {})
        plugins = _texts(written.get("plugins")) + _texts(table.get("plugins"))
        disable = _texts(written.get("disable")) + _texts(table.get("disable"))
        try:
            host = PluginHost(extra=plugins, disabled=disable, base_dir=config.parent)
            layers = [(overrides, county_overrides_origin(config, county_id))] if isinstance(overrides, dict) else []
            host.scheme(table["scheme"], layers=layers)
        except InputError as error:
            problems += [p for p in error.problems if p.file or p.key]
        except KaopingError:
            continue  # a plugin that does not load: reported once the file's types are right
    return problems


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


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
        dataset = with_group_ids(scheme, host.load_dataset(source, scheme))
        memory.give_back()  # the reader's batches and chunks, before validation's arrays
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
                _(
                    "{scheme}: the source gives no grade cut-offs{reason}; set {items} in the deployment's overrides"
                ).format(scheme=scheme.name or scheme.id, reason=reason, items=_(" and ").join(missing))
            ),
        )
    if problems:
        raise MissingParameterError(problems)


def run(host: PluginHost, scheme: Scheme, source: Path | Dataset) -> RunResult:
    """Score one data source (a path or an already loaded dataset) and apply results."""
    require_grading(scheme)
    if isinstance(source, Dataset):
        dataset = with_group_ids(scheme, source)
        with gc_paused():
            warnings = checked(host.validate(scheme, dataset))
    else:
        dataset, warnings = load_checked(host, scheme, source)
    memory.give_back()  # what reading freed, before scoring's peak adds to it
    with gc_paused():
        vetoes = host.check_vetoes(scheme, dataset)
        if engine_choice.distributed():  # the scoring of each ranking pool on a Dask cluster
            from kaoping.core.distributed import score_distributed

            scores = score_distributed(host, scheme, dataset, vetoes)
        else:
            scores = host.score(scheme, dataset, vetoes)
        memory.give_back()
        result = host.apply_results(scheme, scores, dataset, vetoes)
    result.warnings = [str(w) for w in warnings] + result.warnings
    result.notes[:0] = [*year_notes(scheme), *history_warnings(scheme, dataset)]
    result.notes.extend(notice for notice in dataset.notices if notice not in result.notes)
    return result


def year_notes(scheme: Scheme) -> list[str]:
    """Say so when the evaluated year (``--year``, the county's ``year``) is not the scheme file's."""
    file_year = scheme.raw.get("year")
    if scheme.year is None or file_year is None or int(file_year) == scheme.year:
        return []
    return [_("evaluated year {year} (the scheme file says {file_year})").format(year=scheme.year, file_year=file_year)]


def history_warnings(scheme: Scheme, dataset: Dataset) -> list[str]:
    """A warning per history rule of the scheme when the data lacks the previous year's results.

    A scheme lists its rules on earlier years in ``parameters.history_rules`` (name → quote); without the
    year before the evaluated one (or without any history when the year is unknown) those rules cannot
    apply, and the run says so instead of skipping them silently.
    """
    rules: dict[str, str] = dict(scheme.parameters.get("history_rules", {}))
    if not rules:
        return []
    year = evaluation_year(scheme)
    years = {row.year for row in dataset.history}
    if year is None and years:
        return []
    if year is not None and year - 1 in years:
        return []
    missing = str(year - 1) if year is not None else _("earlier years")
    return [
        _("warning: no results of {year} in the history, so the rule {rule} (「{quote}」) was not applied").format(
            year=missing, rule=rule, quote=quote
        )
        for rule, quote in rules.items()
    ]
