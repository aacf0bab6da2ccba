"""漳州市直机关绩效考评办法 (Fujian, Zhangzhou City, direct organs): seed 001, 第五篇.

Almost the whole scheme is data in ``scheme.toml``. The one rule a table cannot say is the optional
series-3 consequences (「第三系列的单位可比照执行」), switched by the scheme parameter
``series3_applies_consequences``.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from kaoping.api import RegisterScheme, RunResult, Scheme, hookimpl

SCHEME_ID = "fujian.zhangzhou"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme) -> Generator[None, RunResult, RunResult]:
    result = yield
    if scheme.parameters.get("series3_applies_consequences", True):
        return result
    for unit in result.units:
        if unit.group == "series3":
            kept = {k: v for k, v in unit.consequences.items() if k == "sanctions"}
            kept["applies"] = "第三系列未比照执行 (series3_applies_consequences = false)"
            unit.consequences = kept
    result.notes.append("series 3: staff ratio and bonus consequences not applied (「可比照执行」 chosen off)")
    return result
