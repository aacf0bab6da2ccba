"""Drafting a plugin from a published scheme text: the files of ``new-plugin --from-text``, and ``draft-check``.

The reading and drafting live in :mod:`kaoping.io.draft`; this module only turns a text into the files
of a plugin package and prints what a scheme file still leaves untranscribed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click

from kaoping import hookimpl
from kaoping.cli.common import reports_errors, table_or_json_option
from kaoping.core.tomlread import read_toml
from kaoping.io.safety import terminal_text
from kaoping.locale import N_, _

_HEADING = re.compile(r"^\s*([^\n,，。:：《》]{4,40}(?:办法|方案|细则|规定)(?:\(试行\)|（试行）)?)\s*$", re.M)
_CITED = re.compile(r"《([^》\n]{4,40}(?:办法|方案|细则|规定|意见))》")

DRAFT_HEADER = N_(
    """\
$title: scheme file DRAFTED from $source by kaoping new-plugin --from-text.
Every item with draft = { ... } was read from the text by patterns, not by a person: check each against
the source (its quote and offset say where), correct it, then delete its draft = { ... }.
[[draft.items]] lists recognised numbers that no scoring table holds yet (guidelines, procedures, items
without a place); [[draft.unplaced]] lists every sentence with a number no pattern read.
kaoping draft-check kaoping_$plugin/scheme.toml --text $source shows what is still untranscribed."""
)

DRAFT_TEST = '''\
"""The kaoping checks for this plugin, drafted from the published text.

The scheme loads as drafted. The conformance suite runs once ``sample/expected.csv`` exists: compute it
by hand from the source (see kaoping's docs/plugin-authoring.md) after checking every drafted item.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping.testing import Expected, SchemeConformance, host_resolver, read_expected
from $module import SAMPLE_DATA, SCHEME_ID


def test_the_drafted_scheme_loads():
    _host, scheme = host_resolver(SCHEME_ID)()
    assert scheme.total == sum(part.points for part in scheme.parts)


@pytest.mark.skipif(
    not (SAMPLE_DATA / "expected.csv").is_file(),
    reason="draft: write sample/ and sample/expected.csv by hand from the source, then the suite runs",
)
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

DRAFT_README = """\
# $distribution

$title, computed by [kaoping](https://pypi.org/project/kaoping/) as the published scheme says.

`$module/scheme.toml` was DRAFTED from the published text by `kaoping new-plugin --from-text`: every
item marked `draft = {...}` still has to be checked against the source, and `[draft]` lists what the
draft could not place. See kaoping's `docs/plugin-authoring.md` (step 1) and `docs/drafting.md`.

    pip install -e '.[test]'
    python -m pytest                      # the drafted scheme loads; the suite runs once sample/expected.csv exists
    kaoping draft-check $module/scheme.toml --text SCHEME.txt --untranscribed
    kaoping conformance $plugin           # once the sample and its expected results are written
"""

DRAFT_UNITS = """\
单位编码(unit),单位名称(name),序列(group)
"""


def guess_title(text: str) -> str | None:
    """The scheme's name as the text gives it: a heading line ending in 办法/方案/细则, else the first 《…》."""
    match = _HEADING.search(text) or _CITED.search(text)
    return match.group(1).strip() if match else None


def drafted_files(text_path: Path, scheme_id: str, title: str, plugin: str) -> dict[str, str | None]:
    """The files ``new-plugin --from-text`` writes in place of the example ones (``None``: not written)."""
    from kaoping.io.draft import DraftNames, draft_from_text, dumps, read_scheme_text  # only when drafting

    text = read_scheme_text(text_path)
    scheme = draft_from_text(text, DraftNames(scheme_id, title, text_path.name))
    header = _(DRAFT_HEADER).replace("$title", title).replace("$source", text_path.name).replace("$plugin", plugin)
    return {
        "README.md": DRAFT_README,
        "{module}/scheme.toml": dumps(scheme, header).replace("$", "$$"),
        "{module}/sample/units.csv": DRAFT_UNITS,
        "{module}/sample/values.csv": None,
        "{module}/sample/events.csv": None,
        "{module}/sample/vetoes.csv": None,
        "{module}/sample/expected.csv": None,
        "tests/test_conformance.py": DRAFT_TEST,
    }


@click.command(
    "draft-check",
    help=N_(
        "List every number of a scheme text and whether the scheme file quotes it.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping draft-check kaoping_longhai/scheme.toml --text 龙海实施方案.txt --untranscribed"
    ),
)
@click.argument("scheme_file", metavar="SCHEME.toml", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--text",
    "text_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help=N_("The published scheme text (.txt in UTF-8 or GB18030, or .docx)."),
)
@click.option("--untranscribed", is_flag=True, help=N_("List only the numbers the scheme does not use."))
@table_or_json_option
@reports_errors
def draft_check_command(scheme_file: Path, text_path: Path, untranscribed: bool, fmt: str) -> None:
    """Compare a scheme file with its text (help: the message id in the decorator)."""
    from kaoping.io.draft import read_scheme_text
    from kaoping.io.draft.check import number_uses

    uses = number_uses(read_toml(scheme_file), read_scheme_text(text_path))
    shown = [u for u in uses if not (untranscribed and u.used_by)]
    used = sum(1 for u in uses if u.used_by)
    if fmt == "json":
        payload = {
            "numbers": len(uses),
            "used": used,
            "untranscribed": len(uses) - used,
            "items": [
                {"offset": u.offset, "line": u.line, "number": u.number, "used_by": u.used_by, "sentence": u.sentence}
                for u in shown
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for use in shown:
        where = use.used_by or _("UNTRANSCRIBED")
        sentence = " ".join(use.sentence.split())
        click.echo(terminal_text(f"{use.line:>5}  {use.number:<10} {where:<32} {sentence[:60]}"))
    click.echo(
        _("{count} numbers in the text: {used} used by the scheme, {left} untranscribed").format(
            count=len(uses), used=used, left=len(uses) - used
        )
    )


@hookimpl
def kaoping_register_commands(cli: click.Group) -> None:
    cli.add_command(draft_check_command)
