"""``kaoping new-plugin``: the scaffolded package is installable and passes the suite as generated."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.cli.scaffold import plugin_names, scaffold
from kaoping.core.tomlread import parse_toml

pytest_plugins = ["pytester"]

QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:hypothesispytest")


def fake_install(site: Path, project: Path, distribution: str, entry: str, module: str) -> None:
    """What ``pip install -e`` leaves behind, minus pip: metadata with the entry point, and a path entry."""
    info = site / f"{distribution.replace('-', '_')}-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 0.1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[kaoping]\n{entry} = {module}\n", encoding="utf-8")
    (site / f"__editable__.{distribution}.pth").write_text(f"{project}\n", encoding="utf-8")


def test_new_plugin_writes_a_package_with_the_entry_point(tmp_path: Path):
    result = CliRunner().invoke(
        cli, ["new-plugin", "longhai", "--scheme-id", "fujian.longhai", "-d", str(tmp_path / "pkg")]
    )
    assert result.exit_code == 0, result.output
    project = tmp_path / "pkg"
    pyproject = parse_toml((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == "kaoping-longhai"
    assert pyproject["project"]["entry-points"]["kaoping"] == {"longhai": "kaoping_longhai"}
    for relative in ("kaoping_longhai/scheme.toml", "kaoping_longhai/sample/expected.csv", "tests/test_conformance.py"):
        assert (project / relative).is_file(), relative
    assert 'SCHEME_ID = "fujian.longhai"' in (project / "kaoping_longhai/__init__.py").read_text(encoding="utf-8")
    assert "kaoping conformance longhai" in result.output


def test_new_plugin_refuses_a_bad_name_or_a_used_directory(tmp_path: Path):
    bad = CliRunner().invoke(cli, ["new-plugin", "Long Hai", "-d", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "lowercase letters and digits" in bad.output
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("mine", encoding="utf-8")
    used = CliRunner().invoke(cli, ["new-plugin", "longhai", "-d", str(tmp_path / "used")])
    assert used.exit_code == 2 and "not empty" in used.output
    assert (tmp_path / "used" / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_the_scaffold_passes_the_suite_once_installed(pytester: pytest.Pytester):
    names = plugin_names("zhaoan", "fujian.zhaoan", "诏安县直部门绩效考评办法")
    project = pytester.path / names.distribution
    scaffold(project, names)
    site = pytester.path / "site"
    fake_install(site, project, names.distribution, names.plugin, names.module)
    pytester.syspathinsert(site)
    pytester.syspathinsert(project)
    result = pytester.runpytest(str(project / "tests"), "-rs", *QUIET)
    result.assert_outcomes(passed=25, skipped=1)  # no source text shipped: quotes-in-source skips


@pytest.mark.skipif(
    os.environ.get("KAOPING_PIP_TESTS") != "1", reason="set KAOPING_PIP_TESTS=1 to pip install -e into a throwaway venv"
)
def test_the_scaffold_installs_with_pip_and_passes(tmp_path: Path):
    names = plugin_names("zhaoan", "fujian.zhaoan", "诏安县直部门绩效考评办法")
    project = tmp_path / names.distribution
    scaffold(project, names)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    venv_site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    parent_site = sysconfig.get_paths()["purelib"]
    (venv_site / "_kaoping_parent.pth").write_text(f"import site; site.addsitedir({parent_site!r})\n", encoding="utf-8")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "-e", str(project)], check=True, cwd=tmp_path, timeout=300
    )
    tests = subprocess.run(
        [python, "-m", "pytest", "-q", *QUIET], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "25 passed, 1 skipped" in tests.stdout  # no source text shipped: quotes-in-source skips
    report = subprocess.run(
        [python, "-m", "kaoping", "conformance", names.plugin], capture_output=True, text=True, timeout=300
    )
    assert report.returncode == 0, report.stdout + report.stderr
    assert f"plugin {names.plugin} 0.1.0" in report.stdout
