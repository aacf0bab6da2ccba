"""The whole archive as JSON lines, and back into another (empty) database, exactly.

The first line names the format and the schema revision; each further line is one row,
``{"table": ..., "row": {...}}``, tables parents first, rows by primary key. Dates are
``{"$date": "2014-01-20"}``, file contents ``{"$bytes": base64}``; JSON columns are copied as stored, so
exporting an imported archive gives the same text again. Importing copies rows as they are (ids
included); it adds no audit entry of its own, so the copy is the archive, not a story about it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa

import kaoping
from kaoping.archive import schema as t
from kaoping.archive.migrate import head
from kaoping.archive.store import Archive
from kaoping.core.errors import InputError, Problem
from kaoping.locale import _

FORMAT = "kaoping-archive"
_BY_NAME = {table.name: table for table in t.TABLES}


def _out(column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.LargeBinary):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(column.type, sa.Date):
        return {"$date": value.isoformat()}
    return value


def _in(column: sa.Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.LargeBinary):
        return base64.b64decode(value["$bytes"])
    if isinstance(column.type, sa.Date):
        return date.fromisoformat(value["$date"])
    return value


def _line(value: Any) -> str:
    # no sort_keys: the key order inside JSON columns (consequences) is part of the stored result
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def export_lines(archive: Archive) -> Iterator[str]:
    """The archive, line by line."""
    yield _line({"format": FORMAT, "schema": head(), "kaoping": kaoping.__version__})
    with archive.engine.connect() as connection:
        for table in t.TABLES:
            order = list(table.primary_key.columns)
            for row in connection.execute(sa.select(table).order_by(*order)).mappings():
                yield _line({"table": table.name, "row": {c.name: _out(c, row[c.name]) for c in table.columns}})


def import_lines(archive: Archive, lines: Iterable[str], origin: str = "<input>") -> dict[str, int]:
    """Copy an export into ``archive``, which must be empty; all rows in one transaction."""
    rows: dict[str, list[dict[str, Any]]] = {table.name: [] for table in t.TABLES}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            item = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(Problem(_("not JSON: {error}").format(error=error), file=origin, row=number)) from None
        if not isinstance(item, dict) or (number > 1 and not isinstance(item.get("row"), dict)):
            raise InputError(Problem(_("not a kaoping archive export"), file=origin, row=number))
        if number == 1:
            if item.get("format") != FORMAT:
                raise InputError(Problem(_("not a kaoping archive export"), file=origin, row=1))
            if item.get("schema") != head():
                raise InputError(
                    Problem(
                        _("the export has schema {theirs}; this kaoping writes {ours}").format(
                            theirs=item.get("schema"), ours=head()
                        ),
                        file=origin,
                        row=1,
                    )
                )
            continue
        table = _BY_NAME.get(item.get("table", ""))
        if table is None:
            raise InputError(
                Problem(_("unknown table {table!r}").format(table=item.get("table")), file=origin, row=number)
            )
        rows[table.name].append({c.name: _in(c, item["row"].get(c.name)) for c in table.columns})
    with archive.engine.begin() as connection:
        for table in t.TABLES:
            if connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
                raise InputError(
                    _("the target archive is not empty (table {table}); import into a new database").format(
                        table=table.name
                    )
                )
        for table in t.TABLES:
            if rows[table.name]:
                connection.execute(table.insert(), rows[table.name])
        if connection.dialect.name == "postgresql":
            for table in t.TABLES:
                if "id" in table.c and table.c.id.autoincrement is True:
                    connection.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
    return {name: len(items) for name, items in rows.items()}
