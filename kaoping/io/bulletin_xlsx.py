"""The 通报 as an Excel workbook an office prints as is: one sheet per group, 汇总, 说明, 明细.

Written with XlsxWriter (why: ``docs/xlsx-writer.md``): the same result gives the same bytes (the creation
date is fixed, XlsxWriter stamps its zip entries with a fixed date), and it sets everything printing needs —
A4 landscape, one page wide, repeated title rows, 第N页 共M页 footers. Text from the data is written as
strings, never as formulas; text that starts like a formula carries ``quote_prefix`` so Excel keeps it
text even when a clerk edits the cell.
"""

from __future__ import annotations

import datetime
import functools
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kaoping.core.numbers import json_number
from kaoping.io.bulletin import Bulletin, Column, Table
from kaoping.io.report import display_width as _display_width
from kaoping.io.safety import starts_like_formula, xlsx_text
from kaoping.locale import _

# A fixed creation date: reruns give identical bytes (the date a workbook shows is the one it was scored on
# only by accident; the 说明 sheet says what it was computed from).
CREATED = datetime.datetime(2000, 1, 1)

SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
FONT = "宋体"
TITLE_FONT = "黑体"
TITLE_SCALE = 1.6  # the 16-point bold title is this much wider than 11-point text
LINE_HEIGHT = 16.0  # points per line of 11-point text: CJK fonts (Noto, 宋体, 等线) need more than Latin ones
MAX_TEXT_WIDTH = 40  # wider text wraps
LINES_WIDTH = 44  # 一票否决 / 结果运用 / 说明: wrapped at this width
HEADER_WIDTH_MAX = 12  # a longer header wraps rather than widening its column…
NUMBER_HEADER_WIDTH_MAX = 8  # … and a part's name over a column of scores wraps sooner (four CJK characters a line)


@functools.lru_cache(maxsize=1 << 16)
def display_width(text: str) -> int:
    """Columns ``text`` takes, CJK counting two; cached, since names and notes repeat on every row."""
    return len(text) if text.isascii() else _display_width(text)


