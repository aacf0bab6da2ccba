"""Reading the canonical dataset from a folder, a workbook or a JSON file.

Chinese offices export CSV as UTF-8, UTF-8 with BOM, or GBK/GB18030; all are read. Every problem met
(an unreadable cell, a missing required column) is kept with its file, row and column and reported
together with the validation problems, so that one run lists everything to fix. What cannot be read at
all (a damaged workbook, malformed JSON, a file beyond the size limits of :mod:`kaoping.core.limits`)
stops the reading with one error naming the file. ``docs/hardening.md`` lists every check.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from kaoping.core import limits
from kaoping.core.columns import (
    IGNORED_HEADERS,
    TABLE_LABELS,
    TABLES,
    Column,
    column_lookup,
    header_candidates,
    is_info_header,
    machine_name,
)
from kaoping.core.errors import InputError, Problem
from kaoping.core.models import Dataset, EventRow, ExtraRow, HistoryRow, Unit, ValueRow, VetoRow, Where
from kaoping.core.numbers import float_as_shown, format_points, to_decimal, written_as_percent
from kaoping.io.workbooks import MB, open_workbook
from kaoping.locale import _

TABLE_ORDER = ("units", "values", "events", "vetoes", "history")
_TRUE = {"1", "true", "yes", "y", "是", "√", "t"}
_FALSE = {"", "0", "false", "no", "n", "否", "f"}


def decode_text(data: bytes, name: str) -> str:
    """Decode a CSV export: UTF-8 with or without BOM, else GB18030 (a superset of GBK and GB2312)."""
    marked = data.startswith(b"\xef\xbb\xbf")
    if marked:
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        not_utf8 = error.start
    if marked:  # the file says it is UTF-8: a GBK line in it is a mix, not a GBK file to guess at
        raise InputError(
            Problem(
                _(
                    "the file starts with a UTF-8 mark, but this line is not UTF-8 (byte {byte}): the file mixes "
                    "encodings; save it again as UTF-8"
                ).format(byte=not_utf8 + 3),
                file=name,
                row=_line_of(data, not_utf8),
            )
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise InputError(
            Problem(
                _(
                    "cannot decode as UTF-8 (from byte {byte}) or GB18030 (byte {byte2}): the file may mix encodings; "
                    "save it again as UTF-8"
                ).format(byte=not_utf8, byte2=error.start),
                file=name,
                row=_line_of(data, not_utf8),
            )
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    """The line (1 for the first) a byte offset is on, whichever line ends the file uses."""
    head = data[:offset]
    return head.count(b"\n") + head.replace(b"\r\n", b"\n").count(b"\r") + 1


def load_dataset(source: Path, columnar: bool = True) -> Dataset:
    """Read a data folder, an ``.xlsx`` workbook or a ``.json`` file into a :class:`Dataset`.

    A folder's ``values.csv`` is read straight into columns (:mod:`kaoping.io.csvvalues`) unless
    ``columnar`` is false (then row by row: the same dataset, problems and words, more slowly); so are the
    values of a workbook (:mod:`kaoping.io.xlsxvalues`), a Parquet file and a JSON file
    (:mod:`kaoping.io.jsonvalues`).

    Problems name files relative to the data folder (``values.csv``, ``data.xlsx[values]``), never a path
    of the machine the run happens on, so a message can be pasted into a ticket as it is.
    """
    source = Path(source)
    if not source.exists():
        raise InputError(Problem(_("no such file or folder"), file=str(source)))
    notices: list[str] = []
    if source.is_dir():
        raw = _read_folder(source, notices, columnar)
    elif source.suffix.lower() in {".xlsx", ".xlsm"}:
        raw = _read_workbook(source, source.name, notices, columnar)
    elif source.suffix.lower() == ".json":
        raw = _read_json_file(source, source.name, columnar)
    else:
        raise InputError(Problem(_("expected a data folder, an .xlsx workbook or a .json file"), file=str(source.name)))
    if "units" not in raw:
        raise InputError(
            Problem(_("no 'units' table (units.csv, units.xlsx, units.json or a 'units' sheet)"), file=source.name)
        )
    return attrs.evolve(build_dataset(raw, origin=str(source)), notices=tuple(notices))


RawRows = list[tuple[Where, dict[str, Any]]]
RawTables = dict[str, Any]  # table → (headers, rows), or the values table read into columns


def _read_folder(folder: Path, notices: list[str], columnar: bool = True) -> RawTables:
    tables: RawTables = {}
    for table in TABLE_ORDER:
        candidates = [folder / f"{table}.{ext}" for ext in ("csv", "xlsx", "json", "parquet")]
        present = [p for p in candidates if p.exists() or _broken_link(p)]
        if len(present) > 1:
            raise InputError(
                Problem(
                    _("table {table!r} is given twice: {files}").format(
                        table=table, files=", ".join(p.name for p in present)
                    ),
                    file=folder.name,
                )
            )
        if not present:
            continue
        path = present[0]
        if _broken_link(path):
            raise InputError(
                Problem(_("is a link that leads nowhere (or in a loop); the table cannot be read"), file=path.name)
            )
        if path.is_dir():
            raise InputError(
                Problem(_("is a folder; expected a file with the {table!r} table").format(table=table), file=path.name)
            )
        if path.suffix == ".csv" and table == "values" and columnar:
            from kaoping.io.csvvalues import read_values_csv

            tables[table] = read_values_csv(path, path.name)
        elif path.suffix == ".csv":
            tables[table] = _read_csv(path, path.name)
        elif path.suffix == ".xlsx":
            tables[table] = _read_table_workbook(path, table, notices, columnar and table == "values")
        elif path.suffix == ".parquet":
            from kaoping.io.parquet import read_parquet_table, read_parquet_values  # pyarrow only when read

            read = read_parquet_values if table == "values" and columnar else read_parquet_table
            tables[table] = read(path, path.name)
        else:
            tables[table] = _json_table(_parse_json(path, path.name), path.name, columnar and table == "values")
    return tables


def _broken_link(path: Path) -> bool:
    """A table's name that is a symbolic link to nothing: the table is there, but cannot be read.

    ``Path.exists`` follows the link and says no, so the table would be silently missing (no events
    deducted, every value "missing") instead of named.
    """
    return path.is_symlink() and not path.exists()


def _read_bytes(path: Path, name: str) -> bytes:
    """A CSV or JSON file's bytes, once its size is known to be within the limit."""
    check_size(path, name)
    return path.read_bytes()


