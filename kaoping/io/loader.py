"""The default dataset loader: a folder of CSV files, an XLSX workbook or a JSON file.

Registered by the plugin host as a default plugin (as datasette ships its own), and last among the
implementations of ``kaoping_load_dataset`` so a plugin can read its locality's own layout instead.
"""

from __future__ import annotations

from pathlib import Path

from kaoping import hookimpl
from kaoping.core.models import Dataset
from kaoping.core.scheme import Scheme
from kaoping.io.dataio import load_dataset


@hookimpl(trylast=True)
def kaoping_load_dataset(source: Path, scheme: Scheme) -> Dataset:
    return load_dataset(source)
