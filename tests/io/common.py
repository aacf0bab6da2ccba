"""Bulletins of the bundled samples, and a tiny scheme for names the samples do not have."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kaoping.core.pipeline import run
from kaoping.core.results import RunResult
from kaoping.core.scheme import Scheme
from kaoping.io.bulletin import Bulletin, build_bulletin
from kaoping.io.dataio import dataset_from_records
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA as ZHANGZHOU
from kaoping.plugins.hunan_heshan import SAMPLE_DATA as HESHAN
from tests.helpers import host, host_with, mini_scheme

SAMPLES = {"fujian.zhangzhou": ZHANGZHOU, "hunan.heshan": HESHAN}


def sample_run(scheme_id: str) -> tuple[RunResult, Scheme]:
    scheme = host().scheme(scheme_id)
    return run(host(), scheme, SAMPLES[scheme_id]), scheme


def sample_bulletin(scheme_id: str, **options: Any) -> Bulletin:
    result, scheme = sample_run(scheme_id)
    return build_bulletin(result, scheme, **options)


def mini_bulletin(groups: list[dict[str, Any]], units: list[dict[str, str]], values: dict[str, str]) -> Bulletin:
    """A bulletin of :func:`mini_scheme` (one indicator ``i``) over the given groups and units."""
    return mini_bulletin_with({"groups": groups}, units, values)


def mini_bulletin_with(
    changes: dict[str, Any],
    units: list[dict[str, str]] | None = None,
    values: dict[str, str] | None = None,
) -> Bulletin:
    """A bulletin of :func:`mini_scheme` with ``changes``; by default one unit 甲 of group 组 scoring 90."""
    units = units or [{"unit": "a", "name": "甲", "group": "g"}]
    values = values or {"a": "90"}
    scheme_map = mini_scheme(**changes)
    test_host = host_with(scheme_map)
    scheme = test_host.scheme(scheme_map["id"])
    data = {"units": units, "values": [{"unit": u, "indicator": "i", "value": v} for u, v in values.items()]}
    result = run(test_host, scheme, dataset_from_records(data))
    return build_bulletin(result, scheme)


def write(bulletin: Bulletin, path: Path) -> Path:
    from kaoping.io.bulletin_xlsx import write_bulletin_xlsx

    write_bulletin_xlsx(bulletin, path)
    return path
