"""Hook specifications, grouped by the stage of a run in which they are called.

A run goes: plugins register schemes and methods → the dataset is loaded → vetoes are collected →
units are scored → results (ranks, grades, consequences) are applied. Every hook is called with keyword
arguments; an implementation may accept fewer arguments than the spec lists (that is how a spec grows
without breaking plugins). Implementations are marked with ``kaoping.hookimpl``.

Hooks that act on a run receive the whole tables of that run, never one unit at a time. Each hook's
docstring ends with its **Scope**, as pytest's hook docs say where a hook may be used: the run hooks are
called for a scheme only on the plugins bound to it (the plugin that registered it) and on plugins that
register no scheme (add-ons, a deployment's local rules), so a locality plugin's hooks are about its own
scheme and never compare ``scheme.id``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from kaoping import PROJECT_NAME

if TYPE_CHECKING:
    import click

    from kaoping.core.errors import Problem
    from kaoping.core.methods import Method, MethodRegistry
    from kaoping.core.models import Dataset
    from kaoping.core.procedure import Window
    from kaoping.core.results import RunResult, ScoreTable, Veto
    from kaoping.core.scheme import Scheme

hookspec = pluggy.HookspecMarker(PROJECT_NAME)


# -------------------------------------------------------------------------------------------------------
# registration: called once when the plugin manager is built


@hookspec
def kaoping_register_schemes(register: Callable[[Path | dict[str, Any]], None]) -> None:
    """Declare the schemes this plugin provides.

    Called once, at start-up. Call ``register(path)`` with the path of a scheme TOML (or a mapping with
    the same content) for each scheme; its id, Chinese name, locality, year and source are read from it.
    All implementations are called; two plugins registering the same scheme id is an error naming both.

    Scope: every plugin, once at start-up; a plugin that registers a scheme is bound to it for the run hooks.
    """


@hookspec
def kaoping_register_methods(register: Callable[[Method], None]) -> None:
    """Add named scoring methods that scheme files can use as ``method = "name"``.

    Called once, at start-up. Call ``register(method)`` with a :class:`kaoping.core.methods.Method`
    (the ``kaoping.core.methods.method`` decorator builds one). A method is a batch function called once
    per indicator or rule with the rows of all units. All implementations are called; a name registered
    twice is an error naming both plugins.

    Scope: every plugin, once at start-up; methods are global, usable by any scheme by name.
    """


@hookspec
def kaoping_register_commands(cli: click.Group) -> None:
    """Add commands to the ``kaoping`` command line: ``cli.add_command(command)`` with a click command.

    Called once, when the command line starts. All implementations are called; kaoping's own commands
    (``score``, ``compare``, ``conformance``, …) are added the same way, by its default command plugins.
    A name added twice keeps the last one, so use a name of your own.

    Scope: the CLI's default command plugins and installed plugins (``kaoping`` entry points); a plugin
    named only in a deployment config or ``--plugin`` is loaded after the commands are gathered.
    """


# -------------------------------------------------------------------------------------------------------
# indicator loading


@hookspec(firstresult=True)
def kaoping_load_dataset(source: Path, scheme: Scheme) -> Dataset | None:
    """Turn a data source (a folder, a workbook, a JSON file) into the canonical :class:`Dataset`.

    Called once per run, before validation. The first non-None result wins, so a locality plugin can
    recognise its own office's Excel template and return ``None`` for anything else; the built-in loader
    (which reads the canonical format of ``docs/data-format.md``) runs last.

    Scope: the plugin bound to the run's scheme, and plugins bound to no scheme.
    """


@hookspec
def kaoping_validate_dataset(scheme: Scheme, dataset: Dataset) -> list[Problem] | None:
    """Report scheme-specific problems in the data (each with file, row and column where possible).

    Called once per run after loading and before scoring. All implementations are called and their
    problems are reported together with the core's; any problem stops the run with exit code 2.

    Scope: the plugin bound to the run's scheme, and plugins bound to no scheme.
    """


# -------------------------------------------------------------------------------------------------------
# veto checks


@hookspec
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """Return the one-vote vetoes (一票否决) that apply to units of this run.

    Called once per run, before scoring, so that vetoes costing points go through their part's floor
    and overflow rules. Every implementation is called and all vetoes are collected; each names its
    unit, area, source and effect (``deduct``, ``disqualify``, ``force_grade``, ``promote``, ``record``)
    and the plugin that found it (leave it empty: the host fills in the implementing plugin's name). The
    collected vetoes are listed by unit, area, source and note, whatever the plugin or row order. The
    built-in implementation turns the ``vetoes`` table into vetoes with the effect the scheme declares
    for each area.

    Scope: the plugin bound to the run's scheme, and plugins bound to no scheme. Each implementation is
    called on its own (so wrappers of this hook are refused).
    """


# -------------------------------------------------------------------------------------------------------
# scoring


@hookspec(firstresult=True)
def kaoping_score(scheme: Scheme, dataset: Dataset, vetoes: list[Veto], methods: MethodRegistry) -> ScoreTable | None:
    """Compute indicator and part scores for every unit of the run at once.

    Called once per run. The first non-None result wins; the built-in engine (scheme methods, rules,
    caps, floors) runs last. A plugin that must post-process scores for its scheme implements this hook
    with ``wrapper=True``: ``table = yield``, add :class:`TrailEntry` items (parts and totals are
    derived from the trail, so they stay consistent), then ``return table``.

    Scope: the plugin bound to the run's scheme, and plugins bound to no scheme.
    """


# -------------------------------------------------------------------------------------------------------
# result application


@hookspec(firstresult=True)
def kaoping_apply_results(scheme: Scheme, scores: ScoreTable, dataset: Dataset, vetoes: list[Veto]) -> RunResult | None:
    """Turn scores into ranks within each group, grades with quotas, and consequences.

    Called once per run, after scoring. The first non-None result wins; the built-in implementation
    applies the scheme's grading and consequence tables. A deployment's local rule wraps it
    (``wrapper=True``): ``result = yield``, adjust grades or consequences (say why in
    ``grade_reason`` and ``result.notes``), then ``return result``. The built-in result keeps its units as
    arrays and ``result.units`` builds a ``UnitResult`` per unit read; what is set or changed on it is the run's.

    Scope: the plugin bound to the run's scheme, and plugins bound to no scheme.
    """


# -------------------------------------------------------------------------------------------------------
# procedure


@hookspec
def kaoping_procedure_windows(scheme: Scheme, published_on: date) -> list[Window] | None:
    """The appeal (申诉), publicity (公示) and hearing (听证) windows the scheme sets for results published on a day.

    Called when a revision of a stored run is published and when an appeal is filed. Return windows of
    kind ``appeal``, ``publicity`` or ``hearing`` (:class:`kaoping.api.Window`), each with the quote of its
    rule and the parameter holding its day count, or ``None`` when the scheme sets no window. A hearing
    window is counted from each appeal: give it as if an appeal were filed on ``published_on``; the
    archive moves it to each appeal's day and tells the clerk the hearing's last day.
    All implementations are called and their windows collected.

    Scope: the plugin bound to the run's scheme, and plugins bound to no scheme.
    """
