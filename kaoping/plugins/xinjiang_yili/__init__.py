"""伊犁州绩效考评 (Xinjiang, Yili inferred): seed 002, 篇(9).

The score is data in ``scheme.toml``. The source names grades but no thresholds, quotas or prize counts,
so the scheme's ``[grading] required`` makes a run need the deployment's grading. Hook code checks what
the core's grading cannot: counties and prefecture units have different grade sets, which the plugin
enforces after grading.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from kaoping.api import InputError, RegisterScheme, RunResult, Scheme, hookimpl

SCHEME_ID = "xinjiang.yili"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme) -> Generator[None, RunResult, RunResult]:
    result = yield
    allowed = {"counties": scheme.parameters["county_grades"], "units": scheme.parameters["unit_grades"]}
    wrong = [
        f"{u.unit} ({u.group}) got {u.grade!r}, which is not one of {', '.join(allowed[u.group])}"
        for u in result.units
        if u.grade and u.group in allowed and u.grade not in allowed[u.group]
    ]
    if wrong:
        raise InputError(
            "the deployment's grading gives grades of the other group; restrict quotas with 'groups' or "
            "'counts': " + "; ".join(wrong)
        )
    return result
