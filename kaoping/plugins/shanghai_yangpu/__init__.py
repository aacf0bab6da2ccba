"""杨浦区机关部门工作目标管理绩效评估 (Shanghai, Yangpu District): seed 000_9aaf459fe1a17da7.txt.

The whole scheme is data in ``scheme.toml``: four weighted channels, a 30% quota
for 优 and the bonus factors. The plugin only registers it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kaoping import hookimpl

SCHEME_ID = "shanghai.yangpu"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: Callable[[Path], None]) -> None:
    register(SCHEME_FILE)
