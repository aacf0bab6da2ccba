"""A self-contained static HTML report of a comparison: tables and inline SVG charts, no script.

Charts are drawn here as SVG text (no JavaScript, no CDN, no external font or stylesheet), so the file
opens offline, prints, and can be archived with the evaluation. Hover titles (``<title>``) give the
exact numbers behind every mark.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from html import escape as _escape
from typing import Any

from kaoping.compare.engine import Comparison, Pair
from kaoping.compare.perturb import UncertaintyResult
from kaoping.compare.report import _column_kinds, _names, side_by_side, tau_matrix_rows, transition_rows
from kaoping.core.labels import kind_label
from kaoping.core.numbers import format_points
from kaoping.io.safety import hide_machine_paths
from kaoping.locale import _, get_language

UP, DOWN, SAME = "#1a7f37", "#cf222e", "#8c959f"
GRADE_COLOURS = ("#1a7f37", "#8c959f", "#bf8700", "#cf222e")
PALETTE = ("#0969da", "#bf8700", "#8250df", "#1a7f37", "#cf222e", "#57606a")
FONT = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif"

STYLE = f"""
body {{ font-family: {FONT}; margin: 24px; color: #1f2328; background: #fff; }}
h1 {{ font-size: 22px; }} h2 {{ font-size: 18px; margin-top: 32px; border-bottom: 1px solid #d0d7de; }}
h3 {{ font-size: 15px; }}
table {{ border-collapse: collapse; font-size: 13px; margin: 8px 0; }}
th, td {{ border: 1px solid #d0d7de; padding: 3px 7px; }}
th {{ background: #f6f8fa; }} td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.up {{ color: {UP}; }} td.down {{ color: {DOWN}; }}
.gap {{ color: {DOWN}; }} .note {{ color: #57606a; font-size: 13px; }}
figure {{ margin: 12px 0; }} figcaption {{ font-size: 13px; color: #57606a; }}
svg text {{ font-family: {FONT}; }}
"""


def escape(text: str) -> str:
    """HTML-escaped text with no absolute path of the machine in it (messages may carry file names)."""
    return _escape(hide_machine_paths(str(text)))


def _t(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format_points(value)
    return str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], classes: Sequence[Sequence[str]] = ()) -> str:
    out = ["<table><thead><tr>", *(f"<th>{escape(str(h))}</th>" for h in header), "</tr></thead><tbody>"]
    for index, row in enumerate(rows):
        out.append("<tr>")
        for column, value in enumerate(row):
            css = classes[index][column] if classes else ""
            if not css and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                css = "n"
            attr = f' class="{css}"' if css else ""
            out.append(f"<td{attr}>{escape(_t(value))}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _svg(width: float, height: float, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(label)}">' + "".join(body) + "</svg>"
    )


def text_width(text: str, size: float) -> float:
    """A generous estimate of the drawn width of ``text`` at font ``size`` (px): a Chinese character is one
    em, a Latin letter or digit at most 0.62 em. Charts place labels and size themselves with it, so a long
    name or legend is never cut (the browser test measures the real boxes)."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.62 for c in text)


def _stack(wanted: list[float], spacing: float) -> list[float]:
    """Label positions as close to ``wanted`` (sorted) as possible, at least ``spacing`` apart."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, placed[-1] + spacing) if placed else y)
    return placed


LABEL = 11  # font size of chart labels
PLOT_W = 270.0  # width of one histogram's plot area
LINE = 17  # the least distance between two labels' baselines (a CJK font's line box is ~1.5 em)


def slope_chart(pair: Pair, comparison: Comparison, group: str) -> str:
    """Baseline rank on the left, the other variant's rank on the right, one line per unit.

    Units with the same ranks on both sides draw the same line: it is drawn once, its hover title naming
    them all. Names at one rank (ties) are stacked, never drawn over each other, with a short leader to
    their point; the margins are as wide as the longest label, so no name is cut.
    """
    index = comparison.labels.index(pair.other)
    members = []
    for row in comparison.rows:
        if row.group != group:
            continue
        base_cell, other_cell = row.cells[0], row.cells[index]
        if base_cell is None or other_cell is None or base_cell.rank is None or other_cell.rank is None:
            continue
        members.append((row, base_cell.rank, other_cell.rank))
    if not members:
        return ""
    worst = max(max(a, b) for _, a, b in members)
    step = 18 if worst <= 60 else max(1080 / worst, 6)
    top, gap = 40, 260
    label_all = worst <= 60
    order = {g: i for i, g in enumerate(pair.grades)}

    def y_of(rank: int) -> float:
        return top + step * (rank - 1)

    lines: dict[tuple[int, int], list] = {}
    for row, a, b in members:
        lines.setdefault((a, b), []).append(row)
    left_labels, right_labels = [], []
    for row, a, b in sorted(members, key=lambda m: (m[1], m[0].name)):
        before, after = row.cells[0], row.cells[index]
        assert before is not None and after is not None
        if label_all or a != b or before.grade != after.grade:
            left_labels.append((y_of(a), f"{a}. {row.name} {before.grade}", ""))
    for row, a, b in sorted(members, key=lambda m: (m[2], m[0].name)):
        before, after = row.cells[0], row.cells[index]
        assert before is not None and after is not None
        if label_all or a != b or before.grade != after.grade:
            style = ""
            if before.grade != after.grade:
                better = order.get(after.grade, 99) < order.get(before.grade, 99)
                style = f' font-weight="bold" fill="{UP if better else DOWN}"'
            right_labels.append((y_of(b), f"{b}. {row.name} {after.grade}", style))
    widest_left = max((text_width(t, LABEL) for _, t, _ in left_labels), default=0)
    widest_right = max((text_width(t, LABEL) * (1.1 if s else 1) for _, t, s in right_labels), default=0)
    heading = max(text_width(pair.base, 13), text_width(pair.other, 13)) * 1.1 / 2
    left = max(widest_left + 24, heading + 10, 60)
    right = max(widest_right + 24, heading + 10, 60)
    width = left + gap + right
    left_y = _stack([y for y, _, _ in left_labels], LINE)
    right_y = _stack([y for y, _, _ in right_labels], LINE)
    height = max([y_of(worst), *left_y, *right_y]) + 30
    body = [
        f'<text class="heading" x="{left:.0f}" y="20" text-anchor="middle" font-size="13" font-weight="bold">'
        f"{escape(pair.base)}</text>",
        f'<text class="heading" x="{left + gap:.0f}" y="20" text-anchor="middle" font-size="13" '
        f'font-weight="bold">{escape(pair.other)}</text>',
        f'<line x1="{left:.0f}" y1="{top - 8}" x2="{left:.0f}" y2="{height - 20:.0f}" stroke="#d0d7de"/>',
        f'<line x1="{left + gap:.0f}" y1="{top - 8}" x2="{left + gap:.0f}" y2="{height - 20:.0f}" stroke="#d0d7de"/>',
    ]
    for (a, b), rows in sorted(lines.items(), key=lambda item: (abs(item[0][0] - item[0][1]), item[0])):
        y1, y2 = y_of(a), y_of(b)
        colour = UP if b < a else DOWN if b > a else SAME
        tips = []
        for row in rows:
            before, after = row.cells[0], row.cells[index]
            assert before is not None and after is not None
            tips.append(
                _("{name} ({unit}): rank {before} → {after}, grade {grade_before} → {grade_after}").format(
                    name=row.name, unit=row.unit, before=a, after=b, grade_before=before.grade, grade_after=after.grade
                )
            )
        weight = (2 if a != b else 1) + min(len(rows) - 1, 4)
        body.append(
            f'<g class="slope" data-units="{len(rows)}"><title>{escape(chr(10).join(tips))}</title>'
            f'<line x1="{left:.0f}" y1="{y1:.1f}" x2="{left + gap:.0f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{weight}"/>'
            f'<circle cx="{left:.0f}" cy="{y1:.1f}" r="3" fill="{colour}"/>'
            f'<circle cx="{left + gap:.0f}" cy="{y2:.1f}" r="3" fill="{colour}"/></g>'
        )
    for (y, text, _style), placed in zip(left_labels, left_y, strict=True):
        body.append(_leader(left - 4, y, left - 10, placed))
        body.append(
            f'<text class="label" x="{left - 12:.0f}" y="{placed + 4:.1f}" text-anchor="end" font-size="{LABEL}">'
            f"{escape(text)}</text>"
        )
    for (y, text, style), placed in zip(right_labels, right_y, strict=True):
        body.append(_leader(left + gap + 4, y, left + gap + 10, placed))
        body.append(
            f'<text class="label" x="{left + gap + 12:.0f}" y="{placed + 4:.1f}" font-size="{LABEL}"{style}>'
            f"{escape(text)}</text>"
        )
    label = _("rank shifts {base} to {other}, group {group}").format(
        base=pair.base, other=pair.other, group=_names(comparison).group(group)
    )
    return _svg(width, height, body, label)


def _leader(x1: float, y1: float, x2: float, y2: float) -> str:
    """A short line from a point to its label, drawn only when the label moved off the point's height."""
    if abs(y1 - y2) < 0.5:
        return ""
    return f'<line x1="{x1:.0f}" y1="{y1:.1f}" x2="{x2:.0f}" y2="{y2:.1f}" stroke="#8c959f" stroke-width="0.8"/>'


def grade_cutoffs(variant: Any) -> list[tuple[float, str]]:
    """Where grades change on the total: the scheme's band thresholds (``优秀 ≥ 90``); for grades given by
    quota, the lowest total that reached each grade in this run (``优秀 from 835.5``)."""
    bands = variant.scheme.grading.bands
    found: dict[tuple[float, str], None] = {}
    for band in bands:
        for value, symbol in ((band.at_least, "≥"), (band.above, ">"), (band.at_most, "≤"), (band.below, "<")):
            if value is not None:
                found[(float(value), f"{band.grade} {symbol} {format_points(value)}")] = None
    if not found and variant.result is not None:
        grades = variant.scheme.grading.grades
        for grade in grades[:-1]:
            totals = [u.total for u in variant.result.units if u.rank is not None and u.grade == grade]
            if totals:
                low = min(totals)
                found[(float(low), f"{grade} ≥ {format_points(low)}")] = None
    return sorted(found)


def distribution_chart(comparison: Comparison) -> str:
    """A histogram of totals per variant, each on its own scale (schemes may have different full marks),
    with both axes labelled and the grade cut-offs drawn as dashed lines."""
    panels = []
    for variant in comparison.variants:
        if variant.result is None:
            continue
        totals = [float(u.total) for u in variant.result.units if u.rank is not None]
        if totals:
            panels.append((variant, totals))
    if not panels:
        return ""
    bins, panel_h, plot_w = 12, 250, PLOT_W
    x_title, y_title = _("total score"), _("units")
    body: list[str] = []
    x0 = 10.0
    for number, (variant, totals) in enumerate(panels):
        title = f"{variant.label} (n={len(totals)})"
        cutoffs = [(v, t) for v, t in grade_cutoffs(variant)]
        low, high = min([*totals, *(v for v, _t in cutoffs)]), max([*totals, *(v for v, _t in cutoffs)])
        if high == low:
            high = low + 1
        panel_w = max(PLOT_W + 60, text_width(title, 13) * 1.1 + 20)
        size = (high - low) / bins
        counts = [0] * bins
        for total in totals:
            counts[min(int((total - low) / size), bins - 1)] += 1
        peak = max(counts)
        colour = PALETTE[number % len(PALETTE)]
        plot_x = x0 + 40
        top, base_y = 36 + LINE * _cutoff_rows(cutoffs, low, high, plot_w), panel_h - 40
        plot_h = base_y - top

        def x_of(value: float, plot_x: float = plot_x, low: float = low, high: float = high) -> float:
            return plot_x + (value - low) / (high - low) * PLOT_W

        body.append(
            f'<text class="heading" x="{x0 + panel_w / 2:.0f}" y="16" text-anchor="middle" font-size="13" '
            f'font-weight="bold">{escape(title)}</text>'
        )
        for k, count in enumerate(counts):
            bar_h = plot_h * count / peak
            x = plot_x + k * plot_w / bins
            start, end = low + k * size, low + (k + 1) * size
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{base_y - bar_h:.1f}" width="{plot_w / bins - 2:.1f}" '
                f'height="{bar_h:.1f}" fill="{colour}"><title>{start:.2f}–{end:.2f}: {count} units</title></rect>'
            )
        for total in totals:
            x = x_of(total)
            body.append(
                f'<line x1="{x:.1f}" y1="{base_y + 4}" x2="{x:.1f}" y2="{base_y + 12}" stroke="{colour}" '
                f'stroke-opacity="0.6"/>'
            )
        for row, (value, text) in zip(_cutoff_layout(cutoffs, low, high, plot_w), cutoffs, strict=True):
            x = x_of(value)
            anchor = "end" if x - plot_x > plot_w / 2 else "start"
            body.append(
                f'<g class="cutoff"><line x1="{x:.1f}" y1="{top - 4 - LINE * row:.0f}" x2="{x:.1f}" y2="{base_y}" '
                f'stroke="#1f2328" stroke-dasharray="4 3"/>'
                f'<text class="label" x="{x + (-3 if anchor == "end" else 3):.1f}" y="{top - 8 - LINE * row:.0f}" '
                f'font-size="{LABEL}" text-anchor="{anchor}">{escape(text)}</text></g>'
            )
        body.append(
            f'<line x1="{plot_x:.0f}" y1="{base_y}" x2="{plot_x + plot_w:.0f}" y2="{base_y}" stroke="#57606a"/>'
            f'<line x1="{plot_x:.0f}" y1="{top}" x2="{plot_x:.0f}" y2="{base_y}" stroke="#57606a"/>'
            f'<text class="label" x="{plot_x:.0f}" y="{base_y + 24}" font-size="{LABEL}">{low:.1f}</text>'
            f'<text class="label" x="{plot_x + plot_w:.0f}" y="{base_y + 24}" font-size="{LABEL}" '
            f'text-anchor="end">{high:.1f}</text>'
            f'<text class="label" x="{plot_x - 4:.0f}" y="{top + 4:.0f}" font-size="{LABEL}" text-anchor="end">'
            f"{peak}</text>"
            f'<text class="label" x="{plot_x - 4:.0f}" y="{base_y:.0f}" font-size="{LABEL}" text-anchor="end">0</text>'
            f'<text class="axis" x="{plot_x + plot_w / 2:.0f}" y="{base_y + 24}" font-size="{LABEL}" '
            f'text-anchor="middle">{escape(x_title)}</text>'
            f'<text class="axis" x="{x0 + 12:.0f}" y="{(top + base_y) / 2:.0f}" font-size="{LABEL}" '
            f'text-anchor="middle" transform="rotate(-90 {x0 + 12:.0f} {(top + base_y) / 2:.0f})">'
            f"{escape(y_title)}</text>"
        )
        x0 += panel_w + 20
    return _svg(x0, panel_h, body, _("score distributions"))


def _cutoff_layout(cutoffs: list[tuple[float, str]], low: float, high: float, plot_w: float) -> list[int]:
    """The row (0 nearest the plot) of each cut-off label, so that labels close together do not overlap."""
    rows: list[int] = []
    ends: list[float] = []  # per row, where its last label ends (in plot x)
    for value, text in cutoffs:
        x = (value - low) / (high - low) * plot_w
        width = text_width(text, LABEL) + 8
        span = (x - width, x) if x > plot_w / 2 else (x, x + width)
        row = next((r for r, end in enumerate(ends) if span[0] > end), len(ends))
        if row == len(ends):
            ends.append(span[1])
        else:
            ends[row] = span[1]
        rows.append(row)
    return rows


def _cutoff_rows(cutoffs: list[tuple[float, str]], low: float, high: float, plot_w: float) -> int:
    return max(_cutoff_layout(cutoffs, low, high, plot_w), default=-1) + 1


def uncertainty_chart(result: UncertaintyResult, group: str) -> str:
    """Per unit its 5–95 % rank band, median (dot) and unperturbed rank (cross)."""
    units = sorted((u for u in result.units if u.group == group and u.rank is not None), key=lambda u: u.rank or 0)
    if not units:
        return ""
    worst = max(max(u.p95 or 0, u.rank or 0) for u in units)
    row_h, plot_w = 18, 420
    left = max(max(text_width(u.name, LABEL) for u in units) + 16, 60)
    height = 40 + row_h * len(units)
    first, last = (escape(_("rank {rank}").format(rank=rank)) for rank in (1, worst))
    body = [
        f'<text class="label" x="{left:.0f}" y="16" font-size="12">{first}</text>'
        f'<text class="label" x="{left + plot_w:.0f}" y="16" font-size="12" text-anchor="end">{last}</text>'
    ]

    def x(rank: float) -> float:
        return left + (rank - 1) / max(worst - 1, 1) * plot_w

    for number, u in enumerate(units):
        y = 32 + number * row_h
        tip = escape(
            f"{u.name}: rank {u.rank}, median {u.median_rank:g}, 5–95% {u.p05}–{u.p95}, "
            + ", ".join(f"P({g}) {p:.3f}" for g, p in u.grade_probability.items())
        )
        body.append(
            f'<g class="band"><title>{tip}</title>'
            f'<text class="label" x="{left - 8:.0f}" y="{y + 4}" font-size="{LABEL}" text-anchor="end">'
            f"{escape(u.name)}</text>"
            f'<line x1="{x(u.p05 or 1):.1f}" y1="{y}" x2="{x(u.p95 or 1):.1f}" y2="{y}" stroke="{PALETTE[0]}" '
            f'stroke-width="6" stroke-opacity="0.35" stroke-linecap="round"/>'
            f'<circle cx="{x(u.median_rank or 1):.1f}" cy="{y}" r="4" fill="{PALETTE[0]}"/>'
            f'<path d="M{x(u.rank or 1) - 4:.1f},{y - 4} l8,8 m0,-8 l-8,8" stroke="#1f2328" stroke-width="1.5"/>'
        )
        start = left + plot_w + 30.0
        for number_grade, grade in enumerate(result.grades):
            share = u.grade_probability.get(grade, 0.0)
            if share > 0:
                colour = GRADE_COLOURS[min(number_grade, len(GRADE_COLOURS) - 1)]
                body.append(
                    f'<rect class="odds" x="{start:.1f}" y="{y - 5}" width="{share * 120:.1f}" height="10" '
                    f'fill="{colour}"/>'
                )
                start += share * 120
        body.append("</g>")
    legend = left + plot_w + 30
    for number_grade, grade in enumerate(result.grades):
        colour = GRADE_COLOURS[min(number_grade, len(GRADE_COLOURS) - 1)]
        body.append(
            f'<rect x="{legend:.0f}" y="6" width="10" height="10" fill="{colour}"/>'
            f'<text class="legend" x="{legend + 13:.0f}" y="15" font-size="{LABEL}">{escape(grade)}</text>'
        )
        legend += 13 + text_width(grade, LABEL) + 12
    width = max(left + plot_w + 30 + 120, legend) + 10
    return _svg(width, height, body, _("rank uncertainty, group {group}").format(group=group))


def to_html(comparison: Comparison, title: str | None = None) -> str:
    labels = comparison.labels
    names = _names(comparison)
    title = title or _("kaoping: schemes compared")
    lang = "en" if get_language() == "en" else "zh-CN"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        "<ul>",
    ]
    for number, variant in enumerate(comparison.variants):
        role = _("baseline") if number == 0 else _("compared with the baseline")
        parts.append(
            f"<li><b>{escape(variant.label)}</b>: {escape(variant.scheme.name)} "
            f"(<code>{escape(variant.scheme.id)}</code>), {escape(role)}</li>"
        )
    parts.append("</ul>")
    gaps = [(v, g) for v in comparison.variants for g in v.gaps]
    if gaps:
        parts.append(f"<h2>{escape(_('What the schemes need and the data lacks'))}</h2><ul>")
        parts += [f'<li class="gap">{escape(str(g))}</li>' for _variant, g in gaps]
        lacking = _("Nothing listed here is scored as 0: the unit or scheme is left out.")
        parts.append(f"</ul><p class='note'>{escape(lacking)}</p>")
    notes = [n for v in comparison.variants for n in (*v.notes, *(v.result.notes if v.result else ()))]
    if notes:
        parts.append("<ul class='note'>" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>")

    parts.append(f"<h2>{escape(_('Score distributions'))}</h2><figure>")
    parts.append(distribution_chart(comparison))
    caption = _("Totals of ranked units, one panel per scheme (each on its own scale).")
    parts.append(f"<figcaption>{escape(caption)}</figcaption>")
    parts.append("</figure>")

    header, rows = tau_matrix_rows(comparison)
    if len(header) >= 4:
        parts.append(f"<h2>{escape(_('Rank agreement between every two variants'))}</h2>" + _table(header, rows))
    for pair in comparison.pairs:
        parts.append(f"<h2>{escape(pair.base)} → {escape(pair.other)}</h2>")
        groups = list(dict.fromkeys(r.group for r in comparison.rows))
        for group in groups:
            chart = slope_chart(pair, comparison, group)
            if chart:
                heading = _("Rank shifts, group {group}").format(group=names.group(group))
                parts.append(f"<h3>{escape(heading)}</h3><figure>{chart}</figure>")
        header, rows = transition_rows(pair)
        parts.append(f"<h3>{escape(_('Grade transitions'))}</h3>" + _table(header, rows))
        corr_rows = [
            [
                names.group(c.group),
                c.tau.n,
                _("n/a") if c.tau.value is None else f"{c.tau.value:.4f}",
                c.tau.concordant,
                c.tau.discordant,
                f"{c.tau.ties_x}/{c.tau.ties_y}/{c.tau.ties_both}",
                _("n/a") if c.spearman is None else f"{c.spearman:.4f}",
            ]
            for c in pair.correlations
        ]
        corr_header = [
            _("group"),
            "n",
            "Kendall tau-b",
            _("concordant"),
            _("discordant"),
            _("ties x/y/both"),
            "Spearman",
        ]
        parts.append(f"<h3>{escape(_('Rank correlation'))}</h3>" + _table(corr_header, corr_rows))
        heading = _("Units whose grade changes ({count})").format(count=len(pair.changes))
        parts.append(f"<h3>{escape(heading)}</h3>")
        for change in pair.changes:
            moves = _(
                "{grade_before} → {grade_after}; total {total_before} → {total_after}; rank {rank_before} → "
                "{rank_after}"
            ).format(
                grade_before=change.before.grade,
                grade_after=change.after.grade,
                total_before=_t(change.before.total),
                total_after=_t(change.after.total),
                rank_before=_t(change.before.rank),
                rank_after=_t(change.after.rank),
            )
            parts.append(
                f"<p><b>{escape(change.name)}</b> ({escape(change.unit)}, {escape(names.group(change.group))}): "
                f"{escape(moves)}<br>"
                f"<span class='note'>{escape(change.before.reason)} → {escape(change.after.reason)}</span></p>"
            )
            parts.append(f"<p class='note'>{escape(change.cause)}</p>")
            if change.channels:
                channel_rows = [
                    [c.channel, c.before, f"{_t(c.before_share)}%", c.after, f"{_t(c.after_share)}%"]
                    for c in change.channels
                ]
                share = _("share of full marks (%)")
                parts.append(_table([_("channel"), pair.base, share, pair.other, share], channel_rows))
            elif change.diffs:
                diff_rows = [
                    [kind_label(d.kind), d.label or d.rule, names.part(d.part), d.before, d.after, d.delta]
                    for d in change.diffs
                ]
                diff_header = [_("kind"), _("item"), _("part"), _("before"), _("after"), "Δ"]
                parts.append(_table(diff_header, diff_rows))

    for result in comparison.uncertainty:
        heading = _("Uncertainty of {variant} ({draws} draws, seed {seed})").format(
            variant=result.label, draws=result.draws, seed=result.seed
        )
        parts.append(f"<h2>{escape(heading)}</h2>")
        factor_rows = [[f.path, f"{f.base:g}", f"{f.low:g}", f"{f.high:g}"] for f in result.factors]
        parts.append(_table([_("parameter"), _("declared"), _("low"), _("high")], factor_rows))
        for note in (*result.approximations, *result.skipped):
            parts.append(f"<p class='note'>{escape(note)}</p>")
        for group in dict.fromkeys(u.group for u in result.units if u.rank is not None):
            heading = _("Rank bands, group {group}").format(group=names.group(group))
            parts.append(f"<h3>{escape(heading)}</h3><figure>{uncertainty_chart(result, group)}")
            caption = _(
                "Bar: 5th to 95th percentile of the draws; dot: median rank; cross: the unperturbed rank; "
                "right: the probability of each grade."
            )
            parts.append(f"<figcaption>{escape(caption)}</figcaption></figure>")
        u_rows = [
            [names.group(u.group), u.unit, u.name, u.rank, u.grade, u.median_rank, u.p05, u.p95]
            + [f"{u.grade_probability[g]:.3f}" if u.grade_probability else "" for g in result.grades]
            for u in result.units
        ]
        u_header = [
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
        parts.append(_table(u_header, u_rows))

    header, rows = side_by_side(comparison)
    kinds = _column_kinds(comparison)
    classes = []
    for row in rows:
        css = []
        for kind, value in zip(kinds, row, strict=True):
            if kind == "shift" and isinstance(value, int) and value:
                css.append("n up" if value > 0 else "n down")
            else:
                css.append("n" if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else "")
        classes.append(css)
    shown = [
        [(f"+{v}" if isinstance(v, int) and kind == "shift" and v > 0 else v) for kind, v in zip(kinds, r, strict=True)]
        for r in rows
    ]
    heading = _("Units side by side ({variants})").format(variants=", ".join(labels))
    parts.append(f"<h2>{escape(heading)}</h2>")
    parts.append(_table(header, shown, classes))
    footer = _("Generated by kaoping compare. Ranks are within each group.")
    parts.append(f"<p class='note'>{escape(footer)}</p></body></html>")
    return "\n".join(parts) + "\n"
