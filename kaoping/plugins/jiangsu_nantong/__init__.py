"""南通市机关绩效评估 (Jiangsu, Nantong City): seed 000_9aaf459fe1a17da7.txt.

The whole scheme is data in ``scheme.toml``: 15/55/30 channels, 70/30 targets inside
集中考评 and the veto barring 最佳 and 先进. The plugin only registers it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kaoping import hookimpl

SCHEME_ID = "jiangsu.nantong"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: Callable[[Path], None]) -> None:
    register(SCHEME_FILE)
