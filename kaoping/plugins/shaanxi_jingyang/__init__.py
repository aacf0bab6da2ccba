"""泾阳县目标管理绩效评估 (Shaanxi, Jingyang County): seed 000_9aaf459fe1a17da7.txt.

The whole scheme is data in ``scheme.toml``: the 200-point base split 70/30, the
four veto areas that cancel prizes and the staff excellent ratios. The plugin registers it and refuses to
grade while no prize count (一/二/三等奖 per 口, not stated by the source) has been set.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kaoping import hookimpl
from kaoping.core.errors import MissingParameterError
from kaoping.core.models import Dataset
from kaoping.core.results import Veto
from kaoping.core.scheme import Scheme

SCHEME_ID = "shaanxi.jingyang"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
PRIZES = ("一等奖", "二等奖", "三等奖")


@hookimpl
def kaoping_register_schemes(register: Callable[[Path], None]) -> None:
    register(SCHEME_FILE)


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """No vetoes here: before scoring, check that a deployment has set the prize counts."""
    if scheme.id != SCHEME_ID:
        return None
    prizes = [q for q in scheme.grading.quotas if q.grade in PRIZES]
    if not any(n for q in prizes for n in (q.counts or {}).values()):
        raise MissingParameterError(
            "shaanxi.jingyang: set grading.quotas first/second/third counts per 口 "
            "(the source names 一等奖/二等奖/三等奖 but not how many: 「一等獎的單位,考核優(yōu)秀比例可達到」)"
        )
    return []
