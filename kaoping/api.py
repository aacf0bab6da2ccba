"""The plugin author's API: everything a scheme plugin needs, in one import.

As pytest exposes ``pytest`` over ``_pytest`` and OpenFisca exposes ``model_api`` to country packages,
a kaoping plugin imports from here and nowhere else in kaoping::

    from kaoping.api import Dataset, RegisterScheme, Scheme, Veto, hookimpl

    @hookimpl
    def kaoping_register_schemes(register: RegisterScheme) -> None:
        register(Path(__file__).with_name("scheme.toml"), sample=Path(__file__).with_name("sample"))

The names below are the stable surface (pinned by ``tests/test_api.py``); the modules they come from
(``kaoping.core.*``, ``kaoping.io.*``, ``kaoping.compare.*``) are the engine's internals and may be
renamed or split between releases. The conformance kit for a plugin's tests is :mod:`kaoping.testing`.

What is here, by the stage that needs it:

- registration: :data:`hookimpl`, :class:`RegisterScheme` (``register(path, sample=...)``,
  ``register(extends="fujian.zhangzhou", changes=path)``), :func:`method`, :class:`Method`,
  :class:`Param`, :class:`Award`, :class:`ScoringContext`, :class:`MethodRegistry`;
- the scheme: :class:`Scheme`, :class:`Indicator`, :class:`Rule`, :class:`VetoArea`
  (``area.veto(unit, note=, source=)``);
- the data: :class:`Dataset` (:func:`dataset_from_records` builds one, for a loader), :class:`Unit`,
  :class:`ValueRow`, :class:`EventRow`, :class:`HistoryRow`, :class:`Problem` (a located data problem;
  :func:`warning` makes one that is reported but does not stop the run),
  :class:`InputError`, :class:`MissingParameterError`;
- vetoes, scores and results: :class:`Veto`, :class:`ScoreTable`, :class:`UnitScore`,
  :class:`TrailEntry`, :class:`RunResult`, :class:`UnitResult`;
- closed vocabularies, as ``Literal`` types an editor and mypy check: :data:`VetoEffect`,
  :data:`EntryKind`, :data:`RuleKind`, :data:`MethodKind`, :data:`Direction`, :data:`ValueKind` (what an
  indicator method's values are, ``method(..., value_kind="ratio")``; :data:`VALUE_KINDS` lists them);
- procedure: :class:`Window` (an appeal, :data:`APPEAL`, publicity, :data:`PUBLICITY`, or hearing,
  :data:`HEARING`, window that ``kaoping_procedure_windows`` returns);
- helpers: exact decimals (:data:`ZERO`, :data:`ONE`, :func:`to_decimal`, :func:`divide`,
  :func:`quantize`, :func:`format_points`), the engine's own scoring of a dataset
  (:func:`score_dataset`, :func:`parts_for`), grade bands (:func:`band_for`) and consequences
  (:func:`consequences_for`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kaoping import hookimpl
from kaoping.core.consequences import consequences_for
from kaoping.core.errors import InputError, MissingParameterError, Problem, warning
from kaoping.core.grading import band_for
from kaoping.core.methods import (
    VALUE_KINDS,
    Award,
    Method,
    MethodKind,
    MethodRegistry,
    Param,
    ScoringContext,
    ValueKind,
    method,
)
from kaoping.core.models import Dataset, EventRow, HistoryRow, Unit, ValueRow
from kaoping.core.numbers import ONE, ZERO, divide, format_points, quantize, to_decimal
from kaoping.core.plugins import RegisterScheme
from kaoping.core.procedure import APPEAL, HEARING, PUBLICITY, Window
from kaoping.core.results import EntryKind, RunResult, ScoreTable, TrailEntry, UnitResult, UnitScore, Veto, VetoEffect
from kaoping.core.scheme import Direction, Indicator, Rule, RuleKind, Scheme, VetoArea
from kaoping.core.scoring import add_within_bounds, parts_for
from kaoping.io.dataio import ExtraRow, dataset_from_records, read_extra_table

if TYPE_CHECKING:  # imported on first use (see __getattr__): it loads numpy
    from kaoping.core.columnar.fixed import on_boundary, terminates
    from kaoping.core.columnar.table import FixedColumn, IndicatorColumns
    from kaoping.core.columnar.vector import VectorAwards, row_explanations, row_form_only

__all__ = [
    "APPEAL",
    "HEARING",
    "ONE",
    "PUBLICITY",
    "VALUE_KINDS",
    "ZERO",
    "Award",
    "Dataset",
    "Direction",
    "EntryKind",
    "EventRow",
    "ExtraRow",
    "FixedColumn",
    "HistoryRow",
    "Indicator",
    "IndicatorColumns",
    "InputError",
    "Method",
    "MethodKind",
    "MethodRegistry",
    "MissingParameterError",
    "Param",
    "Problem",
    "RegisterScheme",
    "Rule",
    "RuleKind",
    "RunResult",
    "Scheme",
    "ScoreTable",
    "ScoringContext",
    "TrailEntry",
    "Unit",
    "UnitResult",
    "UnitScore",
    "ValueKind",
    "ValueRow",
    "VectorAwards",
    "Veto",
    "VetoArea",
    "VetoEffect",
    "Window",
    "add_within_bounds",
    "band_for",
    "consequences_for",
    "dataset_from_records",
    "divide",
    "format_points",
    "hookimpl",
    "method",
    "on_boundary",
    "parts_for",
    "quantize",
    "read_extra_table",
    "row_explanations",
    "row_form_only",
    "score_dataset",
    "terminates",
    "to_decimal",
    "warning",
]


# the columnar method API (docs/plugin-authoring.md, "Vectorised form"), by the module that defines it
_COLUMNAR = {
    "VectorAwards": "kaoping.core.columnar.vector",
    "row_explanations": "kaoping.core.columnar.vector",
    "row_form_only": "kaoping.core.columnar.vector",
    "IndicatorColumns": "kaoping.core.columnar.table",
    "FixedColumn": "kaoping.core.columnar.table",
    "terminates": "kaoping.core.columnar.fixed",
    "on_boundary": "kaoping.core.columnar.fixed",
}


def score_dataset(
    scheme: Scheme, dataset: Dataset, registry: MethodRegistry, vetoes: Sequence[Veto] = ()
) -> ScoreTable:
    """The engine's own scoring of a dataset (what the built-in ``kaoping_score`` does): for a plugin that
    scores slices of the data itself (by period, by subset) and folds the tables. Raises
    :class:`InputError` with every problem found; the engine is imported when first called (numpy)."""
    from kaoping.core.columnar.engine import score

    return score(scheme, dataset, registry, vetoes)


def __getattr__(name: str) -> object:
    """The columnar method API is imported when first used, so that importing the API does not load numpy."""
    if name in _COLUMNAR:
        import importlib

        return getattr(importlib.import_module(_COLUMNAR[name]), name)
    raise AttributeError(f"module 'kaoping.api' has no attribute {name!r}")
