"""History from the archive: the ``history`` table a run's data lacks, filled from published results.

:class:`ArchiveHistory` is a plugin registered for one command. It wraps the dataset loader (the hook
every data source goes through), so history rules of every scheme read archived results the same way
they read a history file; no plugin knows where its history came from. A history table in the data wins,
and the run says so in its notes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Generator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kaoping import hookimpl
from kaoping.core.columns import TABLES
from kaoping.core.models import Dataset, HistoryRow
from kaoping.core.numbers import format_points, json_number
from kaoping.core.procedure import evaluation_year
from kaoping.core.results import RunResult
from kaoping.core.scheme import Scheme
from kaoping.io.safety import csv_cell, starts_like_formula, xlsx_text
from kaoping.locale import _

if TYPE_CHECKING:
    from kaoping.archive.store import Archive

PLUGIN_NAME = "archive_history"
HISTORY_FORMATS = ("table", "csv", "xlsx", "json")


class ArchiveHistory:
    """Supplies the history table from an archive, for one county, when the data has none."""

    def __init__(self, archive: Archive, county: str) -> None:
        self.archive = archive
        self.county = county
        self.note = ""

    @hookimpl(wrapper=True)
    def kaoping_load_dataset(self, source: Path, scheme: Scheme) -> Generator[None, Dataset, Dataset]:
        dataset = yield
        year = evaluation_year(scheme)
        if dataset.history:
            self.note = _("history: the data's history table is used; the archive's published results are not read")
            return dataset
        if year is None:
            self.note = _("history: the scheme has no evaluation year (give --year), so the archive was not read")
            return dataset
        rows = self.archive.history(self.county, scheme.id, before=year)
        years = sorted({row.year for row in rows})
        if rows:
            self.note = _("history: published results of {years} read from the archive").format(
                years=", ".join(map(str, years))
            )
        else:
            self.note = _("history: the archive has no published results before {year}").format(year=year)
        return dataset.evolve(history=tuple(rows))

    @hookimpl(wrapper=True)
    def kaoping_apply_results(self) -> Generator[None, RunResult, RunResult]:
        result = yield
        if self.note:
            result.notes.append(self.note)
        return result


# ---------------------------------------------------------------------------------------------------------
# exporting history in the data contract's shape


def _header() -> list[str]:
    return [f"{c.label}({c.id})" for c in TABLES["history"]]


def _cells(row: HistoryRow) -> list[Any]:
    return [row.unit, row.year, row.total, row.rank, row.grade]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_points(value)
    return csv_cell(value) if isinstance(value, str) else str(value)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_number(value)
    return xlsx_text(value) if isinstance(value, str) else value


def history_csv(rows: Sequence[HistoryRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_header())
    writer.writerows([_csv_value(v) for v in _cells(row)] for row in rows)
    return buffer.getvalue()


def history_json(rows: Sequence[HistoryRow]) -> str:
    records = [
        {
            "unit": r.unit,
            "year": r.year,
            "total": json_number(r.total) if r.total is not None else None,
            "rank": r.rank,
            "grade": r.grade,
        }
        for r in rows
    ]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def write_history_xlsx(rows: Sequence[HistoryRow], path: Path) -> None:
    """One sheet named ``history``, which the data loader reads back as the history table."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "history"
    sheet.append(_header())
    for row in rows:
        sheet.append([_xlsx_value(v) for v in _cells(row)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and starts_like_formula(cell.value):
                cell.quote_prefix = True
    workbook.save(path)
