"""The deployment file (``kaoping.toml``): per county, its scheme, extra and disabled plugins, overrides.

::

    plugins = ["kaoping_citywide"]          # for every county
    disable = []

    [counties.zhangzhou]
    name = "漳州市"
    scheme = "fujian.zhangzhou"
    data = "data/2024"                      # optional default data source
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
from kaoping.locale import _

_COUNTY_KEYS = {"name", "scheme", "data", "plugins", "disable", "overrides"}
_TOP_KEYS = {"plugins", "disable", "counties"}


@attrs.frozen
class County:
    id: str
    name: str
    scheme: str
    data: Path | None
    plugins: tuple[str, ...]
    disable: tuple[str, ...]
    overrides: dict[str, Any]


@attrs.frozen
class Deployment:
    path: Path
    counties: dict[str, County]

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def county(self, name: str | None) -> County:
        if name is None:
            if len(self.counties) == 1:
                return next(iter(self.counties.values()))
            raise InputError(
                Problem(
                    _("several counties are configured; pick one with --county ({items})").format(
                        items=", ".join(self.counties)
                    ),
                    file=str(self.path),
                )
            )
        if name not in self.counties:
            raise InputError(
                Problem(
                    _("no county '{name}' (configured: {items})").format(name=name, items=", ".join(self.counties)),
                    file=str(self.path),
                )
            )
        return self.counties[name]


def load_deployment(path: Path) -> Deployment:
    data = read_toml(path)
    problems: list[Problem] = []
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(
                Problem(
                    _("unknown key '{key}' (expected: {items})").format(key=key, items=", ".join(sorted(_TOP_KEYS))),
                    file=str(path),
                )
            )
    common_plugins = tuple(data.get("plugins", ()))
    common_disable = tuple(data.get("disable", ()))
    counties = {}
    for county_id, table in data.get("counties", {}).items():
        for key in table:
            if key not in _COUNTY_KEYS:
                problems.append(
                    Problem(
                        _("counties.{county_id}: unknown key '{key}' (expected: {items})").format(
                            county_id=county_id, key=key, items=", ".join(sorted(_COUNTY_KEYS))
                        ),
                        file=str(path),
                    )
                )
        if "scheme" not in table:
            problems.append(
                Problem(_("counties.{county_id}: missing 'scheme'").format(county_id=county_id), file=str(path))
            )
            continue
        data_path = table.get("data")
        counties[county_id] = County(
            id=county_id,
            name=str(table.get("name", county_id)),
            scheme=str(table["scheme"]),
            data=(path.parent / data_path) if data_path else None,
            plugins=common_plugins + tuple(table.get("plugins", ())),
            disable=common_disable + tuple(table.get("disable", ())),
            overrides=dict(table.get("overrides", {})),
        )
    if not counties and not problems:
        problems.append(Problem(_("no [counties.NAME] table"), file=str(path)))
    if problems:
        raise InputError(problems)
    return Deployment(path, counties)
