"""One table of consequence labels for every output, and amounts written as a person writes them."""

from __future__ import annotations

from decimal import Decimal

from kaoping.core import consequences
from kaoping.core.consequences import CONSEQUENCE_LABELS, consequence_label, consequences_text
from kaoping.io import bulletin
from kaoping.io.bulletin import consequence_lines
from kaoping.locale import _


def test_one_label_table_serves_the_bulletin_and_the_text_report():
    assert not hasattr(bulletin, "CONSEQUENCE_LABELS")  # the 通报 reads the core's table
    assert consequences.CONSEQUENCE_LABELS is CONSEQUENCE_LABELS
    label = consequence_label("bonus_total")
    assert consequence_lines({"bonus_total": Decimal("1500.0")}) == (
        _("{label}: {value}").format(label=label, value="1500"),
    )
    assert consequences_text({"bonus_total": Decimal("1500.0")}) == f"{label} 1500"


def test_amounts_read_as_written():
    # a bonus multiplied out (per head × staff × factor) comes out as 1500.00: shown 1500, never 1500.0;
    # a factor the scheme writes 1.10 stays 1.10; a share is a percentage; a float (from JSON) is exact
    assert consequences_text({"bonus_per_head": Decimal("1500.00")}).endswith(" 1500")
    assert consequences_text({"bonus_factor": Decimal("1.10")}).endswith(" 1.10")
    assert consequences_text({"staff_excellent_ratio": Decimal("0.15")}).endswith(" 15%")
    assert consequences_text({"bonus": 1500.0}).endswith(" 1500")
    assert consequences_text({"bonus": Decimal("1E+3")}).endswith(" 1000")  # never scientific notation
    assert consequences_text({"quote": "原文", "required": ["x"], "note": "n"}) == ""
