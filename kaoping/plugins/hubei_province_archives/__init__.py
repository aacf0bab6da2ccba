"""湖北省机关档案工作目标管理等级考评办法 (Hubei Province, archives levels): seed 001, 第四篇.

A certification scheme, not a ranking. The score bands (省二级 ≥ 80, 省一级 ≥ 90) and the six
prerequisites (「申报必备条件」: recorded vetoes; a unit failing one cannot apply this year, for a level or
for its re-examination, but keeps a level still valid) are data in ``scheme.toml``. What a table cannot say
lives here: 「逐级晋升」 (one level at a time), 「取得…等级证书一年后」 (the wait before the next
application), 「有效期为三年」 with re-examination in the expiry year, and 「到期未申请复查的,等级资格自动
失效」. The units' earlier certificates are ``history`` rows (year + grade).
"""

from __future__ import annotations

from collections.abc import Generator
from decimal import Decimal
from pathlib import Path

from kaoping.api import (
    Dataset,
    HistoryRow,
    RegisterScheme,
    RunResult,
    Scheme,
    UnitResult,
    band_for,
    consequences_for,
    hookimpl,
)
from kaoping.plugins._common.history import expiry_year, rows_of, waited

SCHEME_ID = "hubei.province.archives"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
SPECIAL = "省特级"


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


def evaluation_year(scheme: Scheme) -> int:
    """The year evaluated (a required parameter): waits and validity are counted from it."""
    why = "waiting periods (「取得省二级、省一级等级证书一年后」) and validity (「有效期为三年」) are counted from it"
    return int(scheme.parameter("evaluation_year", why))


def held_certificate(earlier: list[HistoryRow], ladder: list[str]) -> HistoryRow | None:
    """The certificate the unit holds: its latest history row, when that row is a level.

    A later row without a level (未定级: a lapse or a failed re-examination) ends the earlier certificate;
    it is not skipped to reach an older one.
    """
    last = max(earlier, key=lambda row: row.year) if earlier else None
    return last if last is not None and last.grade in ladder else None


def special_review_passed(dataset: Dataset, unit: str) -> bool:
    rows = dataset.values_by_indicator.get("special_review", {}).get(unit, [])
    return any(row.value is not None and Decimal(row.value) >= 1 for row in rows)


def decide(scheme: Scheme, dataset: Dataset, unit: UnitResult, year: int) -> tuple[str, str]:
    """The unit's level after this year's evaluation and why."""
    params = scheme.parameters
    ladder: list[str] = list(params["ladder"])
    validity, wait = int(params["validity_years"]), int(params["wait_years"])
    lapse_to = str(params["lapse_to"])
    earlier = [row for row in rows_of(dataset.history, unit.unit) if row.year < year]
    held_row = held_certificate(earlier, ladder)
    held = held_row.grade if held_row else None
    held_year = held_row.year if held_row else None
    unmet = [v.area for v in unit.vetoes if v.area in prerequisites(scheme)]
    prereq_ok = not unmet
    band = band_for(scheme, unit.group, unit.total)
    score_level = band.grade if band is not None else scheme.grading.default

    def passes(level: str) -> bool:
        if not prereq_ok:
            return False
        if level == SPECIAL:
            return special_review_passed(dataset, unit.unit)
        return score_level in ladder and ladder.index(score_level) >= ladder.index(level)

    if not prereq_ok:
        # 「申报必备条件」: the unit may not apply (「复查程序及内容与晋升考评相同」: nor be re-examined)
        areas = "、".join(unmet)
        if held is not None and held_year is not None and year < expiry_year(held_year, validity):
            return held, f"申报条件未达({areas}),不得申报; 保持{held}(有效期至{expiry_year(held_year, validity)}年)"
        return lapse_to, f"申报条件未达({areas})"
    if held is not None and held_year is not None and year > expiry_year(held_year, validity):
        held, why = None, f"{held}({held_year}年)到期未复查,等级资格自动失效"
    else:
        why = ""
    step = ladder[ladder.index(held) + 1] if held in ladder[:-1] else (ladder[0] if held is None else None)
    may_apply = held is None or (held_year is not None and waited(held_year, year, wait))
    if step is not None and may_apply and passes(step):
        return step, f"晋升{step}" + (f"({why})" if why else "")
    if held is not None and held_year is not None:
        if year == expiry_year(held_year, validity):
            if passes(held):
                return held, f"复查合格,保持{held}"
            return lapse_to, f"{held}复查未通过,等级资格失效"
        return held, f"保持{held}(有效期至{expiry_year(held_year, validity)}年)"
    return lapse_to, why or "未达到申报等级的标准"


def prerequisites(scheme: Scheme) -> set[str]:
    """The veto areas that are 申报必备条件 (第五条): all of this scheme's areas."""
    return {area.id for area in scheme.vetoes}


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    year = evaluation_year(scheme)
    for unit in result.units:
        unit.grade, unit.grade_reason = decide(scheme, dataset, unit, year)
        unit.consequences = consequences_for(scheme, unit)
    result.notes.append(f"{year}年: 逐级晋升, 证书一年后可申报上一等级, 有效期三年 (history rows: year + grade)")
    return result
