"""Outputs of a comparison: terminal tables, JSON (stable, exact decimals), XLSX.

Every output says the same things in the same order: the variants and what each lacks, the units side
by side with rank shifts, per pair the grade transition matrix, Kendall's tau-b and Spearman's rho,
the units whose grade changes with the trail entries that made the difference, and, when perturbed,
each unit's median rank, 5–95 % rank band and grade probabilities.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from kaoping.compare.engine import Comparison, Pair, UnitRow
from kaoping.compare.perturb import UncertaintyResult
from kaoping.core.labels import kind_label
from kaoping.core.numbers import format_points, json_number
from kaoping.core.results import Names
from kaoping.io.terminal import render_table, wrap_lines
from kaoping.io.workbooks import append_row, save_workbook
from kaoping.locale import _


def _num(value: Decimal | None) -> str:
    return "" if value is None else format_points(value)


def _signed(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    text = format_points(Decimal(value))
    return text if text.startswith("-") or text == "0" else f"+{text}"


def _ratio(value: float | None) -> str:
    return _("n/a") if value is None else f"{value:.4f}"


def _names(comparison: Comparison) -> Names:
    """The baseline scheme's names: groups of the side-by-side rows are the baseline's."""
    return comparison.variants[0].scheme.names() if comparison.variants else Names()


def side_by_side(comparison: Comparison) -> tuple[list[str], list[list[Any]]]:
    """One row per unit: per variant total, rank, grade; then the rank shift of each reform."""
    labels = comparison.labels
    names = _names(comparison)
    header = [_("group"), _("unit id"), _("unit")]
    for label in labels:
        header += [
            _("{variant} total").format(variant=label),
            _("{variant} rank").format(variant=label),
            _("{variant} grade").format(variant=label),
        ]
    header += [_("shift {variant}").format(variant=label) for label in labels[1:]]
    rows = []
    for row in comparison.rows:
        line: list[Any] = [names.group(row.group), row.unit, row.name]
        for cell in row.cells:
            line += [None, None, "—"] if cell is None else [cell.total, cell.rank, cell.grade]
        line += [row.shift(i) for i in range(1, len(labels))]
        rows.append(line)
    return header, rows


def _column_kinds(comparison: Comparison) -> list[str]:
    """What each side-by-side column holds: text, a number (total, rank) or a signed rank shift."""
    count = len(comparison.labels)
    return ["text"] * 3 + ["number", "number", "text"] * count + ["shift"] * (count - 1)


def transition_rows(pair: Pair) -> tuple[list[str], list[list[Any]]]:
    header = [f"{pair.base} \\ {pair.other}", *pair.grades, _("total")]
    rows: list[list[Any]] = []
    for before in pair.grades:
        counts = [pair.transitions.get((before, after), 0) for after in pair.grades]
        rows.append([before, *counts, sum(counts)])
    rows.append([_("total"), *(sum(pair.transitions.get((b, a), 0) for b in pair.grades) for a in pair.grades)])
    rows[-1].append(sum(rows[-1][1:]))
    return header, rows


def to_terminal(comparison: Comparison) -> str:
    out: list[str] = []
    names = _names(comparison)
    variants = ", ".join(f"{v.label} = {v.scheme.name} ({v.scheme.id})" for v in comparison.variants)
    out.append(
        _("comparison: {variants}; baseline {baseline}").format(variants=variants, baseline=comparison.labels[0])
    )
    out += _gap_lines(comparison)
    header, rows = side_by_side(comparison)
    kinds = _column_kinds(comparison)
    numeric = {i for i, kind in enumerate(kinds) if kind != "text"}
    shown = [[_cell_text(kind, v) for kind, v in zip(kinds, row, strict=True)] for row in rows]
    out += ["", render_table(header, shown, numeric, keys=3)]  # group, unit and name head every block
    out += _matrix_lines(comparison)
    for pair in comparison.pairs:
        out += ["", _("{base} → {other}: grade transitions").format(base=pair.base, other=pair.other)]
        t_header, t_rows = transition_rows(pair)
        out.append(render_table(t_header, [[str(c) for c in r] for r in t_rows], set(range(1, len(t_header)))))
        out.append(_("rank correlation (tau-b: concordant, discordant, ties x/y/both):"))
        for c in pair.correlations:
            t = c.tau
            out.append(
                "  "
                + _(
                    "{group}: n={n} Kendall tau-b {tau} (C={concordant}, D={discordant}, ties {ties_x}/{ties_y}/"
                    "{ties_both}), Spearman {spearman}"
                ).format(
                    group=names.group(c.group),
                    n=t.n,
                    tau=_ratio(t.value),
                    concordant=t.concordant,
                    discordant=t.discordant,
                    ties_x=t.ties_x,
                    ties_y=t.ties_y,
                    ties_both=t.ties_both,
                    spearman=_ratio(c.spearman),
                )
            )
        out.append(_("grade changes: {count}").format(count=len(pair.changes)))
        for change in pair.changes:
            out.append(
                "  "
                + _(
                    "{unit} {name} [{group}]: {grade_before} → {grade_after} (total {total_before} → {total_after}, "
                    "rank {rank_before} → {rank_after})"
                ).format(
                    unit=change.unit,
                    name=change.name,
                    group=names.group(change.group),
                    grade_before=change.before.grade,
                    grade_after=change.after.grade,
                    total_before=_num(change.before.total),
                    total_after=_num(change.after.total),
                    rank_before=change.before.rank,
                    rank_after=change.after.rank,
                )
            )
            out.append(
                "    "
                + _("before: {before}; after: {after}").format(before=change.before.reason, after=change.after.reason)
            )
            out.append("    " + _("why: {cause}").format(cause=change.cause))
            for ch in change.channels:
                out.append(
                    "    "
                    + _(
                        "channel {channel}: {before} (share of full marks {before_share}%) → {after} ({after_share}%)"
                    ).format(
                        channel=ch.channel,
                        before=_num(ch.before),
                        before_share=_num(ch.before_share),
                        after=_num(ch.after),
                        after_share=_num(ch.after_share),
                    )
                )
            if change.channels:
                continue
            for diff in change.diffs[:8]:
                out.append(
                    "    "
                    + _("{kind} {label} ({part}): {before} → {after} ({delta})").format(
                        kind=kind_label(diff.kind),
                        label=diff.label or diff.rule,
                        part=names.part(diff.part) if diff.part else _("total"),
                        before=_num(diff.before),
                        after=_num(diff.after),
                        delta=_signed(diff.delta),
                    )
                )
            if len(change.diffs) > 8:
                out.append("    " + _("… {count} more entries differ").format(count=len(change.diffs) - 8))
    for result in comparison.uncertainty:
        out += ["", *uncertainty_lines(result, names)]
    return "\n".join(wrap_lines("\n".join(out).split("\n"))) + "\n"  # 100 columns, data text made safe


def tau_matrix_rows(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    matrix = comparison.tau_matrix()
    labels = [v.label for v in comparison.variants if v.result is not None]
    rows = []
    for a in labels:
        rows.append([a, *("1" if a == b else _ratio(matrix.get((a, b))) for b in labels)])
    return ["Kendall tau-b", *labels], rows


def _matrix_lines(comparison: Comparison) -> list[str]:
    header, rows = tau_matrix_rows(comparison)
    if len(header) < 4:
        return []  # two variants: the pair section below says it
    return [
        "",
        _("rank agreement between every two variants (Kendall tau-b on totals):"),
        render_table(header, rows),
    ]


def _cell_text(kind: str, value: Any) -> str:
    if value is None:
        return "—" if kind == "number" else ""
    if kind == "shift":
        return _signed(value)
    if isinstance(value, Decimal):
        return format_points(value)
    return str(value)


def _gap_lines(comparison: Comparison) -> list[str]:
    lines = []
    for variant in comparison.variants:
        if variant.result is None:
            lines.append(
                _("{variant}: not scored, the data lacks what the scheme needs:").format(variant=variant.label)
            )
        elif variant.gaps:
            lines.append(
                _("{variant}: units left out, the data lacks what the scheme needs for them:").format(
                    variant=variant.label
                )
            )
        elif variant.notes or variant.result.notes:
            lines.append(f"{variant.label}:")
        lines += [f"  - {gap}" for gap in variant.gaps]
        lines += ["  " + _("note: {note}").format(note=note) for note in variant.notes]
        if variant.result is not None:
            lines += ["  " + _("note: {note}").format(note=note) for note in variant.result.notes]
    return lines


def uncertainty_lines(result: UncertaintyResult, names: Names | None = None) -> list[str]:
    names = names or Names()
    seed = _("none") if result.seed is None else str(result.seed)
    lines = [
        _("uncertainty of {variant} ({scheme}): {draws} draws, seed {seed} ({seconds} s)").format(
            variant=result.label, scheme=result.scheme, draws=result.draws, seed=seed, seconds=f"{result.seconds:.2f}"
        )
    ]
    for factor in result.factors:
        lines.append(
            "  "
            + _("{path}: {base} drawn in [{low}, {high}]").format(
                path=factor.path, base=f"{factor.base:g}", low=f"{factor.low:g}", high=f"{factor.high:g}"
            )
        )
    lines += ["  " + _("approximate: {note}").format(note=note) for note in result.approximations]
    lines += ["  " + _("skipped: {note}").format(note=note) for note in result.skipped]
    header = [
        _("group"),
        _("unit id"),
        _("unit"),
        _("rank"),
        _("grade"),
        _("median rank"),
        "5%",
        "95%",
        *(f"P({g})" for g in result.grades),
    ]
    rows = []
    for u in result.units:
        probabilities = [f"{u.grade_probability.get(g, 0):.3f}" if u.grade_probability else "" for g in result.grades]
        rows.append(
            [
                names.group(u.group),
                u.unit,
                u.name,
                "" if u.rank is None else str(u.rank),
                u.grade,
                "" if u.median_rank is None else f"{u.median_rank:g}",
                "" if u.p05 is None else str(u.p05),
                "" if u.p95 is None else str(u.p95),
                *probabilities,
            ]
        )
    lines.append(render_table(header, rows, set(range(3, len(header))) - {4}))
    return lines


# ---------------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_number(value)
    return value


def _row_dict(row: UnitRow, labels: list[str]) -> dict[str, Any]:
    cells = {}
    for label, cell in zip(labels, row.cells, strict=True):
        cells[label] = (
            None
            if cell is None
            else {
                "total": _plain(cell.total),
                "rank": cell.rank,
                "grade": cell.grade,
                "grade_reason": cell.reason,
                "scheme_group": cell.group,
            }
        )
    return {
        "unit": row.unit,
        "name": row.name,
        "group": row.group,
        "schemes": cells,
        "rank_shift": {labels[i]: row.shift(i) for i in range(1, len(labels))},
    }


def _pair_dict(pair: Pair) -> dict[str, Any]:
    return {
        "baseline": pair.base,
        "other": pair.other,
        "grades": list(pair.grades),
        "transitions": [
            {"from": before, "to": after, "units": count}
            for (before, after), count in sorted(pair.transitions.items(), key=lambda kv: _grade_key(pair, kv[0]))
        ],
        "correlations": [
            {
                "group": c.group,
                "n": c.tau.n,
                "kendall_tau_b": c.tau.value,
                "concordant": c.tau.concordant,
                "discordant": c.tau.discordant,
                "ties_x": c.tau.ties_x,
                "ties_y": c.tau.ties_y,
                "ties_both": c.tau.ties_both,
                "spearman": c.spearman,
            }
            for c in pair.correlations
        ],
        "grade_changes": [
            {
                "unit": ch.unit,
                "name": ch.name,
                "group": ch.group,
                "from": ch.before.grade,
                "to": ch.after.grade,
                "total": [_plain(ch.before.total), _plain(ch.after.total)],
                "rank": [ch.before.rank, ch.after.rank],
                "reason": [ch.before.reason, ch.after.reason],
                "own_trail_unchanged": ch.own_trail_unchanged,
                "cause": ch.cause,
                "channels": [
                    {
                        "channel": c.channel,
                        "before": _plain(c.before),
                        "after": _plain(c.after),
                        "before_pct_of_full_marks": _plain(c.before_share),
                        "after_pct_of_full_marks": _plain(c.after_share),
                    }
                    for c in ch.channels
                ],
                "differences": [
                    {
                        "kind": d.kind,
                        "rule": d.rule,
                        "label": d.label,
                        "part": d.part,
                        "before": _plain(d.before),
                        "after": _plain(d.after),
                        "delta": _plain(d.delta),
                    }
                    for d in ch.diffs
                ],
            }
            for ch in pair.changes
        ],
    }


def _grade_key(pair: Pair, key: tuple[str, str]) -> tuple[int, int]:
    position = {g: i for i, g in enumerate(pair.grades)}
    return position.get(key[0], 99), position.get(key[1], 99)


def uncertainty_dict(result: UncertaintyResult) -> dict[str, Any]:
    return {
        "variant": result.label,
        "scheme": result.scheme,
        "draws": result.draws,
        "seed": result.seed,
        "factors": [
            {"path": f.path, "value": f.base, "low": f.low, "high": f.high, "kind": f.kind} for f in result.factors
        ],
        "approximations": list(result.approximations),
        "skipped": list(result.skipped),
        "units": [
            {
                "unit": u.unit,
                "name": u.name,
                "group": u.group,
                "rank": u.rank,
                "grade": u.grade,
                "median_rank": u.median_rank,
                "rank_p05": u.p05,
                "rank_p95": u.p95,
                "grade_probability": dict(u.grade_probability),
            }
            for u in result.units
        ],
    }


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    labels = comparison.labels
    return {
        "baseline": labels[0],
        "variants": [
            {
                "label": v.label,
                "scheme": v.scheme.id,
                "scheme_name": v.scheme.name,
                "scored": v.result is not None,
                "excluded_units": list(v.excluded),
                "gaps": [
                    {
                        "item": g.item,
                        "channel": g.channel,
                        "unit": g.unit or None,
                        "units": list(g.units),
                        "reason": g.reason,
                    }
                    for g in v.gaps
                ],
                "notes": [*v.notes, *(v.result.notes if v.result else [])],
            }
            for v in comparison.variants
        ],
        "units": [_row_dict(row, labels) for row in comparison.rows],
        "pairs": [_pair_dict(pair) for pair in comparison.pairs],
        "kendall_tau_b_matrix": [
            {"a": a, "b": b, "kendall_tau_b": value} for (a, b), value in comparison.tau_matrix().items() if a < b
        ],
        "uncertainty": [uncertainty_dict(u) for u in comparison.uncertainty],
    }


def to_json(comparison: Comparison) -> str:
    return json.dumps(comparison_dict(comparison), ensure_ascii=False, indent=2) + "\n"


def write_xlsx(comparison: Comparison, path: Path) -> None:
    """Sheets: side by side, transitions, correlations, grade changes, gaps, and uncertainty if drawn."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)

    def sheet(name: str, header: list[str], rows: list[list[Any]]) -> None:
        ws = workbook.create_sheet(name[:31])
        append_row(ws, header)
        for row in rows:
            append_row(ws, row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"

    names = _names(comparison)
    header, rows = side_by_side(comparison)
    sheet(_("side by side"), header, rows)
    transitions: list[list[Any]] = []
    correlations: list[list[Any]] = []
    changes: list[list[Any]] = []
    for pair in comparison.pairs:
        t_header, t_rows = transition_rows(pair)
        transitions += [[f"{pair.base} → {pair.other}"], t_header, *t_rows, []]
        for c in pair.correlations:
            t = c.tau
            correlations.append(
                [
                    pair.base,
                    pair.other,
                    names.group(c.group),
                    t.n,
                    t.value,
                    t.concordant,
                    t.discordant,
                    t.ties_x,
                    t.ties_y,
                    t.ties_both,
                    c.spearman,
                ]
            )
        for ch in pair.changes:
            diffs = "; ".join(f"{d.rule} {_signed(d.delta)}" for d in ch.diffs)
            if ch.channels:
                diffs = "; ".join(f"{c.channel} {_num(c.before_share)}% → {_num(c.after_share)}%" for c in ch.channels)
            changes.append(
                [
                    pair.other,
                    names.group(ch.group),
                    ch.unit,
                    ch.name,
                    ch.before.grade,
                    ch.after.grade,
                    ch.before.total,
                    ch.after.total,
                    ch.before.rank,
                    ch.after.rank,
                    ch.before.reason,
                    ch.after.reason,
                    diffs,
                ]
            )
    sheet(_("grade transitions"), [_("grade transitions")], transitions)
    sheet(
        _("correlations"),
        [
            _("baseline"),
            _("compared"),
            _("group"),
            "n",
            "Kendall tau-b",
            _("concordant"),
            _("discordant"),
            _("ties x"),
            _("ties y"),
            _("ties both"),
            "Spearman",
        ],
        correlations,
    )
    sheet(
        _("grade changes"),
        [
            _("compared"),
            _("group"),
            _("unit id"),
            _("unit"),
            _("grade before"),
            _("grade after"),
            _("total before"),
            _("total after"),
            _("rank before"),
            _("rank after"),
            _("grade reason before"),
            _("grade reason after"),
            _("differences"),
        ],
        changes,
    )
    sheet(
        _("gaps"),
        [_("variant"), _("scheme"), _("unit"), _("item"), _("channel"), _("reason")],
        [
            [v.label, v.scheme.id, g.unit or ", ".join(g.units), g.item, g.channel, g.reason]
            for v in comparison.variants
            for g in v.gaps
        ],
    )
    for result in comparison.uncertainty:
        u_header = [_("group"), _("unit id"), _("unit"), _("rank"), _("grade"), _("median rank"), "P05", "P95"]
        u_header += [f"P({g})" for g in result.grades]
        sheet(
            _("uncertainty {variant}").format(variant=result.label),
            u_header,
            [
                [names.group(u.group), u.unit, u.name, u.rank, u.grade, u.median_rank, u.p05, u.p95]
                + [u.grade_probability.get(g) for g in result.grades]
                for u in result.units
            ],
        )
    save_workbook(workbook, path)
