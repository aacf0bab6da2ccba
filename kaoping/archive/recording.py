"""What a stored revision is made of: the result, the scheme and versions it came from, the input files.

:func:`score_and_capture` scores a data source with a prepared setup and captures everything the archive
keeps about it, before any database is touched, so a failed run never starts a write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

import kaoping
from kaoping.archive.codec import digest, encode
from kaoping.archive.inputs import Inputs, read_inputs
from kaoping.core.pipeline import Setup, run
from kaoping.core.procedure import evaluation_year
from kaoping.core.results import RunResult
from kaoping.core.scheme import Scheme


@attrs.frozen
class Recording:
    county: str
    scheme_id: str
    year: int | None
    scheme_name: str
    scheme_plugin: str
    scheme_version: str
    scheme_hash: str
    overrides: dict[str, Any]
    kaoping_version: str
    source: str
    inputs: Inputs
    result: RunResult

    @property
    def plugins(self) -> dict[str, str]:
        return dict(self.result.plugins)

    @property
    def overrides_hash(self) -> str:
        return digest(self.overrides)


def scheme_hash(scheme: Scheme) -> str:
    """sha256 of the scheme as scored (after overrides), with the evaluated year."""
    return digest({"scheme": encode(dict(scheme.raw)), "year": scheme.year})


def score_and_capture(
    setup: Setup,
    scheme: Scheme,
    source: Path,
    shown_source: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> Recording:
    """Score ``source`` and capture the revision to store (nothing is written here).

    ``overrides`` are the ones the scheme was prepared with (default: the county's in the deployment).
    """
    inputs = read_inputs(source)
    result = run(setup.host, scheme, source)
    county = setup.county
    return Recording(
        county=county.id if county is not None else "",
        scheme_id=scheme.id,
        year=evaluation_year(scheme),
        scheme_name=scheme.name,
        scheme_plugin=scheme.plugin,
        scheme_version=result.plugins.get(scheme.plugin, ""),
        scheme_hash=scheme_hash(scheme),
        overrides=dict(overrides if overrides is not None else county.overrides if county is not None else {}),
        kaoping_version=kaoping.__version__,
        source=shown_source if shown_source is not None else str(source),
        inputs=inputs,
        result=result,
    )
