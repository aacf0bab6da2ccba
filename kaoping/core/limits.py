"""How much input a run accepts before it stops with a clear error instead of running out of time or memory.

A 200 KB workbook can unpack to gigabytes of XML; a script can write a million-digit exponent or a count of
ten billion. The limits are generous for any evaluation an office runs (hundreds of units, thousands of
rows) and each can be raised: ``[limits]`` in the deployment file (``kaoping.toml``), or an environment
variable for one run, which wins over the file. Every message that hits a limit says how to raise it.
"""

from __future__ import annotations

import os

import attrs

from kaoping.core.errors import InputError, Problem
from kaoping.locale import _

ENV_PREFIX = "KAOPING_MAX_"


@attrs.frozen
class Limits:
    """Upper bounds on one data source; the attribute names are the ``[limits]`` keys of ``kaoping.toml``."""

    xlsx_mb: int = 64  # uncompressed size of a workbook's parts, summed, in MB
    file_mb: int = 512  # size of one CSV or JSON file, in MB
    rows: int = 5_000_000  # rows of one table (a large province: 100,000 units × 40 indicators is 4 million)
    cell_chars: int = 32_767  # characters in one cell (Excel's own limit)
    count: int = 1_000_000  # an event's 次数 (count)

    @staticmethod
    def env_name(key: str) -> str:
        return ENV_PREFIX + key.upper()

    def how_to_raise(self, key: str) -> str:
        return _("raise it with '{key} = …' under [limits] in kaoping.toml, or the environment variable {env}").format(
            key=key, env=self.env_name(key)
        )


LIMIT_KEYS = tuple(field.name for field in attrs.fields(Limits))

_configured: Limits | None = None


def configure(limits: Limits | None) -> None:
    """Use ``limits`` (from a deployment file) for this process; ``None`` goes back to the defaults."""
    global _configured
    _configured = limits


def current() -> Limits:
    """The limits in force: the deployment's (or the defaults), with environment variables on top."""
    limits = _configured or Limits()
    changes: dict[str, int] = {}
    problems = []
    for key in LIMIT_KEYS:
        name = Limits.env_name(key)
        text = os.environ.get(name)
        if text is None or not text.strip():
            continue
        try:
            number = int(text.strip())
        except ValueError:
            number = 0
        if number <= 0:
            problems.append(
                Problem(
                    _("environment variable {name} must be a whole number above 0, got {text!r}").format(
                        name=name, text=text
                    )
                )
            )
            continue
        changes[key] = number
    if problems:
        raise InputError(problems)
    return attrs.evolve(limits, **changes) if changes else limits
