"""kaoping: Chinese government performance evaluation (政府绩效考评), scheme by scheme.

Plugin authors import what they need from here::

    from kaoping import hookimpl

    @hookimpl
    def kaoping_register_schemes(register):
        register(Path(__file__).with_name("scheme.toml"))
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

PROJECT_NAME = "kaoping"

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marker for hook implementations, as ``pytest.hookimpl`` is for pytest plugins."""

__all__ = ["PROJECT_NAME", "__version__", "hookimpl"]