def check_size(path: Path, name: str) -> None:
    """Refuse a file above the size limit, before reading it."""
    bound = limits.current()
    size = path.stat().st_size
    if size > bound.file_mb * MB:
        raise InputError(
            Problem(
                _("the file has {size} MB, above the limit of {limit} MB; {how}").format(
                    size=-(-size // MB), limit=bound.file_mb, how=bound.how_to_raise("file_mb")
                ),
                file=name,
            )
        )


def _read_csv(path: Path, name: str) -> tuple[list[str], RawRows]:
    text = decode_text(_read_bytes(path, name), name)
    bound = limits.current()
    # the file's size is bounded already; a long cell is reported by the cell limit, with its column
    csv.field_size_limit(min(max(bound.file_mb * MB, bound.cell_chars + 1), 2**31 - 1))
    # newline="": lines may end in CRLF (Windows), LF, or a lone CR (Excel for Mac's "CSV" export);
    # strict: a quote left open is an error, not the rest of the file swallowed into one cell
    reader, rows = nul_safe_reader(io.StringIO(text, newline=""))
    try:
        return _rows_from_grid(rows, name)
    except csv.Error as error:
        raise InputError(
            Problem(_("not a readable CSV table: {error}").format(error=error), file=name, row=reader.line_num)
        ) from None


# a noncharacter, never in an export: carries a NUL through Python 3.10's csv parser
_NUL_STAND_IN = "\ufdd0"


def nul_safe_reader(lines: Iterable[str]) -> tuple[Any, Iterator[list[str]]]:
    """A strict ``csv.reader`` over ``lines`` (its ``line_num`` names the row of an error) and its rows.

    Python 3.10's csv module stops at a NUL character ("line contains NUL") where 3.11 reads it as a
    character of its cell; on 3.10 a NUL travels through the parser as a noncharacter and is put back in
    the cells, so a file reads the same on every Python (and a NUL in a name is left out where an output
    format forbids it, ``kaoping.io.safety``).
    """
    if sys.version_info >= (3, 11):
        reader = csv.reader(lines, strict=True)
        return reader, reader
    reader = csv.reader((line.replace("\x00", _NUL_STAND_IN) for line in lines), strict=True)
    return reader, ([cell.replace(_NUL_STAND_IN, "\x00") for cell in row] for row in reader)


def _rows_from_grid(grid: Iterable[Iterable[Any]], name: str) -> tuple[list[str], RawRows]:
    bound = limits.current()
    iterator: Iterator[Iterable[Any]] = iter(grid)
    headers = first_headers(iterator)
    _check_cells(headers, headers, name, 1)
    rows: RawRows = []
    for number, cells in enumerate(iterator, start=2):
        if number > bound.rows + 1:
            raise rows_limit_error(name)
        record = grid_record(headers, cells, name, number, bound)
        if record is not None:
            rows.append((Where(name, number), record))
    return headers, rows


def first_headers(iterator: Iterator[Iterable[Any]]) -> list[str]:
    """The header row: the first row with a cell that is not blank (rows before it are skipped)."""
    headers: list[str] = []
    for header_row in iterator:
        headers = ["" if c is None else str(c).strip() for c in header_row]
        if any(headers):
            break
    return headers


def rows_limit_error(name: str) -> InputError:
    bound = limits.current()
    return InputError(
        Problem(
            _("the table has more than {limit} rows; {how}").format(limit=bound.rows, how=bound.how_to_raise("rows")),
            file=name,
        )
    )


def grid_record(
    headers: list[str], cells: Iterable[Any], name: str, number: int, bound: limits.Limits
) -> dict[str, Any] | None:
    """One row of a grid as header → cell; None for a blank row; an over-long cell, or a filled cell beyond
    the header, stops the reading (:func:`_check_cells`)."""
    values = ["" if c is None else c for c in cells]
    if not any(str(v).strip() for v in values):
        return None
    _check_cells(headers, values, name, number)
    return {headers[i]: values[i] for i in range(min(len(headers), len(values))) if headers[i]}


def _check_cells(headers: list[str], values: list[Any], name: str, number: int) -> None:
    """A row's cells are within the cell limit (the header's too), and none is filled beyond the header.

    A filled cell to the right of the last header belongs to no column: reading on would drop it without a
    word (a value typed one column too far, a row shifted by a stray comma).
    """
    bound = limits.current()
    for index, value in enumerate(values):
        column = headers[index] if index < len(headers) and headers[index] else str(index + 1)
        if isinstance(value, str) and len(value) > bound.cell_chars:
            raise InputError(
                Problem(
                    _("the cell has {size} characters, above the limit of {limit}; {how}").format(
                        size=len(value), limit=bound.cell_chars, how=bound.how_to_raise("cell_chars")
                    ),
                    file=name,
                    row=number,
                    column=column if len(column) <= 40 else column[:40] + "…",
                )
            )
        if index >= len(headers) and str(value).strip():
            raise InputError(
                Problem(
                    _(
                        "a cell beyond the last column of the header ({value!r}); remove it or give its column a header"
                    ).format(value=str(value)[:40]),
                    file=name,
                    row=number,
                    column=str(index + 1),
                )
            )


def _read_table_workbook(path: Path, table: str, notices: list[str], into_columns: bool = False) -> Any:
    """One table's workbook (``values.xlsx``): the sheet named after the table, else its only sheet;
    ``into_columns``: read into columns (the values table, :mod:`kaoping.io.xlsxvalues`)."""
    workbook = open_workbook(path, path.name)
    try:
        sheets = workbook.worksheets
        by_title = {sheet.title.strip().lower(): sheet for sheet in sheets}
        chosen = by_title.get(table)
        if chosen is None:
            visible = [sheet for sheet in sheets if sheet.sheet_state == "visible"]
            if len(sheets) != 1:
                raise InputError(
                    Problem(
                        _(
                            "the workbook has several sheets ({sheets}) and none is named {table!r}; "
                            "name the sheet to read {table!r}"
                        ).format(sheets=_sheet_list(sheets), table=table),
                        file=path.name,
                    )
                )
            chosen = visible[0] if visible else sheets[0]
        others = [sheet for sheet in sheets if sheet is not chosen]
        if others or chosen.sheet_state != "visible":
            notices.append(_read_sheet_notice(path.name, chosen, others))
        return _sheet_rows(chosen, f"{path.name}[{chosen.title}]", into_columns)
    finally:
        workbook.close()


def _sheet_list(sheets: list[Any]) -> str:
    return ", ".join(
        sheet.title if sheet.sheet_state == "visible" else _("{sheet} (hidden)").format(sheet=sheet.title)
        for sheet in sheets
    )


def _read_sheet_notice(name: str, chosen: Any, others: list[Any]) -> str:
    read = chosen.title if chosen.sheet_state == "visible" else _("{sheet} (hidden)").format(sheet=chosen.title)
    if not others:
        return _("{file}: read sheet {sheet}").format(file=name, sheet=read)
    return _("{file}: read sheet {sheet}; not read: {others}").format(file=name, sheet=read, others=_sheet_list(others))


def _sheet_rows(sheet: Any, name: str, into_columns: bool = False) -> Any:
    """A sheet's header and rows, or (``into_columns``: a values sheet) its values read into columns."""
    bound = limits.current()
    declared = getattr(sheet, "max_row", None)  # from the sheet's <dimension>, before any row is parsed
    if isinstance(declared, int) and declared > bound.rows + 1:
        raise InputError(
            Problem(
                _("the table has more than {limit} rows; {how}").format(
                    limit=bound.rows, how=bound.how_to_raise("rows")
                ),
                file=name,
            )
        )
    try:
        if into_columns:
            from kaoping.io.xlsxvalues import read_values_sheet

            return read_values_sheet(sheet, name)
        return _rows_from_grid(sheet.iter_rows(values_only=True), name)
    except InputError:
        raise
    except Exception as error:  # a damaged sheet part: the parser's error, said about the sheet
        raise InputError(Problem(_("cannot read the sheet: {error}").format(error=error), file=name)) from None


def _read_workbook(path: Path, name: str, notices: list[str], columnar: bool = True) -> RawTables:
    """A whole-dataset workbook: one sheet per table, named after it; other sheets are listed as unread."""
    workbook = open_workbook(path, name)
    try:
        tables = {}
        read = []
        by_title = {sheet.title: sheet for sheet in workbook.worksheets}
        for table in TABLE_ORDER:
            title = table_sheet(table, list(by_title))
            if title is not None:
                sheet = by_title[title]
                tables[table] = _sheet_rows(sheet, f"{name}[{sheet.title}]", columnar and table == "values")
                read.append(sheet)
        unread = [s for s in workbook.worksheets if s not in read and not s.title.strip().lower().endswith("_ref")]
        hidden = [s for s in read if s.sheet_state != "visible"]
        if unread or hidden:
            notices.append(
                _("{file}: read sheets {sheets}; not read: {others}").format(
                    file=name, sheets=_sheet_list(read), others=_sheet_list(unread) or "-"
                )
            )
        return {table: tables[table] for table in TABLE_ORDER if table in tables}
    finally:
        workbook.close()


def table_sheet(table: str, names: list[str]) -> str | None:
    """The sheet holding ``table``: named by its id, its Chinese label, or both (``指标数据(values)``)."""
    wanted = {table, TABLE_LABELS[table]}
    for name in names:
        if name.strip().lower() in wanted or any(c in wanted for c in header_candidates(name)):
            return name
    return None


def _parse_json(path: Path, name: str) -> Any:
    text = decode_text(_read_bytes(path, name), name)
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            Problem(_("not valid JSON: {error}").format(error=error), file=name, row=error.lineno)
        ) from None
    except (ValueError, RecursionError) as error:
        raise InputError(Problem(_("not valid JSON: {error}").format(error=error), file=name)) from None


