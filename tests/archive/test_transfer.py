"""``archive export`` → ``archive import`` into another database → ``export`` gives the same text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kaoping.archive import service
from kaoping.archive.store import Archive
from kaoping.archive.transfer import export_lines, import_lines
from kaoping.core.errors import InputError
from kaoping.io.report import to_json


def test_export_import_round_trip_is_exact(archive_url: str, second_url: str, heshan_data: Path, tmp_path: Path):
    with Archive(archive_url) as archive:
        setup = service.setup_with_history(service.Deployed(), archive, "hunan.heshan", 2013)
        stored = service.record(archive, setup, heshan_data, "王科长")
        service.publish(archive, service.Deployed(), stored.run_id, None, "王科长", date(2014, 1, 10))
        appeal_id, _ = archive.file_appeal(stored.run_id, "T1-01", "否决有误", "泉交河镇", date(2014, 1, 12))
        change = tmp_path / "fix" / "vetoes.csv"
        change.parent.mkdir()
        change.write_text("unit,area,change\nT1-01,anquan,delete\n", encoding="utf-8")
        service.decide(archive, service.Deployed(), appeal_id, True, "委员会", date(2014, 1, 15), "撤销", [change])
        exported = list(export_lines(archive))
        original = archive.revision(stored.run_id, 2)
    with Archive(second_url) as copy:
        counts = import_lines(copy, exported)
        assert counts["runs"] == 1 and counts["revisions"] == 2 and counts["unit_results"] == 212
        assert list(export_lines(copy)) == exported
        copied = copy.revision(stored.run_id, 2)
        assert to_json(copied.result) == to_json(original.result)
        assert copied.inputs == original.inputs
        # ids continue after the imported ones
        again = service.record(
            copy, service.setup_with_history(service.Deployed(), copy, "hunan.heshan", 2013), heshan_data, "王科长"
        )
        assert again.run_id == stored.run_id + 1
        with pytest.raises(InputError, match="not empty"):
            import_lines(copy, exported)


def test_import_refuses_what_is_not_an_export(archive_url: str):
    with Archive(archive_url) as archive:
        with pytest.raises(InputError, match="not a kaoping archive export"):
            import_lines(archive, ['{"format": "other"}\n'], "x.jsonl")
        with pytest.raises(InputError, match=r"x.jsonl, row 1"):
            import_lines(archive, ["not json\n"], "x.jsonl")
