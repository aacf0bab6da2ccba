"""What a name or note from the data may not do in an output: run as a formula, or drive a terminal.

Spreadsheet programs treat a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula (OWASP, "CSV Injection"). Text written to a CSV file gets a leading apostrophe, which Excel
and WPS hide when they show it; an XLSX cell is written as a string with the ``quote_prefix`` format, so
the person reads exactly the text of the data. Numbers are never touched: only text starting that way.
"""

from __future__ import annotations

import re
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# C0 controls except tab and newline, DEL, and C1 controls: escape sequences and bells in a terminal; and the
# bidirectional embeddings, overrides and isolates, which make a terminal show text in another order.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What the XLSX format (XML 1.0) cannot hold at all.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def starts_like_formula(text: str) -> bool:
    """Would a spreadsheet program read this text as a formula?"""
    return text.startswith(FORMULA_STARTS)


def csv_cell(text: str) -> str:
    """Text for a CSV cell that no spreadsheet program will evaluate."""
    return "'" + text if starts_like_formula(text) else text


def xlsx_text(text: str) -> str:
    """Text an XLSX file can hold: characters XML forbids (NUL, BEL, …) are dropped, and a carriage return
    is written as the line break a person sees (XML keeps no lone CR; a writer would escape it as
    ``_x000D_``, which some readers then show literally)."""
    return _XML_FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def terminal_text(text: str) -> str:
    """Text safe to print: control and escape characters are dropped, tabs and newlines kept."""
    return _TERMINAL_CONTROLS.sub("", text)


# An absolute path (POSIX or Windows) with at least one folder: what a message must not show of a machine.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.~])(?:[A-Za-z]:[\\/]|/)(?:[^\s/\\:*?\"<>|()（）,，;；]+[\\/])+")


def shown_path(path: str | Path) -> str:
    """A path as a message shows it: relative to the working folder, or to kaoping's own package (for the
    files plugins ship), else its name; never the machine's absolute path."""
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    for base in (Path.cwd(), Path(__file__).resolve().parents[1] / "plugins"):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def hide_machine_paths(text: str) -> str:
    """``text`` with every absolute path cut to its last part (``/home/clerk/data/units.csv`` → ``units.csv``)."""
    return _ABSOLUTE_PATH.sub("", text)
