"""The 考评结果通报: what a county office prints and publishes, computed once for every output format.

A run's result speaks in ids (``series1``, ``basic``, ``staff_excellent_ratio``); the bulletin speaks in the
scheme's names (第一系列, 完成基本工作目标) and spells consequences out. :func:`build_bulletin` turns a
:class:`RunResult` and its :class:`Scheme` into plain rows — numbers stay :class:`Decimal`, text is text —
so the XLSX writer (:mod:`kaoping.io.bulletin_xlsx`) and the HTML writer (:mod:`kaoping.io.bulletin_html`)
show exactly the same table and neither decides anything about content.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from kaoping import __version__
from kaoping.core.consequences import HIDDEN_KEYS, consequence_label, consequence_value
from kaoping.core.numbers import format_points
from kaoping.core.results import RunResult, TrailEntry, UnitResult, Veto
from kaoping.core.scheme import Scheme
from kaoping.core.validate import ANY_AREA
from kaoping.io.report import explained, trail_entries
from kaoping.locale import N_, _, ngettext

ColumnKind = Literal["rank", "text", "points", "count", "lines"]
"""How a column is shown: ``points`` at the scheme's precision, ``lines`` as wrapped lines of text."""


@attrs.frozen
class Column:
    label: str
    kind: ColumnKind = "text"


Cell = Any  # Decimal | int | str | tuple[str, ...] (lines) | None (empty)


@attrs.frozen
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


@attrs.frozen
class Section:
    """One ranking table of the bulletin: a group, or a pool of groups ranked together."""

    name: str
    heading: str  # the line under the title: which groups, how many units, the scheme
    table: Table
    grade_counts: tuple[tuple[str, int], ...]  # grade → units, in the scheme's grade order


@attrs.frozen
class Bulletin:
    title: str
    sections: tuple[Section, ...]
    summary: Table  # 汇总: grade counts per group
    notes: Table  # 说明: source document, deployment overrides, notes of the run
    detail: Table  # 明细: the trail of every unit
    decimals: int  # places the scheme's precision keeps

    @property
    def summary_name(self) -> str:
        return _("Summary")

    @property
    def notes_name(self) -> str:
        return _("Notes")

    @property
    def detail_name(self) -> str:
        return _("Detail")


def build_bulletin(
    result: RunResult,
    scheme: Scheme,
    *,
    title: str | None = None,
    year: int | None = None,
    deployment: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    changes: Sequence[str] = (),
) -> Bulletin:
    """The bulletin of one run. ``title`` names the publishing body (else ``deployment``, the county's name
    from kaoping.toml, else the scheme); ``year`` is the year evaluated (else the scheme's ``year``);
    ``changes`` lists what a corrected revision changed since the published one (its notes show them)."""
    names = _Names(scheme)
    sections = tuple(_section(result, scheme, names, pool, units) for pool, units in result.ranking_sections().items())
    return Bulletin(
        title=_title(scheme, title or deployment, year if year is not None else scheme.year),
        sections=sections,
        summary=_summary(result, scheme, names),
        notes=_notes(result, scheme, deployment, overrides or {}, changes),
        detail=_detail(result, scheme, names),
        decimals=decimal_places(scheme.precision),
    )


def decimal_places(precision: Decimal) -> int:
    """``0.01`` → 2, ``0.5`` → 1, ``1`` → 0: the places a number format needs to show every score."""
    exponent = precision.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _title(scheme: Scheme, name: str | None, year: int | None) -> str:
    if name:
        if year is not None:
            return _("{year} evaluation results of {name}").format(year=year, name=name)
        return _("Evaluation results of {name}").format(name=name)
    if year is not None:
        return _("{year} evaluation results under {scheme}").format(year=year, scheme=scheme.name)
    return _("Evaluation results under {scheme}").format(scheme=scheme.name)


# ---------------------------------------------------------------------------------------------------------
# names


class _Names:
    """The scheme's Chinese name for every id a result carries; the id itself where the scheme has none."""

    def __init__(self, scheme: Scheme) -> None:
        self.groups = {g.id: g.name or g.id for g in scheme.groups}
        self.parts = {p.id: p.name or p.id for p in scheme.parts}
        self.vetoes = {v.id: v.name or v.id for v in scheme.vetoes}
        self.items = {
            **{c.id: c.name for c in scheme.caps},
            **{r.id: r.name for r in scheme.rules},
            **{i.id: i.name for i in scheme.indicators},
            **self.vetoes,
        }
        self.rule_kinds = {r.id: r.kind for r in scheme.rules}
        self.part_order = [p.id for p in scheme.parts]

    def group(self, group_id: str) -> str:
        return self.groups.get(group_id, group_id)

    def item(self, item_id: str) -> str:
        """An indicator's, rule's, cap's or veto area's name; the id where the scheme has none."""
        return self.items.get(item_id) or item_id

    def part(self, part_id: str | None) -> str:
        return _("(total)") if part_id is None else self.parts.get(part_id, part_id)


