"""``kaoping new-plugin``: scaffold a separate, installable locality plugin that passes the suite.

The generated package is complete: a scheme file with parts, indicators, deduction and bonus rules,
veto areas, a band and a quota; hand-computed sample results; the ``kaoping`` entry point; and a
conformance test. An author replaces the example rules with the published scheme's, keeping the test
green as they go.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

import attrs
import click

from kaoping import __version__, hookimpl
from kaoping.cli.common import reports_errors
from kaoping.cli.draft import drafted_files, guess_title
from kaoping.core.errors import InputError
from kaoping.locale import N_, _

_NAME = re.compile(r"^[a-z][a-z0-9]*([_-][a-z0-9]+)*$")


@attrs.frozen
class PluginNames:
    """The names one plugin goes by: distribution, import package, entry point and scheme id."""

    name: str
    scheme_id: str
    title: str

    @property
    def module(self) -> str:
        return "kaoping_" + self.name.replace("-", "_")

    @property
    def distribution(self) -> str:
        return "kaoping-" + self.name.replace("_", "-")

    @property
    def plugin(self) -> str:
        return self.name.replace("-", "_")

    def substitutions(self) -> dict[str, str]:
        return {
            "name": self.name,
            "module": self.module,
            "distribution": self.distribution,
            "plugin": self.plugin,
            "scheme_id": self.scheme_id,
            "title": self.title,
            "kaoping_version": __version__,
        }


PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "$distribution"
version = "0.1.0"
description = "$title: a kaoping locality plugin"
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["kaoping>=$kaoping_version"]

[project.optional-dependencies]
test = ["pytest>=7.4"]

# kaoping finds the plugin through this entry point once the package is installed.
[project.entry-points.kaoping]
$plugin = "$module"

[tool.setuptools]
packages = ["$module"]

[tool.setuptools.package-data]
$module = ["*.toml", "*.txt", "sample/*.csv", "sample/*.toml", "sample/*.json", "sample/bad/*/*"]

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "--strict-markers"
filterwarnings = ["error"]
"""

README = """\
# $distribution

$title, computed by [kaoping](https://pypi.org/project/kaoping/) as the published scheme says.

    pip install -e '.[test]'
    python -m pytest                      # the kaoping conformance suite
    kaoping conformance $plugin           # the same checks, as a report
    kaoping score --scheme $scheme_id --data $module/sample

Replace the example rules in `$module/scheme.toml` with the published scheme's (every number with the
`quote` it comes from), and the sample data and `sample/expected.csv` with a hand-computed case.
See kaoping's `docs/plugin-authoring.md`.
"""

MODULE = '''\
"""$title: the kaoping plugin.

The scheme is data in ``scheme.toml``; hooks here hold only what a table cannot say. The sample registered
with the scheme tells ``kaoping conformance`` and the conformance suite where the sample and its expected
results are. Everything comes from ``kaoping.api``; the hooks are called for this plugin's scheme only.
"""

from __future__ import annotations

from pathlib import Path

from kaoping.api import RegisterScheme, hookimpl

SCHEME_ID = "$scheme_id"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)
'''

