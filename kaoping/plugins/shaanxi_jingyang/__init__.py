"""泾阳县目标管理绩效评估 (Shaanxi, Jingyang County): seed 000_9aaf459fe1a17da7.txt.

The 200-point base split 70/30, the weighted evaluator channels (weights required from the deployment),
the four veto areas that cancel prizes, the prize quotas per 口 and the staff excellent ratios are data in
``scheme.toml``. Hook code holds what a table cannot say:

- the target sheet method (``jingyang_target_sheet``, 0 points) and the guideline that each key target
  carries about 3%-5% of the base (「一般每項都占到目標基分的3%-5%左右」), reported as warnings;
- the key-work assessment method (``jingyang_key_work``, 0 points): periodic key-work scores;
- before scoring, a refusal to grade while a 口 in the data has no prize count, no 落后单位 reading, or (with
  key-work rows) no number of periods for the talks;
- after grading, 落后单位 (the last N of each 口) and the 警示 / 诫勉 talks for consecutive last places in the
  key-work assessment (``grading`` module).
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
from kaoping.locale import _
from kaoping.plugins.shaanxi_jingyang.grading import (
    apply_key_work_talks,
    apply_lagging,
    required_readings,
)
from kaoping.plugins.shaanxi_jingyang.targets import key_target_problems, key_work, target_sheet

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
    register(key_work)


@hookimpl
def kaoping_validate_dataset(scheme: Scheme, dataset: Dataset) -> list[Problem] | None:
    return key_target_problems(scheme, dataset)


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """No vetoes here: before scoring, check that a deployment has set what the source leaves open."""
    prizes = [q for q in scheme.grading.quotas if q.grade in PRIZES]
    without = sorted(
        {u.group for u in dataset.units} - {g for q in prizes for g, n in (q.counts or {}).items() if n > 0}
    )
    if without:
        raise MissingParameterError(
            _(
                "shaanxi.jingyang: set grading.quotas first/second/third counts for each 口: none for {groups} "
                "(the source names 一等奖/二等奖/三等奖 but not how many: 「一等獎的單位,考核優(yōu)秀比例可達到」)"
            ).format(groups=", ".join(without))
        )
    required_readings(scheme, dataset)
    return []


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    apply_lagging(scheme, result)
    apply_key_work_talks(scheme, dataset, result)
    return result
