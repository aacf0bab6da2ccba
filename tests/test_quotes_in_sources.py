"""Every ``quote`` in a built-in scheme is found, word for word, in the source documents.

A quote is how an official checks a number against the published scheme, so a misquoted rule is a bug.
Fragments are compared after Unicode NFKC normalisation (full-width punctuation) with whitespace removed;
a quote may join several fragments with 「」, “”, ; or …, and each fragment of four characters or more
must occur in a seed. The sources live in ``../shared/seeds`` beside the checkout (as in CI); without
them the test is skipped with that reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaoping.core.plugins import PluginHost
from kaoping.core.tomlread import read_toml

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SCHEMES = sorted((ROOT / "kaoping" / "plugins").glob("*/scheme.toml"))
SEPARATORS = r"…|\.\.\.|「|」|“|”|;|；"


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def quotes(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "quote" and isinstance(value, str):
                yield value
            else:
                yield from quotes(value)
    elif isinstance(node, list):
        for value in node:
            yield from quotes(value)


@pytest.fixture(scope="module")
def sources() -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not beside the checkout ({SEEDS})")
    return normalise("".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))))


@pytest.mark.parametrize("scheme_file", SCHEMES, ids=[path.parent.name for path in SCHEMES])
def test_every_quote_is_in_the_sources(scheme_file: Path, sources: str) -> None:
    misquoted = [
        fragment
        for quote in quotes(read_toml(scheme_file))
        for fragment in re.split(SEPARATORS, quote)
        if len(normalise(fragment)) >= 4 and normalise(fragment) not in sources
    ]
    assert misquoted == []


# Rules whose quote once gave the rule but not its number: the quote must now carry the number it is for.
NUMBERED_QUOTES = {
    ("jiangxi.jishui.land_bureau", "rules", "study_fail"): ["1分"],  # 「…4000字以上(1分)」
    ("jiangxi.jishui.land_bureau", "rules", "summary_late"): ["0.5分"],  # 「不按时报送的每次扣0.5分」
    ("jiangxi.jishui.land_bureau", "rules", "legal_dispute_plan"): ["5分", "扣1分"],
    ("jiangxi.jishui.land_bureau", "rules", "reserve_monthly"): ["0.5分"],
    ("jiangxi.jishui.land_bureau", "indicators", "minerals_inspection"): ["95%", "90%", "10分"],
    ("shandong.weihai.e_monitoring", "rules", "none_online"): ["20分"],  # 「得满分20分」
}


@pytest.mark.parametrize(("key", "numbers"), NUMBERED_QUOTES.items(), ids=[k[2] for k in NUMBERED_QUOTES])
def test_a_quote_contains_the_numbers_of_its_item(key, numbers):
    scheme_id, kind, item_id = key
    data = PluginHost(entry_points=False).schemes[scheme_id].data
    item = next(i for i in data[kind] if i["id"] == item_id)
    assert [n for n in numbers if n not in item["quote"]] == []
