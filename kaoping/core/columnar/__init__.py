"""The scoring engine, on arrays: the row engine's exact results, which it replaced (see docs/engine.md).

:func:`~kaoping.core.columnar.engine.score` scores every run; the vectorised method API is in
:mod:`~kaoping.core.columnar.vector`; caps and floors on arrays are in :mod:`~kaoping.core.columnar.closing`.
"""
