"""The columnar engine: the row engine's exact results on arrays (see docs/engine.md).

:func:`~kaoping.core.columnar.engine.score` chooses between the two engines; the vectorised method API
is in :mod:`~kaoping.core.columnar.vector`.
"""
