"""Reading a published scheme as plain text: UTF-8 (with or without BOM), GB18030, or a .docx file.

Offices publish schemes as web pages saved to text, as GB18030 files from older Windows machines, or
as Word documents. Everything downstream works on one string, so tables in a .docx are flattened into
lines here: one row a line, cells separated by a tab (the sentence splitter treats a tab as a clause
boundary, so a cell never runs into the next).
"""

from __future__ import annotations

from pathlib import Path

from kaoping.core.errors import InputError
from kaoping.locale import _

ENCODINGS = ("utf-8-sig", "gb18030")


def read_scheme_text(path: Path) -> str:
    """The text of ``path``; a clear :class:`InputError` when it cannot be read or decoded."""
    if not path.is_file():
        raise InputError(_("{path}: no such file").format(path=path))
    if path.suffix.lower() == ".docx":
        return read_docx(path)
    if path.suffix.lower() == ".doc":
        message = _("{path}: the old Word format (.doc) is not read; save it as .docx or .txt")
        raise InputError(message.format(path=path))
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(_("{path}: the text is neither UTF-8 nor GB18030").format(path=path))


def read_docx(path: Path) -> str:
    """Paragraphs and tables of a Word document, in document order, as text."""
    try:
        import docx  # python-docx, the optional extra "docx"
    except ImportError as error:
        raise InputError(
            _("{path}: reading .docx needs python-docx; install it with: pip install 'kaoping[docx]'").format(path=path)
        ) from error
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several unrelated types for a broken file
        raise InputError(_("{path}: not a readable .docx file ({error})").format(path=path, error=error)) from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            lines.extend(flatten_rows([[cell.text for cell in row.cells] for row in block.rows]))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def flatten_rows(rows: list[list[str]]) -> list[str]:
    """Table rows as lines: cells joined by tabs, a merged cell (repeated by python-docx) kept once."""
    lines = []
    for cells in rows:
        kept: list[str] = []
        for cell in cells:
            text = " ".join(cell.split())
            if text and (not kept or kept[-1] != text):
                kept.append(text)
        if kept:
            lines.append("\t".join(kept))
    return lines
