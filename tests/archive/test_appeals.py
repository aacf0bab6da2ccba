"""Appeal windows come from the scheme, open on publication, and refuse a late appeal quoting the rule.

Sources: seed 004 (「可以在十日内以书面形式向县委组织部提出申诉」, anon.county_political_performance) and seed 002
篇(1) (「可在月考核后三日内…提出申诉」, sichuan.qianwei.aic).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kaoping.archive import service
from kaoping.archive.recording import score_and_capture
from kaoping.archive.store import Archive
from kaoping.core.errors import InputError
from kaoping.core.pipeline import prepare
from kaoping.core.procedure import APPEAL, HEARING, Window
from kaoping.core.tomlread import read_toml
from kaoping.plugins.anon_county_political_performance import SAMPLE_DATA as ANON_SAMPLE
from kaoping.plugins.hunan_heshan import SAMPLE_DATA as HESHAN_SAMPLE

ANON = "anon.county_political_performance"
CLERK = "县委组织部 李干事"


def record_anon(archive: Archive, overrides: dict[str, Any]) -> int:
    setup = service.setup_with_history(service.Deployed(), archive, ANON, 2017, overrides=overrides)
    assert setup.scheme is not None
    stored = archive.record(score_and_capture(setup, setup.scheme, ANON_SAMPLE, overrides=overrides), CLERK)
    return stored.run_id


def anon_overrides(**parameters: Any) -> dict[str, Any]:
    overrides = read_toml(ANON_SAMPLE / "overrides.toml")
    overrides["parameters"] = {**overrides.get("parameters", {}), **parameters}
    return overrides


def test_the_ten_day_window_opens_on_publication_and_refuses_the_eleventh_day(archive_url: str):
    with Archive(archive_url) as archive:
        run_id = record_anon(archive, anon_overrides())
        publication = service.publish(archive, service.Deployed(), run_id, None, CLERK, date(2018, 1, 5))
        # 「在十日内」: ten calendar days after the feedback, 2018-01-05 → 2018-01-15
        assert publication.windows == [
            Window(
                APPEAL, date(2018, 1, 5), date(2018, 1, 15), "可以在十日内以书面形式向县委组织部提出申诉", "appeal_days"
            )
        ]
        appeal_id, note = archive.file_appeal(run_id, "T1", "民主测评有误", "甲镇", date(2018, 1, 15))
        assert "2018-01-15" in note
        with pytest.raises(InputError) as refused:
            archive.file_appeal(run_id, "T2", "民主测评有误", "乙镇", date(2018, 1, 16))
        message = str(refused.value)
        assert "2018-01-15" in message and "「可以在十日内以书面形式向县委组织部提出申诉」" in message
        assert "appeal_days" in message
        assert [a["id"] for a in archive.appeals(run_id)] == [appeal_id]
        actions = [(e["action"], e["actor"]) for e in archive.audit()]
    assert actions == [("record", CLERK), ("publish", CLERK), ("appeal", "甲镇"), ("appeal-refused", "乙镇")]


def test_the_window_is_the_scheme_number_so_a_deployment_can_change_it(archive_url: str):
    with Archive(archive_url) as archive:
        run_id = record_anon(archive, anon_overrides(appeal_days=3))
        service.publish(archive, service.Deployed(), run_id, None, CLERK, date(2018, 1, 5))
        archive.file_appeal(run_id, "T1", "理由", "甲镇", date(2018, 1, 8))
        with pytest.raises(InputError, match="2018-01-08"):
            archive.file_appeal(run_id, "T1", "理由", "甲镇", date(2018, 1, 9))


def test_qianwei_appeal_window_is_three_days_after_the_assessment():
    setup = prepare(scheme_id="sichuan.qianwei.aic")
    assert setup.scheme is not None
    window, hearing = setup.host.procedure_windows(setup.scheme, date(2024, 3, 28))
    # 「可在月考核后三日内…提出申诉」
    assert (window.kind, window.opens, window.closes) == (APPEAL, date(2024, 3, 28), date(2024, 3, 31))
    # 「应当在七日内组织听证会」: counted from each appeal
    assert (hearing.kind, hearing.days) == (HEARING, 7)


def test_qianwei_appeal_is_told_its_hearing_day(archive_url: str):
    from kaoping.plugins.sichuan_qianwei_aic import SAMPLE_DATA as QIANWEI_SAMPLE

    with Archive(archive_url) as archive:
        setup = service.setup_with_history(service.Deployed(), archive, "sichuan.qianwei.aic", 2015)
        stored = service.record(archive, setup, QIANWEI_SAMPLE, CLERK)
        service.publish(archive, service.Deployed(), stored.run_id, None, CLERK, date(2015, 3, 28))
        # published 03-28; appeal on 03-30 (within 「三日内」, by 03-31) → hearing by 03-30 + 7 = 04-06
        _id, note = archive.file_appeal(stored.run_id, "S2", "理由", "职工", date(2015, 3, 30))
        assert "2015-03-31" in note and "2015-04-06" in note and "应当在七日内组织听证会" in note
        [entry] = [e for e in archive.audit() if e["action"] == "appeal"]
        assert "2015-04-06" in str(entry["details"])


def test_a_scheme_without_a_window_publishes_none():
    setup = prepare(scheme_id="hunan.heshan")
    assert setup.scheme is not None
    # 2013年赫山区绩效评估实施方案 states no appeal or publicity period
    assert setup.host.procedure_windows(setup.scheme, date(2014, 1, 10)) == []


def test_appeals_need_a_published_result_a_known_unit_and_are_decided_once(archive_url: str):
    with Archive(archive_url) as archive:
        setup = service.setup_with_history(service.Deployed(), archive, "hunan.heshan", 2013)
        stored = service.record(archive, setup, HESHAN_SAMPLE, CLERK)
        with pytest.raises(InputError, match="has not been published"):
            archive.file_appeal(stored.run_id, "T1-01", "理由", "泉交河镇", date(2014, 1, 12))
        service.publish(archive, service.Deployed(), stored.run_id, None, CLERK, date(2014, 1, 10))
        with pytest.raises(InputError, match="no unit"):
            archive.file_appeal(stored.run_id, "不存在的镇", "理由", "某人", date(2014, 1, 12))
        with pytest.raises(InputError, match="reason"):
            archive.file_appeal(stored.run_id, "T1-01", " ", "泉交河镇", date(2014, 1, 12))
        appeal_id, _ = archive.file_appeal(stored.run_id, "T1-01", "理由", "泉交河镇", date(2014, 1, 12))
        with pytest.raises(InputError, match="--change"):
            service.decide(archive, service.Deployed(), appeal_id, True, CLERK, date(2014, 1, 13), "准", [])
        decision = service.decide(archive, service.Deployed(), appeal_id, False, CLERK, date(2014, 1, 13), "驳回", [])
        assert decision.revision is None and decision.changes == []
        with pytest.raises(InputError, match="already been decided"):
            service.decide(archive, service.Deployed(), appeal_id, False, CLERK, date(2014, 1, 14), "驳回", [])
        assert archive.revision(stored.run_id).number == 1
        [listed] = archive.appeals(stored.run_id)
        assert listed["accepted"] is False and listed["decided_by"] == CLERK