def sheet_names(wanted: list[str], reserved: tuple[str, ...] = ()) -> list[str]:
    """Excel-valid, unique sheet names: forbidden characters replaced, at most 31 characters, no leading or
    trailing apostrophe, unique ignoring case (a clash gets ``(2)``, ``(3)``…)."""
    taken = {r.casefold() for r in reserved}
    names = []
    for name in wanted:
        cleaned = "".join("_" if c in SHEET_NAME_FORBIDDEN else c for c in xlsx_text(name)).strip().strip("'")
        cleaned = cleaned[:SHEET_NAME_LIMIT] or "_"
        candidate, number = cleaned, 1
        while candidate.casefold() in taken or candidate.casefold() == "history":
            number += 1
            suffix = f"({number})"
            candidate = cleaned[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        taken.add(candidate.casefold())
        names.append(candidate)
    return names


def write_bulletin_xlsx(bulletin: Bulletin, path: Path) -> None:
    """Write the workbook to ``path`` (callers pass a temp file, see ``write_atomic``)."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,  # rows go to disk as they are written: a large 明细 sheet stays small in memory
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties({"title": xlsx_text(bulletin.title), "created": CREATED, "author": "kaoping"})
    styles = _Styles(workbook, bulletin.decimals)
    fixed = (bulletin.summary_name, bulletin.notes_name, bulletin.detail_name)
    names = sheet_names([s.name for s in bulletin.sections], reserved=fixed)
    for name, section in zip(names, bulletin.sections, strict=True):
        _table_sheet(workbook.add_worksheet(name), styles, bulletin.title, section.heading, section.table, freeze=2)
    _table_sheet(
        workbook.add_worksheet(bulletin.summary_name),
        styles,
        bulletin.title,
        _("Grades by series"),
        bulletin.summary,
        freeze=1,
    )
    _table_sheet(
        workbook.add_worksheet(bulletin.notes_name),
        styles,
        bulletin.title,
        _("How these results were computed"),
        bulletin.notes,
        freeze=0,
        filter=False,
        portrait=True,
    )
    _table_sheet(
        workbook.add_worksheet(bulletin.detail_name),
        styles,
        bulletin.title,
        _("Every score, rule by rule"),
        bulletin.detail,
        freeze=2,
    )
    workbook.close()


class _Styles:
    """The workbook's formats, made once (XlsxWriter keeps every format it is given)."""

    def __init__(self, workbook: xlsxwriter.Workbook, decimals: int) -> None:
        base: dict[str, object] = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "border": 1}
        self.title = workbook.add_format(
            {"font_name": TITLE_FONT, "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}
        )
        self.heading = workbook.add_format({"font_name": FONT, "font_size": 11, "align": "center", "valign": "vcenter"})
        self.header = workbook.add_format(
            {**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#D9E1F2"}
        )
        number = "0." + "0" * decimals if decimals else "0"
        self.formats: dict[tuple[str, bool], Format] = {}
        kinds: dict[str, dict[str, object]] = {
            "rank": {"align": "center", "num_format": "0"},
            "count": {"align": "center", "num_format": "0"},
            "points": {"align": "right", "indent": 1, "num_format": number},
            "text": {"align": "left", "indent": 1},
            "lines": {"align": "left", "indent": 1, "text_wrap": True},
        }
        for kind, extra in kinds.items():
            for quoted in (False, True):
                self.formats[kind, quoted] = workbook.add_format(
                    {**base, **extra, **({"quote_prefix": True} if quoted else {})}
                )

    def cell(self, kind: str, quoted: bool = False) -> Format:
        return self.formats[kind, quoted]


def _table_sheet(
    sheet: Worksheet,
    styles: _Styles,
    title: str,
    heading: str,
    table: Table,
    *,
    freeze: int,
    filter: bool = True,
    portrait: bool = False,
) -> None:
    """Title, heading, header row and rows; widths, wrapping heights, frozen header, filter, print set-up."""
    last_col = len(table.columns) - 1
    header_row = 2
    _write_text_merged(sheet, 0, last_col, title, styles.title)
    sheet.set_row(0, 30)
    _write_text_merged(sheet, 1, last_col, heading, styles.heading)
    sheet.set_row(1, 20)
    widths = [_column_width(column, [row[i] for row in table.rows]) for i, column in enumerate(table.columns)]
    widths = _wide_enough_for(widths, title, heading)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    header_lines = max(_line_count(c.label, widths[i]) for i, c in enumerate(table.columns))
    sheet.set_row(header_row, LINE_HEIGHT * header_lines + 4)
    for col, column in enumerate(table.columns):
        _write_text(sheet, header_row, col, column.label, styles.header, styles.header)
    for index, row in enumerate(table.rows):
        row_number = header_row + 1 + index
        lines = max(_line_count(_shown(value), widths[col]) for col, value in enumerate(row))
        sheet.set_row(row_number, LINE_HEIGHT * lines + 6)  # before the cells: rows are streamed out in order
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            _write_value(sheet, row_number, col, column, value, styles)
    last_row = header_row + len(table.rows)
    sheet.freeze_panes(header_row + 1, freeze)
    if filter and table.rows:
        sheet.autofilter(header_row, 0, last_row, last_col)
    sheet.set_paper(9)  # A4
    if portrait:
        sheet.set_portrait()
    else:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, header_row)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&C" + _("Page {page} of {pages}").format(page="&P", pages="&N"))


def _write_text_merged(sheet: Worksheet, row: int, last_col: int, text: str, style: Format) -> None:
    clean = xlsx_text(text)
    if last_col > 0:
        sheet.merge_range(row, 0, row, last_col, "", style)
    sheet.write_string(row, 0, clean, style)


def _write_text(sheet: Worksheet, row: int, col: int, text: str, style: Format, quoted_style: Format) -> None:
    clean = xlsx_text(text)
    sheet.write_string(row, col, clean, quoted_style if starts_like_formula(clean) else style)


def _write_value(sheet: Worksheet, row: int, col: int, column: Column, value: Any, styles: _Styles) -> None:
    """Numbers as number cells in the column's format, text as text (wrapped past :data:`MAX_TEXT_WIDTH`)."""
    kind = column.kind
    if value is None or value == "" or value == ():
        sheet.write_blank(row, col, None, styles.cell(kind))
    elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        number = json_number(value) if isinstance(value, Decimal) else value
        sheet.write_number(row, col, number, styles.cell(kind))
    else:
        text = _shown(value)
        wrap = "lines" if kind == "lines" or display_width(text) > MAX_TEXT_WIDTH else kind
        _write_text(sheet, row, col, text, styles.cell(wrap), styles.cell(wrap, quoted=True))


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "\n".join(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value)


def _column_width(column: Column, values: list[Any]) -> float:
    """Characters wide, CJK counting two: the widest value (wrapped text up to a limit), the header up to
    :data:`HEADER_WIDTH_MAX` unless the values are wider (a longer header wraps, CJK between any two
    characters)."""
    widest = max((display_width(line) for v in values for line in _shown(v).split("\n")), default=0)
    limit = LINES_WIDTH if column.kind == "lines" else MAX_TEXT_WIDTH
    header_max = NUMBER_HEADER_WIDTH_MAX if column.kind in ("points", "count", "rank") else HEADER_WIDTH_MAX
    header_fit = min(display_width(column.label), header_max)
    return min(max(widest, header_fit, 4), limit) + 3


def _wide_enough_for(widths: list[float], title: str, heading: str) -> list[float]:
    """Widen a narrow table's columns alike until its merged title and heading rows fit: a printer prints
    only the columns a sheet uses, so a title wider than the table would be cut."""
    needed = max(display_width(title) * TITLE_SCALE, display_width(heading)) + 4
    total = sum(widths)
    if total >= needed:
        return widths
    return [round(w * needed / total, 2) for w in widths]


def _line_count(text: str, width: float) -> int:
    usable = max(width - 3, 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))
