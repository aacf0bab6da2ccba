"""Errors that carry enough context for an evaluation office to fix its input without reading code."""

from __future__ import annotations

import attrs


@attrs.frozen
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    ``severity = "warning"`` is for a guideline the source words loosely (「左右」「一般」「原则上」「适当」): the
    office is told, quoting the source, but the run goes on and the result lists it.
    """

    message: str
    file: str = ""
    row: int | None = None
    column: str = ""
    severity: str = "error"  # "error" stops the run; "warning" is listed in the result

    def __str__(self) -> str:
        place = self.file
        if self.row is not None:
            place += f", row {self.row}"
        if self.column:
            place += f", column {self.column!r}"
        place = place.removeprefix(", ")
        return f"{place}: {self.message}" if place else self.message


def warning(message: str, file: str = "", row: int | None = None, column: str = "") -> Problem:
    """A located problem that does not stop the run (a guideline, not a rule)."""
    return Problem(message, file, row, column, severity="warning")


def split_problems(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """Errors (which stop a run) and warnings (which are listed in its result)."""
    errors = [p for p in problems if p.severity != "warning"]
    return errors, [p for p in problems if p.severity == "warning"]


class KaopingError(Exception):
    """Base class of every error kaoping raises on purpose; the CLI turns these into exit code 2."""


class InputError(KaopingError):
    """Bad data or configuration: carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SchemeError(InputError):
    """A scheme file, or an override of it, is inconsistent."""


class PluginError(KaopingError):
    """A plugin could not be loaded or breaks the hook contract."""


class MissingParameterError(InputError):
    """A rule the source leaves without a number was used before the deployment supplied one."""
