"""Which engine scores a run: ``kaoping score --engine``, else ``KAOPING_ENGINE``, else ``auto``.

=========  ==========================================================================================
``auto``   the engine (:mod:`kaoping.core.columnar.engine`): vectorised forms where methods have them,
           row-based methods through its adapter
``arrays`` the same engine (the name is kept for the deployments and scripts that set it)
``dask``   the run is split by ranking pool and each part is scored on a Dask cluster
           (:mod:`kaoping.core.distributed`), each part by the local engine
=========  ==========================================================================================

There is one local engine: ``auto`` and ``arrays`` are two names of it. ``rows``, the row engine's name, is
refused like any other unknown value since the row engine was removed (the error lists the choices).

The command-line option is kept for the length of one command (:func:`chosen_engine`), so it never leaks
into the environment of a later run in the same process (a test session); the environment variable stays
for tests, measurements and scripts. This module imports nothing heavy: every command imports it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import attrs

from kaoping.core.errors import InputError
from kaoping.locale import _

ENGINE_ENV = "KAOPING_ENGINE"
LOCAL_ENGINES = ("auto", "arrays")
ENGINES = (*LOCAL_ENGINES, "dask")

_chosen: str | None = None


@attrs.frozen
class EngineSettings:
    """``[engine]`` of ``kaoping.toml``: where a ``dask`` run is scored.

    ``scheduler`` is the address of a running Dask scheduler (``tcp://10.0.0.5:8786``); without it a run
    starts a cluster on this machine with ``workers`` worker processes (default: one per CPU core).
    ``partition_units`` is how many units one partition holds at most, unless a single ranking pool is
    larger (a pool is never split)."""

    scheduler: str | None = None
    workers: int | None = None
    partition_units: int = 100_000


_settings: EngineSettings | None = None


def configure(settings: EngineSettings | None) -> None:
    """Use a deployment's ``[engine]`` for this process; ``None`` goes back to the defaults."""
    global _settings
    _settings = settings


def current_settings() -> EngineSettings:
    return _settings or EngineSettings()


def engine_setting() -> str:
    """The engine asked for: the command's ``--engine``, else ``KAOPING_ENGINE``, else ``auto``."""
    if _chosen is not None:
        return _chosen
    chosen = os.environ.get(ENGINE_ENV, "").strip().lower() or "auto"
    if chosen not in ENGINES:
        raise InputError(
            _("{env} must be one of {choices}, got {value!r}").format(
                env=ENGINE_ENV, choices=", ".join(ENGINES), value=chosen
            )
        )
    return chosen


def local_engine() -> str:
    """The engine that scores on this machine: under ``dask``, each partition is scored as ``auto`` would."""
    setting = engine_setting()
    return "auto" if setting == "dask" else setting


def distributed() -> bool:
    """Whether this run is split across a Dask cluster."""
    return engine_setting() == "dask"


@contextmanager
def chosen_engine(engine: str | None) -> Iterator[None]:
    """Use ``engine`` (``--engine``) for the length of a command; ``None`` leaves the environment's choice."""
    global _chosen
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    previous = _chosen
    _chosen = engine if engine is not None else previous
    try:
        yield
    finally:
        _chosen = previous
