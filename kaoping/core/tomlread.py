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
    """Parse a TOML file, turning every reading problem into an :class:`InputError` that names the file.

    A byte-order mark (Windows Notepad writes one) is accepted; a file that is not UTF-8 (saved as GBK)
    is an error that says so, rather than a decoding failure of the parser.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(Problem(_("file not found"), file=str(path))) from None
    except IsADirectoryError:
        raise InputError(Problem(_("is a folder, not a TOML file"), file=str(path))) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            Problem(_("not UTF-8 text (byte {byte}); save the file as UTF-8").format(byte=error.start), file=str(path))
        ) from None
    return parse_toml(text, str(path))


def parse_toml(text: str, name: str = "<toml>") -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(Problem(_("not valid TOML: {error}").format(error=error), file=name)) from None
