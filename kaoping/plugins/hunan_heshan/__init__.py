"""2013年赫山区绩效评估实施方案 (Hunan, Yiyang, Heshan District): seed 003, 四、评估等次 and 五、结果运用.

Points, caps, bands, quotas and consequences are data in ``scheme.toml``. Hook code holds what a table
cannot say: the growth-rank method (``rank_move``), direct
promotion only from 达标 (「直接评为」), two or more disqualifying situations forcing 不达标, stationed
units' own sanctions, and consecutive-year sanctions read from the ``history`` table (``grading``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

from kaoping.api import Dataset, Method, RegisterScheme, RunResult, Scheme, Veto, hookimpl
from kaoping.plugins.hunan_heshan.grading import adjust_results, situation_vetoes
from kaoping.plugins.hunan_heshan.rank_move import heshan_rank_move

SCHEME_ID = "hunan.heshan"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl
def kaoping_register_methods(register: Callable[[Method], None]) -> None:
    register(heshan_rank_move)


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    return situation_vetoes(scheme, dataset)


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    adjust_results(scheme, dataset, result)
    return result
