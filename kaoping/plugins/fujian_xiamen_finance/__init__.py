"""市财政局绩效管理 (Fujian, Xiamen inferred): seed 002, 篇(5).

The divisions' and institutions' score is data (``plan_items`` over each unit's own plan). Hook code holds:

* the adjustment rule 「考评指标及分值可在第三季度调整一次,且调整幅度不得超过总计划的30%」, checked when
  the data is validated (an adjustment outside Q3, in two rounds, or above the limit stops the run);
* the staff gate 「只有在季度绩效考评中获两次以上优秀,公务员年度考核才能评为优秀等次」, written to each
  person's consequences;
* the self-assessment report due 1-10 (「于1月10日前将上一年度自评报告送局效能办」), compared with a unit's
  ``report_date``, and the 200万 projects (「200万以上…如果没有进行事前绩效审核的,预算内不予安排资金」), both
  written to the consequences.

「每周有2次以上到各个办公室进行实地检查」 binds the efficiency office, which is not evaluated here: the
problems its checks find are the ``onsite_problem`` events (unit) and ``onsite_problem_personal`` (person);
when the data carries the office's log of checks (an optional ``site_checks`` table of dates), a week with
fewer checks than ``site_checks_per_week`` is a warning of the run, so the office's own duty is seen.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Generator, Iterable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from kaoping.api import (
    ZERO,
    Dataset,
    ExtraRow,
    InputError,
    Problem,
    RegisterScheme,
    RunResult,
    Scheme,
    Unit,
    ValueRow,
    hookimpl,
    read_extra_table,
    to_decimal,
    warning,
)
from kaoping.locale import _

SCHEME_ID = "fujian.xiamen.finance"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
PLAN = "plan"
EXCELLENT_RULE = "quarterly_excellent"


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


def quarter_of(period: str) -> int | None:
    """The quarter of a period label: ``2009-Q3`` / ``Q3`` → 3, ``2009-08`` / ``2009-08-15`` → 3."""
    text = period.strip().upper()
    if "Q" in text:
        digit = text.split("Q", 1)[1][:1]
        return int(digit) if digit in "1234" and digit else None
    parts = text.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return (int(parts[1]) - 1) // 3 + 1
    return None


def _adjusted(row: ValueRow) -> bool:
    return row.baseline is not None and row.baseline != row.target


def adjustment_problems(scheme: Scheme, rows: Iterable[ValueRow]) -> list[Problem]:
    """Every breach of the once-only, third-quarter, at-most-30% adjustment rule, per unit."""
    params = scheme.parameters
    quarter = int(params["adjustment_quarter"])
    limit = to_decimal(params["adjustment_limit"])
    base = str(params["adjustment_base"])
    if base not in ("points", "count"):
        return [Problem(f"adjustment_base must be 'points' or 'count', got {base!r}")]
    by_unit: dict[str, list[ValueRow]] = defaultdict(list)
    for row in rows:
        by_unit[row.unit].append(row)
    problems = []
    for unit, unit_rows in sorted(by_unit.items()):
        changed = [r for r in unit_rows if _adjusted(r)]
        if not changed:
            continue
        where = changed[0].where
        periods = {r.period for r in changed}
        if len(periods) > 1:
            problems.append(
                Problem(
                    f"unit {unit!r} adjusted its plan in {len(periods)} rounds "
                    f"({', '.join(sorted(periods))}); 「调整一次」 allows one",
                    where.file,
                    where.row,
                    "period",
                )
            )
        for period in sorted(periods):
            if quarter_of(period) != quarter:
                problems.append(
                    Problem(
                        f"unit {unit!r} adjusted its plan in {period or 'an unstated period'!s}; "
                        f"「可在第三季度调整一次」 allows only quarter {quarter}",
                        where.file,
                        where.row,
                        "period",
                    )
                )
        planned_rows = [r for r in unit_rows if (r.baseline if r.baseline is not None else r.target)]
        if base == "points":
            change = sum((abs((r.target or ZERO) - (r.baseline or ZERO)) for r in changed), ZERO)
            plan = sum(((r.baseline if r.baseline is not None else r.target or 0) for r in unit_rows), Decimal(0))
        else:
            change, plan = Decimal(len(changed)), Decimal(len(planned_rows))
        if change > limit * plan:
            problems.append(
                Problem(
                    f"unit {unit!r} changed {change} of a plan of {plan} ({base}), more than "
                    f"{limit * plan} (「调整幅度不得超过总计划的30%」)",
                    where.file,
                    where.row,
                    "target",
                )
            )
    return problems


SITE_CHECKS = "site_checks"  # the efficiency office's log: one row per on-site check, column date
SITE_CHECK_RULE = "每周有2次以上到各个办公室进行实地检查,检查人员在岗、服务公示内容等情况"


@hookimpl(wrapper=True)
def kaoping_load_dataset(source: Path, scheme: Scheme) -> Generator[None, Dataset | None, Dataset | None]:
    """The efficiency office's log of on-site checks, when the data has a ``site_checks`` table."""
    dataset = yield
    if dataset is None:
        return dataset
    checks = read_extra_table(source, SITE_CHECKS, required=False)
    return dataset.evolve(extra={**dataset.extra, SITE_CHECKS: checks}) if checks else dataset


def _check_day(row: ExtraRow, problems: list[Problem]) -> date | None:
    text = row.get("date").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = _("date must be written YYYY-MM-DD, got {value!r}").format(value=text)
        problems.append(Problem(message, row.where.file, row.where.row, "date"))
        return None