def _refuse_constant(text: str) -> Any:
    raise ValueError(_("{text} is not a number (NaN and Infinity are not data)").format(text=text))


def _read_json_file(path: Path, name: str, columnar: bool = True) -> RawTables:
    data = _parse_json(path, name)
    if not isinstance(data, dict):
        raise InputError(Problem(_("expected an object with one list per table"), file=name))
    return {
        table: _json_table(data[table], f"{name}#{table}", columnar and table == "values")
        for table in TABLE_ORDER
        if table in data
    }


def _json_table(items: Any, name: str, into_columns: bool) -> Any:
    """A JSON table's header and rows, or (``into_columns``: the values) its values read into columns."""
    if into_columns:
        from kaoping.io.jsonvalues import read_values_records

        return read_values_records(items, name)
    return _json_rows(items, name)


def _json_rows(items: Any, name: str) -> tuple[list[str], RawRows]:
    headers = json_headers(items, name)
    return headers, [(Where(name, index), item) for index, item in enumerate(items, start=1)]


def json_headers(items: Any, name: str) -> list[str]:
    """A JSON table's headers (every key of its objects, sorted), once it is known to be a list of objects
    within the row limit, each text within the cell limit."""
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError(Problem(_("expected a list of objects"), file=name))
    bound = limits.current()
    if len(items) > bound.rows:
        raise InputError(
            Problem(
                _("the table has more than {limit} rows; {how}").format(
                    limit=bound.rows, how=bound.how_to_raise("rows")
                ),
                file=name,
            )
        )
    headers = sorted({k for item in items for k in item})
    for index, item in enumerate(items, start=1):
        for column, value in item.items():
            if isinstance(value, str) and len(value) > bound.cell_chars:
                raise InputError(
                    Problem(
                        _("the cell has {size} characters, above the limit of {limit}; {how}").format(
                            size=len(value), limit=bound.cell_chars, how=bound.how_to_raise("cell_chars")
                        ),
                        file=name,
                        row=index,
                        column=column,
                    )
                )
    return headers


