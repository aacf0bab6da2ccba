"""辽宁省对各市政府绩效评估 (Liaoning Province, city governments): seed 000_9aaf459fe1a17da7.txt.

The whole scheme is data in ``scheme.toml``: the scoring classes (with their
unstated numbers as required parameters) and the top-three 综合奖. The plugin registers it and, before scoring, refuses
data on an indicator whose points (its tier's base weight, 「分別確定不同的基礎分權重」) are still unset.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kaoping import hookimpl
from kaoping.core.errors import MissingParameterError
from kaoping.core.models import Dataset
from kaoping.core.results import Veto
from kaoping.core.scheme import Scheme

SCHEME_ID = "liaoning.province"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: Callable[[Path], None]) -> None:
    register(SCHEME_FILE)


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """No vetoes here: the check that every indicator in use has its tier weight set runs before scoring."""
    if scheme.id != SCHEME_ID:
        return None
    used = {row.indicator for row in dataset.values}
    unset = [i for i in scheme.indicators if i.id in used and i.points == 0]
    if unset:
        names = ", ".join(f"{i.id} (「{i.quote}」)" for i in unset)
        raise MissingParameterError(
            f"liaoning.province: set the points (base weight of its tier, 「分別確定不同的基礎分權重」) of: {names}"
        )
    return []
