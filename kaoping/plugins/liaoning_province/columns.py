"""The columnar forms of Liaoning's four scoring classes: tier weight × min(value / reference, cap) as an
exact fraction (classes 1, 2 and the planned row of class 4), plus the bounded net of 加分/减分 rows
(classes 3 and 4). An indicator whose tier has no weight is left whole to the row form, which says so."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from kaoping.api import (
    FixedColumn,
    Indicator,
    IndicatorColumns,
    ScoringContext,
    VectorAwards,
    row_form_only,
    terminates,
)
from kaoping.plugins._common.columnar import (
    any_row,
    at,
    explained_by_rows,
    fixed,
    largest,
    narrow,
    per_unit,
    undecided,
    wide,
)
from kaoping.plugins.liaoning_province import methods

ONE = Decimal(1)


def _ratio(
    indicator: Indicator,
    weight: Decimal,
    value: FixedColumn,
    reference: FixedColumn,
    rows: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row in ``rows``: weight × min(value / reference, cap) as ``num / den`` (Python integers: the
    product of five factors is assembled exactly, then narrowed), the rows the row form refuses, and
    whether the decimal quotient terminates."""
    cap, cap_scale = fixed(indicator.params.get("cap", ONE))
    w, w_scale = fixed(weight)
    v = value.ints[rows].astype(object)
    r = reference.ints[rows].astype(object)
    bad = ~reference.present[rows] | (r <= 0) | (v < 0)
    q_num, q_den = v * 10**reference.scale, np.where(bad, 1, r) * 10**value.scale  # value / reference
    capped = q_num * 10**cap_scale > cap * q_den
    num = np.where(capped, w * cap * q_den, w * q_num * 10**cap_scale)
    den = q_den * 10 ** (w_scale + cap_scale)
    return num, den, bad, capped | terminates(q_num, q_den)


def _bound(indicator: Indicator, net: np.ndarray, scale: int) -> tuple[np.ndarray, int]:
    """The net adjustment bounded by max_bonus / max_deduction, at a scale that holds them all."""
    limits = [fixed(indicator.params[k]) for k in ("max_bonus", "max_deduction") if indicator.params.get(k) is not None]
    common = max([scale, *(s for _i, s in limits)])
    bounded = at(net, scale, common)
    most = indicator.params.get("max_bonus")
    least = indicator.params.get("max_deduction")
    if most is not None:
        i, s = fixed(most)
        bounded = np.minimum(bounded, i * 10 ** (common - s))
    if least is not None:
        i, s = fixed(least)
        bounded = np.maximum(bounded, -i * 10 ** (common - s))
    return bounded, common


def _big(ctx: ScoringContext, columns: IndicatorColumns) -> bool:
    """Whether a unit's sum of values may leave int64 (then its sums are of Python integers)."""
    return wide(ctx, largest(columns.value.ints) + 1, int(columns.counts.max(initial=1)))


def _ratio_class(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext, reference: str, row_fn):
    weight = methods.tier_weight(ctx.scheme, str(indicator.params.get("tier", "")))
    if weight is None:
        return row_form_only(columns.units)  # the row form reports the missing weight
    against = columns.baseline if reference == "baseline" else columns.target
    one = columns.counts == 1
    rows = columns.starts[:-1][one]
    num, den, bad, exact = _ratio(indicator, weight, columns.value, against, rows)
    hard = bad | undecided(num, den, exact | bad, ctx)
    units = columns.units[one][~hard]
    inputs, note = explained_by_rows(row_fn, indicator, columns, ctx, units)
    left = np.sort(np.concatenate([columns.units[~one], columns.units[one][hard]]))
    return VectorAwards(units, narrow(num[~hard], ctx), narrow(den[~hard], ctx), inputs, note, rows_for=left)


def vs_last_year_columns(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """Class 1: weight × min(value / baseline, cap), one row per unit."""
    return _ratio_class(indicator, columns, ctx, "baseline", methods.vs_last_year.fn)


def vs_plan_columns(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """Class 2: weight × min(value / target, cap), one row per unit."""
    return _ratio_class(indicator, columns, ctx, "target", methods.vs_plan.fn)


def adjusted_columns(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """Class 3: weight + the bounded net of the rows; a unit with a target on any row goes to the row form."""
    weight = methods.tier_weight(ctx.scheme, str(indicator.params.get("tier", "")))
    if weight is None:
        return row_form_only(columns.units)
    value = columns.value
    big = _big(ctx, columns)
    refused = any_row(columns, columns.target.present)
    net = per_unit(columns, value.ints.astype(object) if big else value.ints)
    bounded, scale = _bound(indicator, net, value.scale)
    w, w_scale = fixed(weight)
    common = max(scale, w_scale)
    num = w * 10 ** (common - w_scale) + at(bounded.astype(object), scale, common)
    units = columns.units[~refused]
    den = np.full(len(units), 10**common, dtype=object)
    inputs, note = explained_by_rows(methods.adjusted.fn, indicator, columns, ctx, units)
    return VectorAwards(
        units, narrow(num[~refused], ctx), narrow(den, ctx), inputs, note, rows_for=columns.units[refused]
    )


def mixed_columns(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """Class 4: the class-2 fraction on the one row with a target, plus the bounded net of the others."""
    weight = methods.tier_weight(ctx.scheme, str(indicator.params.get("tier", "")))
    if weight is None:
        return row_form_only(columns.units)
    value, target = columns.value, columns.target
    big = _big(ctx, columns)
    planned_rows = per_unit(columns, target.present.astype(np.int64))
    refused = planned_rows != 1
    # the planned row of each unit (where there is exactly one)
    unit_of = np.repeat(np.arange(len(columns.units)), columns.counts)
    plan_row = np.zeros(len(columns.units), dtype=np.int64)
    plan_row[unit_of[target.present]] = np.flatnonzero(target.present)
    num, den, bad, exact = _ratio(indicator, weight, value, target, plan_row)
    ints = value.ints.astype(object) if big else value.ints
    net = per_unit(columns, ints, ~target.present)
    bounded, scale = _bound(indicator, net.astype(object), value.scale)
    divided = num * 10**scale  # the quotient's term, over the total's denominator
    num = divided + bounded * den
    den = den * 10**scale
    hard = refused | bad
    hard |= undecided(num, den, exact | hard, ctx, divided)
    units = columns.units[~hard]
    inputs, note = explained_by_rows(methods.mixed.fn, indicator, columns, ctx, units)
    return VectorAwards(
        units, narrow(num[~hard], ctx), narrow(den[~hard], ctx), inputs, note, rows_for=columns.units[hard]
    )