# ---------------------------------------------------------------------------------------------------------
# ranking sections


def _section(result: RunResult, scheme: Scheme, names: _Names, pool: str, units: list[UnitResult]) -> Section:
    order = {g.id: i for i, g in enumerate(scheme.groups)}
    groups = sorted(dict.fromkeys(u.group for u in units), key=lambda g: (order.get(g, len(order)), g))
    pooled = len(groups) > 1
    parts = _parts_of(units, names)
    # Groups ranked together may each have parts of their own (吉水: 「个性考评项目」 per 股室): more than
    # OWN_PARTS_SHOWN such parts share one column, so the table stays readable on one page wide.
    own = [p for p in parts if not all(p in u.parts for u in units)]
    if len(own) > OWN_PARTS_SHOWN:
        parts = [p for p in parts if p not in own]
    else:
        own = []
    adjusted = any(u.score.adjustments for u in units)
    labels = scheme.consequences.get("labels", {})
    columns = [
        Column(_("Rank"), "rank"),
        Column(_("Unit")),
        *([Column(_("Series"))] if pooled else []),
        Column(_("Total"), "points"),
        *(Column(names.part(p), "points") for p in parts),
        *([Column(_("Parts of its own series"), "points")] if own else []),
        *([Column(_("Adjustments outside parts"), "points")] if adjusted else []),
        Column(_("Grade")),
        Column(_("Veto"), "lines"),
        Column(_("Use of results"), "lines"),
    ]
    rows = []
    for unit in units:
        rows.append(
            (
                unit.rank,
                unit.name,
                *([names.group(unit.group)] if pooled else []),
                unit.total,
                *(unit.parts.get(p) for p in parts),
                *([sum((unit.parts[p] for p in own if p in unit.parts), Decimal(0))] if own else []),
                *([unit.score.adjustments] if adjusted else []),
                unit.grade,
                tuple(veto_text(v, names) for v in unit.read_vetoes()),
                consequence_lines(unit.read_consequences(), labels, names.item),
            )
        )
    group_names = [names.group(g) for g in groups]
    name = pool_name(group_names) if pooled else group_names[0]
    count = len(units)
    if pooled:
        heading = ngettext(
            "Ranked together: {groups} ({count} unit); scheme: {scheme}",
            "Ranked together: {groups} ({count} units); scheme: {scheme}",
            count,
        ).format(groups="、".join(group_names), count=count, scheme=scheme.name)
    else:
        heading = ngettext(
            "{name} ({count} unit); scheme: {scheme}", "{name} ({count} units); scheme: {scheme}", count
        ).format(name=name, count=count, scheme=scheme.name)
    return Section(name, heading, Table(tuple(columns), tuple(rows)), _grade_counts(scheme, units))


OWN_PARTS_SHOWN = 2


def pool_name(group_names: Sequence[str]) -> str:
    """A short name for groups ranked together: their names, or the first and how many when that is long."""
    joined = "、".join(group_names)
    if len(joined) <= 24:
        return joined
    return _("{first} and {count} series in all").format(first=group_names[0], count=len(group_names))


def _parts_of(units: list[UnitResult], names: _Names) -> list[str]:
    seen = {p for u in units for p in u.parts}
    order = {p: i for i, p in enumerate(names.part_order)}
    return sorted(seen, key=lambda p: (order.get(p, len(order)), p))


def _grade_counts(scheme: Scheme, units: list[UnitResult]) -> tuple[tuple[str, int], ...]:
    counts = dict.fromkeys(scheme.grading.grades, 0)
    for unit in units:
        if unit.grade:
            counts[unit.grade] = counts.get(unit.grade, 0) + 1
    if not any(u.grade for u in units):
        return ()  # a group the scheme ranks or grades no unit of: no distribution to draw
    ungraded = sum(1 for u in units if not u.grade)
    if ungraded:
        counts[_("Not graded")] = ungraded
    return tuple(counts.items())


# ---------------------------------------------------------------------------------------------------------
# vetoes and consequences in words


