"""The hook specifications: the whole contract a kaoping plugin implements.

Read :mod:`kaoping.hooks.specs`; implement any subset of its hooks with ``@kaoping.hookimpl``.
"""

from kaoping.hooks.specs import hookspec

__all__ = ["hookspec"]
