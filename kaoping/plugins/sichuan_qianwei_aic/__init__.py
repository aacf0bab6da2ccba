"""犍为县工商局绩效考核监督办法 (Sichuan, Qianwei County AIC): seed 002, 篇(1).

Two things a table cannot say live here:

* joint liability: when a person is caught by a higher authority or exposed by the media, their
  evaluator (the unit attribute ``evaluator``) loses half of that deduction
  (「连带责任分值=被考核人应扣分值÷2」); the plugin derives the evaluator's ``joint_liability`` event;
* the time dimension: each month is scored by the core engine on arrays, and the year-end score aggregates
  the months, folded on arrays (:mod:`kaoping.plugins._common.periods`);
* what the evaluator's misconduct brings besides points (「并通报批评」, 「并按相关规定追究责任」): the
  parameter ``rule_sanctions`` lists it in the consequences of a person with such an event.

The procedural dates are applied too: the monthly registration forms (an optional ``forms`` table of the
data, 「于每月25前报县局效能办备案」) filed late or not at all are warnings of the run naming the row; the
appeal window (「可在月考核后三日内」) and the hearing due within seven days of each appeal (「应当在七日内组织
听证会」) are the archive's procedure windows. Every day count is a parameter of ``scheme.toml``.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import date, timedelta
from pathlib import Path

from kaoping.api import (
    APPEAL,
    HEARING,
    Dataset,
    EventRow,
    ExtraRow,
    InputError,
    MethodRegistry,
    Problem,
    RegisterScheme,
    RunResult,
    Scheme,
    ScoreTable,
    Unit,
    Window,
    hookimpl,
    read_extra_table,
    warning,
)
from kaoping.locale import _
from kaoping.plugins._common.periods import period_aggregate, score_by_period

SCHEME_ID = "sichuan.qianwei.aic"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
PLUGIN = __name__.rsplit(".", 1)[-1]
TRIGGERS = ("violation_caught", "media_exposure")
JOINT_RULE = "joint_liability"


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


def evaluator_of(unit: Unit) -> str:
    """The evaluator's unit id: attribute ``evaluator`` (a CSV header ``考核人(evaluator)`` also counts)."""
    for key, value in unit.attributes.items():
        if key == "evaluator" or key.endswith("(evaluator)"):
            return value
    return ""


def joint_liability_events(dataset: Dataset) -> list[EventRow]:
    """One ``joint_liability`` event on the evaluator for every triggering event of a person they assess."""
    units = dataset.unit_by_id
    derived, problems = [], []
    for event in dataset.events:
        if event.rule not in TRIGGERS or event.unit not in units:
            continue
        evaluator = evaluator_of(units[event.unit])
        if not evaluator:
            continue  # evaluated by the bureau's leaders, who are not scored here
        if evaluator not in units:
            problems.append(
                Problem(
                    f"unit {event.unit!r} names evaluator {evaluator!r}, which is not in the units table",
                    units[event.unit].where.file,
                    units[event.unit].where.row,
                    "evaluator",
                )
            )
            continue
        derived.append(
            EventRow(
                unit=evaluator,
                rule=JOINT_RULE,
                points=event.points,
                count=event.count,
                date=event.date,
                matter=f"{event.unit}:{event.matter}" if event.matter else event.unit,
                note=f"连带责任: {event.unit} {event.rule} {event.date}",
                where=event.where,
            )
        )
    if problems:
        raise InputError(problems)
    return derived


@hookimpl
def kaoping_score(scheme: Scheme, dataset: Dataset, methods: MethodRegistry) -> ScoreTable | None:
    events = list(dataset.events)
    if not scheme.parameters.get("charge_subordinate", True):
        events = [e for e in events if e.rule not in TRIGGERS]
    events += joint_liability_events(dataset)
    table, _ = score_by_period(scheme, dataset, methods, period_aggregate(scheme), events=events, plugin=PLUGIN)
    return table


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    """「扣除考核人10分,并通报批评」「扣除考核人20分,并按相关规定追究责任」: the measure besides the points."""
    result = yield
    if scheme.id != SCHEME_ID:
        return result
    measures: dict[str, str] = dict(scheme.parameters.get("rule_sanctions", {}))
    found: dict[str, list[str]] = {}
    for event in sorted(dataset.events, key=lambda e: (e.unit, e.date, e.rule)):
        if event.rule in measures and measures[event.rule] not in found.setdefault(event.unit, []):
            found[event.unit].append(measures[event.rule])
    for unit in result.units:
        if found.get(unit.unit):
            unit.consequences["sanctions"] = [*unit.consequences.get("sanctions", []), *found[unit.unit]]
    return result


# ----------------------------------------------------------------------------------------------------------
# procedural dates

