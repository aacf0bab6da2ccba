"""Reading the canonical dataset from a folder, a workbook or a JSON file.

Chinese offices export CSV as UTF-8, UTF-8 with BOM, or GBK/GB18030; all are read. Every problem met
(an unreadable cell, a missing required column) is kept with its file, row and column and reported
together with the validation problems, so that one run lists everything to fix.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kaoping.core.columns import IGNORED_HEADERS, TABLES, Column, column_lookup, header_candidates, machine_name
from kaoping.core.errors import InputError, Problem
from kaoping.core.models import Dataset, EventRow, ExtraRow, HistoryRow, Unit, ValueRow, VetoRow, Where
from kaoping.core.numbers import to_decimal

TABLE_ORDER = ("units", "values", "events", "vetoes", "history")
_TRUE = {"1", "true", "yes", "y", "是", "√", "t"}
_FALSE = {"", "0", "false", "no", "n", "否", "f"}


def decode_text(data: bytes, name: str) -> str:
    """Decode a CSV export: UTF-8 with or without BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise InputError(Problem(f"cannot decode as UTF-8 or GB18030 (byte {error.start})", file=name)) from None


def load_dataset(source: Path) -> Dataset:
    """Read a data folder, an ``.xlsx`` workbook or a ``.json`` file into a :class:`Dataset`."""
    if not source.exists():
        raise InputError(Problem("no such file or folder", file=str(source)))
    if source.is_dir():
        raw = _read_folder(source)
    elif source.suffix.lower() in {".xlsx", ".xlsm"}:
        raw = _read_workbook(source)
    elif source.suffix.lower() == ".json":
        raw = _read_json_file(source)
    else:
        raise InputError(Problem("expected a data folder, an .xlsx workbook or a .json file", file=str(source)))
    if "units" not in raw:
        raise InputError(
            Problem("no 'units' table (units.csv, units.xlsx, units.json or a 'units' sheet)", file=str(source))
        )
    return build_dataset(raw, origin=str(source))


RawRows = list[tuple[Where, dict[str, Any]]]


def _read_folder(folder: Path) -> dict[str, tuple[list[str], RawRows]]:
    tables = {}
    for table in TABLE_ORDER:
        candidates = [folder / f"{table}.{ext}" for ext in ("csv", "xlsx", "json")]
        present = [p for p in candidates if p.exists()]
        if len(present) > 1:
            raise InputError(
                Problem(f"table {table!r} is given twice: {', '.join(p.name for p in present)}", file=str(folder))
            )
        if not present:
            continue
        path = present[0]
        if path.suffix == ".csv":
            tables[table] = _read_csv(path)
        elif path.suffix == ".xlsx":
            tables[table] = _read_sheet_rows(path, _only_sheet(path), str(path))
        else:
            tables[table] = _json_rows(json.loads(decode_text(path.read_bytes(), str(path))), str(path))
    return tables


def _read_csv(path: Path) -> tuple[list[str], RawRows]:
    text = decode_text(path.read_bytes(), str(path))
    reader = csv.reader(io.StringIO(text))
    return _rows_from_grid(reader, str(path))


def _rows_from_grid(grid: Iterable[Iterable[Any]], name: str) -> tuple[list[str], RawRows]:
    iterator: Iterator[Iterable[Any]] = iter(grid)
    headers: list[str] = []
    for header_row in iterator:
        headers = ["" if c is None else str(c).strip() for c in header_row]
        if any(headers):
            break
    rows: RawRows = []
    for number, cells in enumerate(iterator, start=2):
        values = ["" if c is None else c for c in cells]
        if not any(str(v).strip() for v in values):
            continue
        record = {headers[i]: values[i] for i in range(min(len(headers), len(values))) if headers[i]}
        rows.append((Where(name, number), record))
    return headers, rows


def _only_sheet(path: Path) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return workbook.sheetnames[0]
    finally:
        workbook.close()


