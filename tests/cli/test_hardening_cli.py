"""The command line's promise: a clear error and exit 2 for bad input, never a traceback, never a partial file.

A property test drives ``kaoping score`` (through click's CliRunner, and a few times as a real process)
with generated bad tables: damaged cells, dropped and doubled columns, odd encodings and line ends,
duplicated rows. Whatever the input, the exit code is 0 (a result) or 2 (problems named), no Python
traceback is printed, and an output file exists only when the run succeeded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.cli.main import cli

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "kaoping" / "plugins" / "hubei_province_archives" / "sample"
SCHEME = "hubei.province.archives"
CONFIG = f'[counties.hubei]\nscheme = "{SCHEME}"\n[counties.hubei.overrides.parameters]\nevaluation_year = 2012\n'


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def deployment(folder: Path) -> Path:
    path = folder / "kaoping.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def sample_tables() -> dict[str, list[list[str]]]:
    tables = {}
    for path in sorted(SAMPLE.glob("*.csv")):
        if path.name != "expected.csv":
            tables[path.stem] = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return tables


def write_tables(folder: Path, tables: dict[str, list[list[str]]], encoding: str, newline: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        buffer = io.StringIO()
        if sys.version_info < (3, 11):  # the csv writer of 3.10 cannot write NUL at all
            rows = [[cell.replace("\x00", "") for cell in row] for row in rows]
        csv.writer(buffer, lineterminator=newline).writerows(rows)
        try:
            data = buffer.getvalue().encode(encoding)
        except UnicodeEncodeError:
            data = buffer.getvalue().encode("utf-8")
        (folder / f"{name}.csv").write_bytes(data)


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text, text


# -- generated bad tables --------------------------------------------------------------------------------

BAD_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "1e999999",
            "NaN",
            "-Infinity",
            "８５．５",
            "85%",
            "1_0",
            "=1+1",
            "@SUM(A1)",
            "\x1b[31m",
            "\x00",
            "H01",
            "H99",
            "score",
            "-1",
            "2.5",
            "99999999999999999999",
            '"',
            "\r",
            "是",
        ]
    ),
)


@st.composite
def bad_tables(draw: st.DrawFn) -> dict[str, list[list[str]]]:
    tables = sample_tables()
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(tables)))
        rows = tables[name]
        action = draw(
            st.sampled_from(["cell", "cell", "drop_column", "double_column", "duplicate_row", "drop_table", "header"])
        )
        if action == "cell" and len(rows) > 1:
            row = draw(st.integers(1, len(rows) - 1))
            column = draw(st.integers(0, len(rows[row]) - 1))
            rows[row][column] = draw(BAD_CELLS)
        elif action == "header":
            column = draw(st.integers(0, len(rows[0]) - 1))
            rows[0][column] = draw(BAD_CELLS)
        elif action == "drop_column":
            column = draw(st.integers(0, len(rows[0]) - 1))
            tables[name] = [r[:column] + r[column + 1 :] for r in rows]
        elif action == "double_column":
            column = draw(st.integers(0, len(rows[0]) - 1))
            tables[name] = [[*r, r[column]] for r in rows]
        elif action == "duplicate_row" and len(rows) > 1:
            rows.append(list(rows[draw(st.integers(1, len(rows) - 1))]))
        elif action == "drop_table" and name != "units":
            del tables[name]
    return tables


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tables=bad_tables(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    fmt=st.sampled_from(["json", "csv", "xlsx"]),
)
def test_generated_bad_tables_exit_0_or_2_without_traceback_or_partial_file(
    tmp_path_factory: pytest.TempPathFactory, tables, encoding: str, newline: str, fmt: str
):
    folder = tmp_path_factory.mktemp("run")
    write_tables(folder / "data", tables, encoding, newline)
    output = folder / "out" / f"result.{fmt}"
    result = invoke(
        "score", "--config", str(deployment(folder)), "--data", str(folder / "data"), "--format", fmt, "-o", str(output)
    )
    assert result.exit_code in (0, 2), result.output
    assert_no_traceback(result.output)
    leftovers = [p.name for p in (folder / "out").glob(".*")] if (folder / "out").exists() else []
    assert not leftovers
    if result.exit_code == 2:
        assert not output.exists()
        assert "problem" in result.output or "error" in result.output
        assert str(folder / "data") not in result.output  # files are named relative to the data folder
    else:
        assert output.exists()
        if fmt == "json":
            json.loads(output.read_text(encoding="utf-8"))


def test_the_sample_itself_passes_through_the_same_harness(tmp_path: Path):
    write_tables(tmp_path / "data", sample_tables(), "utf-8", "\n")
    result = invoke(
        "score", "--config", str(deployment(tmp_path)), "--data", str(tmp_path / "data"), "--format", "json"
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", ["bad_cell", "missing_column"])
def test_real_process_bad_input_exits_2_without_traceback(tmp_path: Path, case: str):
    tables = sample_tables()
    if case == "bad_cell":
        tables["values"][1][2] = "1e999999"
    else:
        tables["values"] = [r[:2] + r[3:] for r in tables["values"]]
    write_tables(tmp_path / "data", tables, "utf-8", "\r")
    output = tmp_path / "result.xlsx"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "kaoping",
            "score",
            "--config",
            str(deployment(tmp_path)),
            "--data",
            str(tmp_path / "data"),
            "--format",
            "xlsx",
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "KAOPING_LANG": "en"},
        check=False,
    )
    assert completed.returncode == 2, completed.stderr
    assert_no_traceback(completed.stderr + completed.stdout)
    assert not output.exists()
    first = completed.stderr.splitlines()[1]
    if case == "missing_column":  # the cause first, once, not each unit's missing value
        assert "required column 数值(value) is missing" in first and completed.stderr.count("\n  ") == 1
    else:
        assert "values.csv, row 2, column '数值(value)'" in first


# -- internal errors and plugins -------------------------------------------------------------------------


def test_an_internal_error_says_so_exits_3_and_shows_the_traceback_only_with_debug(tmp_path: Path):
    args = ["score", "--config", str(deployment(tmp_path)), "--data", str(SAMPLE)]
    with mock.patch("kaoping.core.pipeline.require_grading", side_effect=RuntimeError("boom")):
        plain = invoke(*args, env={"KAOPING_LANG": "en"})
        debug = invoke("--debug", *args, env={"KAOPING_LANG": "en"})
    assert plain.exit_code == 3 and debug.exit_code == 3
    assert "internal error: RuntimeError: boom" in plain.output and "report it" in plain.output
    assert_no_traceback(plain.output)
    assert "Traceback" in debug.output and "RuntimeError: boom" in debug.output


def test_an_internal_error_in_a_real_process_exits_3(tmp_path: Path):
    script = (
        "import sys\nfrom unittest import mock\nfrom kaoping.cli.main import main\n"
        "sys.argv = ['kaoping', 'plugins']\n"
        "with mock.patch('kaoping.core.plugins.PluginHost.__init__', side_effect=KeyError('x')):\n    main()\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "KAOPING_LANG": "en"},
    )
    assert completed.returncode == 3
    assert "internal error: KeyError" in completed.stderr
    assert_no_traceback(completed.stderr)


PLUGIN = """\
from kaoping import hookimpl


