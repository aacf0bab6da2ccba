"""An example third-party plugin: a district scheme derived from Zhangzhou's, and a local veto rule.

The derived scheme is the built-in ``fujian.zhangzhou`` scheme with ``derived.toml``'s changes, merged by
the host through the same strict override merge a deployment uses, so a change that names something the
city scheme does not have fails at start-up instead of being ignored. The veto rule acts only on the
derived scheme, the one this plugin registers: installing this package changes nothing for any other
scheme. Everything comes from :mod:`kaoping.api`.
"""

from __future__ import annotations

from pathlib import Path

from kaoping.api import Dataset, RegisterScheme, Scheme, Veto, hookimpl

__version__ = "0.1.0"

PLUGIN_NAME = "example_local"
SCHEME_ID = "fujian.longwen"
DERIVED_FILE = Path(__file__).with_name("derived.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
LEGAL_AREA = "legal"
PROSECUTION_RULE = "criminal"


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    """The district's scheme: the city's, with the district's identity, overrides and parameters."""
    register(extends="fujian.zhangzhou", changes=DERIVED_FILE, sample=SAMPLE_DATA)


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
            area.veto(unit, note=f"被追究刑事责任{people}人次(≥{threshold})", source="区效能办(由事件表认定)")
        )
    return vetoes
