"""Never lose an office's files: the one guard every -o goes through."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.core.errors import InputError
from kaoping.io import outputs
from kaoping.io.outputs import output_problem, write_output, write_text_output
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA

SCHEME = "fujian.zhangzhou"


def cli_run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_output_that_is_an_input_file_is_refused(tmp_path: Path, data: Path):
    before = snapshot(data)
    result = cli_run("score", "--scheme", SCHEME, "--data", str(data), "--format", "csv", "-o", str(data / "units.csv"))
    assert result.exit_code == 2 and ("inputs" in result.output or "data folder" in result.output)
    assert snapshot(data) == before


def test_output_reached_through_dots_or_links_is_still_the_input(tmp_path: Path, data: Path):
    workbook = tmp_path / "data.json"
    workbook.write_text('{"units": []}', encoding="utf-8")
    link = tmp_path / "alias.json"
    link.symlink_to(workbook)
    for target in (tmp_path / "data" / ".." / "data.json", link):
        assert output_problem(target, [workbook]) is not None


def test_output_inside_the_data_folder_is_refused_only_where_it_would_be_read(data: Path):
    assert output_problem(data / "values.xlsx", [data]) is not None
    assert output_problem(data / "history.json", [data]) is not None
    assert output_problem(data / "result.xlsx", [data]) is None


def test_output_that_is_a_folder_or_a_device_is_refused(tmp_path: Path, data: Path):
    folder = cli_run("score", "--scheme", SCHEME, "--data", str(data), "-o", str(tmp_path))
    assert folder.exit_code == 2 and "folder" in folder.output
    if Path("/dev/null").exists():
        device = cli_run("score", "--scheme", SCHEME, "--data", str(data), "--format", "json", "-o", "/dev/null")
        assert device.exit_code == 2 and "regular file" in device.output


def test_dash_writes_binary_formats_to_stdout(data: Path):
    result = CliRunner().invoke(cli, ["score", "--scheme", SCHEME, "--data", str(data), "--format", "xlsx", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes[:2] == b"PK"  # a zip: the workbook itself
    assert not Path("-").exists()


def test_dash_writes_text_formats_to_stdout(data: Path):
    result = cli_run("score", "--scheme", SCHEME, "--data", str(data), "--format", "json", "-o", "-")
    assert result.exit_code == 0 and result.stdout.lstrip().startswith("{")


def test_a_workbook_open_in_excel_gets_a_message(tmp_path: Path, data: Path):
    target = tmp_path / "通报.xlsx"
    target.write_bytes(b"old")
    (tmp_path / "~$通报.xlsx").write_bytes(b"owner")
    result = cli_run("score", "--scheme", SCHEME, "--data", str(data), "--format", "xlsx", "-o", str(target))
    assert result.exit_code == 2 and "Excel" in result.output
    assert target.read_bytes() == b"old"


def test_windows_refusing_the_rename_gets_the_excel_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def locked(src: str, dst: str) -> None:
        raise PermissionError(13, "The process cannot access the file because it is being used")

    monkeypatch.setattr(os, "replace", locked)
    target = tmp_path / "report.csv"
    with pytest.raises(InputError, match="Excel"):
        write_text_output(target, "x")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_a_failing_writer_leaves_the_old_file(tmp_path: Path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def broken(temp: Path) -> None:
        temp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_output(target, broken)
    assert target.read_text(encoding="utf-8") == "old" and len(list(tmp_path.iterdir())) == 1


def test_template_never_writes_over_files_without_force(tmp_path: Path, data: Path):
    before = snapshot(data)
    result = cli_run("template", SCHEME, "-o", str(data))
    assert result.exit_code == 2 and "--force" in result.output
    assert snapshot(data) == before  # a filled folder is never replaced
    again = tmp_path / "t"
    assert cli_run("template", SCHEME, "-o", str(again)).exit_code == 0
    assert cli_run("template", SCHEME, "-o", str(again)).exit_code == 2
    assert cli_run("template", SCHEME, "-o", str(again), "--force").exit_code == 0


def test_template_xlsx_to_stdout(tmp_path: Path):
    result = CliRunner().invoke(cli, ["template", SCHEME, "-o", "-", "--format", "xlsx"])
    assert result.exit_code == 0 and result.stdout_bytes[:2] == b"PK"
    assert cli_run("template", SCHEME, "-o", "-").exit_code == 2  # CSV templates are several files


def test_compare_and_demo_use_the_guard(tmp_path: Path, data: Path):
    reform = tmp_path / "reform.toml"
    reform.write_text('label = "r"\n[overrides]\n', encoding="utf-8")
    compared = cli_run(
        "compare",
        "--data",
        str(data),
        "--scheme",
        SCHEME,
        "--reform",
        str(reform),
        "--format",
        "html",
        "-o",
        str(reform),
    )
    assert compared.exit_code == 2 and reform.read_text(encoding="utf-8").startswith("label")
    demo = cli_run("demo", "-o", str(tmp_path))
    assert demo.exit_code == 2 and "folder" in demo.output


def test_every_command_with_an_output_goes_through_the_guard():
    from kaoping.cli import compare, data, run

    for module in (compare, data, run):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert "write_atomic" not in source
    assert outputs.write_output is write_output


def test_a_path_through_a_file_or_into_a_file_is_a_clear_error(tmp_path: Path, data: Path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    through = cli_run("score", "--scheme", SCHEME, "--data", str(data), "-o", str(blocker / "out.txt"))
    assert through.exit_code == 2 and "Traceback" not in through.output and "not-a-folder" in through.output
    into = cli_run("template", SCHEME, "-o", str(blocker))
    assert into.exit_code == 2 and blocker.read_text(encoding="utf-8") == "x"


def test_the_deployment_file_is_an_input_too(tmp_path: Path, data: Path):
    config = tmp_path / "kaoping.toml"
    config.write_text(f'[counties.zz]\nscheme = "{SCHEME}"\ndata = "{data.as_posix()}"\n', encoding="utf-8")
    before = config.read_bytes()
    result = cli_run("score", "--config", str(config), "--format", "json", "-o", str(config))
    assert result.exit_code == 2 and config.read_bytes() == before


def test_excel_owner_file_of_a_long_name_is_recognised(tmp_path: Path):
    target = tmp_path / "2024年度考评结果.xlsx"
    (tmp_path / "~$24年度考评结果.xlsx").write_bytes(b"owner")  # Excel replaces the first two characters
    assert "Excel" in (output_problem(target) or "")
