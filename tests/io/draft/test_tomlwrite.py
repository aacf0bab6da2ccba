"""The TOML writer round-trips the shapes a draft uses."""

from __future__ import annotations

from decimal import Decimal

from kaoping.core.tomlread import parse_toml
from kaoping.io.draft.tomlwrite import dumps


def test_round_trip_of_tables_arrays_and_inline_tables():
    data = {
        "id": "local.x",
        "total": Decimal("100"),
        "precision": "0.01",
        "status": {"complete": False, "missing": ['a "quoted" note', "换行\n"]},
        "parts": [{"id": "p1", "points": Decimal("0.5"), "draft": {"offset": 12, "confidence": "0.6"}}],
        "grading": {"grades": ["优秀"], "quotas": [{"id": "q", "grade": "优秀", "counts": {"units": 2}}]},
        "consequences": {"grades": {"优秀": {"c1": "10%"}}},
        "draft": {"items": [{"kind": "window", "value": "5"}], "unplaced": []},
    }
    text = dumps(data, "a header\nof two lines")
    assert text.startswith("# a header\n# of two lines\n")
    back = parse_toml(text)
    assert back["parts"][0]["points"] == 0.5 or str(back["parts"][0]["points"]) == "0.5"
    assert back["status"]["missing"] == ['a "quoted" note', "换行\n"]
    assert back["parts"][0]["draft"] == {"offset": 12, "confidence": "0.6"}
    assert back["grading"]["quotas"][0]["counts"] == {"units": 2}
    assert back["consequences"]["grades"]["优秀"] == {"c1": "10%"}
    assert back["draft"]["items"] == [{"kind": "window", "value": "5"}]
