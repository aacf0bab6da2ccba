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
    scheme_map = mini_scheme(groups=groups)
    test_host = host_with(scheme_map)
    scheme = test_host.scheme(scheme_map["id"])
    data = {"units": units, "values": [{"unit": u, "indicator": "i", "value": v} for u, v in values.items()]}
    result = run(test_host, scheme, dataset_from_records(data))
    return build_bulletin(result, scheme)


def write(bulletin: Bulletin, path: Path) -> Path:
    from kaoping.io.bulletin_xlsx import write_bulletin_xlsx

    write_bulletin_xlsx(bulletin, path)
    return path