@hookimpl
def kaoping_check_vetoes(scheme, dataset):
    return helper(dataset)


def helper(dataset):
    return {}["missing"]
"""


def test_a_deployment_plugin_failure_names_plugin_hook_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "local_rules.py").write_text(PLUGIN, encoding="utf-8")
    config = deployment(tmp_path)
    config.write_text(CONFIG.replace("[counties.hubei]\n", '[counties.hubei]\nplugins = ["local_rules.py"]\n'), "utf-8")
    result = invoke("score", "--config", str(config), "--data", str(SAMPLE), env={"KAOPING_LANG": "en"})
    assert result.exit_code == 2, result.output
    assert "plugin 'local_rules' failed in hook kaoping_check_vetoes at local_rules.py:10: KeyError" in result.output
    assert_no_traceback(result.output)


def test_a_deployment_plugin_that_does_not_import_names_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.py").write_text("x = 1\nraise ValueError('no')\n", encoding="utf-8")
    result = invoke(
        "score", "--scheme", SCHEME, "--plugin", "broken.py", "--data", str(SAMPLE), env={"KAOPING_LANG": "en"}
    )
    assert result.exit_code == 2
    assert "broken.py failed to import at broken.py:2: ValueError: no" in result.output
    (tmp_path / "syntax.py").write_text("def f(:\n", encoding="utf-8")
    result = invoke("score", "--scheme", SCHEME, "--plugin", "syntax.py", "--data", str(SAMPLE))
    assert result.exit_code == 2 and "syntax.py:1" in result.output


# -- outputs ---------------------------------------------------------------------------------------------


def test_output_into_a_read_only_folder_or_under_a_file_is_a_clear_error(tmp_path: Path):
    config = str(deployment(tmp_path))
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    result = invoke(
        "score", "--config", config, "--data", str(SAMPLE), "--format", "json", "-o", str(blocker / "r.json")
    )
    assert result.exit_code == 2 and "error:" in result.output
    assert_no_traceback(result.output)
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        result = invoke(
            "score", "--config", config, "--data", str(SAMPLE), "--format", "json", "-o", str(locked / "r.json")
        )
        assert result.exit_code == 2 and "error:" in result.output


def test_every_output_is_byte_identical_on_rerun(tmp_path: Path):
    config = str(deployment(tmp_path))
    for fmt in ("json", "csv", "xlsx"):
        digests = set()
        for run in range(2):
            output = tmp_path / f"{run}.{fmt}"
            result = invoke("score", "--config", config, "--data", str(SAMPLE), "--format", fmt, "-o", str(output))
            assert result.exit_code == 0, result.output
            digests.add(hashlib.sha256(output.read_bytes()).hexdigest())
        assert len(digests) == 1, fmt


def test_data_text_cannot_inject_into_csv_xlsx_or_the_terminal(tmp_path: Path):
    tables = sample_tables()
    tables["units"][1][1] = '=HYPERLINK("http://x","点我")\x07'
    tables["units"][2][1] = "@SUM(1)\x1b[2J"
    write_tables(tmp_path / "data", tables, "utf-8", "\n")
    config = str(deployment(tmp_path))
    data = str(tmp_path / "data")
    assert (
        invoke("score", "--config", config, "--data", data, "--format", "csv", "-o", str(tmp_path / "r.csv")).exit_code
        == 0
    )
    names = {row[3] for row in csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8")))}
    assert '\'=HYPERLINK("http://x","点我")\x07' in names and "'@SUM(1)\x1b[2J" in names
    table = invoke("score", "--config", config, "--data", data)
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout and "@SUM(1)[2J" in table.stdout
    output = tmp_path / "r.xlsx"
    assert invoke("score", "--config", config, "--data", data, "--format", "xlsx", "-o", str(output)).exit_code == 0
    workbook = openpyxl.load_workbook(output)
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    formulas = [c for c in cells if c.value.startswith(("=", "@"))]
    assert formulas and all(c.data_type == "s" and c.quotePrefix for c in formulas)
    assert not any("\x07" in c.value for c in cells)


def test_a_deployment_plugin_returning_the_wrong_type_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wrong.py").write_text(
        "from kaoping import hookimpl\n\n\n@hookimpl\n"
        "def kaoping_check_vetoes(scheme, dataset):\n    return {'unit': 'x'}\n",
        encoding="utf-8",
    )
    result = invoke("score", "--config", str(deployment(tmp_path)), "--plugin", "wrong.py", "--data", str(SAMPLE))
    assert result.exit_code == 2, result.output
    assert "plugin 'wrong' returned {'unit': 'x'} from hook kaoping_check_vetoes" in result.output


METHOD_PLUGIN = """\
from kaoping import hookimpl
from kaoping.core.methods import Method


def broken(indicator, rows, ctx):
    return {unit: None for unit in rows}[object()]


@hookimpl
def kaoping_register_methods(register):
    register(Method("broken_local", "indicator", broken))
"""


def test_a_deployment_method_failing_inside_builtin_scoring_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The built-in scorer calls the deployment's method: the failure is still the deployment plugin's."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "methods_local.py").write_text(METHOD_PLUGIN, encoding="utf-8")
    config = tmp_path / "kaoping.toml"
    config.write_text(
        CONFIG.replace("[counties.hubei]\n", '[counties.hubei]\nplugins = ["methods_local.py"]\n')
        + '[[counties.hubei.overrides.indicators]]\nid = "score"\nmethod = "broken_local"\n',
        encoding="utf-8",
    )
    result = invoke("score", "--config", str(config), "--data", str(SAMPLE), env={"KAOPING_LANG": "en"})
    assert result.exit_code == 2, result.output
    assert "plugin 'methods_local' failed in hook kaoping_score at methods_local.py:6: KeyError" in result.output
