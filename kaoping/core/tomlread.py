"""TOML reading on every supported Python (tomllib from 3.11, tomli before)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from kaoping.core.errors import InputError, Problem
from kaoping.locale import _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning syntax errors into an :class:`InputError` that names the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InputError(Problem(_("file not found"), file=str(path))) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(Problem(_("not valid TOML: {error}").format(error=error), file=str(path))) from None


def parse_toml(text: str, name: str = "<toml>") -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(Problem(_("not valid TOML: {error}").format(error=error), file=name)) from None
