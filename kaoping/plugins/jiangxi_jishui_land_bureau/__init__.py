"""吉水县国土资源局2014机关工作目标管理考评办法 (Jiangxi, Jishui County Land Bureau): seed 001, 第二篇.

The scoring is all data in ``scheme.toml``; this module only registers it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kaoping import hookimpl

SCHEME_ID = "jiangxi.jishui.land_bureau"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: Callable[[Path], None]) -> None:
    register(SCHEME_FILE)
