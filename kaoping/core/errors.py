"""Errors that carry enough context for an evaluation office to fix its input without reading code."""

from __future__ import annotations

import attrs

from kaoping.locale import _, get_language


@attrs.frozen
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    ``severity = "warning"`` is for a guideline the source words loosely (「左右」「一般」「原则上」「适当」): the
    office is told, quoting the source, but the run goes on and the result lists it.
    ``file`` names the file (and sheet) of a data or scheme problem; a problem without a file names the input
    it concerns in ``input`` (for example ``方案 fujian.zhangzhou``), or nothing when the message says it.
    Shown in Chinese as 「units.csv 第2行「数值」列：应为数字，实为"abc"」: the column by the header the
    office reads, the Chinese label of the data contract; in English by the column as given.
    """

    message: str
    file: str = ""
    row: int | None = None
    column: str = ""
    input: str = ""  # the input a problem without a file concerns (方案 fujian.zhangzhou)
    severity: str = "error"  # "error" stops the run; "warning" is listed in the result
    key: str = ""  # the dotted key of a configuration file (counties.zz.overrides.rules[x].cap)

    @property
    def place(self) -> str:
        """Where the problem is, in the current language ("" when the message stands alone)."""
        place = self.file or self.input
        if self.key:
            place = (
                _("{file}, key {key}").format(file=place, key=self.key)
                if place
                else _("key {key}").format(key=self.key)
            )
        if self.row is not None:
            place = (
                _("{file}, row {row}").format(file=place, row=self.row)
                if place
                else _("row {row}").format(row=self.row)
            )
        if self.column:
            column = self.column if get_language() == "en" else column_label(self.column, self.file)
            place = (
                _("{place}, column '{column}'").format(place=place, column=column)
                if place
                else _("column '{column}'").format(column=column)
            )
        return place.strip()

    def __str__(self) -> str:
        place = self.place
        return _("{place}: {message}").format(place=place, message=self.message) if place else self.message


def warning(message: str, file: str = "", row: int | None = None, column: str = "") -> Problem:
    """A located problem that does not stop the run (a guideline, not a rule)."""
    return Problem(message, file, row, column, severity="warning")


def split_problems(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """Errors (which stop a run) and warnings (which are listed in its result)."""
    errors = [p for p in problems if p.severity != "warning"]
    return errors, [p for p in problems if p.severity == "warning"]


def column_label(column: str, file: str = "") -> str:
    """The Chinese header of ``column`` (an id or a header as written) in the table ``file`` holds.

    The table is the file's name (``units.csv``, ``values.json``) or the sheet of a workbook
    (``data.xlsx[values]``); a column no table of the data contract knows is shown as given.
    """
    from kaoping.core.columns import TABLES, column_lookup, header_candidates

    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    sheet = name[name.find("[") + 1 : name.rfind("]")] if name.endswith("]") and "[" in name else ""
    stem = (sheet or name).split(".", 1)[0].strip().lower()
    for tables in ([stem] if stem in TABLES else [], list(TABLES)):
        found = {
            lookup[candidate].label
            for table in tables
            for lookup in (column_lookup(table),)
            for candidate in header_candidates(column)
            if candidate in lookup
        }
        if len(found) == 1:
            return found.pop()
    return column


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
    """A plugin could not be loaded or breaks the hook contract.

    Besides its message, the error carries what it is about as fields (as pluggy's
    ``PluginValidationError.plugin`` does), so that a caller can act on them without parsing text:
    ``plugin`` (its registered name), ``hook`` (the hook it failed in or breaks), and ``file`` and
    ``line`` (where its code raised or where it was read from). Each is empty when it does not apply.
    """

    def __init__(
        self, message: str, *, plugin: str = "", hook: str = "", file: str = "", line: int | None = None
    ) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.hook = hook
        self.file = file
        self.line = line

    def __reduce__(self) -> tuple[object, ...]:  # pickled across processes with its fields
        return (_plugin_error, (str(self), self.plugin, self.hook, self.file, self.line))


def _plugin_error(message: str, plugin: str, hook: str, file: str, line: int | None) -> PluginError:
    return PluginError(message, plugin=plugin, hook=hook, file=file, line=line)


class MissingParameterError(InputError):
    """A rule the source leaves without a number was used before the deployment supplied one."""
