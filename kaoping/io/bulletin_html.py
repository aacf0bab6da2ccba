"""The 通报 as one self-contained, print-ready HTML page: no script, no external file, every text escaped.

Each group's table follows its grade-distribution chart (inline SVG); printing gives A4 landscape pages,
a new page for each group, the table header repeated on every page and 第N页 共M页 at the foot.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from kaoping.io.bulletin import Bulletin, Column, Section, Table
from kaoping.io.report import display_width
from kaoping.locale import _, get_language

FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif'

CSS = """
body { font-family: %(fonts)s; font-size: 10.5pt; color: #111; margin: 16px; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4px; }
h2 { font-size: 13pt; margin: 0 0 2px; }
p.heading { margin: 0 0 8px; color: #333; }
section { margin-bottom: 28px; }
table { border-collapse: collapse; width: 100%%; }
th, td { border: 1px solid #555; padding: 3px 6px; vertical-align: middle; }
th { background: #d9e1f2; font-weight: bold; text-align: center; }
th.short, td.short { white-space: nowrap; }
td.rank, td.count { text-align: center; }
td.points { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.lines { min-width: 12em; }
td.lines div + div { margin-top: 2px; }
svg.chart { display: block; margin: 4px 0 10px; }
svg.chart text { font-family: %(fonts)s; font-size: 12px; fill: #111; }
svg.chart rect.bar { fill: #4472c4; }
@page { size: A4 landscape; margin: 12mm 10mm 14mm;
  @bottom-center { content: "%(footer)s"; font-size: 9pt; } }
@media print {
  body { margin: 0; font-size: 9pt; }
  h1 { font-size: 15pt; }
  h2 { font-size: 11pt; }
  th, td { padding: 2px 4px; }
  td.lines { font-size: 8pt; }
  section { break-before: page; margin: 0; }
  section:first-of-type { break-before: auto; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
"""

BAR_HEIGHT = 18
BAR_GAP = 6
CHART_WIDTH = 520
SHORT_HEADER = 8  # display width (CJK counting two) up to which a header stays on one line
SHORT_TEXT = 16  # … and a unit's or a grade's name


def to_html(bulletin: Bulletin) -> str:
    """The whole page as text (UTF-8)."""
    footer = _("Page {page} of {pages}").format(page='" counter(page) "', pages='" counter(pages) "')
    css = CSS % {"fonts": FONTS, "footer": footer}
    lang = "en" if get_language() == "en" else "zh-CN"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(bulletin.title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
    ]
    for index, section in enumerate(bulletin.sections):
        parts.append(_section(bulletin, section, index))
    parts.append(
        _plain_section(
            bulletin.title, bulletin.summary_name, _("Grades by series"), bulletin.summary, bulletin.decimals, "summary"
        )
    )
    parts.append(
        _plain_section(
            bulletin.title,
            bulletin.notes_name,
            _("How these results were computed"),
            bulletin.notes,
            bulletin.decimals,
            "notes",
        )
    )
    # The trail of every unit is long: it stays in the workbook and in explain, not on the page to publish.
    detail = _(
        "Every unit's scores, rule by rule: the {sheet} sheet of the workbook (score --format xlsx), "
        "or kaoping explain UNIT."
    )
    parts.append(f'<p class="heading">{escape(detail.format(sheet=bulletin.detail_name))}</p>')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _section(bulletin: Bulletin, section: Section, index: int) -> str:
    return "\n".join(
        [
            f'<section class="group" id="group-{index + 1}">',
            f"<h1>{escape(bulletin.title)}</h1>",
            f"<h2>{escape(section.name)}</h2>",
            f'<p class="heading">{escape(section.heading)}</p>',
            grade_chart(section.grade_counts, _("Grade distribution: {name}").format(name=section.name)),
            _table(section.table, bulletin.decimals),
            "</section>",
        ]
    )


def _plain_section(title: str, name: str, heading: str, table: Table, decimals: int, css_id: str) -> str:
    return "\n".join(
        [
            f'<section id="{css_id}">',
            f"<h1>{escape(title)}</h1>",
            f"<h2>{escape(name)}</h2>",
            f'<p class="heading">{escape(heading)}</p>',
            _table(table, decimals),
            "</section>",
        ]
    )


def _table(table: Table, decimals: int) -> str:
    header = "".join(f'<th scope="col"{_header_class(c)}>{escape(c.label)}</th>' for c in table.columns)
    rows = []
    for row in table.rows:
        cells = "".join(_cell(column, value, decimals) for column, value in zip(table.columns, row, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    return "\n".join(["<table>", f"<thead><tr>{header}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>"])


def _header_class(column: Column) -> str:
    """Short headers (名次, 总分) never break; a long part name wraps."""
    return ' class="short"' if display_width(column.label) <= SHORT_HEADER else ""


def _cell(column: Column, value: Any, decimals: int) -> str:
    kind = column.kind
    if value is None or value == "" or value == ():
        return f'<td class="{kind}"></td>'
    if isinstance(value, Decimal):
        return f'<td class="{kind}">{escape(format(value, f".{decimals}f"))}</td>'
    if isinstance(value, tuple):
        lines = "".join(f"<div>{escape(line)}</div>" for line in value)
        return f'<td class="lines">{lines}</td>'
    text = str(value)
    css: str = kind
    if kind == "text" and display_width(text) > 40:
        css = "lines"
    elif kind == "text" and display_width(text) <= SHORT_TEXT:
        css = "text short"
    return f'<td class="{css}">{escape(text)}</td>'


def grade_chart(counts: tuple[tuple[str, int], ...], label: str) -> str:
    """A horizontal bar per grade with its count: inline SVG a printer and every browser draw alike."""
    if not counts:
        return ""
    label_width = max(display_width(grade) for grade, _count in counts) * 7 + 16
    most = max((count for _grade, count in counts), default=0) or 1
    room = CHART_WIDTH - label_width - 40
    height = len(counts) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    shapes = []
    for index, (grade, count) in enumerate(counts):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        width = round(room * count / most)
        middle = y + BAR_HEIGHT / 2
        shapes.append(
            f'<text x="{label_width - 8}" y="{middle}" text-anchor="end" dominant-baseline="central">'
            f"{escape(grade)}</text>"
        )
        shapes.append(f'<rect class="bar" x="{label_width}" y="{y}" width="{width}" height="{BAR_HEIGHT}"/>')
        shapes.append(
            f'<text class="count" x="{label_width + width + 6}" y="{middle}" dominant-baseline="central">{count}</text>'
        )
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>" + "".join(shapes) + "</svg>"
    )