def site_check_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    """「每周有2次以上到各个办公室进行实地检查」 on the office's log: every ISO week from the first logged check
    to the last needs ``site_checks_per_week`` checks (以上: that many included); a week with fewer is a
    warning naming the week and its count. The source binds the office, not an evaluated unit, and sets no
    sanction: nothing is scored. A date that cannot be read is an error naming the row.
    """
    rows = dataset.extra.get(SITE_CHECKS, ())
    if not rows:
        return []
    problems: list[Problem] = []
    days = [day for row in rows if (day := _check_day(row, problems)) is not None]
    if not days:
        return problems
    needed = int(scheme.parameters["site_checks_per_week"])
    per_week: dict[date, int] = defaultdict(int)
    for day in days:
        per_week[day - timedelta(days=day.weekday())] += 1
    monday = min(per_week)
    while monday <= max(per_week):
        if per_week.get(monday, 0) < needed:
            problems.append(
                warning(
                    _(
                        "the week of {monday} has {count} on-site checks in the efficiency office's log, fewer "
                        "than {needed} (「{rule}」)"
                    ).format(monday=monday, count=per_week.get(monday, 0), needed=needed, rule=SITE_CHECK_RULE),
                    rows[0].where.file,
                )
            )
        monday += timedelta(days=7)
    return problems


@hookimpl
def kaoping_validate_dataset(scheme: Scheme, dataset: Dataset) -> list[Problem] | None:
    return adjustment_problems(scheme, (r for r in dataset.values if r.indicator == PLAN)) + site_check_problems(
        scheme, dataset
    )


def excellent_quarters(dataset: Dataset, unit: str) -> set[str]:
    """The distinct quarters (YYYY-Qn) in which the person was rated 优秀."""
    quarters = set()
    for event in dataset.events_by_unit.get(unit, []):
        if event.rule == EXCELLENT_RULE and event.count > 0:
            q = quarter_of(event.date)
            if q is None:
                raise InputError(f"quarterly 优秀 of {unit!r} needs a date in the quarter, got {event.date!r}")
            quarters.add(f"{event.date[:4]}-Q{q}")
    return quarters


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    needed = int(scheme.parameters["excellent_quarters_needed"])
    units = dataset.unit_by_id
    for unit in result.units:
        if unit.group == "projects":
            unit.consequences.update(project_consequences(scheme, units[unit.unit]))
            continue
        reported = attribute(units[unit.unit], "report_date")
        if reported:
            due = report_due(scheme, int(scheme.parameter("evaluation_year", "「于1月10日前将上一年度自评报告」")))
            unit.consequences["report_on_time"] = _date(units[unit.unit], "report_date", reported) <= due
        if unit.group != "staff":
            continue
        quarters = excellent_quarters(dataset, unit.unit)
        unit.consequences["quarterly_excellent"] = len(quarters)
        unit.consequences["annual_excellent_allowed"] = len(quarters) >= needed
    return result


def attribute(unit: Unit, column: str) -> str:
    """A units-table column by id (``amount``) or ``label(id)``."""
    for key, value in unit.attributes.items():
        if key == column or key.endswith(f"({column})"):
            return value.strip()
    return ""


def _date(unit: Unit, column: str, text: str) -> date:
    """``YYYY-MM-DD`` only, on every Python: from 3.11 ``date.fromisoformat`` also takes ``20100110`` and week
    dates (``2010-W02-1``), which 3.10 refuses."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            Problem(f"{column} must be a date (YYYY-MM-DD), got {text!r}", unit.where.file, unit.where.row, column)
        ) from None


def project_consequences(scheme: Scheme, unit: Unit) -> dict[str, object]:
    """「200万以上的专项项目都必须纳入绩效考评范围…没有进行事前绩效审核的,预算内不予安排资金,凡经事前绩效审核的
    项目,都应进行事后绩效检查」 for one project of the units table."""
    text = attribute(unit, "amount")
    try:
        amount = to_decimal(text)
    except ValueError:
        raise InputError(
            Problem(f"a project needs its amount in yuan, got {text!r}", unit.where.file, unit.where.row, "amount")
        ) from None
    reviewed = attribute(unit, "ex_ante_review")
    if reviewed not in ("是", "否"):
        raise InputError(
            Problem(
                f"ex_ante_review must be 是 or 否, got {reviewed!r}", unit.where.file, unit.where.row, "ex_ante_review"
            )
        )
    in_scope = project_needs_evaluation(scheme, amount)
    found: dict[str, object] = {"in_evaluation_scope": in_scope}
    if in_scope and reviewed == "否":
        found["budget"] = "预算内不予安排资金"
    if reviewed == "是":
        found["ex_post_check"] = "应进行事后绩效检查"
    return found


# ----------------------------------------------------------------------------------------------------------
# procedural numbers


def report_due(scheme: Scheme, year: int) -> date:
    """The self-assessment report for ``year`` is due at the efficiency office by 1-10 of the next year."""
    return date(year + 1, int(scheme.parameters["report_due_month"]), int(scheme.parameters["report_due_day"]))


def project_needs_evaluation(scheme: Scheme, amount: Decimal) -> bool:
    """「200万以上的专项项目都必须纳入绩效考评范围」: 以上 includes 2,000,000 itself."""
    return amount >= to_decimal(scheme.parameters["project_threshold"])
