"""Opening workbooks without trusting them, and saving workbooks that are the same bytes on every rerun.

An ``.xlsx`` file is a zip archive of XML parts. A small file can unpack to gigabytes (the parser would
take minutes and the memory of the machine), and a truncated download or a renamed ``.xls`` is not a zip
at all; both are found by reading the archive's directory, before any XML is parsed, and reported with the
file's name. Saving fixes the archive's timestamps and the document's created/modified dates, so a report
written twice from the same data is byte-identical (a checksum or a diff then says something).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from kaoping.core import limits
from kaoping.core.errors import InputError, Problem
from kaoping.core.numbers import format_points, json_number
from kaoping.io.safety import starts_like_formula, xlsx_text
from kaoping.locale import _

FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
MB = 1024 * 1024


def check_archive(path: Path, name: str) -> None:
    """Refuse a file that is not a readable zip archive or that unpacks to more than the limit allows."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise InputError(
            Problem(_("not an .xlsx workbook, or a truncated one (it is not a readable zip archive)"), file=name)
        ) from None
    bound = limits.current()
    if unpacked > bound.xlsx_mb * MB:
        raise InputError(
            Problem(
                _("the workbook unpacks to {size} MB, above the limit of {limit} MB; {how}").format(
                    size=-(-unpacked // MB), limit=bound.xlsx_mb, how=bound.how_to_raise("xlsx_mb")
                ),
                file=name,
            )
        )


def open_workbook(path: Path, name: str) -> Any:
    """A read-only workbook (cached values, not formulas), after :func:`check_archive`."""
    import openpyxl

    check_archive(path, name)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # the parser's many errors for a damaged file all mean the same to an office
        message = _("cannot read the workbook: {error}").format(error=_describe(error))
        raise InputError(Problem(message, file=name)) from None


def _describe(error: Exception) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def save_workbook(workbook: Any, path: Path) -> None:
    """Save ``workbook`` to ``path`` with fixed timestamps, so equal content gives equal bytes."""
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>" + _STAMP + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(member.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = member.external_attr
            target.writestr(fixed, data)


def append_row(sheet: Any, values: list[Any]) -> None:
    """Append a row of a report; text from the data stays text, exactly as a person reads it.

    Numbers go in as numbers so offices can sort and sum them (their text stays exact, see
    :func:`~kaoping.core.numbers.json_number`). Text loses only the characters XML cannot hold, and text
    that would start a formula is stored as a string with Excel's quote prefix: shown as written, never run.
    """
    sheet.append([_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and starts_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        # a spreadsheet number is a double: a number of 15 digits or more before the point would show rounded
        return format_points(value) if value.is_finite() and abs(value) >= 10**15 else json_number(value)
    if isinstance(value, str):
        return xlsx_text(value)
    return value
