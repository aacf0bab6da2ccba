"""The reading fixes the catalogue of bad inputs (tests/hardening) found, each tested at its root."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping.core import limits
from kaoping.core.errors import InputError
from kaoping.core.methods import ScoringContext
from kaoping.core.models import Dataset
from kaoping.core.plugins import PluginHost
from kaoping.core.validate import validate_dataset
from kaoping.io.dataio import dataset_from_records, decode_text, load_dataset
from kaoping.io.safety import terminal_text

UNITS = "unit,name,group\n"


@pytest.fixture(autouse=True)
def reset_limits():
    yield
    limits.configure(None)


def folder(tmp_path: Path, **tables: str | bytes) -> Path:
    for name, text in tables.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return tmp_path


def reading_problem(source: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_dataset(source)
    (problem,) = caught.value.problems
    return str(problem)


def test_a_cell_beyond_the_header_is_an_error_not_dropped(tmp_path: Path):
    # an unquoted comma in a note: the text after it used to vanish without a word
    source = folder(tmp_path, units=UNITS + "a,甲,g\n", events="unit,rule,note\na,r,二者择一,按没有的扣10分\n")
    message = reading_problem(source)
    assert message.startswith("events.csv, row 2, column '4'") and "按没有的扣10分" in message


def test_empty_cells_beyond_the_header_are_fine(tmp_path: Path):
    source = folder(tmp_path, units=UNITS + "a,甲,g,,\n")
    assert [u.id for u in load_dataset(source).units] == ["a"]


def test_a_header_longer_than_the_cell_limit_is_an_error(tmp_path: Path):
    source = folder(tmp_path, units="unit,name,group," + "x" * 40_000 + "\na,甲,g,\n")
    message = reading_problem(source)
    assert "units.csv, row 1" in message and "40000 characters" in message and len(message) < 400


@pytest.mark.parametrize("target", ["loop", "nowhere"])
def test_a_table_linked_to_nothing_is_named_not_skipped(tmp_path: Path, target: str):
    source = folder(tmp_path, units=UNITS + "a,甲,g\n")
    link = tmp_path / "events.csv"
    link.symlink_to(link if target == "loop" else tmp_path / "gone.csv")
    assert reading_problem(source).startswith("events.csv: is a link that leads nowhere")


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u202e", "\x1b"])
def test_an_id_with_an_invisible_character_is_an_error_naming_it(invisible: str):
    dataset = dataset_from_records(
        {
            "units": [{"unit": f"a{invisible}", "name": "甲", "group": "g"}],
            "values": [{"unit": "a", "indicator": "i", "value": 1}],
        }
    )
    (problem,) = dataset.problems
    assert problem.column == "unit" and f"U+{ord(invisible):04X}" in problem.message
    assert dataset.unreadable_units == {"a"}  # its other rows are not reported again as an unknown unit


def test_names_keep_their_characters():
    dataset = dataset_from_records({"units": [{"unit": "a", "name": "甲\u200b乙", "group": "g"}]})
    assert not dataset.problems and dataset.units[0].name == "甲\u200b乙"


def test_a_file_marked_utf8_with_gbk_lines_is_a_mix_named_by_line():
    data = b"\xef\xbb\xbf" + "unit,name\na,甲\n".encode() + "b,乙\n".encode("gbk")
    with pytest.raises(InputError) as caught:
        decode_text(data, "units.csv")
    (problem,) = caught.value.problems
    assert problem.row == 3 and "UTF-8" in problem.message


def test_utf8_and_gbk_lines_without_a_mark_name_the_first_line_that_is_not_utf8():
    data = "unit,name\r\na,甲\r\n".encode() + "b,乙乙乙\r\n".encode("gbk") + "c,丙\r\n".encode()
    with pytest.raises(InputError) as caught:
        decode_text(data, "units.csv")
    assert caught.value.problems[0].row == 3


def test_gbk_alone_is_still_read():
    assert decode_text("unit,name\na,甲\n".encode("gbk"), "units.csv") == "unit,name\na,甲\n"


def test_a_row_that_stops_before_a_required_column_names_the_missing_cell(tmp_path: Path):
    source = folder(tmp_path, units=UNITS + "a,甲,g\n", values="unit,indicator,value\na,i\n")
    problems = load_dataset(source).problems
    assert [(p.file, p.row, p.column) for p in problems] == [("values.csv", 2, "value")]


def test_an_empty_units_table_is_reported_alone():
    scheme = PluginHost().scheme("fujian.zhangzhou")
    dataset = dataset_from_records(
        {"units": [], "values": [{"unit": "S1-01", "indicator": "basic_targets", "value": 1}]}, origin="/home/x/data"
    )
    problems = validate_dataset(scheme, dataset)
    assert [(p.file, p.message) for p in problems] == [("data", "the units table is empty")]


def test_the_terminal_gets_no_bidirectional_override():
    assert terminal_text("\u202e部织组\u2066x\u2069") == "部织组x"
    assert terminal_text("甲\t乙\n") == "甲\t乙\n"


def test_a_scoring_problem_without_a_row_names_the_data_not_the_machine_path():
    context = ScoringContext(PluginHost().scheme("fujian.zhangzhou"), Dataset(origin="/home/clerk/2024/data"))
    context.problem("x")
    assert context.problems[0].input == "data"
