"""The deployment file (``kaoping.toml``): per county, its scheme, extra and disabled plugins, overrides.

::

    plugins = ["kaoping_citywide"]          # for every county
    disable = []

    [archive]
    url = "postgresql+psycopg://kaoping@db/kaoping"   # optional; default: kaoping.db beside this file

    [counties.zhangzhou]
    name = "漳州市"
    scheme = "fujian.zhangzhou"
    data = "data/2024"                      # optional default data source
    year = 2024                             # optional: the evaluated year, over the scheme's
    plugins = ["./local_rules.py"]          # modules or .py files, relative to this file
    disable = ["some_plugin"]

    [counties.zhangzhou.overrides]          # shaped like the scheme file
    [[counties.zhangzhou.overrides.rules]]
    id = "unannounced_visit"
    points = 3

    [limits]                                # optional: raise the input limits of kaoping.core.limits
    xlsx_mb = 200

    [engine]                                # optional: where `kaoping score --engine dask` runs
    scheduler = "tcp://10.0.0.5:8786"       # a running Dask scheduler; default: a cluster on this machine
    workers = 2                             # that local cluster's worker processes (default: one per core)
    partition_units = 100000                # units per partition at most (a ranking pool is never split)

Every key is type-checked (a list must be a list, a number a number) and every problem names the file and
the dotted key; ``docs/schema/kaoping.schema.json`` describes the format for editors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from kaoping.core.engine_choice import EngineSettings
from kaoping.core.errors import InputError, Problem
from kaoping.core.limits import LIMIT_KEYS, Limits
from kaoping.core.overrides import Origin
from kaoping.core.structure import structure
from kaoping.core.tomlread import read_toml
from kaoping.locale import _


@attrs.frozen
class CountyTable:
    """``[counties.NAME]`` as written: the scheme, and what the county adds to the common settings."""

    scheme: str
    name: str = ""
    data: str = ""  # a data folder or file, relative to the deployment file
    plugins: tuple[str, ...] = ()  # modules or .py files, relative to the deployment file
    disable: tuple[str, ...] = ()
    overrides: dict[str, Any] = attrs.field(factory=dict)  # shaped like the scheme file
    year: int | None = None  # the evaluated year, over the scheme's


@attrs.frozen
class ArchiveTable:
    """``[archive]``: where the results archive lives (``None``: ``kaoping.db`` beside the deployment file)."""

    url: str | None = None


@attrs.frozen
class DeploymentFile:
    """The whole ``kaoping.toml`` as written; :func:`load_deployment` turns it into a :class:`Deployment`."""

    counties: dict[str, CountyTable] = attrs.field(factory=dict)
    plugins: tuple[str, ...] = ()  # for every county
    disable: tuple[str, ...] = ()
    limits: Limits = attrs.field(factory=Limits)
    archive: ArchiveTable = attrs.field(factory=ArchiveTable)
    engine: EngineSettings = attrs.field(factory=EngineSettings)


@attrs.frozen
class County:
    id: str
    name: str
    scheme: str
    data: Path | None
    plugins: tuple[str, ...]
    disable: tuple[str, ...]
    overrides: dict[str, Any]
    year: int | None = None


@attrs.frozen
class Deployment:
    path: Path
    counties: dict[str, County]
    archive_url: str | None = None  # [archive] url; None: the default SQLite file beside this file
    limits: Limits = attrs.field(factory=Limits)
    engine: EngineSettings = attrs.field(factory=EngineSettings)

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def county(self, name: str | None) -> County:
        if name is None:
            if len(self.counties) == 1:
                return next(iter(self.counties.values()))
            raise InputError(
                Problem(
                    _("several counties are configured; pick one with --county ({counties})").format(
                        counties=", ".join(self.counties)
                    ),
                    file=str(self.path),
                )
            )
        if name not in self.counties:
            raise InputError(
                Problem(
                    _("no county {name!r} (configured: {counties})").format(
                        name=name, counties=", ".join(self.counties)
                    ),
                    file=str(self.path),
                )
            )
        return self.counties[name]


def load_deployment(path: Path) -> Deployment:
    """Read ``kaoping.toml``: its shape is checked key by key (:mod:`kaoping.core.structure`), then its sense."""
    file = str(path)
    written, problems = structure(read_toml(path), DeploymentFile, file)
    if written is None:
        raise InputError(problems)
    for key in LIMIT_KEYS:
        if getattr(written.limits, key) <= 0:
            problems.append(Problem(_("a limit must be a whole number above 0"), file, key=f"limits.{key}"))
    problems += engine_problems(written.engine, file)
    if not written.counties:
        problems.append(Problem(_("no [counties.NAME] table"), file))
    for county_id, table in written.counties.items():
        if not table.scheme.strip():
            problems.append(Problem(_("the scheme id is empty"), file, key=f"counties.{county_id}.scheme"))
    if problems:
        raise InputError(problems)
    counties = {
        county_id: County(
            id=county_id,
            name=table.name or county_id,
            scheme=table.scheme,
            data=(path.parent / table.data) if table.data else None,
            plugins=written.plugins + table.plugins,
            disable=written.disable + table.disable,
            overrides=dict(table.overrides),
            year=table.year,
        )
        for county_id, table in written.counties.items()
    }
    return Deployment(path, counties, written.archive.url or None, written.limits, written.engine)


def engine_problems(engine: EngineSettings, file: str) -> list[Problem]:
    """What ``[engine]`` says that its types allow but a run cannot use."""
    problems = []
    if engine.scheduler is not None and "://" not in engine.scheduler:
        problems.append(
            Problem(
                _("a scheduler address looks like tcp://HOST:PORT, got {value!r}").format(value=engine.scheduler),
                file,
                key="engine.scheduler",
            )
        )
    if engine.workers is not None and engine.workers <= 0:
        problems.append(Problem(_("the number of workers must be a whole number above 0"), file, key="engine.workers"))
    if engine.partition_units <= 0:
        problems.append(
            Problem(_("units per partition must be a whole number above 0"), file, key="engine.partition_units")
        )
    return problems


def overrides_origin(config: Path, county_id: str) -> Origin:
    """Where a county's overrides are written, for messages about them."""
    return Origin(str(config), f"counties.{county_id}.overrides")