def _read_sheet_rows(path: Path, sheet: str, name: str) -> tuple[list[str], RawRows]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return _rows_from_grid(workbook[sheet].iter_rows(values_only=True), f"{name}[{sheet}]")
    finally:
        workbook.close()


def _read_workbook(path: Path) -> dict[str, tuple[list[str], RawRows]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        names = list(workbook.sheetnames)
    finally:
        workbook.close()
    tables = {}
    for table in TABLE_ORDER:
        if table in names:
            tables[table] = _read_sheet_rows(path, table, str(path))
    return tables


def _read_json_file(path: Path) -> dict[str, tuple[list[str], RawRows]]:
    try:
        data = json.loads(decode_text(path.read_bytes(), str(path)))
    except json.JSONDecodeError as error:
        raise InputError(Problem(f"not valid JSON: {error}", file=str(path))) from None
    if not isinstance(data, dict):
        raise InputError(Problem("expected an object with one list per table", file=str(path)))
    return {table: _json_rows(data[table], f"{path}#{table}") for table in TABLE_ORDER if table in data}


def _json_rows(items: Any, name: str) -> tuple[list[str], RawRows]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError(Problem("expected a list of objects", file=name))
    headers = sorted({k for item in items for k in item})
    return headers, [(Where(name, index), item) for index, item in enumerate(items, start=1)]


def read_extra_table(source: Path, name: str, required: bool = True) -> tuple[ExtraRow, ...]:
    """A plugin's own table ``name`` from a data source, read like the canonical tables.

    ``name.csv`` / ``name.xlsx`` / ``name.json`` in a data folder (CSV in UTF-8, UTF-8 with BOM or GBK), the
    sheet ``name`` of a workbook, or the list ``name`` of a JSON file. Headers are keyed by their machine
    name (``编制人数(staff)`` → ``staff``). A missing table is an error naming the source unless
    ``required`` is false (then it is empty). Use it in a ``kaoping_load_dataset`` wrapper and store the rows
    in ``Dataset.extra`` (see docs/plugin-authoring.md).
    """
    grid: tuple[list[str], RawRows] | None = None
    if source.is_dir():
        present = [source / f"{name}.{ext}" for ext in ("csv", "xlsx", "json") if (source / f"{name}.{ext}").exists()]
        if len(present) > 1:
            raise InputError(
                Problem(f"table {name!r} is given twice: {', '.join(p.name for p in present)}", file=str(source))
            )
        if present:
            path = present[0]
            if path.suffix == ".csv":
                grid = _read_csv(path)
            elif path.suffix == ".xlsx":
                grid = _read_sheet_rows(path, _only_sheet(path), str(path))
            else:
                grid = _json_rows(json.loads(decode_text(path.read_bytes(), str(path))), str(path))
    elif source.suffix.lower() in {".xlsx", ".xlsm"}:
        import openpyxl

        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
        try:
            has_sheet = name in workbook.sheetnames
        finally:
            workbook.close()
        if has_sheet:
            grid = _read_sheet_rows(source, name, str(source))
    elif source.suffix.lower() == ".json":
        data = json.loads(decode_text(source.read_bytes(), str(source)))
        if isinstance(data, dict) and name in data:
            grid = _json_rows(data[name], f"{source}#{name}")
    if grid is None:
        if required:
            raise InputError(Problem(f"no {name!r} table ({name}.csv, a {name!r} sheet or list)", file=str(source)))
        return ()
    return tuple(
        ExtraRow({machine_name(h): str(v).strip() for h, v in record.items() if h and v is not None}, where)
        for where, record in grid[1]
    )


# ---------------------------------------------------------------------------------------------------------


def build_dataset(raw: dict[str, tuple[list[str], RawRows]], origin: str = "") -> Dataset:
    """Parse raw records (header → cell) into typed rows, keeping every problem."""
    problems: list[Problem] = []
    parsed: dict[str, list[dict[str, Any]]] = {}
    for table in TABLE_ORDER:
        if table not in raw:
            parsed[table] = []
            continue
        headers, rows = raw[table]
        parsed[table] = _parse_table(table, headers, rows, problems)
    units = tuple(Unit(r["unit"], r["name"], r["group"], r.pop("_attributes"), r["_where"]) for r in parsed["units"])
    values = tuple(ValueRow(**_fields(r, "values")) for r in parsed["values"])
    events = tuple(
        EventRow(**_fields(r, "events", defaults={"count": 1, "self_reported": False})) for r in parsed["events"]
    )
    vetoes = tuple(VetoRow(**_fields(r, "vetoes")) for r in parsed["vetoes"])
    history = tuple(HistoryRow(**_fields(r, "history")) for r in parsed["history"])
    return Dataset(units, values, events, vetoes, history, origin=origin, problems=tuple(problems))


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


def _parse_table(table: str, headers: list[str], rows: RawRows, problems: list[Problem]) -> list[dict[str, Any]]:
    lookup = column_lookup(table)
    mapping: dict[str, Column] = {}
    extra: list[str] = []
    name = rows[0][0].file if rows else table
    for header in headers:
        if not header or header.strip().lower() in IGNORED_HEADERS:
            continue
        column = next((lookup[c] for c in header_candidates(header) if c in lookup), None)
        if column is None:
            extra.append(header)
        elif column in mapping.values():
            problems.append(Problem(f"column {column.id!r} appears twice", file=name, column=header))
        else:
            mapping[header] = column
    if extra and table != "units":
        known = ", ".join(c.header for c in TABLES[table])
        for header in extra:
            problems.append(Problem(f"unknown column in table {table!r} (expected: {known})", file=name, column=header))
    present = set(mapping.values())
    for column in TABLES[table]:
        if column.required and column not in present and rows:
            problems.append(Problem(f"required column {column.header} is missing", file=name, column=column.id))
    parsed = []
    for where, record in rows:
        out: dict[str, Any] = {"_where": where}
        ok = True
        for header, cell in record.items():
            column = mapping.get(header)
            if column is None:
                continue
            text = cell if not isinstance(cell, str) else cell.strip()
            if text == "" or text is None:
                if column.required:
                    problems.append(Problem(f"{column.label}({column.id}) is required", where.file, where.row, header))
                    ok = False
                continue
            try:
                out[column.id] = _parse_cell(column, text)
            except ValueError as error:
                problems.append(Problem(str(error), where.file, where.row, header))
                ok = False
        if table == "units":
            out["_attributes"] = {
                machine_name(h): str(record[h]).strip() for h in extra if record.get(h) not in (None, "")
            }
        if ok and all(c.id in out for c in TABLES[table] if c.required):
            parsed.append(out)
    return parsed


def _parse_cell(column: Column, cell: Any) -> Any:
    if column.kind == "number":
        return to_decimal(cell)
    if column.kind == "int":
        number = to_decimal(cell)
        if number != number.to_integral_value():
            raise ValueError(f"expected a whole number, got {cell!r}")
        if column.id == "count" and number < 0:
            raise ValueError(f"a count cannot be negative, got {cell!r}")
        return int(number)
    if column.kind == "bool":
        text = str(cell).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"expected 是/否 (yes/no), got {cell!r}")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def dataset_from_records(tables: dict[str, list[dict[str, Any]]], origin: str = "<records>") -> Dataset:
    """Build a dataset from plain records, e.g. ``{"units": [{"unit": "a", "name": "甲", "group": "g"}]}``.

    Keys are column ids (or Chinese labels); values are parsed exactly as cells of a data file, so tests
    and notebooks exercise the same parsing and error reporting as real files.
    """
    unknown = set(tables) - set(TABLE_ORDER)
    if unknown:
        raise InputError(f"unknown table(s): {', '.join(sorted(unknown))} (expected: {', '.join(TABLE_ORDER)})")
    raw = {table: _json_rows(rows, f"{origin}#{table}") for table, rows in tables.items()}
    return build_dataset(raw, origin=origin)
