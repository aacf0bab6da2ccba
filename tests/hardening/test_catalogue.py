"""A catalogue of bad inputs, each run through the real command line, each with the promise it must keep.

Written as a reviewer who tries to break kaoping would: every class of the hardening issue (data loss,
injection, resources, numbers, silently wrong results, malformed structure, configuration types, messages
that lead with their cause, byte-identical reruns), inputs typed by hand, exported by Excel or WPS, or
written by scripts. Every case builds its input in a fresh folder and runs one ``kaoping`` command; the
promises all cases share (exit 0 or 2, no traceback, no partial or overwritten output, no live formula, no
control character on the terminal) are checked by :func:`tests.hardening.kit.check_promises`, then the
case's own (:attr:`Case.says`: the file, row, column or key the message must name; :attr:`Case.check`).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.hardening.kit import (
    CLASSES,
    SCHEME,
    UNITS_HEADER,
    Case,
    base_tables,
    check_promises,
    csv_bytes,
    data,
    invoke,
    numeric_rows,
    output_path,
    score,
    snapshot,
    write_workbook,
    xlsx_bomb,
)

Tables = dict[str, list[list[str]]]
CASES: list[Case] = []


def case(id: str, kind: str, make: Callable[[Path], list[str]], exit: int = 2, *says: str, **kw: Any) -> None:
    assert kind in CLASSES, kind
    CASES.append(Case(id, kind, make, exit, tuple(says), **kw))


def cell(table: str, row: int, column: int, value: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table][row][column] = value

    return change


def scored(change: Callable[[Tables], None] | None = None, fmt: str = "csv", **kw: Any) -> Callable[[Path], list[str]]:
    """A ``kaoping score`` of the base data after ``change``, written to ``tmp/out/result.FMT``."""

    def make(tmp: Path) -> list[str]:
        folder = data(tmp, change, **kw)
        (tmp / "out").mkdir()
        return score(folder, fmt, tmp / "out" / f"result.{fmt}")

    return make


def base_result(tmp: Path, fmt: str = "csv") -> bytes:
    """The result of the untouched base data, for cases whose input means the same thing written otherwise."""
    folder = data(tmp / "base")
    output = tmp / "base" / f"result.{fmt}"
    result = invoke(score(folder, fmt, output))
    assert result.exit_code == 0, result.output
    return output.read_bytes()


def same_as_base(fmt: str = "csv") -> Callable[[Path, Result], None]:
    def check(tmp: Path, result: Result) -> None:
        assert (tmp / "out" / f"result.{fmt}").read_bytes() == base_result(tmp, fmt)

    return check


def result_text(tmp: Path, fmt: str = "csv") -> str:
    return (tmp / "out" / f"result.{fmt}").read_text(encoding="utf-8-sig")


def few_lines(most: int) -> Callable[[Path, Result], None]:
    def check(tmp: Path, result: Result) -> None:
        assert len(result.output.splitlines()) <= most, result.output

    return check


# -- numbers as offices and scripts write them ------------------------------------------------------------
# values.csv row 2 is S1-01's basic_targets (direct: points in [0, 450]); events.csv row 3 is S2-01's investment

for name, text in [
    ("exponent_1e400", "1e400"),
    ("exponent_1e999999", "1e999999"),
    ("nan", "NaN"),
    ("infinity", "Infinity"),
    ("minus_infinity", "-Infinity"),
    ("tiny_1e-30", "1e-30"),
    ("hex", "0x1A"),
    ("underscore_digits", "1_000"),
    ("trailing_letters", "12abc"),
    ("two_points", "1.2.3"),
    ("accounting_negative", "(5)"),
    ("trailing_minus", "5-"),
    ("twenty_digits", "99999999999999999999"),
    ("word_true", "true"),
    ("chinese_numeral", "三百八十六"),
    ("percent_in_points", "85%"),
    ("full_width_percent_in_points", "８５％"),
    ("unicode_minus_below_zero", "−5"),
    ("above_the_indicator_points", "451"),
]:
    case(f"value_{name}", "numbers", scored(cell("values", 1, 2, text)), 2, "values.csv, row 2", "value")

case("value_empty_required", "numbers", scored(cell("values", 1, 2, "")), 2, "values.csv, row 2", "value")
case(
    "value_full_width_digits",
    "numbers",
    scored(cell("values", 1, 2, "３８６．６")),
    0,
    check=same_as_base(),
)
case("value_spaces_around", "numbers", scored(cell("values", 1, 2, "  386.6\u3000")), 0, check=same_as_base())
case("value_negative_zero", "numbers", scored(cell("values", 1, 2, "-0")), 0, check=lambda t, r: _no_negative_zero(t))
case("value_thousands_and_point_1,234.5", "numbers", scored(cell("events", 2, 5, "1,234.5")), 0)
case("value_full_width_integer_１２３", "numbers", scored(cell("values", 3, 2, "４６")), 0, check=same_as_base())
case("value_thousands_separator", "numbers", scored(cell("events", 2, 5, "16,000,000")), 0, check=same_as_base())
case(
    "value_full_width_thousands",
    "numbers",
    scored(cell("events", 2, 5, "１６，０００，０００")),
    0,
    check=same_as_base(),
)
case(
    "value_float_text_kept_exactly",
    "numbers",
    scored(cell("values", 1, 2, "386.6000000000001")),
    0,
    check=same_as_base(),  # read exactly, then rounded to the scheme's precision as every entry is
)
case("count_fraction", "numbers", scored(cell("events", 3, 2, "1.5")), 2, "events.csv, row 4", "count")
case("count_negative", "numbers", scored(cell("events", 3, 2, "-1")), 2, "events.csv, row 4", "count")
case("count_absurd", "numbers", scored(cell("events", 3, 2, "2000000")), 2, "events.csv, row 4", "KAOPING_MAX_COUNT")
case("count_percent", "numbers", scored(cell("events", 3, 2, "100%")), 2, "events.csv, row 4", "count")
case("quantity_exponent", "numbers", scored(cell("events", 2, 5, "1e400")), 2, "events.csv, row 3", "quantity")
case("quantity_percent", "numbers", scored(cell("events", 2, 5, "50%")), 2, "events.csv, row 3", "quantity")
case("self_reported_maybe", "numbers", scored(cell("events", 1, 9, "也许")), 2, "events.csv, row 2", "self_reported")


def _no_negative_zero(tmp: Path) -> None:
    assert ",-0," not in result_text(tmp) and ",-0\n" not in result_text(tmp)


def _contains(tmp: Path, text: str) -> None:
    assert text in result_text(tmp)


def json_data(
    change: Callable[[dict[str, Any]], None] | None = None, raw: str | None = None
) -> Callable[[Path], list[str]]:
    """The base data as one ``data.json`` (cells typed as a script writes them), after ``change``."""

    def make(tmp: Path) -> list[str]:
        tables = base_tables()
        document: dict[str, Any] = {}
        for name, rows in tables.items():
            header = [h.split("(")[1].rstrip(")") for h in rows[0]]
            document[name] = [dict(zip(header, row, strict=True)) for row in rows[1:]]
        for row in document["values"]:
            row["value"] = float(row["value"])
        if change is not None:
            change(document)
        path = tmp / "data.json"
        path.write_text(raw if raw is not None else json.dumps(document, ensure_ascii=False), encoding="utf-8")
        (tmp / "out").mkdir()
        return score(path, "csv", tmp / "out" / "result.csv")

    return make


def json_value(value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["values"][0]["value"] = value

    return change


case(
    "json_binary_float_as_excel_shows_it", "numbers", json_data(json_value(386.6000000000001)), 0, check=same_as_base()
)
case("json_plain_floats", "numbers", json_data(), 0, check=same_as_base())
case("json_huge_integer", "numbers", json_data(json_value(10**30)), 2, "data.json#values, row 1", "value")
case("json_true_as_number", "numbers", json_data(json_value(True)), 2, "data.json#values, row 1", "value")
case("json_list_as_number", "numbers", json_data(json_value([1, 2])), 2, "data.json#values, row 1", "value")
case("json_text_exponent", "numbers", json_data(json_value("1e400")), 2, "data.json#values, row 1", "value")
case(
    "json_nan_constant",
    "numbers",
    lambda tmp: json_data(
        raw=json.dumps({"units": [{"unit": "a", "name": "甲", "group": "series1"}]}).replace('"a"', "NaN", 1)
    )(tmp),
    2,
    "data.json",
    "NaN",
)


def workbook_values(value: Any) -> Callable[[Path], list[str]]:
    """The base data with ``values`` as a workbook whose numbers are numbers (S1-01's basic_targets: ``value``)."""

    def make(tmp: Path) -> list[str]:
        folder = data(tmp)
        rows = numeric_rows(base_tables()["values"], (2,))
        rows[1][2] = value
        (folder / "values.csv").unlink()
        write_workbook(folder / "values.xlsx", {"values": rows})
        (tmp / "out").mkdir()
        return score(folder, "csv", tmp / "out" / "result.csv")

    return make


case("xlsx_cached_formula_float", "numbers", workbook_values(386.6000000000001), 0, check=same_as_base())
case("xlsx_text_number", "numbers", workbook_values("386.6"), 0, check=same_as_base())
case("xlsx_huge_float", "numbers", workbook_values(1e300), 2, "values.xlsx[values], row 2", "value")
case("xlsx_boolean_number", "numbers", workbook_values(True), 2, "values.xlsx[values], row 2", "value")

# -- resources --------------------------------------------------------------------------------------------


def big_cell(tmp: Path) -> list[str]:
    folder = data(tmp, cell("units", 1, 1, "组" * (10 * 1024 * 1024 // 3)))  # a 10 MB cell
    (tmp / "out").mkdir()
    return score(folder, "csv", tmp / "out" / "result.csv")


def big_header(tmp: Path) -> list[str]:
    def change(tables: Tables) -> None:
        tables["units"][0].append("x" * 100_000)
        for row in tables["units"][1:]:
            row.append("")

    return scored(change)(tmp)


def many_rows(tmp: Path) -> list[str]:
    return scored()(tmp)


def bomb(tmp: Path) -> list[str]:
    folder = data(tmp)
    (folder / "units.csv").unlink()
    xlsx_bomb(folder / "units.xlsx", 3)
    (tmp / "out").mkdir()
    return score(folder, "csv", tmp / "out" / "result.csv")


def big_file(tmp: Path) -> list[str]:
    def change(tables: Tables) -> None:  # 22 notes of 30 000 characters: 2 MB
        tables["values"][0].append("备注(note)")
        for row in tables["values"][1:]:
            row.append("说" * 30_000)

    return scored(change)(tmp)


def deep_json(tmp: Path) -> list[str]:
    path = tmp / "data.json"
    path.write_text('{"units": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    return score(path, "csv", tmp / "result.csv")


case("cell_of_10_mb", "resources", big_cell, 2, "units.csv, row 2", "KAOPING_MAX_CELL_CHARS")
case(
    "header_of_100000_characters",
    "resources",
    big_header,
    2,
    "units.csv",
    check=lambda t, r: _short(r, 3000),
)
case("rows_above_the_limit", "resources", many_rows, 2, "values.csv", "KAOPING_MAX_ROWS", env={"KAOPING_MAX_ROWS": "5"})
case(
    "workbook_unpacking_to_3_mb",
    "resources",
    bomb,
    2,
    "units.xlsx",
    "KAOPING_MAX_XLSX_MB",
    env={"KAOPING_MAX_XLSX_MB": "1"},
)
case(
    "file_above_the_limit",
    "resources",
    big_file,
    2,
    "values.csv",
    "KAOPING_MAX_FILE_MB",
    env={"KAOPING_MAX_FILE_MB": "1"},
)
case("json_nested_100000_deep", "resources", deep_json, 2, "data.json")
case("limit_variable_not_a_number", "resources", scored(), 2, "KAOPING_MAX_ROWS", env={"KAOPING_MAX_ROWS": "many"})
case("limit_variable_zero", "resources", scored(), 2, "KAOPING_MAX_ROWS", env={"KAOPING_MAX_ROWS": "0"})
case(
    "limit_variable_negative", "resources", scored(), 2, "KAOPING_MAX_CELL_CHARS", env={"KAOPING_MAX_CELL_CHARS": "-5"}
)
case("limit_raised_lets_the_file_through", "resources", big_file, 0, env={"KAOPING_MAX_FILE_MB": "3"})


def _short(result: Result, most: int) -> None:
    assert len(result.output) < most, len(result.output)


def perturb_draws(tmp: Path) -> list[str]:
    folder = data(tmp)
    ranges = tmp / "ranges.toml"
    ranges.write_text('[[ranges]]\npath = "parts[basic].points"\nlow = 440\nhigh = 460\n', encoding="utf-8")
    (tmp / "reform.toml").write_text('[[parts]]\nid = "basic"\npoints = 450\n', encoding="utf-8")
    return [
        "compare",
        "--scheme",
        SCHEME,
        "--reform",
        str(tmp / "reform.toml"),
        "--data",
        str(folder),
        "--perturb",
        str(ranges),
        "--draws",
        "100000000",
    ]


case("perturbation_draws_absurd", "resources", perturb_draws, 2, "draws")

# -- malformed structure ----------------------------------------------------------------------------------


def files(write: Callable[[Path], None], fmt: str = "csv") -> Callable[[Path], list[str]]:
    """The base data written as CSV, then ``write(folder)`` to damage it."""

    def make(tmp: Path) -> list[str]:
        folder = data(tmp)
        write(folder)
        (tmp / "out").mkdir()
        return score(folder, fmt, tmp / "out" / f"result.{fmt}")

    return make


def checked(write: Callable[[Path], None]) -> Callable[[Path], list[str]]:
    """``kaoping validate`` of the base data after ``write(folder)``: what the reader chose is printed."""

    def make(tmp: Path) -> list[str]:
        folder = data(tmp)
        write(folder)
        return ["validate", "--scheme", SCHEME, "--data", str(folder)]

    return make


def bom_gbk_mix(folder: Path) -> None:
    rows = base_tables()["units"]
    head = b"\xef\xbb\xbf" + csv_bytes(rows[:2], "utf-8")
    (folder / "units.csv").write_bytes(head + csv_bytes(rows[2:], "gbk"))


def utf8_gbk_mix(folder: Path) -> None:
    rows = base_tables()["units"]
    (folder / "units.csv").write_bytes(csv_bytes(rows[:2], "utf-8") + csv_bytes(rows[2:], "gbk"))


def header_spaces(folder: Path) -> None:
    rows = base_tables()["values"]
    rows[0] = [f"  {h}  " for h in rows[0]]
    (folder / "values.csv").write_bytes(csv_bytes(rows))


def double_bom(folder: Path) -> None:
    (folder / "units.csv").write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + csv_bytes(base_tables()["units"]))


def write(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(content)


def unit_rows(*rows: list[str]) -> Callable[[Path], None]:
    return write("units.csv", csv_bytes([UNITS_HEADER, *rows]))


def folder_for(name: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()

    return damage


def twice(name: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        (folder / name.replace(".csv", ".json")).write_text("[]", encoding="utf-8")

    return damage


def truncated_xlsx(folder: Path) -> None:
    write_workbook(folder / "units.xlsx", {"units": base_tables()["units"]})
    (folder / "units.xlsx").write_bytes((folder / "units.xlsx").read_bytes()[:300])
    (folder / "units.csv").unlink()


def renamed_xls(folder: Path) -> None:
    (folder / "units.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (folder / "units.csv").unlink()


def symlink_loop(folder: Path) -> None:
    (folder / "values.csv").unlink()
    (folder / "values.csv").symlink_to(folder / "values.csv")


def dangling_link(folder: Path) -> None:
    (folder / "events.csv").unlink()
    (folder / "events.csv").symlink_to(folder / "nowhere.csv")


def extra_sheets(folder: Path) -> None:
    rows = base_tables()["units"]
    write_workbook(folder / "units.xlsx", {"说明": [["填表说明"]], "units": rows, "old": rows[:2]}, hidden=("old",))
    (folder / "units.csv").unlink()


def unnamed_sheets(folder: Path) -> None:
    rows = base_tables()["units"]
    write_workbook(folder / "units.xlsx", {"Sheet1": rows, "Sheet2": rows})
    (folder / "units.csv").unlink()


def extra_cells(folder: Path) -> None:
    rows = base_tables()["values"]
    rows[1] = [*rows[1], "多出来的"]
    (folder / "values.csv").write_bytes(csv_bytes(rows))


def short_row(folder: Path) -> None:
    rows = base_tables()["values"]
    rows[1] = rows[1][:2]
    (folder / "values.csv").write_bytes(csv_bytes(rows))


case("bom_then_gbk_lines", "malformed structure", files(bom_gbk_mix), 2, "units.csv", "UTF-8")
case("utf8_then_gbk_lines", "malformed structure", files(utf8_gbk_mix), 2, "units.csv", "row 3")
case("header_with_trailing_spaces", "malformed structure", files(header_spaces), 0, check=same_as_base())
case("file_with_two_byte_order_marks", "malformed structure", files(double_bom), 0, check=same_as_base())
case("gbk_file", "malformed structure", scored(encoding="gbk"), 0, check=same_as_base())
case("gb18030_crlf_file", "malformed structure", scored(encoding="gb18030", newline="\r\n"), 0, check=same_as_base())
case("utf8_bom_file", "malformed structure", scored(encoding="utf-8-sig"), 0, check=same_as_base())
case("mac_cr_line_ends", "malformed structure", scored(newline="\r"), 0, check=same_as_base())
case("utf16_file", "malformed structure", scored(encoding="utf-16"), 2, "units.csv")
case(
    "empty_units_file",
    "malformed structure",
    files(write("units.csv", b"")),
    2,
    "units table is empty",
    check=few_lines(2),
)
case("units_header_only", "malformed structure", files(unit_rows()), 2, "units table is empty", check=few_lines(2))
case("empty_values_file", "malformed structure", files(write("values.csv", b"")), 2, "units.csv", "no value")
case("blank_lines_only", "malformed structure", files(write("units.csv", b"\n\n\n")), 2, "units table is empty")
case(
    "open_quote",
    "malformed structure",
    files(write("units.csv", '单位编码(unit),单位名称(name),序列(group)\nS1-01,"组织部,series1\n'.encode())),
    2,
    "units.csv",
    "row",
)
case("values_is_a_folder", "malformed structure", files(folder_for("values.csv")), 2, "values.csv", "folder")
case("units_given_twice", "malformed structure", files(twice("units.csv")), 2, "units.csv", "units.json")
case("truncated_workbook", "malformed structure", files(truncated_xlsx), 2, "units.xlsx")
case("renamed_xls_workbook", "malformed structure", files(renamed_xls), 2, "units.xlsx")
case("symlink_loop", "malformed structure", files(symlink_loop), 2, "values.csv")
case("dangling_symlink", "malformed structure", files(dangling_link), 2, "events.csv")
case(
    "workbook_with_hidden_and_extra_sheets",
    "malformed structure",
    checked(extra_sheets),
    0,
    "units.xlsx",
    "说明",
    "old",
)
case(
    "workbook_with_no_sheet_named_for_the_table",
    "malformed structure",
    files(unnamed_sheets),
    2,
    "units.xlsx",
    "Sheet1",
)
case("row_with_more_cells_than_headers", "malformed structure", files(extra_cells), 2, "values.csv, row 2")
case("row_with_fewer_cells", "malformed structure", files(short_row), 2, "values.csv, row 2", "value")
case("no_units_table", "malformed structure", files(lambda f: (f / "units.csv").unlink()), 2, "units")
case(
    "json_trailing_comma", "malformed structure", json_data(raw='{"units": [{"unit": "a",}]}'), 2, "data.json", "row 1"
)
case("json_top_level_list", "malformed structure", json_data(raw="[]"), 2, "data.json")
case("json_table_not_a_list", "malformed structure", json_data(raw='{"units": {"unit": "a"}}'), 2, "data.json#units")
case("json_in_gbk", "malformed structure", lambda tmp: _json_gbk(tmp), 0)
case("json_table_in_folder_malformed", "malformed structure", files(write("vetoes.json", b"{")), 2, "vetoes.json")


def _json_gbk(tmp: Path) -> list[str]:
    args = json_data()(tmp)
    path = tmp / "data.json"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    return args


def data_path(path: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
    return lambda tmp: score(path(tmp), "csv", tmp / "result.csv")


def text_file(tmp: Path) -> Path:
    (tmp / "data.txt").write_text("units", encoding="utf-8")
    return tmp / "data.txt"


case("data_path_missing", "malformed structure", data_path(lambda t: t / "nowhere"), 2, "nowhere")
case("data_path_a_text_file", "malformed structure", data_path(text_file), 2, "data.txt")
case(
    "data_path_empty_folder",
    "malformed structure",
    data_path(lambda t: (t / "empty").mkdir() or t / "empty"),
    2,
    "units",
)


def output_into(where: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        folder = data(tmp)
        return score(folder, "csv", where(tmp))

    return make


def a_file_as_folder(tmp: Path) -> Path:
    (tmp / "file").write_text("x", encoding="utf-8")
    return tmp / "file" / "result.csv"


case("output_is_a_folder", "malformed structure", output_into(lambda t: t), 2)
case("output_under_a_file", "malformed structure", output_into(a_file_as_folder), 2, "file")
case("output_in_a_missing_folder", "malformed structure", output_into(lambda t: t / "new" / "deeper" / "result.csv"), 0)

# -- silently wrong results -------------------------------------------------------------------------------


def add_row(table: str, row: list[str]) -> Callable[[Tables], None]:
    return lambda tables: tables[table].append(row)


def copy_row(table: str, index: int, **changes: str) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        row = list(tables[table][index])
        header = [h.split("(")[1].rstrip(")") for h in tables[table][0]]
        for key, value in changes.items():
            row[header.index(key)] = value
        tables[table].append(row)

    return change


def without_count(tables: Tables) -> None:
    tables["events"] = [row[:2] + row[3:] for row in tables["events"]]
    tables["events"].append(list(tables["events"][1]))


VETO = ["S1-01", "security", "市纪委", "事故"]
case("veto_entered_twice", "silently wrong", scored(lambda t: t["vetoes"].extend([VETO, VETO])), 2, "vetoes.csv, row 3")
case("event_entered_twice_without_count", "silently wrong", scored(without_count), 2, "events.csv, row 6", "row 2")
case("event_twice_with_count_is_two_events", "silently wrong", scored(copy_row("events", 3)), 0)
case("value_entered_twice", "silently wrong", scored(copy_row("values", 1)), 2, "values.csv", "duplicate")
case("value_twice_with_other_number", "silently wrong", scored(copy_row("values", 1, value="400")), 2, "duplicate")
case(
    "unit_listed_twice",
    "silently wrong",
    scored(add_row("units", ["S1-01", "组织部", "series1"])),
    2,
    "units.csv, row 5",
    "S1-01",
)
case(
    "unit_in_two_groups",
    "silently wrong",
    scored(add_row("units", ["S1-01", "组织部", "series2"])),
    2,
    "units.csv, row 5",
    "S1-01",
)
case(
    "unit_on_another_groups_roster",
    "silently wrong",
    scored(cell("units", 1, 2, "series2")),
    2,
    "units.csv, row 2",
    "series1",
)
case(
    "unit_in_an_unknown_group",
    "silently wrong",
    scored(cell("units", 1, 2, "series9")),
    2,
    "units.csv, row 2",
    "series9",
)
case("group_by_its_chinese_name", "silently wrong", scored(cell("units", 1, 2, "第一系列")), 0, check=same_as_base())
case(
    "value_for_an_unknown_unit",
    "silently wrong",
    scored(cell("values", 1, 0, "S9-99")),
    2,
    "values.csv, row 2",
    "S9-99",
)
case(
    "value_for_an_unknown_indicator",
    "silently wrong",
    scored(cell("values", 1, 1, "basic_target")),
    2,
    "values.csv, row 2",
)
case("event_for_an_unknown_rule", "silently wrong", scored(cell("events", 1, 1, "contributon")), 2, "events.csv, row 2")
case(
    "veto_for_an_unknown_unit",
    "silently wrong",
    scored(lambda t: t["vetoes"].append(["S1-99", "zongzhi", "", ""])),
    2,
    "vetoes.csv, row 2",
    "S1-99",
)
case("unit_without_a_value", "silently wrong", scored(lambda t: t["values"].pop(1)), 2, "S1-01", "basic_targets")
case("unit_without_a_group", "silently wrong", scored(cell("units", 1, 2, "")), 2, "units.csv, row 2", "group")
case(
    "id_with_a_zero_width_space",
    "silently wrong",
    scored(cell("values", 1, 0, "S1-01\u200b")),
    2,
    "values.csv, row 2",
    "U+200B",
    check=few_lines(2),  # the cause alone, not every row of the unit as unknown
)
case(
    "unit_id_with_a_zero_width_space",
    "silently wrong",
    scored(cell("units", 1, 0, "S1-01\u200b")),
    2,
    "units.csv, row 2",
    "U+200B",
    check=few_lines(2),  # the cause alone, not every row of the unit as unknown
)
case(
    "rule_id_with_a_bom_inside",
    "silently wrong",
    scored(cell("events", 1, 1, "\ufeffcontribution")),
    2,
    "events.csv, row 2",
    "U+FEFF",
)
case("unit_id_full_width", "silently wrong", scored(cell("values", 1, 0, "Ｓ１－０１")), 2, "values.csv, row 2")
case(
    "unit_id_with_inner_spaces_trimmed",
    "silently wrong",
    scored(cell("values", 1, 0, " S1-01 ")),
    0,
    check=same_as_base(),
)
case(
    "percent_in_points_column",
    "silently wrong",
    scored(cell("values", 3, 2, "92%")),
    2,
    "values.csv, row 4",
    "综合评议",
)
case(
    "row_for_an_indicator_the_group_is_not_scored_on",
    "silently wrong",
    scored(
        lambda t: (
            t["units"].append(["N-01", "市人大机关", "non_series"]),
            t["values"].extend([["N-01", "public_review", "250", ""], ["N-01", "basic_targets", "300", ""]]),
        )
    ),
    2,
    "values.csv",
    "basic_targets",
)

# -- injection --------------------------------------------------------------------------------------------

for name, text in [
    ("equals", "=1+1"),
    ("plus", "+SUM(A1:A9)"),
    ("minus", "-2+3"),
    ("at", "@SUM(A1)"),
    ("tab", "\t=1+1"),
    ("carriage_return", "\r=1+1"),
    ("hyperlink", '=HYPERLINK("http://example.com","点我")'),
    ("dde", "=cmd|' /C calc'!A0"),
]:
    for fmt in ("csv", "xlsx"):
        case(f"unit_name_{name}_{fmt}", "injection", scored(cell("units", 1, 1, text), fmt=fmt), 0)

case("unit_id_formula_csv", "injection", scored(lambda t: _rename_unit(t, "=1+1")), 0)
case(
    "unit_name_escape_sequence_table",
    "injection",
    lambda t: [*scored(cell("units", 1, 1, "\x1b[31m红\x1b[0m"))(t)[:-2], "--format", "table"],
    0,
)
case("unit_name_bell_xlsx", "injection", scored(cell("units", 1, 1, "组织\x07部"), fmt="xlsx"), 0)
case("unit_name_nul_xlsx", "injection", scored(cell("units", 1, 1, "组织\x00部"), fmt="xlsx"), 0)
case(
    "unit_name_bidi_override_table",
    "injection",
    lambda t: data(t, cell("units", 1, 1, "\u202e部织组")) and ["score", "--scheme", SCHEME, "--data", str(t / "data")],
    0,
)
case(
    "unit_id_escape_in_error",
    "injection",
    scored(cell("values", 1, 0, "\x1b]0;pwned\x07S1-01")),
    2,
    "values.csv, row 2",
    "U+001B",
)
case(
    "unit_name_script_html",
    "injection",
    scored(cell("units", 1, 1, "<script>alert(1)</script>"), fmt="html"),
    0,
    check=lambda t, r: _no_script(t),
)
case(
    "unit_name_quotes_json",
    "injection",
    scored(cell("units", 1, 1, '"},{"x":1'), fmt="json"),
    0,
    check=lambda t, r: json.loads(result_text(t, "json")),
)
case(
    "explain_unit_with_formula_note",
    "injection",
    lambda t: ["explain", "S2-01", "--scheme", SCHEME, "--data", str(data(t, cell("events", 1, 11, "\x1b[2J=1+1")))],
    0,
)


def _rename_unit(tables: Tables, new: str) -> None:
    for table in ("units", "values", "events"):
        for row in tables[table][1:]:
            if row[0] == "S1-01":
                row[0] = new


def _no_script(tmp: Path) -> None:
    assert "<script>alert" not in result_text(tmp, "html")


# -- data loss --------------------------------------------------------------------------------------------


def template_over_data(tmp: Path) -> list[str]:
    folder = data(tmp)
    return ["template", SCHEME, "-o", str(folder)]


def failed_run_keeps(tmp: Path) -> list[str]:
    folder = data(tmp, cell("values", 1, 2, "abc"))
    (tmp / "out").mkdir()
    (tmp / "out" / "result.xlsx").write_bytes(b"last year's report")
    return score(folder, "xlsx", tmp / "out" / "result.xlsx")


def output_over_input(tmp: Path) -> list[str]:
    folder = data(tmp)
    return score(folder, "csv", folder / "values.csv")


def output_as_table_in_data(tmp: Path) -> list[str]:
    folder = data(tmp)
    return score(folder, "json", folder / "events.json")


def output_over_data_file(tmp: Path) -> list[str]:
    args = json_data()(tmp)
    return args[: args.index("-o")] + ["--format", "json", "-o", str(tmp / "data.json")][2:]


def output_beside_data(tmp: Path) -> list[str]:
    folder = data(tmp)
    return score(folder, "csv", folder / "result.csv")


def template_into_empty(tmp: Path) -> list[str]:
    return ["template", SCHEME, "-o", str(tmp / "templates")]


def _data_unchanged(tmp: Path, result: Result) -> None:
    written = {p.name: p.read_bytes() for p in (tmp / "data").iterdir()}
    fresh = {name: csv_bytes(rows) for name, rows in ((f"{n}.csv", r) for n, r in base_tables().items())}
    assert written == fresh


def _rerun_same(tmp: Path, result: Result) -> None:
    first = (tmp / "data" / "result.csv").read_bytes()
    again = invoke(score(tmp / "data", "csv", tmp / "data" / "result.csv"))
    assert again.exit_code == 0, again.output
    assert (tmp / "data" / "result.csv").read_bytes() == first


def output_over_config(tmp: Path) -> list[str]:
    folder = data(tmp)
    (tmp / "kaoping.toml").write_text(f'[counties.a]\nscheme = "{SCHEME}"\n', encoding="utf-8")
    return [
        "score",
        "--config",
        str(tmp / "kaoping.toml"),
        "--data",
        str(folder),
        "--format",
        "csv",
        "-o",
        str(tmp / "kaoping.toml"),
    ]


def output_over_overrides(tmp: Path) -> list[str]:
    folder = data(tmp)
    (tmp / "o.toml").write_text("[parameters]\n", encoding="utf-8")
    return [*score(folder, "csv", tmp / "o.toml"), "--overrides", str(tmp / "o.toml")]


def output_over_workbook(tmp: Path) -> list[str]:
    sheets = {name: rows for name, rows in base_tables().items()}
    write_workbook(tmp / "data.xlsx", sheets)
    return score(tmp / "data.xlsx", "xlsx", tmp / "data.xlsx")


def _config_unchanged(tmp: Path, result: Result) -> None:
    assert (tmp / "kaoping.toml").read_text(encoding="utf-8").startswith("[counties.a]")


case("output_over_the_deployment_file", "data loss", output_over_config, 2, "kaoping.toml", check=_config_unchanged)
case("output_over_the_overrides_file", "data loss", output_over_overrides, 2, "o.toml")
case("output_over_the_data_workbook", "data loss", output_over_workbook, 2, "data.xlsx")
case("template_over_filled_data", "data loss", template_over_data, 2, "--force", check=_data_unchanged)
case("failed_run_keeps_last_report", "data loss", failed_run_keeps, 2, "values.csv, row 2")
case("output_over_an_input_table", "data loss", output_over_input, 2, "values.csv", check=_data_unchanged)
case("output_named_like_a_table_in_the_data_folder", "data loss", output_as_table_in_data, 2, "events.json")
case("output_over_the_data_file", "data loss", output_over_data_file, 2, "data.json")
case("output_beside_the_data_is_not_read_back", "data loss", output_beside_data, 0, check=_rerun_same)
case("template_into_a_new_folder", "data loss", template_into_empty, 0)

# -- configuration types ----------------------------------------------------------------------------------


def deployed(
    toml: str | bytes, change: Callable[[Tables], None] | None = None, *extra: str
) -> Callable[[Path], list[str]]:
    """``kaoping validate`` of the base data under a kaoping.toml with ``toml``."""

    def make(tmp: Path) -> list[str]:
        folder = data(tmp, change)
        path = tmp / "kaoping.toml"
        path.write_bytes(toml if isinstance(toml, bytes) else toml.encode("utf-8"))
        return ["validate", "--config", str(path), "--data", str(folder), *extra]

    return make


COUNTY = f'[counties.a]\nscheme = "{SCHEME}"\n'
case("toml_with_a_bom", "configuration types", deployed(b"\xef\xbb\xbf" + COUNTY.encode()), 0)
case(
    "toml_in_gbk",
    "configuration types",
    deployed(("# 部署\n" + COUNTY + 'name = "漳州"\n').encode("gbk")),
    2,
    "kaoping.toml",
)
case(
    "toml_duplicate_key",
    "configuration types",
    deployed(COUNTY + f'scheme = "{SCHEME}"\n'),
    2,
    "kaoping.toml",
    "line 3",
)
case("toml_duplicate_table", "configuration types", deployed(COUNTY + COUNTY), 2, "kaoping.toml")
case("toml_syntax_error", "configuration types", deployed(COUNTY + "year = \n"), 2, "kaoping.toml", "line 3")
case("toml_empty", "configuration types", deployed(""), 2, "kaoping.toml", "counties")
case("toml_plugins_as_text", "configuration types", deployed('plugins = "x.py"\n' + COUNTY), 2, "key plugins")
case("toml_disable_numbers", "configuration types", deployed("disable = [1]\n" + COUNTY), 2, "key disable[0]")
case("toml_county_not_a_table", "configuration types", deployed("[counties]\na = 3\n"), 2, "key counties.a")
case("toml_year_as_text", "configuration types", deployed(COUNTY + 'year = "2024年"\n'), 2, "key counties.a.year")
case("toml_data_as_number", "configuration types", deployed(COUNTY + "data = 3\n"), 2, "key counties.a.data")
case("toml_unknown_key", "configuration types", deployed(COUNTY + "sceme = 1\n"), 2, "counties.a", "sceme")
case("toml_unknown_top_key", "configuration types", deployed("county = 1\n" + COUNTY), 2, "county")
case("toml_limits_text", "configuration types", deployed('[limits]\nrows = "many"\n' + COUNTY), 2, "key limits.rows")
case("toml_limits_zero", "configuration types", deployed("[limits]\nxlsx_mb = 0\n" + COUNTY), 2, "key limits.xlsx_mb")
case(
    "toml_unknown_scheme",
    "configuration types",
    deployed('[counties.a]\nscheme = "fujian.zhangzhuo"\n'),
    2,
    "fujian.zhangzhuo",
)
case(
    "toml_ranked_as_text",
    "configuration types",
    deployed(COUNTY + '[[counties.a.overrides.groups]]\nid = "non_series"\nranked = "false"\n'),
    2,
    "key counties.a.overrides.groups[non_series].ranked",
    "true or false",
)
case(
    "toml_negative_cap",
    "configuration types",
    deployed(COUNTY + '[[counties.a.overrides.rules]]\nid = "training"\ncap = -3\n'),
    2,
    "key counties.a.overrides.rules[training].cap",
)
case(
    "toml_fractional_quota",
    "configuration types",
    deployed(COUNTY + '[[counties.a.overrides.grading.quotas]]\nid = "excellent"\ncounts = { series1 = 2.5 }\n'),
    2,
    "counties.a.overrides.grading.quotas[excellent].counts.series1",
)
case(
    "toml_number_as_text",
    "configuration types",
    deployed(COUNTY + '[[counties.a.overrides.parts]]\nid = "basic"\npoints = "四百五十"\n'),
    2,
    "key counties.a.overrides.parts[basic].points",
)
case(
    "toml_unknown_override_id",
    "configuration types",
    deployed(COUNTY + '[[counties.a.overrides.rules]]\nid = "trainig"\ncap = 3\n'),
    2,
    "counties.a.overrides.rules",
    "trainig",
)
case(
    "toml_unknown_method_parameter",
    "configuration types",
    deployed(COUNTY + '[[counties.a.overrides.indicators]]\nid = "comprehensive_review"\ntrimm = 1\n'),
    2,
    "key counties.a.overrides.indicators[comprehensive_review].trimm",
)
case(
    "toml_value_kind_not_the_methods",
    "configuration types",
    deployed(COUNTY + '[[counties.a.overrides.indicators]]\nid = "basic_targets"\nvalue_kind = "ratio"\n'),
    2,
    "value_kind",
)
case(
    "toml_overrides_as_number",
    "configuration types",
    deployed(COUNTY + "overrides = 3\n"),
    2,
    "key counties.a.overrides",
)
case(
    "toml_missing_plugin_file",
    "configuration types",
    deployed('plugins = ["./missing.py"]\n' + COUNTY),
    2,
    "missing.py",
)


def plugin(code: str) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        (tmp / "local.py").write_text(code, encoding="utf-8")
        return deployed('plugins = ["./local.py"]\n' + COUNTY)(tmp)

    return make


case("plugin_that_does_not_import", "configuration types", plugin("import nonexistent_module_xyz\n"), 2, "local.py:1")
case("plugin_with_a_syntax_error", "configuration types", plugin("def broken(:\n"), 2, "local.py")
case(
    "plugin_failing_in_a_hook",
    "configuration types",
    plugin(
        "from kaoping.api import hookimpl\n\n@hookimpl\n"
        "def kaoping_validate_dataset(scheme, dataset):\n    return {}['x']\n"
    ),
    2,
    "local",
    "kaoping_validate_dataset",
    "local.py:5",
)


def overrides_file(make_path: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
    def make(tmp: Path) -> list[str]:
        folder = data(tmp)
        return ["validate", "--scheme", SCHEME, "--data", str(folder), "--overrides", str(make_path(tmp))]

    return make


def toml_file(text: str | bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / "overrides.toml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    return make


case("overrides_file_is_a_folder", "configuration types", overrides_file(lambda t: t / "data"), 2, "data")
case("overrides_file_missing", "configuration types", overrides_file(lambda t: t / "none.toml"), 2, "none.toml")
case(
    "overrides_file_malformed",
    "configuration types",
    overrides_file(toml_file("[[rules]\n")),
    2,
    "overrides.toml",
    "line 1",
)
case(
    "overrides_file_wrong_type",
    "configuration types",
    overrides_file(toml_file('total = "千"\n')),
    2,
    "overrides.toml",
    "key total",
)
case("overrides_file_with_bom", "configuration types", overrides_file(toml_file(b"\xef\xbb\xbf[parameters]\n")), 0)
case("config_is_a_folder", "configuration types", lambda t: ["validate", "--config", str(t), "--data", str(data(t))], 2)
case(
    "config_symlink_loop",
    "configuration types",
    lambda t: (
        (t / "k.toml").symlink_to(t / "k.toml") or ["validate", "--config", str(t / "k.toml"), "--data", str(data(t))]
    ),
    2,
    "k.toml",
)
case(
    "unknown_scheme_option",
    "configuration types",
    lambda t: ["validate", "--scheme", "nope", "--data", str(data(t))],
    2,
    "nope",
)
case(
    "perturbation_ranges_typed",
    "configuration types",
    lambda t: _perturb(t, '[[ranges]]\npath = "total"\nlow = "low"\nhigh = [1]\n'),
    2,
    "ranges[0].low",
)


def _perturb(tmp: Path, text: str) -> list[str]:
    (tmp / "ranges.toml").write_text(text, encoding="utf-8")
    (tmp / "reform.toml").write_text('[[parts]]\nid = "basic"\npoints = 450\n', encoding="utf-8")
    folder = str(data(tmp))
    return [
        "compare",
        "--scheme",
        SCHEME,
        "--reform",
        str(tmp / "reform.toml"),
        "--data",
        folder,
        "--perturb",
        str(tmp / "ranges.toml"),
    ]


# -- messages lead with the cause -------------------------------------------------------------------------


def drop_column(table: str, index: int) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table] = [row[:index] + row[index + 1 :] for row in tables[table]]

    return change


def rename_header(table: str, index: int, header: str) -> Callable[[Tables], None]:
    return cell(table, 0, index, header)


def double_column(table: str, index: int) -> Callable[[Tables], None]:
    def change(tables: Tables) -> None:
        tables[table] = [[*row, row[index]] for row in tables[table]]

    return change


case(
    "missing_value_column",
    "messages",
    scored(drop_column("values", 2)),
    2,
    "values.csv",
    first_line="required column",
    check=few_lines(3),
)
case(
    "missing_group_column",
    "messages",
    scored(drop_column("units", 2)),
    2,
    "units.csv",
    first_line="required column",
    check=few_lines(3),
)
case(
    "misspelt_value_header",
    "messages",
    scored(rename_header("values", 2, "数直(valeu)")),
    2,
    first_line="required column",
    check=few_lines(4),
)
case(
    "value_column_twice",
    "messages",
    scored(double_column("values", 2)),
    2,
    first_line="appears twice",
    check=few_lines(3),
)
case(
    "missing_unit_column_in_events",
    "messages",
    scored(drop_column("events", 0)),
    2,
    "events.csv",
    first_line="required column",
    check=few_lines(3),
)
case(
    "every_bad_cell_in_one_report",
    "messages",
    scored(lambda t: [t["values"][i].__setitem__(2, "x") for i in (1, 8, 15)]),
    2,
    "row 2",
    "row 9",
    "row 16",
)
case(
    "bad_cells_in_several_tables_together",
    "messages",
    scored(lambda t: (cell("values", 1, 2, "x")(t), cell("events", 1, 2, "y")(t))),
    2,
    "values.csv, row 2",
    "events.csv, row 2",
)
case("machine_paths_not_shown", "messages", scored(cell("values", 1, 2, "x")), 2, check=lambda t, r: _no_path(t, r))


def _no_path(tmp: Path, result: Result) -> None:
    assert str(tmp) not in result.output


def chinese_first_line(tmp: Path) -> list[str]:
    return ["--lang", "zh", *scored(drop_column("values", 2))(tmp)]


case("missing_column_in_chinese", "messages", chinese_first_line, 2, "values.csv", "数值")

# -- byte-identical reruns --------------------------------------------------------------------------------


def rerun(fmt: str, command: str = "score") -> Callable[[Path, Result], None]:
    def check(tmp: Path, result: Result) -> None:
        first = (tmp / "out" / f"result.{fmt}").read_bytes()
        os.utime(tmp / "data" / "units.csv", (1, 1))  # other file times: the output must not show them
        again = invoke(score(tmp / "data", fmt, tmp / "out" / "again" / f"result.{fmt}"))
        assert again.exit_code == 0, again.output
        assert (tmp / "out" / "again" / f"result.{fmt}").read_bytes() == first

    return check


for fmt in ("csv", "json", "xlsx", "html"):
    case(f"rerun_{fmt}_is_byte_identical", "reruns", scored(fmt=fmt), 0, check=rerun(fmt))
case(
    "rerun_of_injected_names_xlsx",
    "reruns",
    scored(cell("units", 1, 1, "=1+1\x07"), fmt="xlsx"),
    0,
    check=rerun("xlsx"),
)


def template_twice(tmp: Path) -> list[str]:
    return ["template", SCHEME, "--format", "xlsx", "-o", str(tmp / "t1")]


def _templates_same(tmp: Path, result: Result) -> None:
    again = invoke(["template", SCHEME, "--format", "xlsx", "-o", str(tmp / "t2")])
    assert again.exit_code == 0, again.output
    first = {p.name: p.read_bytes() for p in (tmp / "t1").iterdir()}
    assert first and first == {p.name: p.read_bytes() for p in (tmp / "t2").iterdir()}


case("rerun_template_xlsx_is_byte_identical", "reruns", template_twice, 0, check=_templates_same)


# -- the runner -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path: Path):
    args = case.make(tmp_path)
    before = snapshot(output_path(args))
    result = invoke(args, case.env)
    check_promises(case, args, before, result)
    if case.check is not None:
        case.check(tmp_path, result)


def test_the_catalogue_covers_every_class_with_over_120_cases():
    assert len(CASES) >= 120
    assert len({c.id for c in CASES}) == len(CASES)
    by_class = Counter(c.kind for c in CASES)
    assert set(by_class) == set(CLASSES), by_class


def test_docs_hardening_counts_the_catalogue_as_it_is():
    text = (Path(__file__).parents[2] / "docs" / "hardening.md").read_text(encoding="utf-8")
    assert f"{len(CASES)} cases" in text
    for kind, count in count_by_class().items():
        assert f"| {kind} | {count} |" in text, kind


def count_by_class() -> dict[str, int]:
    """The catalogue's size by class, as docs/hardening.md reports it."""
    return dict(Counter(c.kind for c in CASES))


if __name__ == "__main__":  # pragma: no cover - prints the table for the documentation
    for kind in CLASSES:
        print(f"| {kind} | {count_by_class()[kind]} |")
    print("total", len(CASES))
