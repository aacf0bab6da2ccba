"""泾阳县目标管理绩效评估 (Shaanxi, Jingyang County): seed 000_9aaf459fe1a17da7.txt.

The 200-point base split 70/30, the weighted evaluator channels (weights required from the deployment),
the four veto areas that cancel prizes, the prize quotas per 口 and the staff excellent ratios are data in
``scheme.toml``. Hook code holds what a table cannot say:

- the target sheet method (``jingyang_target_sheet``, 0 points) and the check that each key target carries
  3%-5% of the base (「一般每項都占到目標基分的3%-5%左右」), reported as data problems;
- before scoring, a refusal to grade while no prize count, no 落后单位 reading, or (with history rows) no
  consecutive-last-place reading has been set;
- after grading, 落后单位 (the last N of each 口) and consecutive last places read from ``history``
  (``grading`` module).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

from kaoping.api import (
    Dataset,
    Method,
    MissingParameterError,
    Problem,
    RegisterScheme,
    RunResult,
    Scheme,
    Veto,
    hookimpl,
)
from kaoping.plugins.shaanxi_jingyang.grading import apply_lagging, apply_last_place, required_readings
from kaoping.plugins.shaanxi_jingyang.targets import key_target_problems, target_sheet

SCHEME_ID = "shaanxi.jingyang"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
PRIZES = ("一等奖", "二等奖", "三等奖")


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl
def kaoping_register_methods(register: Callable[[Method], None]) -> None:
    register(target_sheet)


@hookimpl
def kaoping_validate_dataset(scheme: Scheme, dataset: Dataset) -> list[Problem] | None:
    return key_target_problems(scheme, dataset)


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """No vetoes here: before scoring, check that a deployment has set what the source leaves open."""
    prizes = [q for q in scheme.grading.quotas if q.grade in PRIZES]
    if not any(n for q in prizes for n in (q.counts or {}).values()):
        raise MissingParameterError(
            "shaanxi.jingyang: set grading.quotas first/second/third counts per 口 "
            "(the source names 一等奖/二等奖/三等奖 but not how many: 「一等獎的單位,考核優(yōu)秀比例可達到」)"
        )
    required_readings(scheme, dataset)
    return []


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    apply_lagging(scheme, result)
    apply_last_place(scheme, dataset, result)
    return result
