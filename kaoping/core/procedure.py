"""Procedure windows of a scheme: how long results are posted (公示) and until when an appeal (申诉) is taken.

A window opens the day a revision of the results is published. Schemes that state a window say so through
the ``kaoping_procedure_windows`` hook, from a day count in their ``[parameters]`` (so a deployment can
override it) and the quote it comes from, which a refused appeal cites.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from kaoping.core.scheme import Scheme

APPEAL = "appeal"
PUBLICITY = "publicity"


@attrs.frozen
class Window:
    """A span of days, both ends included, with the rule that sets it."""

    kind: str  # APPEAL or PUBLICITY
    opens: date
    closes: date
    quote: str
    parameter: str = ""  # the scheme parameter holding the day count, when the number is data

    def contains(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def first_of(windows: Iterable[Window], kind: str) -> Window | None:
    return next((w for w in windows if w.kind == kind), None)


def evaluation_year(scheme: Scheme) -> int | None:
    """The year evaluated: the scheme's ``year`` (set by ``--year``), else a plugin's ``evaluation_year``."""
    if scheme.year is not None:
        return scheme.year
    year = int(scheme.parameters.get("evaluation_year", 0) or 0)
    return year if year > 0 else None


def with_year(scheme: Scheme, year: int | None) -> Scheme:
    """The scheme evaluated in ``year``: history rules and deadlines count back from it.

    Schemes whose plugin reads ``parameters.evaluation_year`` get the same year there, so one option
    moves every rule that looks at earlier years.
    """
    if year is None:
        return scheme
    parameters = dict(scheme.parameters)
    if "evaluation_year" in parameters or "evaluation_year" in scheme.required_parameters:
        parameters["evaluation_year"] = year
    return attrs.evolve(scheme, year=year, parameters=parameters)
