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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from kaoping.core.errors import InputError, Problem
from kaoping.core.tomlread import read_toml

_COUNTY_KEYS = {"name", "scheme", "data", "year", "plugins", "disable", "overrides"}
_TOP_KEYS = {"plugins", "disable", "counties", "archive"}
_ARCHIVE_KEYS = {"url"}


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

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def county(self, name: str | None) -> County:
        if name is None:
            if len(self.counties) == 1:
                return next(iter(self.counties.values()))
            raise InputError(
                Problem(
                    f"several counties are configured; pick one with --county ({', '.join(self.counties)})",
                    file=str(self.path),
                )
            )
        if name not in self.counties:
            raise InputError(
                Problem(f"no county {name!r} (configured: {', '.join(self.counties)})", file=str(self.path))
            )
        return self.counties[name]


def load_deployment(path: Path) -> Deployment:
    data = read_toml(path)
    problems: list[Problem] = []
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(Problem(f"unknown key {key!r} (expected: {', '.join(sorted(_TOP_KEYS))})", file=str(path)))
    archive = data.get("archive", {})
    for key in archive:
        if key not in _ARCHIVE_KEYS:
            problems.append(Problem(f"archive: unknown key {key!r} (expected: url)", file=str(path)))
    common_plugins = tuple(data.get("plugins", ()))
    common_disable = tuple(data.get("disable", ()))
    counties = {}
    for county_id, table in data.get("counties", {}).items():
        for key in table:
            if key not in _COUNTY_KEYS:
                problems.append(
                    Problem(
                        f"counties.{county_id}: unknown key {key!r} (expected: {', '.join(sorted(_COUNTY_KEYS))})",
                        file=str(path),
                    )
                )
        if "scheme" not in table:
            problems.append(Problem(f"counties.{county_id}: missing 'scheme'", file=str(path)))
            continue
        data_path = table.get("data")
        year = table.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            problems.append(
                Problem(f"counties.{county_id}.year: a year is a whole number, got {year!r}", file=str(path))
            )
            year = None
        counties[county_id] = County(
            id=county_id,
            name=str(table.get("name", county_id)),
            scheme=str(table["scheme"]),
            data=(path.parent / data_path) if data_path else None,
            plugins=common_plugins + tuple(table.get("plugins", ())),
            disable=common_disable + tuple(table.get("disable", ())),
            overrides=dict(table.get("overrides", {})),
            year=year,
        )
    if not counties and not problems:
        problems.append(Problem("no [counties.NAME] table", file=str(path)))
    if problems:
        raise InputError(problems)
    url = archive.get("url")
    return Deployment(path, counties, str(url) if url else None)