def veto_text(veto: Veto, names: _Names) -> str:
    """「计划生育（扣20分）」: the veto area's name and what the veto did.

    An area the scheme names only through its catch-all (``id = "*"``: 「省、市、县检查验收一票否决」) reads as
    the office wrote it in the vetoes table's note, else by the catch-all's name."""
    if veto.area in names.vetoes:
        area = names.vetoes[veto.area]
    else:
        area = veto.note or names.vetoes.get(ANY_AREA, veto.area)
    if veto.effect == "deduct" and veto.points is not None:
        effect = _("{points} points deducted").format(points=format_points(veto.points))
    elif veto.effect == "disqualify":
        effect = (
            _("may not be graded {grades}").format(grades="、".join(veto.grades))
            if veto.grades
            else _("disqualified from grades")
        )
    elif veto.effect == "force_grade" and veto.grade:
        effect = _("graded {grade}").format(grade=veto.grade)
    elif veto.effect == "promote" and veto.grade:
        effect = _("promoted to {grade}").format(grade=veto.grade)
    else:
        return area
    return _("{area} ({effect})").format(area=area, effect=effect)


def consequence_lines(
    consequences: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
    name_of: Callable[[str], str] = str,
) -> tuple[str, ...]:
    """「工作人员考核优秀比例：20%」, one line per consequence, in the order the scheme gives them.

    ``labels`` are the scheme's own names for its keys (``[consequences.labels]``); they come before
    :data:`kaoping.core.consequences.CONSEQUENCE_LABELS`, so a plugin names a key it introduces in its
    scheme file."""
    lines = []
    for key, value in consequences.items():
        if key in HIDDEN_KEYS:
            continue
        text = consequence_value(key, value, name_of, joiner="；")
        if text:
            label = consequence_label(key, labels)
            lines.append(_("{label}: {value}").format(label=label, value=text))
    return tuple(lines)


# ---------------------------------------------------------------------------------------------------------
# 汇总, 说明, 明细


def _summary(result: RunResult, scheme: Scheme, names: _Names) -> Table:
    groups = result.groups()
    order = {g.id: i for i, g in enumerate(scheme.groups)}
    grades = list(scheme.grading.grades)
    for unit in result.units:
        if unit.grade and unit.grade not in grades:
            grades.append(unit.grade)
    ungraded = any(not u.grade for u in result.units)
    columns = [
        Column(_("Series")),
        Column(_("Units"), "count"),
        *(Column(g, "count") for g in grades),
        *([Column(_("Not graded"), "count")] if ungraded else []),
        Column(_("Units with a veto"), "count"),
    ]
    rows = []
    totals = [0] * (len(columns) - 1)
    for group_id in sorted(groups, key=lambda g: (order.get(g, len(order)), g)):
        units = groups[group_id]
        counts = [
            len(units),
            *(sum(1 for u in units if u.grade == g) for g in grades),
            *([sum(1 for u in units if not u.grade)] if ungraded else []),
            sum(1 for u in units if u.read_vetoes()),
        ]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        label = names.group(group_id)
        pool = result.pools.get(group_id)
        if pool:
            label = _("{group} (ranked with its pool)").format(group=label)
        rows.append((label, *counts))
    rows.append((_("All"), *totals))
    return Table(tuple(columns), tuple(rows))


_ROUNDING_NAMES = {
    "half_up": N_("round half up"),
    "half_even": N_("round half to even"),
    "down": N_("truncate"),
    "up": N_("round away from zero"),
    "floor": N_("round down"),
    "ceiling": N_("round up"),
}


def _notes(
    result: RunResult,
    scheme: Scheme,
    deployment: str | None,
    overrides: Mapping[str, Any],
    changes: Sequence[str] = (),
) -> Table:
    rows: list[tuple[str, str]] = [(_("Scheme"), f"{scheme.name}（{scheme.id}）")]
    if changes:  # a corrected revision: what differs from the results already published, first
        rows.append((_("Changes since the published revision"), "\n".join(changes)))
    if scheme.locality:
        rows.append((_("Locality"), scheme.locality))
    # the section names the document; the file is the copy kept with kaoping's sources
    titles = [str(v) for k, v in scheme.source.items() if v and k != "file"]
    file = str(scheme.source.get("file", ""))
    source = "；".join(titles) + (f"（{file}）" if titles and file else file)
    if source:
        rows.append((_("Source document"), source))
    if not scheme.status.complete:
        missing = "；".join(scheme.status.missing)
        rows.append((_("Scheme status"), _("partial: {missing}").format(missing=missing)))
    rows.append(
        (
            _("Scores"),
            _("to {precision} points, {rounding}").format(
                precision=format_points(scheme.precision),
                rounding=_(_ROUNDING_NAMES.get(scheme.rounding, scheme.rounding)),
            ),
        )
    )
    if deployment:
        rows.append((_("Deployment"), deployment))
    lines = override_lines(overrides, scheme)
    rows.append((_("Deployment overrides"), "\n".join(lines) if lines else _("none: the scheme as published")))
    for note in result.notes:
        rows.append((_("Note"), note))
    for warning in result.warnings:
        rows.append((_("Warning"), warning))
    used = _plugins_used(result, scheme)
    if used:
        rows.append((_("Plugins that scored"), "\n".join(f"{n} {v}" for n, v in result.plugins.items() if n in used)))
    rows.append((_("Computed by"), f"kaoping {__version__}"))
    return Table((Column(_("Item")), Column(_("Content"), "lines")), tuple((k, tuple(v.split("\n"))) for k, v in rows))