def read_extra_table(source: Path, name: str, required: bool = True) -> tuple[ExtraRow, ...]:
    """A plugin's own table ``name`` from a data source, read like the canonical tables.

    ``name.csv`` / ``name.xlsx`` / ``name.json`` in a data folder (CSV in UTF-8, UTF-8 with BOM or GBK), the
    sheet ``name`` of a workbook, or the list ``name`` of a JSON file. Headers are keyed by their machine
    name (``编制人数(staff)`` → ``staff``). A missing table is an error naming the source unless
    ``required`` is false (then it is empty). Use it in a ``kaoping_load_dataset`` wrapper and store the rows
    in ``Dataset.extra`` (see docs/plugin-authoring.md).
    """
    grid: tuple[list[str], RawRows] | None = None
    notices: list[str] = []  # which sheet was read: the loader's business, not the plugin's
    if source.is_dir():
        present = [source / f"{name}.{ext}" for ext in ("csv", "xlsx", "json") if (source / f"{name}.{ext}").exists()]
        if len(present) > 1:
            raise InputError(
                Problem(
                    _("table {name!r} is given twice: {files}").format(
                        name=name, files=", ".join(p.name for p in present)
                    ),
                    file=source.name,
                )
            )
        if present:
            path = present[0]
            if path.suffix == ".csv":
                grid = _read_csv(path, path.name)
            elif path.suffix == ".xlsx":
                grid = _read_table_workbook(path, name, notices)
            else:
                grid = _json_rows(_parse_json(path, path.name), path.name)
    elif source.suffix.lower() in {".xlsx", ".xlsm"}:
        workbook = open_workbook(source, source.name)
        try:
            sheet = next((s for s in workbook.worksheets if s.title.strip() == name), None)
            if sheet is not None:
                grid = _sheet_rows(sheet, f"{source.name}[{sheet.title}]")
        finally:
            workbook.close()
    elif source.suffix.lower() == ".json":
        data = _parse_json(source, source.name)
        if isinstance(data, dict) and name in data:
            grid = _json_rows(data[name], f"{source.name}#{name}")
    if grid is None:
        if required:
            raise InputError(
                Problem(
                    _("no {name!r} table ({name}.csv, a {name!r} sheet or list)").format(name=name), file=source.name
                )
            )
        return ()
    return tuple(
        ExtraRow({machine_name(h): str(v).strip() for h, v in record.items() if h and v is not None}, where)
        for where, record in grid[1]
    )


