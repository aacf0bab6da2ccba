"""The vectorised form of a plugin method, imported when the columnar engine first calls it.

A plugin's method module is imported whenever the plugin is registered (every command); its columnar form
needs numpy, which most commands never load. ``lazy_form("pkg.columns", "name")`` is a function with the
vectorised signature that imports ``pkg.columns`` on its first call and hands over to ``name`` there.
"""

from __future__ import annotations

import importlib
from typing import Any


def lazy_form(module: str, name: str) -> Any:
    """A vectorised form defined in ``module`` as ``name``, imported on first use."""

    def form(indicator: Any, columns: Any, ctx: Any) -> Any:
        return getattr(importlib.import_module(module), name)(indicator, columns, ctx)

    form.__name__ = form.__qualname__ = name
    form.__module__ = module  # where the form lives (the tests import every one)
    form.__doc__ = f"The columnar form ``{module}.{name}`` (imported on first use)."
    return form
