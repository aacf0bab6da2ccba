"""吉水县国土资源局2014机关工作目标管理考评办法 (Jiangxi, Jishui County Land Bureau): seed 001, 第二篇.

Points, steps, caps, bands, quotas and consequences are data in ``scheme.toml``: one group per unit (its
own 70-point 个性考评项目 table), all in the pool ``bureau`` so the 14 units are ranked and given prizes
together. Hook code holds what a table cannot say: two indicator methods (``methods``: cases short of a
handling rate; every licensing level's inspection rate met). An event or value booked on another unit's
table is refused by the core's validation (the unit's group is not scored on that part or indicator).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kaoping import hookimpl
from kaoping.core.methods import Method
from kaoping.plugins.jiangxi_jishui_land_bureau.methods import jishui_all_rates_met, jishui_cases_short

SCHEME_ID = "jiangxi.jishui.land_bureau"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: Callable[[Path], None]) -> None:
    register(SCHEME_FILE)


@hookimpl
def kaoping_register_methods(register: Callable[[Method], None]) -> None:
    register(jishui_cases_short)
    register(jishui_all_rates_met)

