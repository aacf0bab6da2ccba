"""*市行政审批电子监察绩效考核评分暂行办法 (Shandong, Weihai inferred): seed 002, 篇(4).

The monthly sheet is data in ``scheme.toml``. What a table cannot say is the time dimension:
「每月考核一次」 and 「年度考核总分取每月算术平均分」. The score hook scores each month with the core
engine, on arrays, and folds the months into the year on arrays (:mod:`kaoping.plugins._common.periods`);
a unit's annual trail is built when it is read.
"""

from __future__ import annotations

from pathlib import Path

from kaoping.api import Dataset, MethodRegistry, RegisterScheme, Scheme, ScoreTable, hookimpl
from kaoping.plugins._common.periods import period_aggregate, score_by_period

SCHEME_ID = "shandong.weihai.e_monitoring"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
PLUGIN = __name__.rsplit(".", 1)[-1]


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl
def kaoping_score(scheme: Scheme, dataset: Dataset, methods: MethodRegistry) -> ScoreTable | None:
    table, _ = score_by_period(scheme, dataset, methods, period_aggregate(scheme), plugin=PLUGIN)
    return table
