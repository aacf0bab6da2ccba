"""杨浦区机关部门工作目标管理绩效评估 (Shanghai, Yangpu District): seed 000_9aaf459fe1a17da7.txt.

The scheme is data in ``scheme.toml``: four weighted channels, the 加/扣分 items, 一票为优/否决, a 30%
quota for 优 and the bonus factors. Hook code holds what a table cannot say: the source ranks 优/良/一般
「從高分到低分」 but gives no cut-off for 一般, so a run without the deployment's band for it is an error
rather than a scheme in which no department is ever 一般.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kaoping import hookimpl
from kaoping.core.errors import MissingParameterError
from kaoping.core.models import Dataset
from kaoping.core.results import Veto
from kaoping.core.scheme import Scheme

SCHEME_ID = "shanghai.yangpu"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: Callable[[Path], None]) -> None:
    register(SCHEME_FILE)


def check_grading(scheme: Scheme) -> None:
    """Raise when a grade the source leaves to a cut-off it does not give has no band in the deployment."""
    banded = {band.grade for band in scheme.grading.bands}
    missing = [g for g in scheme.parameters.get("required_band_grades", []) if g not in banded]
    if missing:
        raise MissingParameterError(
            f"{scheme.id}: the source ranks 优/良/一般 「從高分到低分」 but states no cut-off for "
            f"{'、'.join(missing)}; set a grading band for it in the overrides "
            f'(e.g. [[grading.bands]] grade = "{missing[0]}", below = <cut-off>)'
        )


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """No vetoes of its own; this is the first hook of a run, so the deployment's grading is checked here."""
    if scheme.id != SCHEME_ID:
        return None
    check_grading(scheme)
    return []
