"""The archive through the commands a clerk types, on SQLite and PostgreSQL (``[archive] url``)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.io.dataio import load_dataset


def kaoping(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def deployment(tmp_path: Path, archive_url: str, heshan_data: Path) -> Path:
    config = tmp_path / "kaoping.toml"
    config.write_text(
        f'[archive]\nurl = "{archive_url}"\n\n[counties.heshan]\nname = "赫山区"\nscheme = "hunan.heshan"\n'
        f'data = "{heshan_data.name}"\nyear = 2013\n',
        encoding="utf-8",
    )
    return config


def test_a_year_through_the_commands(deployment: Path, heshan_without_history: Path, tmp_path: Path):
    conf = ["--config", str(deployment)]
    code, _, err = kaoping(
        "score", *conf, "--record", "--by", "王科长", "--format", "json", "-o", str(tmp_path / "r.json")
    )
    assert code == 0, err
    assert "recorded run 1.1" in err
    code, out, err = kaoping("publish", "1", *conf, "--by", "王科长", "--today", "2014-01-10")
    assert code == 0, err
    assert "published run 1.1 on 2014-01-10" in out
    code, out, err = kaoping(
        "appeal",
        "file",
        "泉交河镇",
        "--run",
        "1",
        "--reason",
        "否决有误",
        "--by",
        "泉交河镇",
        *conf,
        "--today",
        "2014-01-12",
    )
    assert code == 0, err
    assert "filed appeal 1" in out
    change = tmp_path / "fix" / "vetoes.csv"
    change.parent.mkdir()
    change.write_text("单位编码(unit),否决领域(area),操作(change)\nT1-01,anquan,删除\n", encoding="utf-8")
    code, out, err = kaoping(
        "appeal",
        "decide",
        "1",
        "--accept",
        "--change",
        str(change),
        "--by",
        "委员会",
        "--note",
        "否决撤销",
        *conf,
        "--today",
        "2014-01-15",
    )
    assert code == 0, err
    assert "run 1.2 re-scored" in out
    lines = [line for line in out.splitlines() if "grade" in line]
    assert any("泉交河镇" in line and "达标" in line and "优秀" in line for line in lines)
    assert any("龙光桥镇" in line for line in lines)

    code, out, err = kaoping("score", "--run", "1", *conf)
    assert code == 0, err
    assert "changes in revision 1.2 since the published revision 1.1:" in out
    code, out, _ = kaoping("score", "--run", "1", "--revision", "1", *conf, "--format", "json")
    assert out == (tmp_path / "r.json").read_text(encoding="utf-8")
    code, out, _ = kaoping("explain", "泉交河镇", "--run", "1", *conf)
    assert code == 0 and "grade 优秀" in out
    code, out, _ = kaoping("score", "--run", "1", *conf, "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    assert code == 0 and (tmp_path / "r.xlsx").exists()
    # the corrected revision's 通报 says, first in its notes, what changed since the published one
    notes = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[-2]
    cells = [str(c.value) for row in notes.iter_rows() for c in row if c.value is not None]
    changed = next(i for i, text in enumerate(cells) if text == "Changes since the published revision")
    assert "changes in revision 1.2 since the published revision 1.1:" in cells[changed + 1]
    assert any("泉交河镇 (T1-01) grade: 达标 → 优秀" in text for text in cells[changed + 1 :])

    assert kaoping("publish", "1", *conf, "--by", "王科长", "--today", "2014-01-20")[0] == 0
    code, out, _ = kaoping("history", *conf, "--format", "csv", "-o", str(heshan_without_history / "history.csv"))
    assert code == 0
    history = load_dataset(heshan_without_history).history
    assert len(history) == 106 and {r.year for r in history} == {2013}
    assert next(r for r in history if r.unit == "T1-01").grade == "优秀"
    (heshan_without_history / "history.csv").unlink()
    code, out, _ = kaoping("history", *conf, "--format", "json")
    assert json.loads(out)[0] == {"unit": "T1-01", "year": 2013, "total": 814.5, "rank": 1, "grade": "优秀"}
    code, _, _ = kaoping("history", *conf, "--format", "xlsx", "-o", str(tmp_path / "h.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "h.xlsx")["history"]
    assert [c.value for c in sheet[1]] == ["单位编码(unit)", "年度(year)", "总分(total)", "名次(rank)", "等次(grade)"]

    code, out, err = kaoping(
        "score", *conf, "--data", str(heshan_without_history), "--year", "2014", "--format", "json"
    )
    assert code == 0, err
    units = {u["unit"]: u for u in json.loads(out)["units"]}
    # 「连续两年被评定为“绩效评估基本达标单位”的…给予通报批评」: 区移民开发局, 基本达标 in 2013 and 2014
    assert units["D4-13"]["consequences"]["consecutive"] == "连续2年基本达标"
    assert "warning:" not in err

    code, out, _ = kaoping("archive", "log", *conf)
    for action in ("record", "publish", "appeal", "decide"):
        assert action in out
    code, out, _ = kaoping("archive", "runs", *conf)
    assert "hunan.heshan" in out and "2013" in out


def test_export_and_import_through_the_commands(deployment: Path, second_url: str, tmp_path: Path):
    conf = ["--config", str(deployment)]
    assert kaoping("score", *conf, "--record", "--by", "王科长", "--format", "csv")[0] == 0
    exported = tmp_path / "archive.jsonl"
    assert kaoping("archive", "export", *conf, "-o", str(exported))[0] == 0
    code, out, err = kaoping("archive", "import", str(exported), "--archive", second_url)
    assert code == 0, err
    assert "runs: 1" in out
    code, out, _ = kaoping("archive", "export", "--archive", second_url)
    assert out == exported.read_text(encoding="utf-8")


def test_errors_are_clear_and_exit_2(deployment: Path):
    conf = ["--config", str(deployment)]
    code, _, err = kaoping("appeal", "file", "泉交河镇", "--run", "9", "--reason", "r", "--by", "x", *conf)
    assert code == 2 and "no run 9 in the archive" in err and "Traceback" not in err
    code, _, err = kaoping("score", *conf, "--record")
    assert code == 2 and "--record needs --by NAME" in err
    code, _, err = kaoping("score", "--run", "1", "--year", "2013", *conf)
    assert code == 2


def test_scoring_without_an_archive_warns_and_creates_none(
    heshan_without_history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    code, out, err = kaoping(
        "score", "--scheme", "hunan.heshan", "--data", str(heshan_without_history), "--year", "2014"
    )
    assert code == 0, err
    # 「连续两年」 needs 2013's grades, which neither the data nor an archive has
    assert "warning: no results of 2013 in the history, so the rule 连续两年基本达标、不达标的处理" in err
    assert "warning: no results of 2013" in out  # the table's notes too
    assert not (tmp_path / "kaoping.db").exists()
