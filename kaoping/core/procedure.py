"""Procedure windows of a scheme: how long results are posted (公示), until when an appeal (申诉) is taken, and by
when an appeal is heard (听证).

A window opens the day a revision of the results is published; a hearing window is counted from each appeal
instead (the hook gives it as if an appeal were filed on the publication day, and :meth:`Window.moved_to`
moves it to the appeal's day). Schemes that state a window say so through
the ``kaoping_procedure_windows`` hook, from a day count in their ``[parameters]`` (so a deployment can
override it) and the quote it comes from, which a refused appeal cites.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import attrs

from kaoping.core.scheme import Scheme

APPEAL = "appeal"
PUBLICITY = "publicity"
HEARING = "hearing"  # counted from each appeal's filing day, not from the publication


@attrs.frozen
class Window:
    """A span of days, both ends included, with the rule that sets it."""

    kind: str  # APPEAL, PUBLICITY or HEARING
    opens: date
    closes: date
    quote: str
    parameter: str = ""  # the scheme parameter holding the day count, when the number is data

    def contains(self, day: date) -> bool:
        return self.opens <= day <= self.closes

    @property
    def days(self) -> int:
        """Calendar days from the opening day to the last day (「七日内」: 7)."""
        return (self.closes - self.opens).days

    def moved_to(self, day: date) -> Window:
        """The same span opening on ``day``: a hearing window opens on the day its appeal is filed."""
        return attrs.evolve(self, opens=day, closes=day + timedelta(days=self.days))


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
