"""××乡(镇)机关绩效考评办法 (anonymous township): seed 001, 第三篇.

Scores, part (五) deductions and the 先进单位 quotas are data in ``scheme.toml``. The sanctions for the
last two places (「位列倒数第二名」, 「位列倒数第一名」) are not a grade band or quota, so this hook adds
them to the results; the parameter ``bottom_scope`` says whether places count over all units
(``overall``, the default) or within each class (``group``).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from kaoping.api import InputError, RegisterScheme, RunResult, Scheme, UnitResult, hookimpl

SCHEME_ID = "anon.xx_township"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")

SECOND_LAST = [
    "通报批评,限期整改,向镇效能办报送整改方案",
    "给予或建议给予单位主要领导诫勉一年",
    "其它班子成员一年内不得评先评优",
]
LAST = [
    "给予或建议其主管部门给予主要负责人免职处理",
    "其它班子成员诫勉一年",
]


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


def place_from_bottom(unit: UnitResult, pool: list[UnitResult]) -> int:
    """1 for the lowest total; units with equal totals share the place (both are sanctioned)."""
    return 1 + sum(1 for other in pool if other.total < unit.total)


def pools(result: RunResult, scope: str) -> list[list[UnitResult]]:
    if scope == "overall":
        return [list(result.units)]
    if scope == "group":
        groups: dict[str, list[UnitResult]] = {}
        for unit in result.units:
            groups.setdefault(unit.group, []).append(unit)
        return list(groups.values())
    raise InputError(f"{SCHEME_ID}: parameter bottom_scope must be 'overall' or 'group', not {scope!r}")


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme) -> Generator[None, RunResult, RunResult]:
    result = yield
    scope = str(scheme.parameters.get("bottom_scope", "overall"))
    for pool in pools(result, scope):
        if len(pool) < 2:
            continue
        for unit in pool:
            place = place_from_bottom(unit, pool)
            if place == 1:
                unit.consequences["sanctions"] = list(LAST)
                unit.consequences["bottom_place"] = "倒数第一名"
            elif place == 2:
                unit.consequences["sanctions"] = list(SECOND_LAST)
                unit.consequences["bottom_place"] = "倒数第二名"
    result.notes.append(f"倒数第一、第二名 sanctions counted {scope} (「绩效考评总分位列倒数第二名」)")
    return result
