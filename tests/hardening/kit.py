"""What the catalogue of bad inputs builds its cases from: a small valid dataset, writers, and the promises.

The base is three units of the 漳州 scheme (two of 第一系列, one of 第二系列) with their values and events,
small enough that each case runs in a fraction of a second and real enough that every table is read.
Each case changes one thing, runs a real ``kaoping`` command, and the runner checks the promises every
case shares (see :func:`check_promises`) before the case's own.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner, Result

from kaoping.cli.main import cli

SCHEME = "fujian.zhangzhou"
CLASSES = (
    "data loss",
    "injection",
    "resources",
    "numbers",
    "silently wrong",
    "malformed structure",
    "configuration types",
    "messages",
    "reruns",
)

UNITS_HEADER = ["单位编码(unit)", "单位名称(name)", "序列(group)"]
VALUES_HEADER = ["单位编码(unit)", "指标编码(indicator)", "数值(value)", "细项(item)"]
EVENTS_HEADER = [
    "单位编码(unit)",
    "规则编码(rule)",
    "次数(count)",
    "级别(level)",
    "职级(rank)",
    "数量(quantity)",
    "分值(points)",
    "事项(matter)",
    "角色(role)",
    "自查自报(self_reported)",
    "日期(date)",
    "备注(note)",
]
VETOES_HEADER = ["单位编码(unit)", "否决领域(area)", "认定部门(source)", "备注(note)"]


def _values(unit: str, basic: str, public: str, marks: Sequence[int]) -> list[list[str]]:
    rows = [[unit, "basic_targets", basic, ""], [unit, "public_review", public, ""]]
    return rows + [[unit, "comprehensive_review", str(m), f"评委{i}"] for i, m in enumerate(marks, 1)]


def base_tables() -> dict[str, list[list[str]]]:
    """A fresh copy of the valid base dataset, table name → rows (header first)."""
    tables = {
        "units": [
            UNITS_HEADER,
            ["S1-01", "组织部", "series1"],
            ["S1-02", "宣传部", "series1"],
            ["S2-01", "发改委", "series2"],
        ],
        "values": [
            VALUES_HEADER,
            *_values("S1-01", "386.6", "272.9", (46, 38, 45, 46, 38)),
            *_values("S1-02", "431.9", "263.1", (49, 43, 44, 46, 43)),
            *_values("S2-01", "409.9", "247.4", (43, 40, 44, 49, 49)),
        ],
        "events": [
            EVENTS_HEADER,
            ["S2-01", "contribution", "1", "", "", "", "", "项目甲", "lead", "否", "2008-12-10", "主办"],
            ["S2-01", "investment", "1", "", "", "16000000", "", "", "", "否", "2008-11-30", "实际到资1600万元"],
            ["S1-01", "research_adopted", "3", "", "", "", "", "", "", "否", "2008-06-01", ""],
            ["S1-01", "swift_action", "3", "", "", "", "", "", "", "否", "2008-12-20", ""],
        ],
        "vetoes": [VETOES_HEADER],
    }
    return {name: [list(row) for row in rows] for name, rows in tables.items()}


def csv_bytes(rows: Sequence[Sequence[str]], encoding: str = "utf-8", newline: str = "\n") -> bytes:
    if any("\x00" in c for row in rows for c in row):
        # Python 3.10's csv module refuses to write a NUL: quote every cell by hand, as it would
        lines = (",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows)
        return "".join(line + newline for line in lines).encode(encoding)
    buffer = io.StringIO()
    # the csv module leaves a lone carriage return unquoted: quote every cell where one is (as Excel does)
    quoting = csv.QUOTE_ALL if any("\r" in c for row in rows for c in row) else csv.QUOTE_MINIMAL
    csv.writer(buffer, lineterminator=newline, quoting=quoting).writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_tables(
    folder: Path, tables: dict[str, list[list[str]]], encoding: str = "utf-8", newline: str = "\n"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        (folder / f"{name}.csv").write_bytes(csv_bytes(rows, encoding, newline))
    return folder


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]], hidden: Sequence[str] = ()) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)
    return path


def numeric_rows(rows: list[list[str]], columns: Sequence[int]) -> list[list[Any]]:
    """Rows as a workbook holds them: the given columns as numbers, as an office's spreadsheet would."""
    out: list[list[Any]] = [rows[0]]
    for row in rows[1:]:
        out.append([float(c) if i in columns and c else (c or None) for i, c in enumerate(row)])
    return out


