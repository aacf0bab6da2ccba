"""南通市机关绩效评估 (Jiangsu, Nantong City): seed 000_9aaf459fe1a17da7.txt, report by 南通市人事局.

The channels (15/55/30), the 70/30 target weights, the veto areas and the grades are data in
``scheme.toml``. Hook code holds what a table cannot say:

* the per-item bands and the key-work share (``methods.nantong_targets``) and the two converted reviews
  of 综合评议 (``methods.nantong_review``);
* (the five grades have no published cut-offs or quotas: ``[grading] required_grades`` makes a run
  without the deployment's grading for each of them an error);
* (the two single awards, 优质服务奖 and 争先进位奖, are decided by the evaluation office, criteria not
  published: ``record`` rows of the vetoes table whose areas list them in the unit's consequences,
  ``single_awards``);
* 「因組織和個人工作原因,有一項重點工作目標未完成,或兩項一般目標未完成」 needs the office's finding on the
  cause, so it is an entered veto (``targets_missed``); units whose item data meet the count but have no
  such row are named in the run's notes for the office to decide.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

from kaoping.api import Dataset, Method, RegisterScheme, RunResult, Scheme, hookimpl
from kaoping.plugins.jiangsu_nantong.methods import nantong_review, nantong_targets

SCHEME_ID = "jiangsu.nantong"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl
def kaoping_register_methods(register: Callable[[Method], None]) -> None:
    register(nantong_targets)
    register(nantong_review)


def missed_target_candidates(scheme: Scheme, dataset: Dataset) -> dict[str, tuple[int, int]]:
    """Units whose uncompleted items (rows with a target) reach 1 key or 2 general targets: unit → (key, general).

    「有一項重點工作目標未完成,或兩項一般目標未完成」: either count alone makes a unit a candidate; both counts
    are the parameters ``missed_key_targets`` and ``missed_general_targets``.
    """
    params = scheme.parameters
    key_needed, general_needed = int(params["missed_key_targets"]), int(params["missed_general_targets"])
    counts: dict[str, list[int]] = {}
    for row in dataset.values:
        if row.target is None:
            continue
        if row.indicator in params["key_indicators"]:
            counts.setdefault(row.unit, [0, 0])[0] += 1
        elif row.indicator in params["general_indicators"]:
            counts.setdefault(row.unit, [0, 0])[1] += 1
    return {
        unit: (key, general)
        for unit, (key, general) in sorted(counts.items())
        if key >= key_needed or general >= general_needed
    }


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    area = scheme.parameters["targets_missed_area"]
    entered = {v.unit for u in result.units for v in u.vetoes if v.area == area}
    for unit, (key, general) in missed_target_candidates(scheme, dataset).items():
        if unit not in entered:
            result.notes.append(
                f"{unit}: {key} key and {general} general targets not completed; if 「因組織和個人工作原因」, "
                f"enter a '{area}' veto (不得评为先进和最佳)"
            )
    return result