# ---------------------------------------------------------------------------------------------------------


def build_dataset(raw: RawTables, origin: str = "") -> Dataset:
    """Parse raw records (header → cell) into typed rows, keeping every problem.

    The values table may come read into columns already (a ``ValueTable``); then ``Dataset.values`` is a
    view that builds its rows only if someone reads them. ``raw`` is consumed: each table's records are let
    go once parsed, and the parsed units once they are ``Unit`` objects (a million units' records would otherwise
    be held three times over at the peak of reading).
    """
    problems: list[Problem] = []
    parsed: dict[str, list[dict[str, Any]]] = {}
    rejected: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLE_ORDER}
    value_columns = None
    for table in TABLE_ORDER:
        if table not in raw:
            parsed[table] = []
            continue
        if not isinstance(raw[table], tuple):  # the values, read into columns
            problems.extend(raw[table].problems)
            rejected[table] = raw[table].rejected
            value_columns = raw[table].columns
            parsed[table] = []
            continue
        headers, rows = raw.pop(table)
        parsed[table] = _parse_table(table, headers, rows, problems, rejected[table])
        del rows
    problems.extend(_repeated_events(parsed["events"]))
    units = tuple(Unit(r["unit"], r["name"], r["group"], r.pop("_attributes"), r["_where"]) for r in parsed["units"])
    parsed["units"] = []
    values: Sequence[ValueRow] = tuple(ValueRow(**_fields(r, "values")) for r in parsed["values"])
    if value_columns is not None:
        from kaoping.core.columnar.values import ValueRowsView

        values = ValueRowsView(value_columns)
    events = tuple(
        EventRow(**_fields(r, "events", defaults={"count": 1, "self_reported": False})) for r in parsed["events"]
    )
    vetoes = tuple(VetoRow(**_fields(r, "vetoes")) for r in parsed["vetoes"])
    history = tuple(HistoryRow(**_fields(r, "history")) for r in parsed["history"])
    # a value row already reported as unreadable is not reported again as missing
    unreadable = frozenset((r.get("unit", ""), r.get("indicator", "")) for r in rejected["values"])
    return Dataset(
        units,
        values,
        events,
        vetoes,
        history,
        origin=origin,
        problems=tuple(problems),
        unreadable_values=unreadable,
        unreadable_units=frozenset(r["unit"] for r in rejected["units"] if r.get("unit")),
        percent_cells=value_columns.percent_cells() if value_columns is not None else _percent_cells(parsed["values"]),
    )