def data(tmp: Path, change: Callable[[dict[str, list[list[str]]]], None] | None = None, **kw: Any) -> Path:
    """The base dataset written to ``tmp/data`` after ``change`` (which edits the tables in place)."""
    tables = base_tables()
    if change is not None:
        change(tables)
    return write_tables(tmp / "data", tables, **kw)


def score(folder: Path, fmt: str = "csv", output: Path | None = None, *extra: str) -> list[str]:
    args = ["score", "--scheme", SCHEME, "--data", str(folder), "--format", fmt]
    if output is not None:
        args += ["-o", str(output)]
    return args + list(extra)


def xlsx_bomb(path: Path, megabytes: int) -> Path:
    """A valid-looking workbook whose one sheet unpacks to ``megabytes`` MB (it compresses to a few KB)."""
    write_workbook(path, {"units": [UNITS_HEADER]})
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/"))
    padding = b"<!--" + b" " * (megabytes * 1024 * 1024) + b"-->"
    parts[sheet] = parts[sheet].replace(b"<sheetData", padding + b"<sheetData", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return path


# -- the case and its promises ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One bad (or tricky but fine) input, the command run on it, and what must come out."""

    id: str
    kind: str  # one of CLASSES
    make: Callable[[Path], list[str]]  # builds the input in a fresh folder; returns the command's arguments
    exit: int = 2
    says: tuple[str, ...] = ()  # texts the output must contain: the file, row, column or key
    check: Callable[[Path, Result], None] | None = None  # the case's own promise, after the shared ones
    env: dict[str, str] = field(default_factory=dict)
    first_line: str = ""  # the first problem line must contain this (messages lead with the cause)


# C0/C1 controls (bar newline and tab), and the bidirectional overrides a terminal obeys silently
_TERMINAL_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def invoke(args: list[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--lang", "en", *args], env={"KAOPING_DEBUG": "", **(env or {})})


def output_path(args: list[str]) -> Path | None:
    for flag in ("-o", "--output"):
        if flag in args:
            value = args[args.index(flag) + 1]
            return None if value == "-" else Path(value)
    return None


def snapshot(path: Path | None) -> bytes | None:
    if path is None or not path.is_file():
        return None
    return path.read_bytes()


def check_promises(case: Case, args: list[str], before: bytes | None, result: Result) -> None:
    """What every case promises, whatever its input: the exit code, no traceback, no partial or overwritten
    output, no live formula in an output, and a terminal that receives no control characters."""
    text = result.output
    assert result.exit_code == case.exit, f"exit {result.exit_code}, expected {case.exit}:\n{text}"
    assert "Traceback" not in text and 'File "' not in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if case.exit != 0:
        assert text.strip(), "an error must say something"
    for expected in case.says:
        assert expected in text, f"{expected!r} not in:\n{text}"
    if case.first_line:
        problems = [line for line in text.splitlines() if line.startswith("  ")]
        assert problems and case.first_line in problems[0], text
    printed = result.stderr + (result.stdout if _to_terminal(args) else "")
    assert not _TERMINAL_FORBIDDEN.search(printed), repr(printed[:500])
    output = output_path(args)
    if output is None:
        return
    leftovers = [p.name for p in output.parent.glob(f".{output.name}*")] if output.parent.is_dir() else []
    assert not leftovers, leftovers
    if case.exit != 0:
        assert snapshot(output) == before, "a failed run changed or created its output"
        return
    assert output.exists()
    assert_no_live_formula(output)


def _to_terminal(args: list[str]) -> bool:
    """Whether stdout is text for a person (a table, a message), not a CSV or JSON document."""
    if output_path(args) is not None:
        return True
    if "--format" in args:
        return args[args.index("--format") + 1] in ("table",)
    return True


def assert_no_live_formula(path: Path) -> None:
    if path.suffix == ".csv":
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")) or _is_number(cell), cell
                assert not (cell.startswith("-") and not _is_number(cell)), cell
    elif path.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def invisible(text: str) -> list[str]:
    """Format characters (zero-width space, bidi marks) in ``text``: what a person cannot see."""
    return [c for c in text if unicodedata.category(c) == "Cf"]
