"""Blank data templates an evaluation office hands to its data-collection units.

A template holds exactly what ``validate`` accepts once the blanks are filled: the units table is the
scheme's roster, the values table one row per unit and indicator the unit is scored on (and per rating
level or channel where the method has them). Which indicators a unit is scored on comes from
:func:`kaoping.core.scoring.scores_indicator`, the same per-group test the validator and the scoring
engine use, so a template never asks for a row the checker would refuse. Optional indicators get no
pre-filled rows (a blank row would be an error); the 填表说明 sheet lists them and their groups.

Headers carry the Chinese label with the column id (``单位编码(unit)``), which the loader reads back; the
name columns beside codes (``单位名称(unit_name)``) are for people and skipped by the loader. Reference
tables list every indicator, rule and veto area with the quote it comes from.

Workbooks are written with XlsxWriter: dropdowns (data validation) for units, groups, indicators, rules,
levels, roles and areas, long lists on a hidden ``lists`` sheet, frozen headers, widths fitted to CJK
text, and a 填表说明 sheet. CSV files are UTF-8 with BOM, which Excel opens correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from kaoping.core import progress
from kaoping.core.columns import INFO_COLUMNS, TABLE_LABELS, TABLES
from kaoping.core.errors import InputError, Problem
from kaoping.core.methods import MethodRegistry
from kaoping.core.numbers import format_points
from kaoping.core.scheme import Indicator, Rule, Scheme
from kaoping.core.scoring import scores_indicator
from kaoping.io.outputs import check_output, is_stdout, write_output
from kaoping.io.safety import csv_cell, xlsx_text
from kaoping.io.terminal import display_width
from kaoping.locale import N_, _

BLANK_ROWS = 500  # rows of the event-like sheets that carry dropdowns, ready to fill
MAX_WIDTH = 60
LISTS_SHEET = "lists"
BOOL_CHOICES = ("是", "否")
CLOSED_LISTS = frozenset({"units", "groups", "indicators", "rules", "areas"})  # the checker accepts nothing else
FIXED_TIME = datetime(2000, 1, 1)


@attrs.frozen
class TemplateColumn:
    """A column of a template sheet; ``choices`` names a dropdown list, ``read`` is False for name columns."""

    header: str
    choices: str = ""
    read: bool = True
    doc: str = ""
    required: bool = False
    names_from: str = ""  # a name column: the sheet (table id) whose first two columns map codes to names


@attrs.frozen
class TemplateSheet:
    name: str  # the table id: the CSV file name and the id in the sheet name
    title: str  # Chinese label
    columns: tuple[TemplateColumn, ...]
    rows: tuple[tuple[Any, ...], ...]
    data: bool = True  # read back by the loader (reference sheets are not)
    fill_rows: int = 0  # blank rows with dropdowns below the pre-filled ones

    @property
    def sheet_name(self) -> str:
        return f"{self.title}({self.name})" if self.title else self.name


@attrs.frozen
class Template:
    scheme: Scheme
    sheets: tuple[TemplateSheet, ...]
    lists: dict[str, tuple[str, ...]]
    # optional indicators, the groups scored on them, and what their method reads from a row
    optional: tuple[tuple[Indicator, tuple[str, ...], str], ...]

    def sheet(self, name: str) -> TemplateSheet:
        return next(s for s in self.sheets if s.name == name)


# ---------------------------------------------------------------------------------------------------------
# what a template holds


def _groups_scored(scheme: Scheme, item: Indicator | Rule) -> list[str]:
    """The groups whose units are scored on an indicator or rule (the validator's own test)."""
    scored = []
    for group in scheme.groups:
        parts = scheme.group_parts(group.id)
        applies = scores_indicator(scheme, group.id, item, parts) if isinstance(item, Indicator) else item.part in parts
        if applies:
            scored.append(group.id)
    return scored


def _groups_text(scheme: Scheme, groups: list[str]) -> str:
    return "" if len(groups) == len(scheme.groups) else " ".join(groups)


def _items(indicator: Indicator, methods: MethodRegistry | None) -> list[str]:
    """The items of the rows one unit needs, as the indicator's scoring method declares them."""
    found = methods.get(indicator.method) if methods is not None else None
    return found.row_items(indicator.params) if found is not None else [""]


def _column(table: str, column_id: str, choices: str = "") -> TemplateColumn:
    column = next(c for c in TABLES[table] if c.id == column_id)
    return TemplateColumn(column.header, choices, doc=column.doc, required=column.required)


NAMES_FROM = {"unit_name": "units", "indicator_name": "indicators_ref", "rule_name": "rules_ref"}


def _info(column_id: str) -> TemplateColumn:
    """A name column beside a code column (its left neighbour), for people; the loader skips it."""
    return TemplateColumn(f"{INFO_COLUMNS[column_id]}({column_id})", read=False, names_from=NAMES_FROM[column_id])


def _choices_by(scheme: Scheme, column: str) -> tuple[str, ...]:
    """Values of an event column that some rule prices (``points_by = "level"`` and its table's keys)."""
    found: dict[str, None] = {}
    for rule in scheme.rules:
        if rule.params.get("points_by") == column:
            found.update(dict.fromkeys(str(k) for k in rule.params.get("points_table") or {}))
    return tuple(found)


def build_template(scheme: Scheme, methods: MethodRegistry | None = None) -> Template:
    """The template of ``scheme``; ``methods`` (the host's registry) says which items value rows need."""
    roster = scheme.roster_units()
    unit_names = {entry.id: entry.name for _, entry in roster}
    indicators = {i.id: i for i in scheme.indicators}
    rules = {r.id: r for r in scheme.rules}
    lists: dict[str, tuple[str, ...]] = {
        "units": tuple(unit_names),
        "groups": tuple(g.id for g in scheme.groups),
        "indicators": tuple(indicators),
        "rules": tuple(rules),
        "areas": tuple(v.id for v in scheme.vetoes),
        "levels": _choices_by(scheme, "level"),
        "ranks": _choices_by(scheme, "rank"),
        "roles": tuple(dict.fromkeys(k for r in scheme.rules for k in (r.joint or {}))),
        # rating levels, channels and other items a method reads one value row each for
        "items": tuple(dict.fromkeys(item for i in scheme.indicators for item in _items(i, methods) if item)),
        "bool": BOOL_CHOICES,
    }
    units_rows = tuple((entry.id, entry.name, group.id) for group, entry in roster)
    values_rows = []
    for group, entry in roster:
        parts = scheme.group_parts(group.id)
        for indicator in scheme.indicators:
            if indicator.optional or not scores_indicator(scheme, group.id, indicator, parts):
                continue
            for item in _items(indicator, methods):
                values_rows.append((entry.id, entry.name, indicator.id, indicator.name, "", "", "", item, "", ""))
    optional = tuple(
        (i, tuple(_groups_scored(scheme, i)), method_doc(methods, i.method))
        for i in scheme.indicators
        if i.optional and _groups_scored(scheme, i)
    )

    def choice(name: str) -> str:
        return name if lists[name] or name == "units" else ""

    sheets = [
        TemplateSheet(
            "units",
            TABLE_LABELS["units"],
            (_column("units", "unit"), _column("units", "name"), _column("units", "group", choice("groups"))),
            units_rows,
            fill_rows=0 if units_rows else BLANK_ROWS,
        ),
        TemplateSheet(
            "values",
            TABLE_LABELS["values"],
            (
                _column("values", "unit", choice("units")),
                _info("unit_name"),
                _column("values", "indicator", choice("indicators")),
                _info("indicator_name"),
                *(_column("values", c) for c in ("value", "target", "baseline")),
                _column("values", "item", choice("items")),
                *(_column("values", c) for c in ("period", "note")),
            ),
            tuple(values_rows),
            fill_rows=BLANK_ROWS if optional or not units_rows else 0,
        ),
        TemplateSheet(
            "events",
            TABLE_LABELS["events"],
            (
                _column("events", "unit", choice("units")),
                _info("unit_name"),
                _column("events", "rule", choice("rules")),
                _info("rule_name"),
                _column("events", "count"),
                _column("events", "level", choice("levels")),
                _column("events", "rank", choice("ranks")),
                *(_column("events", c) for c in ("quantity", "points", "matter")),
                _column("events", "role", choice("roles")),
                _column("events", "self_reported", "bool"),
                _column("events", "date"),
                _column("events", "note"),
            ),
            (),
            fill_rows=BLANK_ROWS if rules else 0,
        ),
        TemplateSheet(
            "vetoes",
            TABLE_LABELS["vetoes"],
            (
                _column("vetoes", "unit", choice("units")),
                _info("unit_name"),
                _column("vetoes", "area", choice("areas")),
                _column("vetoes", "source"),
                _column("vetoes", "note"),
            ),
            (),
            fill_rows=BLANK_ROWS if scheme.vetoes else 0,
        ),
        TemplateSheet(
            "history",
            TABLE_LABELS["history"],
            (
                _column("history", "unit", choice("units")),
                _info("unit_name"),
                *(_column("history", c) for c in ("year", "total", "rank", "grade")),
            ),
            (),
            fill_rows=BLANK_ROWS,
        ),
        *_reference_sheets(scheme, methods),
    ]
    return Template(scheme, tuple(sheets), lists, optional)


def method_doc(methods: MethodRegistry | None, name: str) -> str:
    """What a scoring method reads from a value row (its doc), for the people filling it in."""
    found = methods.get(name) if methods is not None else None
    return found.doc if found is not None else ""


def _reference_sheets(scheme: Scheme, methods: MethodRegistry | None) -> list[TemplateSheet]:
    def columns(*headers: str) -> tuple[TemplateColumn, ...]:
        return tuple(TemplateColumn(h) for h in headers)

    return [
        TemplateSheet(
            "indicators_ref",
            "指标一览",
            columns(
                "指标编码(indicator)",
                "指标名称(name)",
                "所属部分(part)",
                "计分方法(method)",
                "分值(points)",
                "适用序列(groups)",
                "依据(quote)",
                "填法(how)",
            ),
            tuple(
                (
                    i.id,
                    i.name,
                    i.part,
                    i.method,
                    format_points(i.points),
                    _groups_text(scheme, _groups_scored(scheme, i)),
                    i.quote,
                    method_doc(methods, i.method),
                )
                for i in scheme.indicators
            ),
            data=False,
        ),
        TemplateSheet(
            "rules_ref",
            "加扣分规则一览",
            columns(
                "规则编码(rule)",
                "名称(name)",
                "加扣分(kind)",
                "所属部分(part)",
                "计分方法(method)",
                "参数(params)",
                "适用序列(groups)",
                "依据(quote)",
            ),
            tuple(
                (
                    r.id,
                    r.name,
                    r.kind,
                    r.part,
                    r.method,
                    _params(r.params),
                    _groups_text(scheme, _groups_scored(scheme, r)),
                    r.quote,
                )
                for r in scheme.rules
            ),
            data=False,
        ),
        TemplateSheet(
            "veto_areas_ref",
            "否决领域一览",
            columns("否决领域(area)", "名称(name)", "效果(effect)", "依据(quote)"),
            tuple((v.id, v.name, v.effect, v.quote) for v in scheme.vetoes),
            data=False,
        ),
    ]


def _params(params: Mapping[str, Any]) -> str:
    return "; ".join(f"{k}={format_points(v) if hasattr(v, 'quantize') else v}" for k, v in params.items())


def template_tables(
    scheme: Scheme, methods: MethodRegistry | None = None
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every sheet as (header, rows): the CSV files' content."""
    sheets = build_template(scheme, methods).sheets
    return {s.name: ([c.header for c in s.columns], [list(r) for r in s.rows]) for s in sheets}


# ---------------------------------------------------------------------------------------------------------
# instructions (填表说明)

INSTRUCTIONS_SHEET = N_("Instructions")
_STEPS = (
    N_("Fill in the yellow columns; do not rename sheets or headers (the program reads them)."),
    N_("Pick codes from the dropdowns; the name columns beside codes are for reading and are not read back."),
    N_("Every pre-filled row of the values sheet needs its value: a blank value is an error."),
    N_("Add one row to the events sheet per deduction or bonus matter, one row to the vetoes sheet per veto."),
    N_("When done, check the file: kaoping validate --scheme {scheme} --data FILE"),
    N_("Then score it: kaoping score --scheme {scheme} --data FILE --format xlsx -o result.xlsx"),
)


def instruction_rows(template: Template) -> list[tuple[str, str]]:
    """The 填表说明: what to fill, table by table and column by column, in the current language."""
    scheme = template.scheme
    rows: list[tuple[str, str]] = [
        (_("Scheme"), f"{scheme.name} ({scheme.id})"),
        (_("Source"), " ".join(str(v) for v in scheme.source.values())),
        ("", ""),
    ]
    for number, step in enumerate(_STEPS, start=1):
        rows.append((str(number), _(step).format(scheme=scheme.id)))
    rows.append(("", ""))
    for sheet in template.sheets:
        if not sheet.data:
            continue
        rows.append((sheet.sheet_name, ""))
        for column in sheet.columns:
            doc = _(column.doc) if column.doc else ""
            if not column.read:
                doc = _("for reading only; not read back")
            rows.append(("  " + column.header, doc))
    if template.optional:
        rows.append(("", ""))
        rows.append((_("Optional indicators"), _("add rows only for units that have the data")))
        for indicator, groups, how in template.optional:
            rows.append(
                (
                    f"  {indicator.name}({indicator.id})",
                    _("groups: {groups}").format(groups=" ".join(groups)) + (f"; {how}" if how else ""),
                )
            )
    return rows


# ---------------------------------------------------------------------------------------------------------
# writing


def template_files(
    scheme: Scheme, fmt: str = "csv", methods: MethodRegistry | None = None
) -> dict[str, Callable[[Path], None]]:
    """File name → a writer of that file: one workbook, or one CSV per sheet."""
    template = build_template(scheme, methods)
    if fmt == "xlsx":
        return {f"{scheme.id}.template.xlsx": lambda temp: write_workbook(template, temp)}
    files: dict[str, Callable[[Path], None]] = {}
    for sheet in template.sheets:
        data = _csv_bytes(sheet)
        files[f"{sheet.name}.csv"] = _bytes_writer(data)
    return files


def _bytes_writer(data: bytes) -> Callable[[Path], None]:
    """A writer of ``data``, bound now (a lambda in the loop would see only the last sheet's bytes)."""

    def write(temp: Path) -> None:
        temp.write_bytes(data)

    return write


def write_templates(
    scheme: Scheme,
    folder: Path | str,
    fmt: str = "csv",
    force: bool = False,
    methods: MethodRegistry | None = None,
) -> list[Path]:
    """Write the templates into ``folder``; return the paths written.

    Every target is checked before any is written: an existing file is replaced only with ``force``, and
    a file open in Excel is never touched. ``folder`` ``-`` writes the workbook to standard output.
    """
    files = template_files(scheme, fmt, methods)
    if is_stdout(folder):
        if len(files) != 1:
            raise InputError(_("-o - writes one file: use --format xlsx"))
        write_output("-", next(iter(files.values())))
        return []
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(Problem(_("-o names a file; give the folder to write the templates into"), file=str(folder)))
    targets = {folder / name: write for name, write in files.items()}
    for target in targets:
        check_output(target, overwrite=force)
    for target, write in targets.items():
        write_output(target, write, overwrite=force)
    return list(targets)


def _csv_bytes(sheet: TemplateSheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in sheet.columns])
    writer.writerows([csv_cell(str(v)) for v in row] for row in sheet.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _width(texts: Sequence[str]) -> int:
    return min(max((display_width(t) for t in texts), default=4) + 2, MAX_WIDTH)


def write_workbook(template: Template, path: Path) -> None:
    """The whole template as one workbook (the loader reads each data sheet by its table id)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"created": FIXED_TIME})  # the same scheme gives the same bytes
    styles = {
        "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "fill": workbook.add_format({"bg_color": "#FFF2CC", "border": 1}),  # the cells a clerk must fill
        "text": workbook.add_format({"num_format": "@"}),  # codes stay text: 001 is not 1
        "plain": workbook.add_format({}),
        "wrapped": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    list_ranges = _list_ranges(template.lists)
    if not template.lists["units"]:  # no roster: the units the office enters on the units sheet
        units = template.sheet("units")
        list_ranges["units"] = f"='{units.sheet_name[:31]}'!$A$2:$A${units.fill_rows + 1}"
    instructions = workbook.add_worksheet(_(INSTRUCTIONS_SHEET)[:31])
    _write_instructions(instructions, instruction_rows(template), styles["header"], styles["wrapped"])
    with progress.task(_("rows written"), sum(len(s.rows) for s in template.sheets)) as advance:
        for sheet in template.sheets:
            _write_sheet(workbook, sheet, list_ranges, styles, {t.name: t.sheet_name[:31] for t in template.sheets})
            advance(len(sheet.rows))
    _write_lists(workbook, template.lists)
    instructions.activate()
    workbook.close()


def _write_sheet(
    workbook: Any,
    sheet: TemplateSheet,
    list_ranges: dict[str, str],
    styles: dict[str, Any],
    sheet_names: dict[str, str],
) -> None:
    worksheet = workbook.add_worksheet(sheet.sheet_name[:31])
    if sheet.data:
        worksheet.set_tab_color("#1F4E79")
    last = len(sheet.rows) + sheet.fill_rows
    for col, column in enumerate(sheet.columns):
        cells = [column.header, *(str(r[col]) for r in sheet.rows)]
        editable = sheet.data and column.required and not any(str(r[col]) for r in sheet.rows)
        kind = "text" if column.choices or not column.read else "plain"
        worksheet.set_column(col, col, _width(cells), styles[kind])
        worksheet.write_string(0, col, xlsx_text(column.header), styles["header"])
        for row, values in enumerate(sheet.rows, start=1):
            worksheet.write_string(row, col, xlsx_text(str(values[col])), styles["fill"] if editable else None)
        if column.names_from and sheet.fill_rows:
            _name_formulas(worksheet, sheet, col, sheet_names[column.names_from], styles["plain"])
        if column.choices and last:
            worksheet.data_validation(
                1,
                col,
                last,
                col,
                {
                    "validate": "list",
                    "source": list_ranges[column.choices],
                    # a code the checker would refuse is stopped; a level or rank outside the list only warned
                    "error_type": "stop" if column.choices in CLOSED_LISTS else "warning",
                    "error_title": _("Not in the list"),
                    "error_message": _("Pick a value from the dropdown."),
                },
            )
    frozen_columns = 2 if sheet.data and len(sheet.columns) > 2 and not sheet.columns[1].read else 1
    worksheet.freeze_panes(1, frozen_columns)
    _print_setup(worksheet)
    if sheet.rows:
        worksheet.autofilter(0, 0, len(sheet.rows), len(sheet.columns) - 1)


def _name_formulas(worksheet: Any, sheet: TemplateSheet, col: int, source: str, style: Any) -> None:
    """In the rows left to fill, the name beside a code appears as soon as the code is picked (its cached
    value is empty, so the loader, which skips name columns anyway, sees a blank row as blank)."""
    code = _column_letter(col - 1)
    for row in range(len(sheet.rows) + 1, len(sheet.rows) + sheet.fill_rows + 1):
        formula = f"=IFERROR(VLOOKUP({code}{row + 1},'{source}'!$A:$B,2,FALSE),\"\")"
        worksheet.write_formula(row, col, formula, style, "")


def _list_ranges(lists: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Where each dropdown list lives on the hidden lists sheet (one column each)."""
    ranges = {}
    for col, (name, values) in enumerate(lists.items()):
        letter = _column_letter(col)
        ranges[name] = f"={LISTS_SHEET}!${letter}$2:${letter}${max(len(values), 1) + 1}"
    return ranges


def _write_lists(workbook: Any, lists: dict[str, tuple[str, ...]]) -> None:
    sheet = workbook.add_worksheet(LISTS_SHEET)
    for col, (name, values) in enumerate(lists.items()):
        sheet.write_string(0, col, name)
        for row, value in enumerate(values, start=1):
            sheet.write_string(row, col, xlsx_text(value))
    sheet.hide()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _write_instructions(sheet: Any, rows: list[tuple[str, str]], header: Any, wrapped: Any) -> None:
    sheet.set_column(0, 0, _width([r[0] for r in rows]))
    sheet.set_column(1, 1, MAX_WIDTH + 20, wrapped)
    for number, (key, value) in enumerate(rows):
        sheet.write_string(number, 0, xlsx_text(key), header if key and not key.startswith(" ") else None)
        sheet.write_string(number, 1, xlsx_text(value), wrapped)
        lines = -(-display_width(value) // (MAX_WIDTH + 16))  # spreadsheets do not size wrapped rows themselves
        if lines > 1:
            sheet.set_row(number, 15 * lines)
    _print_setup(sheet)


def _print_setup(sheet: Any) -> None:
    """A4 landscape, one page wide, the header row repeated: a sheet prints as a form to hand out."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