def _percent_cells(records: list[dict[str, Any]]) -> frozenset[tuple[str, str, str, str, str]]:
    """The value rows' cells written as a percentage, by the row's identity and the column.

    Kept beside the rows rather than on them: whether ``85%`` was right depends on the indicator's kind of
    value, which validation knows (:func:`kaoping.core.validate.percent_problems`).
    """
    return frozenset(
        (r["unit"], r["indicator"], r.get("item") or "", r.get("period") or "", column)
        for r in records
        for column in r.get("_percent", ())
    )


def _repeated_events(records: list[dict[str, Any]]) -> list[Problem]:
    """Event rows identical in every column and without a 次数 (count): an entry made twice, not two events.

    Scoring would count each row, so a copied row would be deducted (or credited) twice without a word.
    A row that says how many times (``count``) states its own number and is left alone.
    """
    identity = [column.id for column in TABLES["events"]]
    first: dict[tuple[Any, ...], Where] = {}
    problems = []
    for record in records:
        if "count" in record:
            continue
        key = tuple(record.get(column) for column in identity)
        where = record["_where"]
        if key in first:
            problems.append(
                Problem(
                    _(
                        "the same event as row {row} (unit {unit!r}, rule {rule!r}) is entered again: enter it once "
                        "with 次数 (count) set to how many times, or tell the rows apart (日期, 事项 or 备注)"
                    ).format(row=first[key].row, unit=record["unit"], rule=record["rule"]),
                    where.file,
                    where.row,
                    "rule",
                )
            )
        else:
            first[key] = where
    return problems


