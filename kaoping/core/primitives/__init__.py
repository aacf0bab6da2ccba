"""The core's scoring methods: the building blocks most schemes compose.

Every module in this package is scanned, and every :class:`~kaoping.core.methods.Method` defined at its
top level is registered by the built-in plugin. A primitive that two schemes need goes here, in a module
of its own, with hand-computed tests in ``tests/core/``.
"""

from __future__ import annotations

import importlib
import pkgutil

from kaoping.core.methods import Method


def core_methods() -> tuple[Method, ...]:
    found: dict[str, Method] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Method):
                found.setdefault(value.name, value)
    return tuple(found[name] for name in sorted(found))
