"""An example third-party plugin: a district scheme derived from Zhangzhou's, and a local veto rule.

The derived scheme is the built-in ``fujian.zhangzhou`` file merged with ``derived.toml`` through the
same strict override merge a deployment uses, so a change that names something the city scheme does not
have fails at start-up instead of being ignored. The veto rule acts only on the derived scheme: installing
this package changes nothing for any other scheme.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kaoping import hookimpl
from kaoping.core.models import Dataset
from kaoping.core.overrides import apply_overrides
from kaoping.core.results import Veto
from kaoping.core.scheme import Scheme
from kaoping.core.tomlread import read_toml
from kaoping.plugins.fujian_zhangzhou import SCHEME_FILE as ZHANGZHOU_SCHEME

__version__ = "0.1.0"

PLUGIN_NAME = "example_local"
SCHEME_ID = "fujian.longwen"
DERIVED_FILE = Path(__file__).with_name("derived.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
LEGAL_AREA = "legal"
PROSECUTION_RULE = "criminal"


def derived_scheme() -> dict[str, Any]:
    """The district's scheme: the city's file, the district's overrides, identity and parameters."""
    changes = read_toml(DERIVED_FILE)
    data = apply_overrides(read_toml(ZHANGZHOU_SCHEME), changes.get("overrides", {}), str(DERIVED_FILE))
    data.update(copy.deepcopy(changes["scheme"]))
    data["parameters"] = {**data.get("parameters", {}), **changes.get("parameters", {})}
    for group in data.get("groups", []):
        group.pop("units", None)  # the city's roster; the district lists its own units in its data
    return data


@hookimpl
def kaoping_register_schemes(register: Callable[[dict[str, Any]], None]) -> None:
    register(derived_scheme())


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """「一年内被追究刑事责任2人次以上的单位,不得评为优秀」: counted from the events table.

    The effect is the one the scheme declares for the ``legal`` area, so a deployment that overrides the
    area (or the threshold parameter) changes the rule without touching this code.
    """
    area = next((a for a in scheme.vetoes if a.id == LEGAL_AREA), None)
    if area is None:
        return None
    threshold = int(scheme.parameters.get("legal_veto_threshold", 2))
    reported = {(row.unit, row.area) for row in dataset.vetoes}
    vetoes = []
    for unit, events in sorted(dataset.events_by_unit.items()):
        people = sum(event.count for event in events if event.rule == PROSECUTION_RULE and not event.self_reported)
        if people < threshold or (unit, LEGAL_AREA) in reported:
            continue
        vetoes.append(
            Veto(
                unit=unit,
                area=LEGAL_AREA,
                effect=area.effect,
                source="区效能办(由事件表认定)",
                note=f"被追究刑事责任{people}人次(≥{threshold})",
                points=area.points,
                part=area.part,
                grades=area.grades,
                grade=area.grade,
                plugin=PLUGIN_NAME,
            )
        )
    return vetoes
