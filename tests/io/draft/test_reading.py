"""Reading scheme texts: UTF-8 with or without BOM, GB18030, .docx with tables; clear errors otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kaoping.core.errors import InputError
from kaoping.io.draft.reading import read_scheme_text

# 001_afe211f9c574c74e.txt, 第一篇
RULE = "领导重视情况15分,扣分情况以扣完本项分值为止。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_text_files_in_each_encoding(tmp_path: Path, encoding: str):
    path = tmp_path / "scheme.txt"
    path.write_bytes(RULE.encode(encoding))
    assert read_scheme_text(path) == RULE


def test_undecodable_text_names_the_file(tmp_path: Path):
    path = tmp_path / "scheme.txt"
    path.write_bytes(b"\xff\xfe\x00\xd8\x81\x30\xff")
    with pytest.raises(InputError, match=r"scheme\.txt"):
        read_scheme_text(path)


def test_docx_paragraphs_and_tables_are_flattened_in_order(tmp_path: Path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("一、考评内容")
    table = document.add_table(rows=2, cols=3)
    rows = [["项目", "分值", "评分标准"], ["领导重视", "15分", "没有制定工作方案的扣5分"]]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("二、考评方法")
    path = tmp_path / "scheme.docx"
    document.save(str(path))
    assert read_scheme_text(path).splitlines() == [
        "一、考评内容",
        "项目\t分值\t评分标准",
        "领导重视\t15分\t没有制定工作方案的扣5分",
        "二、考评方法",
    ]


def test_docx_without_python_docx_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "scheme.docx"
    path.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(InputError, match=r"kaoping\[docx\]"):
        read_scheme_text(path)


def test_broken_docx_and_missing_file_are_input_errors(tmp_path: Path):
    pytest.importorskip("docx")
    path = tmp_path / "scheme.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable .docx"):
        read_scheme_text(path)
    with pytest.raises(InputError, match="no such file"):
        read_scheme_text(tmp_path / "absent.txt")
