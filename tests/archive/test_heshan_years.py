"""Heshan 2013 recorded, published, appealed, corrected and re-published; 2014 reads 2013's archived
grades for its consecutive-year sanctions, with no history file. On SQLite and PostgreSQL.

Source: seed 003_98b0853a6d9307c1.txt (2013年赫山区绩效评估实施方案).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from kaoping.archive import service
from kaoping.archive.store import Archive
from kaoping.io.report import to_json
from kaoping.plugins.hunan_heshan import SAMPLE_DATA

CLERK = "区绩效办 王科长"
HESHAN = "hunan.heshan"


def expected_grades() -> dict[str, str]:
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        return {row["unit"]: row["grade"] for row in csv.DictReader(handle)}


def record(archive: Archive, data: Path, year: int) -> service.StoredRevision:
    setup = service.setup_with_history(service.Deployed(), archive, HESHAN, year)
    return service.record(archive, setup, data, CLERK, reason=f"{year}年度评估")


def withdraw_veto(unit: str, area: str, folder: Path) -> Path:
    """A change file deleting one row of the vetoes table."""
    folder.mkdir(exist_ok=True)
    changed = folder / "vetoes.csv"
    changed.write_text(f"单位编码(unit),否决领域(area),操作(change)\n{unit},{area},删除\n", encoding="utf-8")
    return changed


def test_a_year_recorded_published_appealed_corrected_and_republished_then_read_by_the_next(
    archive_url: str, heshan_data: Path, heshan_without_history: Path, tmp_path: Path
):
    deployed = service.Deployed()
    with Archive(archive_url) as archive:
        first = record(archive, heshan_data, 2013)
        assert (first.run_id, first.number, first.year) == (first.run_id, 1, 2013)
        grades = {u.unit: u.grade for u in first.result.units}
        assert grades == expected_grades()
        # 泉交河镇 leads 工业发展型 with 814.5 but has a 安全生产 veto: 「取各序列排名前二名的乡镇」 passes
        # its place to 兰溪镇 (804.5) and 龙光桥镇 (799.5).
        assert (grades["T1-01"], grades["T1-02"], grades["T1-03"]) == ("达标", "优秀", "优秀")

        service.publish(archive, deployed, first.run_id, None, CLERK, date(2014, 1, 10))
        appeal_id, _ = archive.file_appeal(
            first.run_id, "泉交河镇", "安全生产一票否决认定有误", "泉交河镇", date(2014, 1, 12)
        )
        change = withdraw_veto("T1-01", "anquan", tmp_path / "appeal")
        decision = service.decide(
            archive, deployed, appeal_id, True, "区绩效评估委员会", date(2014, 1, 15), "否决撤销", [change]
        )
        assert decision.revision is not None and decision.revision.number == 2
        assert decision.inputs_changed == ["vetoes.csv: 0 row(s) replaced, 0 added, 1 deleted"]
        # Without the veto 泉交河镇 takes back a top-two place; 龙光桥镇 (third) loses it: two units move.
        moved = {(c.unit, c.field, c.before, c.after) for c in decision.changes if c.field == "grade"}
        assert moved == {("T1-01", "grade", "达标", "优秀"), ("T1-03", "grade", "优秀", "达标")}
        # 「奖金总额按人均2000元的标准计算」 for 优秀, 1000 for 达标
        bonus = {(c.unit, c.before, c.after) for c in decision.changes if c.key == "bonus_per_head"}
        assert bonus == {("T1-01", 1000, 2000), ("T1-03", 2000, 1000)}

        # the first revision is unchanged, and still the published one until the correction is published
        again = archive.revision(first.run_id, 1)
        assert to_json(again.result) == to_json(first.result)
        assert archive.published_revision(first.run_id).number == 1
        service.publish(archive, deployed, first.run_id, 2, CLERK, date(2014, 1, 20))
        assert archive.published_revision(first.run_id).number == 2

        history = archive.history("", HESHAN, before=2014)
        assert {r.year for r in history} == {2013}
        assert {r.unit: r.grade for r in history}["T1-01"] == "优秀"

        nxt = record(archive, heshan_without_history, 2014)
    notes = nxt.result.notes
    assert "history: published results of 2013 read from the archive" in notes
    assert not any(n.startswith("warning:") for n in notes)
    units = nxt.result.by_unit()
    # 「连续两年被评定为“绩效评估基本达标单位”的乡镇(街道)、区直单位,区委、区政府给予通报批评」:
    # 区移民开发局 694 (600 < 694 < 700) is 基本达标 in 2013 and again in 2014.
    assert units["D4-13"].grade == "基本达标"
    assert units["D4-13"].consequences["consecutive"] == "连续2年基本达标"
    assert "区委、区政府给予通报批评" in units["D4-13"].consequences["sanctions"]
    # every unit 基本达标 or 不达标 in both years (the same data) takes the sanction; no other does
    twice = {u for u, g in expected_grades().items() if g in ("基本达标", "不达标")}
    assert {u.unit for u in nxt.result.units if "consecutive" in u.consequences} == twice
    assert len(twice) == 24


def test_the_data_history_table_wins_over_the_archive(archive_url: str, heshan_data: Path):
    with Archive(archive_url) as archive:
        stored = record(archive, heshan_data, 2013)
    assert "history: the data's history table is used; the archive's published results are not read" in (
        stored.result.notes
    )
    # the 2012 history row of 益阳移动赫山分公司 (不达标) still drives its 「连续两年」 sanction
    assert stored.result.by_unit()["S1-27"].consequences["consecutive"] == "连续2年不达标"


def test_only_published_results_are_history(archive_url: str, heshan_data: Path, heshan_without_history: Path):
    with Archive(archive_url) as archive:
        record(archive, heshan_data, 2013)  # recorded, never published
        nxt = record(archive, heshan_without_history, 2014)
    assert "history: the archive has no published results before 2014" in nxt.result.notes
    assert not any("consecutive" in u.consequences for u in nxt.result.units)
    warnings = [n for n in nxt.result.notes if n.startswith("warning:")]
    assert (
        len(warnings) == 1 and "no results of 2013" in warnings[0] and "连续两年基本达标、不达标的处理" in warnings[0]
    )


@pytest.mark.parametrize("year", [2013, 2014])
def test_stored_results_rebuild_to_the_same_json(archive_url: str, heshan_data: Path, year: int):
    """Every writer works on a stored run: its result is the very object graph that was scored."""
    with Archive(archive_url) as archive:
        setup = service.setup_with_history(service.Deployed(), archive, HESHAN, year)
        recording = service.capture(setup, heshan_data)
        stored = archive.record(recording, CLERK)
        rebuilt = archive.revision(stored.run_id)
    assert to_json(rebuilt.result) == to_json(recording.result)
    assert rebuilt.inputs == {f.name: f.sha256 for f in recording.inputs.files}
    assert rebuilt.year == year