def _plugins_used(result: RunResult, scheme: Scheme) -> set[str]:
    """The plugins whose entries, vetoes or scheme this result shows (not every plugin installed)."""
    used = {scheme.plugin} if scheme.plugin else set()
    for unit in explained(result.units):
        used.update(e.plugin for e in trail_entries(unit))
        used.update(v.plugin for v in unit.read_vetoes())
    return used


def override_lines(overrides: Mapping[str, Any], scheme: Scheme, prefix: str = "") -> list[str]:
    """``rules.暗访（unannounced_visit）.points = 3``: each value a deployment changed, with the scheme's name
    beside the id of the item it changes."""
    items = {
        "groups": {g.id: g.name for g in scheme.groups},
        "parts": {p.id: p.name for p in scheme.parts},
        "indicators": {i.id: i.name for i in scheme.indicators},
        "rules": {r.id: r.name for r in scheme.rules},
        "vetoes": {v.id: v.name for v in scheme.vetoes},
        "caps": {c.id: c.name for c in scheme.caps},
        "bands": {b.id: b.grade for b in scheme.grading.bands},
        "quotas": {q.id: q.grade for q in scheme.grading.quotas},
    }
    lines: list[str] = []
    for key, value in overrides.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            lines += override_lines(value, scheme, f"{path}.")
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) and "id" in v for v in value):
            for item in value:
                name = items.get(key, {}).get(str(item["id"]), "")
                label = f"{name}（{item['id']}）" if name else str(item["id"])
                rest = {k: v for k, v in item.items() if k != "id"}
                lines += override_lines(rest, scheme, f"{path}.{label}.")
        else:
            lines.append(f"{path} = {json.dumps(value, ensure_ascii=False, default=str)}")
    return lines


_KIND_NAMES = {
    "base": N_("Base points"),
    "indicator": N_("Indicator"),
    "veto": N_("Veto"),
    "cap": N_("Cap"),
    "floor": N_("Floor"),
    "overflow": N_("Excess taken from the total"),
    "adjustment": N_("Adjustment"),
}


def _kind_name(entry: TrailEntry, names: _Names) -> str:
    if entry.kind == "rule":
        kind = names.rule_kinds.get(entry.rule) or ("bonus" if entry.points >= 0 else "deduction")
        return _("Bonus") if kind == "bonus" else _("Deduction")
    return _(_KIND_NAMES[entry.kind]) if entry.kind in _KIND_NAMES else entry.kind


def _detail(result: RunResult, scheme: Scheme, names: _Names) -> Table:
    columns = (
        Column(_("Unit code")),
        Column(_("Unit")),
        Column(_("Series")),
        Column(_("Part")),
        Column(_("Kind")),
        Column(_("Rule or indicator")),
        Column(_("Points"), "points"),
        Column(_("Data")),
        Column(_("Note")),
    )
    rows = []
    for unit in explained(result.units):
        group = names.group(unit.group)
        for entry in trail_entries(unit):
            item = names.part(entry.part) if entry.kind == "base" else names.items.get(entry.rule, entry.label)
            rows.append(
                (
                    unit.unit,
                    unit.name,
                    group,
                    names.part(entry.part),
                    _kind_name(entry, names),
                    item,
                    entry.points,
                    _inputs_text(entry.inputs),
                    entry.note,
                )
            )
    return Table(columns, tuple(rows))


def _inputs_text(inputs: Mapping[str, Any]) -> str:
    return "，".join(f"{k}={_short(v)}" for k, v in inputs.items())


def _short(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, Mapping):
        return "{" + "，".join(f"{k}={_short(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + "，".join(_short(v) for v in value) + "]"
    return str(value)