SCHEME = """\
# $title: scheme file. Replace every example rule with the published scheme's, keeping its quote.

id = "$scheme_id"
name = "$title"
locality = "$title"
unit_kind = "县直部门"
total = 100
precision = "0.01"
rounding = "half_up"

[source]
file = "the published scheme document"
section = "the section with the rules"

[status]
complete = false
missing = ["the example rules stand in for the published scheme's"]

[[groups]]
id = "departments"
name = "县直部门"

[[parts]]
id = "work"
name = "工作目标"
points = 60
quote = "工作目标60分"

[[parts]]
id = "conduct"
name = "作风建设"
points = 20
base = 20
floor = 0
below_floor = "stop"
quote = "作风建设20分,扣完为止"

[[parts]]
id = "review"
name = "满意度评议"
points = 20
quote = "满意度评议20分"

[[parts]]
id = "innovation"
name = "创新加分"
points = 0
cap = 5
quote = "加分累计不超过5分"

[[indicators]]
id = "targets"
name = "工作目标完成情况"
part = "work"
method = "direct"
points = 60
quote = "由考评办按目标完成情况评分"

[[indicators]]
id = "satisfaction"
name = "服务对象满意度"
part = "review"
method = "rating"
points = 20
levels = { "满意" = "1", "基本满意" = "0.6", "不满意" = "0" }
quote = "满意、基本满意、不满意分别按100%、60%、0计分"

[[rules]]
id = "late"
name = "上班迟到早退"
part = "conduct"
kind = "deduction"
points = 1
quote = "每人次扣1分"

[[rules]]
id = "complaint"
name = "被有效投诉"
part = "conduct"
kind = "deduction"
points = 2
quote = "每件扣2分"

[[rules]]
id = "award"
name = "工作获上级表彰"
part = "innovation"
kind = "bonus"
points_by = "level"
points_table = { "市" = 1, "省" = 3 }
quote = "市级表彰加1分,省级表彰加3分"

[[vetoes]]
id = "safety"
name = "安全生产"
effect = "force_grade"
grade = "不合格"
quote = "发生重大安全生产事故的,直接评为不合格"

[[vetoes]]
id = "discipline"
name = "党风廉政建设"
effect = "disqualify"
grades = ["优秀"]
quote = "党风廉政建设被否决的,不得评为优秀"

[grading]
grades = ["优秀", "合格", "不合格"]
default = "合格"
precedence = "bands_first"
on_tie = "exclude"

[[grading.bands]]
id = "unqualified"
grade = "不合格"
below = 60
quote = "总分60分以下的为不合格"

[[grading.quotas]]
id = "excellent"
grade = "优秀"
counts = { departments = 2 }
quote = "优秀单位2个"
"""

UNITS = """\
单位编码(unit),单位名称(name),序列(group)
D01,发展和改革局,departments
D02,财政局,departments
D03,教育局,departments
D04,公安局,departments
D05,民政局,departments
D06,自然资源局,departments
"""

VALUES = """\
单位编码(unit),指标编码(indicator),数值(value),细项(item)
D01,targets,55,
D02,targets,52,
D03,targets,50,
D04,targets,48,
D05,targets,45,
D06,targets,30,
D01,satisfaction,8,满意
D01,satisfaction,2,基本满意
D02,satisfaction,7,满意
D02,satisfaction,3,基本满意
D03,satisfaction,9,满意
D03,satisfaction,1,基本满意
D04,satisfaction,6,满意
D04,satisfaction,2,基本满意
D04,satisfaction,2,不满意
D05,satisfaction,5,满意
D05,satisfaction,5,基本满意
D06,satisfaction,4,满意
D06,satisfaction,3,基本满意
D06,satisfaction,3,不满意
"""

EVENTS = """\
单位编码(unit),规则编码(rule),次数(count),级别(level),备注(note)
D02,late,3,,三人次迟到
D03,complaint,1,,一件有效投诉
D04,award,1,省,省级表彰
D06,late,2,,两人次早退
"""

VETOES = """\
单位编码(unit),否决领域(area),认定部门(source),备注(note)
D03,discipline,县纪委,党风廉政建设一票否决
"""

EXPECTED = """\
unit,name,group,calculation,total,rank,grade,note
D01,发展和改革局,departments,55+20+20*(8+2*0.6)/10,93.4,1,优秀,
D03,教育局,departments,50+(20-2)+20*(9+1*0.6)/10,87.2,2,合格,党风廉政建设否决: 不得评优,名额顺延
D02,财政局,departments,52+(20-3)+20*(7+3*0.6)/10,86.6,3,优秀,
D04,公安局,departments,48+20+20*(6+2*0.6)/10+3,85.4,4,合格,
D05,民政局,departments,45+20+20*(5+5*0.6)/10,81,5,合格,
D06,自然资源局,departments,30+(20-2)+20*(4+3*0.6)/10,59.6,6,不合格,60分以下
"""

TEST = '''\
"""The kaoping conformance suite, run on this plugin's scheme and sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping.testing import Expected, SchemeConformance, read_expected
from $module import SAMPLE_DATA, SCHEME_ID


class TestScheme(SchemeConformance):
    @pytest.fixture
    def scheme_id(self) -> str:
        return SCHEME_ID

    @pytest.fixture
    def sample_data(self) -> Path:
        return SAMPLE_DATA

    @pytest.fixture
    def expected_results(self) -> Expected:
        return read_expected(SAMPLE_DATA / "expected.csv")
'''