def _fields(record: dict[str, Any], table: str, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {"where": record["_where"]}
    for column in TABLES[table]:
        value = record.get(column.id)
        if value is None or value == "":
            if defaults and column.id in defaults:
                fields[column.id] = defaults[column.id]
            elif column.kind == "text":
                fields[column.id] = ""
            continue
        fields[column.id] = value
    return fields


def _parse_table(
    table: str, headers: list[str], rows: RawRows, problems: list[Problem], rejected: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Typed records of the rows that could be read; the others go to ``rejected`` (their problems listed)."""
    mapping, extra = table_columns(table, headers, rows[0][0].file if rows else table, bool(rows), problems)
    count_limit = limits.current().count
    parsed = []
    for where, record in rows:
        out, ok = parse_record(table, mapping, extra, where, record, problems, count_limit)
        if ok:
            parsed.append(out)
        else:
            rejected.append(out)
    return parsed


def table_columns(
    table: str, headers: list[str], name: str, has_rows: bool, problems: list[Problem]
) -> tuple[dict[str, Column], list[str]]:
    """Which column each header names (header → column) and the headers no column has; the table-wide
    problems (a required column missing, a column twice, an unknown column) go to ``problems``."""
    lookup = column_lookup(table)
    mapping: dict[str, Column] = {}
    extra: list[str] = []
    header_problems: list[Problem] = []  # reported after a missing column, which is usually their cause
    for header in headers:
        if not header or header.strip().lower() in IGNORED_HEADERS:
            continue
        column = next((lookup[c] for c in header_candidates(header) if c in lookup), None)
        if column is None and table != "units" and is_info_header(header):
            continue
        if column is None:
            extra.append(header)
        elif column in mapping.values():
            header_problems.append(
                Problem(_("column {column!r} appears twice").format(column=column.id), file=name, column=header)
            )
        else:
            mapping[header] = column
    if extra and table != "units":
        known = ", ".join(c.header for c in TABLES[table])
        for header in extra:
            header_problems.append(
                Problem(
                    _("unknown column in table {table!r} (expected: {known})").format(table=table, known=known),
                    file=name,
                    column=header,
                )
            )
    present = set(mapping.values())
    for column in TABLES[table]:
        if column.required and column not in present and has_rows:
            problems.append(
                Problem(
                    _("required column {header} is missing").format(header=column.header), file=name, column=column.id
                )
            )
    problems.extend(header_problems)
    return mapping, extra


def parse_record(
    table: str,
    mapping: dict[str, Column],
    extra: list[str],
    where: Where,
    record: dict[str, Any],
    problems: list[Problem],
    count_limit: int,
) -> tuple[dict[str, Any], bool]:
    """One record's typed fields, and whether it could be read (its problems go to ``problems``)."""
    out: dict[str, Any] = {"_where": where}
    ok = True
    for header, cell in record.items():
        column = mapping.get(header)
        if column is None:
            continue
        text = cell if not isinstance(cell, str) else cell.strip()
        if text == "" or text is None:
            if column.required:
                problems.append(_required_problem(column, where, header))
                ok = False
            continue
        try:
            out[column.id] = _parse_cell(column, text, count_limit)
            if column.ratio and written_as_percent(text):
                out.setdefault("_percent", []).append(column.id)
        except ValueError as error:
            problems.append(Problem(str(error), where.file, where.row, header))
            ok = False
            if column.id in ID_COLUMNS:  # the row is reported here, not again under the id it meant
                out[column.id] = visible_text(text)
    ok = _cells_present(mapping, record, where, problems) and ok
    if table == "units":
        attributes = {machine_name(h): _attribute_text(record[h]) for h in extra if record.get(h) is not None}
        out["_attributes"] = {h: text for h, text in attributes.items() if text}
    return out, ok and all(c.id in out for c in TABLES[table] if c.required)


def _cells_present(mapping: dict[str, Column], record: dict[str, Any], where: Where, problems: list[Problem]) -> bool:
    """A row that stops before a required column (fewer cells than the header) names the cell it lacks."""
    ok = True
    for header, column in mapping.items():
        if column.required and header not in record:
            problems.append(_required_problem(column, where, header))
            ok = False
    return ok


def _required_problem(column: Column, where: Where, header: str) -> Problem:
    return Problem(
        _("{label}({id}) is required").format(label=column.label, id=column.id), where.file, where.row, header
    )


def _parse_cell(column: Column, cell: Any, count_limit: int) -> Any:
    if isinstance(cell, (list, dict)):
        raise ValueError(_("expected a single value, got {cell!r}").format(cell=cell))
    if column.kind == "number":
        return to_decimal(cell, percent=column.ratio)
    if column.kind == "int":
        number = to_decimal(cell, percent=False)
        if number != number.to_integral_value():
            raise ValueError(_("expected a whole number, got {cell!r}").format(cell=cell))
        if column.id == "count" and number < 0:
            raise ValueError(_("a count cannot be negative, got {cell!r}").format(cell=cell))
        if column.id == "count" and number > count_limit:
            bound = limits.current()
            raise ValueError(
                _("a count of {cell} is above the limit of {limit}; {how}").format(
                    cell=cell, limit=count_limit, how=bound.how_to_raise("count")
                )
            )
        return int(number)
    if column.id in ID_COLUMNS:
        return _id_text(cell)
    if column.kind == "bool":
        text = str(cell).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("expected 是/否 (yes/no), got {cell!r}").format(cell=cell))
    return _cell_text(cell)


# Columns that hold an id the scheme or another table must match exactly
ID_COLUMNS = frozenset({"unit", "indicator", "rule", "area"})


def _id_text(cell: Any) -> str:
    """An id's text; one holding a character nobody sees (a zero-width space, a stray BOM, a control) is an
    error naming it, since it would never match and would be reported as an unknown id that looks right."""
    text = _cell_text(cell)
    hidden = [c for c in text if c not in visible_text(c)]
    if hidden:
        raise ValueError(
            _("the id {cell!r} holds a character nobody sees ({codes}); retype it").format(
                cell=text, codes=", ".join(sorted({f"U+{ord(c):04X}" for c in hidden}))
            )
        )
    return text


def visible_text(cell: Any) -> str:
    """What a person sees of an id: its text without the characters nobody sees."""
    return "".join(c for c in str(cell).strip() if unicodedata.category(c) not in ("Cf", "Cc", "Co", "Cn"))


def _attribute_text(cell: Any) -> str:
    try:
        return _cell_text(cell)
    except ValueError:
        return str(cell)


def _cell_text(cell: Any) -> str:
    """A text cell's text; a number a spreadsheet typed into it reads as the spreadsheet shows it."""
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            raise ValueError(_("expected text or a finite number, got {cell!r}").format(cell=cell))
        number = float_as_shown(cell)
        return format_points(number) if abs(number) < 10**15 else str(number)
    return str(cell).strip()


def dataset_from_records(tables: dict[str, list[dict[str, Any]]], origin: str = "<records>") -> Dataset:
    """Build a dataset from plain records, e.g. ``{"units": [{"unit": "a", "name": "甲", "group": "g"}]}``.

    Keys are column ids (or Chinese labels); values are parsed exactly as cells of a data file, so tests
    and notebooks exercise the same parsing and error reporting as real files.
    """
    unknown = set(tables) - set(TABLE_ORDER)
    if unknown:
        raise InputError(
            _("unknown table(s): {tables} (expected: {known})").format(
                tables=", ".join(sorted(unknown)), known=", ".join(TABLE_ORDER)
            )
        )
    raw = {table: _json_rows(rows, f"{origin}#{table}") for table, rows in tables.items()}
    return build_dataset(raw, origin=origin)
