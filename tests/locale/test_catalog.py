"""The message catalog is complete and current: every message the source marks has a Chinese translation,
the committed template and catalog match a fresh extraction, the compiled .mo matches the .po, and no
translation drops or invents a placeholder."""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from kaoping.locale import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
POT = LOCALE_DIR / f"{DOMAIN}.pot"
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "Nn_": (1, 2)}  # the keywords docs/translations.md passes to pybabel (-k Nn_:1,2)


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


@pytest.fixture(scope="module")
def extracted() -> dict[str, str | tuple[str, ...]]:
    """Message ids extracted from the source now, as babel.cfg and the documented command extract them."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str | tuple[str, ...]] = {}
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            message = tuple(m for m in message if m is not None)
            if len(message) == 1:
                message = message[0]
        if message:
            found[_key(message)] = message
    return found


@pytest.fixture(scope="module")
def catalog():
    with open(PO, "rb") as handle:
        return read_po(handle, locale="zh_CN")


def test_extraction_finds_the_marked_messages(extracted):
    # the CLI's help, click's own texts, problem places and report headers are all marked
    for message in ("Usage:", "Show this message and exit.", "{file}, row {row}", "grade reason", "Output format."):
        assert message in extracted


def test_template_is_up_to_date_with_the_source(extracted):
    with open(POT, "rb") as handle:
        template = {_key(m.id) for m in read_po(handle) if m.id}
    missing, stale = set(extracted) - template, template - set(extracted)
    assert not missing and not stale, (
        f"kaoping.pot is out of date (re-extract, see docs/translations.md); new: {sorted(missing)[:5]}, "
        f"gone: {sorted(stale)[:5]}"
    )


def test_catalog_is_up_to_date_with_the_source(extracted, catalog):
    ids = {_key(m.id) for m in catalog if m.id}
    missing, stale = set(extracted) - ids, ids - set(extracted)
    assert not missing and not stale, (
        f"zh_CN/kaoping.po is out of date (update it from kaoping.pot); new: {sorted(missing)[:5]}, "
        f"gone: {sorted(stale)[:5]}"
    )


def test_every_message_has_a_chinese_translation(extracted, catalog):
    untranslated = []
    for message in catalog:
        if not message.id or _key(message.id) not in extracted:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(s and s.strip() for s in strings):
            untranslated.append(_key(message.id))
    assert not untranslated, f"{len(untranslated)} messages lack a (non-fuzzy) translation: {untranslated[:8]}"


def test_chinese_has_one_plural_form(catalog):
    assert catalog.num_plurals == 1 and catalog.plural_expr == "0"


def test_compiled_catalog_matches_the_po(catalog):
    with open(MO, "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    differing = []
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            for count in (1, 2, 5):
                if compiled.ngettext(message.id[0], message.id[1], count) != message.string[0]:
                    differing.append(message.id[0])
        elif compiled.gettext(message.id) != message.string:
            differing.append(message.id)
    assert not differing, f"kaoping.mo is stale (compile the .po, see docs/translations.md): {differing[:5]}"


_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def placeholders(text: str) -> tuple[list[str], list[str]]:
    """The ``{name}`` fields (without conversion) and the ``%s`` / ``%(name)s`` fields of a message."""
    braces = sorted(
        field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field is not None
    )
    percents = sorted(m.group(0) for m in _PERCENT.finditer(text) if m.group(0) != "%%") if "%" in text else []
    return braces, percents


def test_placeholders_are_the_same_in_the_translation(catalog):
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
        for text in strings:
            # a plural's single Chinese form may leave out the count the singular does not show either
            want = [placeholders(i) for i in ids]
            got = placeholders(text)
            if got[0] not in [w[0] for w in want] and set(got[0]) != set().union(*(w[0] for w in want)):
                wrong.append((ids[0], text))
            if "python-format" in message.flags and got[1] not in [w[1] for w in want]:
                wrong.append((ids[0], text))
    assert not wrong, f"placeholders differ: {wrong[:5]}"


def test_placeholder_check_catches_a_dropped_field():
    assert placeholders("unit {unit} in {group}")[0] != placeholders("单位 {unit}")[0]
    assert placeholders("%(prog)s, version %(version)s")[1] == placeholders("%(prog)s，版本 %(version)s")[1]


def test_every_conformance_check_and_stage_reads_in_chinese(catalog):
    """The conformance report shows each check's title and each stage's name: all must be in the catalog
    (a title written without ``N_`` is never extracted and stays English in the Chinese report)."""
    from kaoping.testing._checks import CHECKS, STAGES
    from kaoping.testing._runner import STAGE_LABELS

    translated = {message.id for message in catalog if message.id and message.string}
    untranslated = [check.title for check in CHECKS.values() if check.title not in translated]
    untranslated += [stage for stage in STAGES if STAGE_LABELS.get(stage) not in translated]
    assert untranslated == []
