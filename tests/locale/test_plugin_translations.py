"""A plugin ships its own catalog under its own gettext domain and follows kaoping's language."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.locale import ENV, set_language, translator
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA

DOMAIN = "kaoping_ledger"

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"
"Language: zh_CN\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "unit {unit} has no ledger entry"
msgstr "单位 {unit} 没有台账记录"

msgid "{count} ledger entry"
msgid_plural "{count} ledger entries"
msgstr[0] "{count} 条台账记录"
"""

PLUGIN = """
from pathlib import Path

from kaoping import hookimpl
from kaoping.core.errors import Problem
from kaoping.locale import translator

_ = translator("kaoping_ledger", Path(__file__).parent / "locale")


@hookimpl
def kaoping_validate_dataset(scheme, dataset):
    first = dataset.units[0]
    return [Problem(_("unit {unit} has no ledger entry").format(unit=first.id), first.where.file, first.where.row)]
"""


def compile_catalog(localedir: Path) -> None:
    """What ``pybabel compile -D kaoping_ledger -d locale`` does for the plugin."""
    folder = localedir / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / f"{DOMAIN}.po").write_text(PO, encoding="utf-8")
    with open(folder / f"{DOMAIN}.po", "rb") as po, open(folder / f"{DOMAIN}.mo", "wb") as mo:
        write_mo(mo, read_po(po, locale="zh_CN"))


@pytest.fixture
def plugin(tmp_path: Path) -> Path:
    compile_catalog(tmp_path / "locale")
    path = tmp_path / "ledger_plugin.py"
    path.write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    return path


def test_translator_follows_the_language(tmp_path: Path):
    compile_catalog(tmp_path / "locale")
    _ = translator(DOMAIN, tmp_path / "locale")
    set_language("zh")
    assert _("unit {unit} has no ledger entry") == "单位 {unit} 没有台账记录"
    assert _.ngettext("{count} ledger entry", "{count} ledger entries", 3) == "{count} 条台账记录"
    assert _("a message the plugin did not translate") == "a message the plugin did not translate"
    set_language("en")
    assert _("unit {unit} has no ledger entry") == "unit {unit} has no ledger entry"
    assert _.ngettext("{count} ledger entry", "{count} ledger entries", 3) == "{count} ledger entries"


def test_a_plugin_without_a_catalog_speaks_english(tmp_path: Path):
    set_language("zh")
    assert translator("kaoping_nothing", tmp_path)("as written") == "as written"


def test_plugin_messages_reach_the_command_line_in_the_chosen_language(plugin: Path, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    args = ["validate", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--plugin", str(plugin)]
    chinese = CliRunner().invoke(cli, args)
    assert chinese.exit_code == 2 and "第2行：单位 S1-01 没有台账记录" in chinese.output, chinese.output
    english = CliRunner().invoke(cli, ["--lang", "en", *args])
    assert english.exit_code == 2 and "row 2: unit S1-01 has no ledger entry" in english.output, english.output