FILES = {
    "pyproject.toml": PYPROJECT,
    "README.md": README,
    "{module}/__init__.py": MODULE,
    "{module}/scheme.toml": SCHEME,
    "{module}/sample/units.csv": UNITS,
    "{module}/sample/values.csv": VALUES,
    "{module}/sample/events.csv": EVENTS,
    "{module}/sample/vetoes.csv": VETOES,
    "{module}/sample/expected.csv": EXPECTED,
    "tests/test_conformance.py": TEST,
}


def scaffold(target: Path, names: PluginNames, replacements: dict[str, str | None] | None = None) -> list[Path]:
    """Write the plugin package into ``target`` (which must not exist or be empty); return the files.

    ``replacements`` swaps template files (``None`` leaves one out): how ``--from-text`` writes a drafted
    scheme in place of the example one.
    """
    if target.exists() and any(target.iterdir()):
        raise InputError(_("{path} already exists and is not empty").format(path=target))
    written = []
    values = names.substitutions()
    for relative, template in {**FILES, **(replacements or {})}.items():
        if template is None:
            continue
        path = target / relative.format(module=names.module)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(template).substitute(values), encoding="utf-8")
        written.append(path)
    return written


def plugin_names(name: str, scheme_id: str | None, title: str | None) -> PluginNames:
    if not _NAME.match(name):
        raise InputError(
            _("plugin name 「{name}」: use lowercase letters and digits, words joined by - or _").format(name=name)
        )
    plugin = name.replace("-", "_")
    return PluginNames(name, scheme_id or f"local.{plugin}", title or f"{plugin} 绩效考评办法")


@click.command(
    "new-plugin",
    help=N_(
        "Create a separate, installable plugin package that passes the conformance suite as generated.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping new-plugin longhai --scheme-id fujian.longhai --title 龙海市直机关绩效考评办法\n"
        "  cd kaoping-longhai && pip install -e '.[test]' && python -m pytest"
    ),
)
@click.argument("name")
@click.option(
    "--scheme-id", metavar="ID", help=N_("The scheme id, <province>.<locality>[.<organ>] (default local.NAME).")
)
@click.option("--title", metavar="TEXT", help=N_("The scheme's Chinese name (default: NAME 绩效考评办法)."))
@click.option(
    "-d",
    "--directory",
    type=click.Path(path_type=Path, file_okay=False),
    help=N_("Where to create the package (default ./kaoping-NAME)."),
)
@click.option(
    "--from-text",
    "from_text",
    metavar="SCHEME.txt",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=N_("Draft the scheme file from the published text (.txt in UTF-8 or GB18030, or .docx)."),
)
@reports_errors
def new_plugin_command(
    name: str, scheme_id: str | None, title: str | None, directory: Path | None, from_text: Path | None
) -> None:
    """Create a separate, installable plugin package that passes the conformance suite as generated.

    \b
    Example:
      kaoping new-plugin longhai --scheme-id fujian.longhai --title 龙海市直机关绩效考评办法
      cd kaoping-longhai && pip install -e '.[test]' && python -m pytest
      kaoping new-plugin longhai --from-text 龙海实施方案.txt    # the scheme drafted from the text
    """
    replacements = None
    if from_text is not None:
        from kaoping.io.draft import read_scheme_text  # only when drafting from a text

        title = title or guess_title(read_scheme_text(from_text))
        names = plugin_names(name, scheme_id, title)
        replacements = drafted_files(from_text, names.scheme_id, names.title, names.plugin)
    names = plugin_names(name, scheme_id, title)
    target = directory or Path(names.distribution)
    files = scaffold(target, names, replacements)
    if from_text is not None:
        click.echo(_("drafted the scheme from {path}: check every item marked draft = {{...}}").format(path=from_text))
    click.echo(
        _("created {distribution} in {target}/ (scheme {scheme}, entry point {plugin}):").format(
            distribution=names.distribution, target=target, scheme=names.scheme_id, plugin=names.plugin
        )
    )
    for path in files:
        click.echo(f"  {path.relative_to(target)}")
    click.echo(_("next:"))
    click.echo(f"  cd {target} && pip install -e '.[test]' && python -m pytest")
    if from_text is not None:
        click.echo(f"  kaoping draft-check {names.module}/scheme.toml --text {from_text} --untranscribed")
    else:
        click.echo(f"  kaoping conformance {names.plugin}")


@hookimpl
def kaoping_register_commands(cli: click.Group) -> None:
    cli.add_command(new_plugin_command)
