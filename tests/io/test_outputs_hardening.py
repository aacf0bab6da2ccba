"""Outputs with any text the data may hold: nothing runs as a formula, nothing breaks the file or the terminal."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.core.pipeline import run
from kaoping.core.results import RunResult
from kaoping.core.scheme import Scheme
from kaoping.io.bulletin import build_bulletin
from kaoping.io.bulletin_xlsx import write_bulletin_xlsx
from kaoping.io.dataio import load_dataset
from kaoping.io.report import to_csv, to_json, to_table
from kaoping.io.safety import FORMULA_STARTS, xlsx_text
from kaoping.io.workbooks import append_row
from kaoping.testing import find_overrides
from tests.helpers import host

SAMPLE = Path(__file__).parents[2] / "kaoping" / "plugins" / "jiangxi_xingan_sunshine" / "sample"
NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
) | st.sampled_from(["=1+1", "+1", "-1", "@A1", "\tx", "\rx", '=HYPERLINK("http://x")', "\x00\x07\x1b[2J"])


UNITS = len(load_dataset(SAMPLE).units)


def sample_scheme() -> Scheme:
    """The Xingan scheme with the numbers its sample is scored with (the sample's overrides.toml)."""
    return host().scheme("jiangxi.xingan.sunshine", find_overrides(SAMPLE))


def scored_with_names(names: list[str]) -> RunResult:
    scheme = sample_scheme()
    dataset = load_dataset(SAMPLE)
    units = tuple(attrs.evolve(unit, name=name) for unit, name in zip(dataset.units, names, strict=False))
    return run(host(), scheme, dataset.evolve(units=units))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAMES, min_size=UNITS, max_size=UNITS))
def test_any_unit_name_is_written_safely(tmp_path: Path, names: list[str]):
    result = scored_with_names(names)
    # CSV: every data text that a spreadsheet would run starts with an apostrophe instead
    rows = list(csv.reader(io.StringIO(to_csv(result), newline="")))
    for row in rows[1:]:
        assert not row[3].startswith(FORMULA_STARTS)
        original = row[3][1:] if row[3].startswith("'") and row[3][1:].startswith(FORMULA_STARTS) else row[3]
        assert original in {name.replace("\x00", "") for name in names}
    # XLSX (the 通报): opens, and shows the name as written (less what XML cannot hold), never as a formula
    path = tmp_path / "r.xlsx"
    write_bulletin_xlsx(build_bulletin(result, sample_scheme()), path)
    workbook = openpyxl.load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    shown = {cell.value for cell in cells if isinstance(cell.value, str)}
    # (XML reads every line end as LF: a CR in a name comes back as a line break, as a person sees it)
    as_read = {xlsx_text(n).replace("\r\n", "\n").replace("\r", "\n") for n in names}
    assert {n for n in as_read if n and n == n.strip()} <= shown
    # terminal and JSON: no control character reaches a terminal; JSON round-trips the names exactly
    table = to_table(result)
    assert not any((ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 for c in table)
    assert {u["name"] for u in json.loads(to_json(result))["units"]} == set(names)


def test_odd_decimals_never_stop_an_output(tmp_path: Path):
    workbook = openpyxl.Workbook()
    values = [Decimal("386.6000000000001"), Decimal("1E+30"), Decimal("NaN"), Decimal("0.1"), Decimal("-0")]
    append_row(workbook.active, values)
    path = tmp_path / "odd.xlsx"
    workbook.save(path)
    written = [c.value for c in openpyxl.load_workbook(path).active[1]]
    assert written == ["386.6000000000001", "1" + "0" * 30, "NaN", 0.1, 0]


def test_a_carriage_return_reaches_the_workbook_as_a_line_break(tmp_path: Path):
    # the writer would store a CR as 「_x000D_」, which openpyxl and other readers show literally
    assert xlsx_text("泉交河镇\r\n兰溪镇\r龙光桥镇") == "泉交河镇\n兰溪镇\n龙光桥镇"
    import xlsxwriter

    path = tmp_path / "cr.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write_string(0, 0, xlsx_text("a\rb"))
    book.close()
    assert openpyxl.load_workbook(path).active["A1"].value == "a\nb"
