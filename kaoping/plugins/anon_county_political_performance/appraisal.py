"""The county's appraisal score as a scoring method: target channels blended with the democratic rating.

Seed 004 scores every team and cadre 「实行百分制考核评分」 on standards drawn from the annual target
responsibility system, and rates them 「好、中、差三个档次」 over 35 (teams) or 43 (cadres) 要点; the
comprehensive evaluation then 「进行统计核分」. The core's ``weighted`` and ``rating`` methods each cover one
half, but the split between the two is a number the source leaves to the county: a scheme cannot give it
as two indicators' fixed points. This method takes the split as a parameter instead:

    points × [(1 − rating_weight) × Σ(weight × channel score) / scale + rating_weight × Σ(marks × level) / Σ marks]

A channel named in ``fixed_channels`` takes its weight of the whole points instead (「党政副职领导干部考核标准
将分管工作占80%」: 80% of the deputy's score, not of its target half); the blend above, with the other channels'
weights taken as shares of what is left, fills the rest:

    points × [Σ(fixed weight × fixed score) / scale + rest × blend],  rest = 1 − Σ fixed weights

Rows with ``item`` naming a channel carry its score (0 … ``scale``); rows with ``item`` naming a level carry
the marks given at that level, summed over the form's 要点. With ``ballot_items`` set, each form marks every
要点 once, so a unit's marks should be a whole number of forms; otherwise the result carries a warning (a
form may be spoiled or partly filled: the marks are counted as given). The points are rounded once, by the
core, to the scheme's precision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from kaoping.api import ONE, ZERO, Award, Indicator, Param, ScoringContext, ValueRow, divide, format_points, method
from kaoping.locale import _
from kaoping.plugins._common.vectorised import lazy_form


def _shown(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"))


def _check_params(indicator: Indicator, ctx: ScoringContext) -> bool:
    channels: Mapping[str, Decimal] = indicator.params["channels"]
    levels: Mapping[str, Decimal] = indicator.params["levels"]
    weight: Decimal = indicator.params["rating_weight"]
    ok = True
    unknown = [c for c in indicator.params.get("fixed_channels", []) if c not in channels]
    if unknown:
        ctx.problem(f"indicator {indicator.id!r}: fixed_channels names {', '.join(unknown)}, not among its channels")
        ok = False
    if sum(channels.values(), ZERO) != ONE:
        ctx.problem(f"indicator {indicator.id!r}: channel weights add up to {sum(channels.values(), ZERO)}, not 1")
        ok = False
    if any(not ZERO <= w <= ONE for w in channels.values()):
        ctx.problem(f"indicator {indicator.id!r}: every channel weight must lie in [0, 1]")
        ok = False
    if not ZERO <= weight <= ONE:
        ctx.problem(f"indicator {indicator.id!r}: rating_weight {weight} must lie in [0, 1]")
        ok = False
    if any(not ZERO <= share <= ONE for share in levels.values()):
        ctx.problem(f"indicator {indicator.id!r}: every rating level's share must lie in [0, 1]")
        ok = False
    if set(channels) & set(levels):
        ctx.problem(f"indicator {indicator.id!r}: a name is both a channel and a rating level")
        ok = False
    return ok


def _marks(
    indicator: Indicator, unit: str, rows: list[ValueRow], ctx: ScoringContext
) -> tuple[dict[str, Decimal], Decimal] | None:
    """Marks per level and the rating share Σ(marks × level) / Σ marks, or None after a problem."""
    levels: Mapping[str, Decimal] = indicator.params["levels"]
    marks = dict.fromkeys(levels, ZERO)
    for row in rows:
        if row.value < 0 or row.value != row.value.to_integral_value():
            ctx.problem("a count of rating marks must be a whole number ≥ 0", row.where, "value")
            return None
        marks[row.item] += row.value
    cast = sum(marks.values(), ZERO)
    if indicator.params["rating_weight"] == 0 and cast == 0:
        return marks, ZERO
    if cast == 0:
        ctx.problem(f"unit {unit!r} has no rating marks for indicator {indicator.id!r}", column="item")
        return None
    items = indicator.params.get("ballot_items")
    if items and cast % items:
        ctx.warning(
            _(
                "unit {unit!r}: {marks} rating marks are not a whole number of forms of {items} 要点 (indicator "
                "{indicator!r}; 「测评内容细化为…要点」): the marks are counted as given"
            ).format(unit=unit, marks=format_points(cast), items=format_points(items), indicator=indicator.id),
            rows[0].where if rows else None,
            "value",
        )
    return marks, divide(sum((marks[level] * levels[level] for level in levels), ZERO), cast)


@method(
    "county_appraisal",
    "indicator",
    vectorised=lazy_form("kaoping.plugins.anon_county_political_performance.columns", "appraisal_columns"),
    value_kind=("points", "count"),
    params=[
        Param("channels", kind="table", required=True, doc="target channel → weight; the weights add up to 1"),
        Param("levels", kind="table", required=True, doc="rating level (好 / 中 / 差) → share of a mark, 0 … 1"),
        Param("rating_weight", required=True, doc="share of the points given by the democratic rating, 0 … 1"),
        Param("scale", default=100, doc="the full mark of a channel score (百分制)"),
        Param("ballot_items", doc="要点 on one rating form: marks that are not whole forms are warned about"),
        Param(
            "fixed_channels", kind="list", doc="channels whose weight is a share of the whole points (分管工作占80%)"
        ),
    ],
    doc="points × [Σ fixed share × score / scale + (1 - Σ fixed) × ((1 - rating_weight) × Σ(weight × channel "
    "score) / scale + rating_weight × rating share)] (item = channel or 好/中/差 level).",
)
def county_appraisal(
    indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext
) -> dict[str, Award]:
    if not _check_params(indicator, ctx):
        return {}
    channels: Mapping[str, Decimal] = indicator.params["channels"]
    levels: Mapping[str, Decimal] = indicator.params["levels"]
    weight: Decimal = indicator.params["rating_weight"]
    scale: Decimal = indicator.params.get("scale", Decimal(100))
    fixed = {c: channels[c] for c in indicator.params.get("fixed_channels", []) if c in channels}
    blended = {c: w for c, w in channels.items() if c not in fixed}
    rest = ONE - sum(fixed.values(), ZERO)
    awards = {}
    for unit, unit_rows in rows.items():
        scores: dict[str, Decimal] = {}
        votes: list[ValueRow] = []
        bad = False
        for row in unit_rows:
            if row.item in levels:
                votes.append(row)
            elif row.item not in channels:
                known = ", ".join([*channels, *levels])
                ctx.problem(f"item {row.item!r} is neither a channel nor a rating level ({known})", row.where, "item")
                bad = True
            elif row.item in scores:
                ctx.problem(f"channel {row.item!r} is given twice for unit {unit!r}", row.where, "item")
                bad = True
            elif not ZERO <= row.value <= scale:
                ctx.problem(f"channel score {format_points(row.value)} is outside [0, {scale}]", row.where, "value")
                bad = True
            else:
                scores[row.item] = row.value
        # a channel the county weights at 0 (a key item a department does not carry) may be left out
        missing = [c for c, w in channels.items() if c not in scores and w != 0]
        if missing:
            ctx.problem(
                f"unit {unit!r} lacks channel(s) {', '.join(missing)} of indicator {indicator.id!r}",
                unit_rows[0].where,
                "item",
            )
            bad = True
        rated = _marks(indicator, unit, votes, ctx)
        if bad or rated is None:
            continue
        marks, share = rated
        # the blended channels' score, their weights read as shares of what the fixed channels leave
        target = divide(sum((blended[c] * scores.get(c, ZERO) for c in blended), ZERO), rest) if rest else ZERO
        fixed_score = sum((fixed[c] * scores.get(c, ZERO) for c in fixed), ZERO)
        fixed_points = indicator.points * divide(fixed_score, scale)
        target_points = indicator.points * rest * (ONE - weight) * divide(target, scale)
        rating_points = indicator.points * rest * weight * share
        weighted = sum((marks[level] * levels[level] for level in levels), ZERO)
        inputs: dict[str, object] = {}
        if fixed:
            inputs = {"fixed_weights": dict(fixed), "fixed_points": _shown(fixed_points)}
        awards[unit] = Award(
            fixed_points + target_points + rating_points,
            {
                **inputs,
                "channels": {c: scores[c] for c in channels if c in scores},
                "weights": dict(channels),
                "target_score": target,
                "marks": marks,
                # exact share as a fraction; the two halves are shown to 4 places (display only: the
                # indicator's points are their exact sum, rounded once to the scheme precision)
                "rating_share": f"{format_points(weighted)}/{format_points(sum(marks.values(), ZERO))}",
                "rating_weight": weight,
                "target_points": _shown(target_points),
                "rating_points": _shown(rating_points),
            },
        )
    return awards
