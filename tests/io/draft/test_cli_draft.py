"""``kaoping new-plugin --from-text`` and ``kaoping draft-check`` on the seed documents."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.core.plugins import PluginHost
from kaoping.core.tomlread import read_toml
from tests.helpers import table_rows

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT.parent / "shared" / "seeds"
HESHAN = SEEDS / "003_98b0853a6d9307c1.txt"  # 2013年赫山区绩效评估实施方案
QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:hypothesispytest")


@pytest.fixture
def heshan_text() -> Path:
    if not HESHAN.is_file():
        pytest.skip(f"the source documents are not beside the checkout ({SEEDS})")
    return HESHAN


def new_draft(tmp_path: Path, text: Path, *extra: str) -> Path:
    project = tmp_path / "kaoping-heshan"
    args = ["new-plugin", "heshan", "--scheme-id", "hunan.heshan_draft", "--from-text", str(text), "-d", str(project)]
    result = CliRunner().invoke(cli, [*args, *extra])
    assert result.exit_code == 0, result.output
    assert "draft-check kaoping_heshan/scheme.toml" in result.output
    return project


def import_module(project: Path, name: str = "kaoping_heshan"):
    spec = importlib.util.spec_from_file_location(name, project / name / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_from_text_writes_a_drafted_scheme_with_its_title(tmp_path: Path, heshan_text: Path):
    project = new_draft(tmp_path, heshan_text)
    data = read_toml(project / "kaoping_heshan" / "scheme.toml")
    assert data["name"] == "2013年赫山区绩效评估实施方案"  # 《2013年赫山区绩效评估实施方案》 in the text
    assert data["status"]["complete"] is False
    assert data["draft"]["source"] == HESHAN.name
    # 003: 「绩效评估优秀单位」 …「受到党中央、国务院表彰的每次加5分」
    assert any(r["quote"] == "受到党中央、国务院表彰的每次加5分" and r["points"] == 5 for r in data["rules"])
    assert not (project / "kaoping_heshan" / "sample" / "expected.csv").exists()
    assert "skipif" in (project / "tests" / "test_conformance.py").read_text(encoding="utf-8")


def test_the_drafted_scheme_loads_through_the_plugin_host_without_pip(tmp_path: Path, heshan_text: Path):
    project = new_draft(tmp_path, heshan_text)
    module = import_module(project)
    host = PluginHost(entry_points=False, plugin_objects=[("heshan", module)])
    scheme = host.scheme("hunan.heshan_draft")
    assert scheme.status.label == "draft"
    assert scheme.plugin == "heshan"
    assert scheme.total == sum(p.points for p in scheme.parts)


def test_kaoping_plugins_shows_the_draft(tmp_path: Path, heshan_text: Path, monkeypatch: pytest.MonkeyPatch):
    project = new_draft(tmp_path, heshan_text)
    monkeypatch.syspath_prepend(str(project))
    monkeypatch.setenv("KAOPING_LANG", "en")
    result = CliRunner().invoke(cli, ["plugins", "--plugin", "kaoping_heshan"])
    assert result.exit_code == 0, result.output
    # the table wraps long cells between the other columns: the plugin's row is read back from it
    row = next(r for r in table_rows(result.output, "version") if r["plugin"] == "kaoping_heshan")
    assert row["schemes"] == "hunan.heshan_draft (draft)"
    assert "hunan.heshan_draft is a draft (" in result.output
    listing = CliRunner().invoke(cli, ["schemes", "--plugin", "kaoping_heshan", "--format", "json"])
    entry = next(s for s in json.loads(listing.output) if s["id"] == "hunan.heshan_draft")
    assert entry["status"] == "draft" and entry["drafts"] > 0


def test_the_drafted_package_runs_its_tests_once_installed(pytester: pytest.Pytester, heshan_text: Path):
    from tests.testing.test_scaffold import fake_install

    project = new_draft(pytester.path, heshan_text)
    site = pytester.path / "site"
    fake_install(site, project, "kaoping-heshan", "heshan", "kaoping_heshan")
    pytester.syspathinsert(site)
    pytester.syspathinsert(project)
    result = pytester.runpytest(str(project / "tests"), "-rs", *QUIET)
    result.assert_outcomes(passed=1, skipped=26)  # every check but scheme-validates waits for the sample
    result.stdout.fnmatch_lines(["*draft: write sample/ and sample/expected.csv by hand*"])


@pytest.mark.skipif(
    os.environ.get("KAOPING_PIP_TESTS") != "1", reason="set KAOPING_PIP_TESTS=1 to pip install -e into a throwaway venv"
)
def test_the_drafted_package_installs_with_pip(tmp_path: Path, heshan_text: Path):
    project = new_draft(tmp_path, heshan_text)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    venv_site = Path(subprocess.run([python, "-c", purelib], check=True, capture_output=True, text=True).stdout.strip())
    parent_site = sysconfig.get_paths()["purelib"]
    (venv_site / "_kaoping_parent.pth").write_text(f"import site; site.addsitedir({parent_site!r})\n", encoding="utf-8")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "-e", str(project)], check=True, cwd=tmp_path, timeout=300
    )
    tests = subprocess.run([python, "-m", "pytest", "-q", *QUIET], cwd=project, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "1 passed, 26 skipped" in tests.stdout
    listing = subprocess.run(
        [python, "-m", "kaoping", "plugins"], capture_output=True, text=True, env={**os.environ, "KAOPING_LANG": "en"}
    )
    # the table wraps long cells between the other columns: the drafted scheme's row is read back from it
    rows = table_rows(listing.stdout, "version")
    assert any(r["schemes"] == "hunan.heshan_draft (draft)" for r in rows), listing.stdout + listing.stderr


def test_from_text_refuses_an_unreadable_text_and_writes_nothing(tmp_path: Path):
    text = tmp_path / "scheme.txt"
    text.write_bytes(b"\xff\xfe\x00\xd8\x81\x30\xff")
    result = CliRunner().invoke(cli, ["new-plugin", "x", "--from-text", str(text), "-d", str(tmp_path / "pkg")])
    assert result.exit_code == 2
    assert "scheme.txt" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "pkg").exists()


def test_draft_check_lists_untranscribed_numbers(tmp_path: Path, heshan_text: Path):
    builtin = ROOT / "kaoping" / "plugins" / "hunan_heshan" / "scheme.toml"
    result = CliRunner().invoke(cli, ["draft-check", str(builtin), "--text", str(heshan_text), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["numbers"] == report["used"] + report["untranscribed"]
    assert 0 < report["used"] < report["numbers"]
    # 003: 「受到党中央、国务院表彰的每次加5分」 is transcribed by the built-in scheme
    five = [i for i in report["items"] if i["number"] == "5" and "党中央、国务院表彰" in i["sentence"]]
    assert five and five[0]["used_by"].startswith("rules[")
    table = CliRunner().invoke(cli, ["draft-check", str(builtin), "--text", str(heshan_text), "--untranscribed"])
    assert table.exit_code == 0
    assert f"{report['untranscribed']} " in table.output.splitlines()[-1]


def test_draft_check_of_a_fresh_draft_counts_what_it_placed(tmp_path: Path, heshan_text: Path):
    project = new_draft(tmp_path, heshan_text)
    scheme = project / "kaoping_heshan" / "scheme.toml"
    result = CliRunner().invoke(cli, ["draft-check", str(scheme), "--text", str(heshan_text), "--format", "json"])
    report = json.loads(result.output)
    data = read_toml(scheme)
    assert report["used"] >= len(data["rules"])
    assert all(not i["used_by"].startswith("draft") for i in report["items"])


def test_the_worked_example_of_the_authoring_guide_is_what_the_command_writes(tmp_path: Path):
    # docs/plugin-authoring.md step 1: the first regulation of 001_afe211f9c574c74e.txt, saved as xingan.txt
    seed = SEEDS / "001_afe211f9c574c74e.txt"
    if not seed.is_file():
        pytest.skip(f"the source documents are not beside the checkout ({SEEDS})")
    text = seed.read_text(encoding="utf-8")
    start = text.index("县直机关政务工作考评办法(试行)\n\n县直各单位")
    excerpt = tmp_path / "xingan.txt"
    excerpt.write_text(text[start : text.index("第二篇")], encoding="utf-8")
    project = tmp_path / "kaoping-xingan"
    args = ["new-plugin", "xingan", "--scheme-id", "jiangxi.xingan", "--from-text", str(excerpt), "-d", str(project)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    written = (project / "kaoping_xingan" / "scheme.toml").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "plugin-authoring.md").read_text(encoding="utf-8")
    shown = guide.split("```toml\n", 1)[1].split("```", 1)[0]
    for block in shown.strip().split("\n\n"):
        assert block in written, block
    check = CliRunner().invoke(
        cli,
        ["draft-check", str(project / "kaoping_xingan" / "scheme.toml"), "--text", str(excerpt), "--untranscribed"],
        env={"KAOPING_LANG": "en"},
    )
    assert check.output.splitlines()[-1] in guide


def test_from_text_reads_a_docx_with_a_table(tmp_path: Path):
    docx = pytest.importorskip("docx")
    # 001_afe211f9c574c74e.txt, 第一篇, laid out as a Word table:
    # 「领导重视情况15分」「没有制定工作方案或实施意见的扣5分」
    document = docx.Document()
    document.add_paragraph("县直机关政务工作考评办法(试行)")
    table = document.add_table(rows=2, cols=3)
    rows = [["考评项目", "分值", "评分标准"], ["领导重视情况", "15分", "没有制定工作方案或实施意见的扣5分"]]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    path = tmp_path / "scheme.docx"
    document.save(str(path))
    project = tmp_path / "pkg"
    result = CliRunner().invoke(cli, ["new-plugin", "demo", "--from-text", str(path), "-d", str(project)])
    assert result.exit_code == 0, result.output
    data = read_toml(project / "kaoping_demo" / "scheme.toml")
    assert data["name"] == "县直机关政务工作考评办法(试行)"
    (part,) = [p for p in data["parts"] if p["id"] != "unassigned"]
    assert (part["name"], part["points"]) == ("领导重视", 15)
    (rule,) = data["rules"]
    assert (rule["quote"], rule["points"], rule["part"]) == ("没有制定工作方案或实施意见的扣5分", 5, part["id"])