FORMS = "forms"  # the optional table of monthly registration forms: unit, period (YYYY-MM), filed_on
FORM_RULE = "各中层单位应将本单位绩效考核登记表(附后)于每月25前报县局效能办备案"
APPEAL_RULE = "被考核人对其考核结果有质疑的,可在月考核后三日内通过考核监督小组向考核领导小组提出申诉"
HEARING_RULE = "考核监督小组办公室应当在七日内组织听证会"


def _days(scheme: Scheme, name: str) -> int:
    return int(scheme.parameters[name])


def form_due(scheme: Scheme, year: int, month: int) -> date:
    """The monthly registration form is due at the county bureau on the 25th (「于每月25前」, the 25th included)."""
    return date(year, month, _days(scheme, "form_due_day"))


def appeal_deadline(scheme: Scheme, assessed_on: date) -> date:
    """Last day to appeal: three days after the monthly assessment (「月考核后三日内」)."""
    return assessed_on + timedelta(days=_days(scheme, "appeal_days"))


def hearing_deadline(scheme: Scheme, appealed_on: date) -> date:
    """Last day for the hearing: seven days after the appeal (「应当在七日内组织听证会」)."""
    return appealed_on + timedelta(days=_days(scheme, "hearing_days"))


@hookimpl
def kaoping_procedure_windows(scheme: Scheme, published_on: date) -> list[Window] | None:
    """The appeal window after an assessment is made known (its publication), and the hearing window, counted
    from each appeal (given here for an appeal filed on the publication day)."""
    return [
        Window(APPEAL, published_on, appeal_deadline(scheme, published_on), APPEAL_RULE, "appeal_days"),
        Window(HEARING, published_on, hearing_deadline(scheme, published_on), HEARING_RULE, "hearing_days"),
    ]


@hookimpl(wrapper=True)
def kaoping_load_dataset(source: Path, scheme: Scheme) -> Generator[None, Dataset | None, Dataset | None]:
    """The monthly registration forms, when the data has a ``forms`` table, kept in ``Dataset.extra``."""
    dataset = yield
    if dataset is None:
        return dataset
    forms = read_extra_table(source, FORMS, required=False)
    return dataset.evolve(extra={**dataset.extra, FORMS: forms}) if forms else dataset


def _form_problem(message: str, row: ExtraRow, column: str) -> Problem:
    return Problem(message, row.where.file, row.where.row, column)


def form_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    """「于每月25前报县局效能办备案」 against the forms table: a form filed after the day, or a month of the run
    with no form from a middle-level unit (a unit of the group ``form_groups``), is a warning naming the row;
    a unit, period or date that cannot be read is an error.

    The source attaches no deduction to a late form: the score stands, the office is told.
    """
    forms = dataset.extra.get(FORMS, ())
    if not forms:
        return []
    units = dataset.unit_by_id
    problems: list[Problem] = []
    filed: set[tuple[str, str]] = set()
    for row in forms:
        unit, period, text = row.get("unit").strip(), row.get("period").strip(), row.get("filed_on").strip()
        if unit not in units:
            problems.append(_form_problem(_("unknown unit '{unit}'").format(unit=unit), row, "unit"))
            continue
        try:
            year, month = (int(part) for part in period.split("-"))
            due = form_due(scheme, year, month)
        except ValueError:
            problems.append(
                _form_problem(
                    _("period must be a month written YYYY-MM, got {value!r}").format(value=period), row, "period"
                )
            )
            continue
        try:
            on = date.fromisoformat(text)
        except ValueError:
            problems.append(
                _form_problem(
                    _("filed_on must be a date written YYYY-MM-DD, got {value!r}").format(value=text), row, "filed_on"
                )
            )
            continue
        filed.add((unit, period))
        if on > due:
            problems.append(
                warning(
                    _(
                        "{unit}: the registration form for {period} was filed on {on}, after the {due} due day "
                        "(「{rule}」, parameter form_due_day = {day})"
                    ).format(unit=unit, period=period, on=on, due=due, rule=FORM_RULE, day=due.day),
                    row.where.file,
                    row.where.row,
                    "filed_on",
                )
            )
    groups = set(scheme.parameters.get("form_groups", ()))
    periods = sorted({v.period for v in dataset.values if v.period})
    for member in dataset.units:
        if member.group not in groups:
            continue
        for period in periods:
            if (member.id, period) not in filed:
                problems.append(
                    warning(
                        _("{unit}: no registration form for {period} in the forms table (「{rule}」)").format(
                            unit=member.id, period=period, rule=FORM_RULE
                        ),
                        forms[0].where.file,
                    )
                )
    return problems


@hookimpl
def kaoping_validate_dataset(scheme: Scheme, dataset: Dataset) -> list[Problem] | None:
    return form_problems(scheme, dataset)


__all__ = ["appeal_deadline", "form_due", "form_problems", "hearing_deadline", "joint_liability_events"]
