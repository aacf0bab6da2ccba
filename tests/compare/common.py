"""Shared test material: a channel dataset, a synthetic scheme with its own indicator system, a host.

The channel dataset (six units of Zhangzhou's series 2) is keyed by shared channel names; both
Zhangzhou and the synthetic scheme read it through their channel maps. Totals, worked out by hand:

Zhangzhou (basic = tc × 4.5, public = ps × 3, comprehensive = mean(peers) / 2, efficiency = 100 − ded):
  U1 405 + 240 + 40 + 100 = 785      U2 450 + 180 + 40 + 95 = 765     U3 315 + 285 + 47.5 + 100 = 747.5
  U4 382.5 + 255 + 32.5 + 80 = 750   U5 270 + 150 + 27.5 + 100 = 547.5 (< 700: 不合格)
  U6 427.5 + 270 + 45 + 88 = 830.5
Synthetic (work = tc / 2, survey = 0.3 ps, peers = mean / 10, discipline = max(10 − ded, 0)):
  U1 45 + 24 + 8 + 10 = 87 (≥ 85: 优秀)   U2 50 + 18 + 8 + 5 = 81   U3 35 + 28.5 + 9.5 + 10 = 83
  U4 42.5 + 25.5 + 6.5 + 0 = 74.5        U5 30 + 15 + 5.5 + 10 = 60.5 (< 65: 一般)   U6 47.5 + 27 + 9 + 0 = 83.5
"""

from __future__ import annotations

from typing import Any

from kaoping.compare.channels import ChannelMap, parse_channel_map
from kaoping.core.models import Dataset
from kaoping.core.plugins import PluginHost
from kaoping.io.dataio import dataset_from_records
from tests.helpers import SchemeProvider

UNITS = ("U1", "U2", "U3", "U4", "U5", "U6")
INPUTS = {
    # unit: (target completion, public survey, peer ratings, deduction points)
    "U1": ("90", "80", ("70", "90"), None),
    "U2": ("100", "60", ("80", "80"), "5"),
    "U3": ("70", "95", ("90", "100"), None),
    "U4": ("85", "85", ("60", "70"), "20"),
    "U5": ("60", "50", ("50", "60"), None),
    "U6": ("95", "90", ("95", "85"), "12"),
}


def channel_records(drop: tuple[tuple[str, str], ...] = ()) -> dict[str, list[dict[str, Any]]]:
    values: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for unit, (tc, ps, peers, deduction) in INPUTS.items():
        rows = [
            {"unit": unit, "indicator": "target_completion", "value": tc},
            {"unit": unit, "indicator": "public_survey", "value": ps},
        ]
        rows += [{"unit": unit, "indicator": "peer_rating", "value": v, "item": f"r{i}"} for i, v in enumerate(peers)]
        values += [r for r in rows if (unit, r["indicator"]) not in drop]
        if deduction:
            events.append({"unit": unit, "rule": "deductions", "points": deduction})
    return {
        "units": [{"unit": u, "name": f"单位{u}", "group": "series2"} for u in UNITS],
        "values": values,
        "events": events,
    }


def channel_dataset(drop: tuple[tuple[str, str], ...] = ()) -> Dataset:
    return dataset_from_records(channel_records(drop))


def synthetic_scheme(**changes: Any) -> dict[str, Any]:
    scheme: dict[str, Any] = {
        "id": "test.synthetic",
        "name": "合成方案",
        "total": 100,
        "status": {"complete": True},
        "groups": [{"id": "series2", "name": "第二系列"}],
        "parts": [
            {"id": "work", "name": "工作实绩", "points": 50},
            {"id": "satisfaction", "name": "群众满意", "points": 30},
            {"id": "peers", "name": "互评", "points": 10},
            {"id": "discipline", "name": "作风纪律", "points": 10, "base": 10, "floor": 0},
        ],
        "indicators": [
            {"id": "targets", "name": "目标完成", "part": "work", "method": "ratio", "points": 50},
            {"id": "survey", "name": "满意度", "part": "satisfaction", "method": "direct", "points": 30},
            {"id": "peer", "name": "互评", "part": "peers", "method": "mean", "points": 10, "scale": 100},
        ],
        "rules": [
            {
                "id": "penalty",
                "name": "扣分",
                "part": "discipline",
                "kind": "deduction",
                "method": "discretionary",
                "max": 30,
            }
        ],
        "grading": {
            "grades": ["优秀", "良好", "一般"],
            "default": "良好",
            "bands": [
                {"id": "excellent", "grade": "优秀", "at_least": 85},
                {"id": "fair", "grade": "一般", "below": 65},
            ],
        },
    }
    scheme.update(changes)
    return scheme


SYNTHETIC_MAP = {
    "scheme": "test.synthetic",
    "channels": {
        "targets": "target_completion",
        "survey": "public_survey",
        "peer": {"channel": "peer_rating", "scale": 100},
        "penalty": "deductions",
    },
}


def synthetic_map() -> ChannelMap:
    return parse_channel_map(SYNTHETIC_MAP, "<test map>")


def compare_host(*extra: dict[str, Any]) -> PluginHost:
    """Built-in plugins (Zhangzhou) plus the synthetic scheme, registered as a dict by a test plugin."""
    return PluginHost(entry_points=False, plugin_objects=[("compare_test", SchemeProvider(synthetic_scheme(), *extra))])
