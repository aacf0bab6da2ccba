"""县年度政绩考核评价 (anonymous county, annual political-performance appraisal): seed 004.

Points, grades and grade uses are data in ``scheme.toml``; the appraisal score is the method in
``appraisal.py``. This module adds what a table cannot say:

* checks of the deployment's numbers against the source (``kaoping_validate_dataset``): every team and
  cadre group has cut-offs on its own grade scale; office decisions entered on the units table use known
  values; and, as warnings (the article recounts what the county did, it sets no number), townships' and
  agriculture departments' key items weighing more than the other departments' (「提高了…权重比例」) and the
  principals' standard scoring 自身建设 and 副职工作完成情况;
* after grading (``kaoping_apply_results``): the loss of 评先选优 for a unit vetoed in an inspection; 末位淘汰
  for the last place three years running (「连续三年排在末位」), read from ``history`` rows (year + rank)
  within the unit's ranking pool; the office's decisions left to its judgement (使用, 调整, 重奖, 后备干部
  培养计划) turned into consequences;
* the procedure's dates: the ten-day appeal window (「可以在十日内以书面形式向县委组织部提出申诉」) is the
  archive's procedure window; the posting five days before the evaluation (「在接受考核前五天」) is checked on
  the units table's ``posted_on`` and ``evaluated_on`` dates, a late or missing posting being a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from kaoping.api import (
    APPEAL,
    Dataset,
    Method,
    MissingParameterError,
    Problem,
    RegisterScheme,
    RunResult,
    Scheme,
    Unit,
    Window,
    hookimpl,
    warning,
)
from kaoping.locale import _
from kaoping.plugins._common.history import last_place_runs
from kaoping.plugins.anon_county_political_performance.appraisal import county_appraisal

SCHEME_ID = "anon.county_political_performance"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
# Teams and cadres are graded on different scales through bands restricted by `groups`; the suite's band
# check reads every band for every group, so it is switched off here and the grades are checked against
# the hand-computed expected.csv instead (expected-results) and by the golden tests.

VETO_LOSS = "对在省、市、县检查验收中被一票否决的,取消其领导班子、主要领导和分管领导的本年度评先选优资格"
REMOVAL = "按干部管理权限和法定程序,在班子调整时实行免职、责令辞职、降职或改任非领导职务"

# Decisions the source leaves to the organisation department's judgement, entered per cadre as columns of
# the units table (column id → value → consequence key and text).
DECISIONS: dict[str, tuple[str, dict[str, str]]] = {
    "finding": (
        "cadre_use",
        {
            "实绩突出": "对确属实绩突出、群众公认、德才兼备的干部,及时大胆使用,委以重任",
            "绩效较差": "对认定绩效较差、不胜任本职岗位、德才平庸的,坚决予以调整",
        },
    ),
    "special_award": (
        "special_award",
        {
            "记功": "在某项工作或突发事件中取得突出成绩: 记功",
            "授予荣誉称号": "在某项工作或突发事件中取得突出成绩: 授予荣誉称号",
            "颁发奖金": "在某项工作或突发事件中取得突出成绩: 颁发奖金",
        },
    ),
    "reserve_plan": (
        "reserve_plan",
        {
            "近期": "列入近期重点培养计划,在需要时即提拔使用",
            "中期": "列入中期培养计划,开展有针对性的教育培养",
            "长期": "列入长期培养计划,进行全方位的培养锻炼",
        },
    ),
}


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl
def kaoping_register_methods(register: Callable[[Method], None]) -> None:
    register(county_appraisal)


# ---------------------------------------------------------------------------------------------------------
# procedure dates


def appeal_deadline(feedback: date, days: int = 10) -> date:
    """The last day an appeal may be filed: 「在十日内」 counted in calendar days after the feedback."""
    return feedback + timedelta(days=days)


def posting_deadline(evaluation: date, days: int = 5) -> date:
    """The latest day to post the team summary and reports: 「在接受考核前五天」 (evaluation day − 5)."""
    return evaluation - timedelta(days=days)


def scheme_days(scheme: Scheme, name: str) -> int:
    """A day count of the scheme's parameters (``appeal_days``, ``posting_days``), so overrides apply."""
    return int(scheme.parameters[name])


APPEAL_RULE = "可以在十日内以书面形式向县委组织部提出申诉"


@hookimpl
def kaoping_procedure_windows(scheme: Scheme, published_on: date) -> list[Window] | None:
    """The appeal window opened by the feedback of the results (their publication)."""
    closes = appeal_deadline(published_on, scheme_days(scheme, "appeal_days"))
    return [Window(APPEAL, published_on, closes, APPEAL_RULE, "appeal_days")]


POSTING_RULE = "各考核对象在接受考核前五天,将领导班子工作总结和领导干部年度述职报告经主要领导审阅后…进行公示"


def _entered_date(unit: Unit, column: str, problems: list[Problem]) -> date | None:
    text = decision(unit, column)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem(
                _("{column} must be a date written YYYY-MM-DD, got {value!r}").format(column=column, value=text),
                unit.where.file,
                unit.where.row,
                column,
            )
        )
        return None


def posting_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    """「在接受考核前五天…进行公示」 on the units table: ``posted_on`` (公示日期), ``evaluated_on`` (接受考核日期).

    The posting is due on the evaluation day − ``posting_days`` (that day included). A later posting, or an
    evaluation day with no posting entered, is a warning naming the row: the article describes the
    procedure and attaches no sanction, and the score does not depend on it; the organisation department
    decides. A date that cannot be read is an error. Units without an evaluation day are not checked.
    """
    days = scheme_days(scheme, "posting_days")
    problems: list[Problem] = []
    for unit in dataset.units:
        posted = _entered_date(unit, "posted_on", problems)
        evaluated = _entered_date(unit, "evaluated_on", problems)
        if evaluated is None:
            continue
        due = posting_deadline(evaluated, days)
        if posted is None:
            message = _("{unit}: evaluated on {evaluated} with no posting date; 「{rule}」 asks for it by {due}")
        elif posted > due:
            message = _(
                "{unit}: posted on {posted}, evaluated on {evaluated}: 「{rule}」 asks for the posting by {due} "
                "(parameter posting_days = {days})"
            )
        else:
            continue
        problems.append(
            warning(
                message.format(unit=unit.id, posted=posted, evaluated=evaluated, rule=POSTING_RULE, due=due, days=days),
                unit.where.file,
                unit.where.row,
                "posted_on",
            )
        )
    return problems


# ---------------------------------------------------------------------------------------------------------
# validation of the deployment's numbers and the office's entries


def _texts(scheme: Scheme, name: str) -> list[str]:
    return [str(v) for v in scheme.parameters.get(name, [])]


def _grading_problems(scheme: Scheme, dataset: Dataset) -> None:
    """Every group in the data needs bands of its own scale; raise naming the group and the scale."""
    scales = {g: _texts(scheme, "team_grades") for g in _texts(scheme, "team_groups")}
    scales.update({g: _texts(scheme, "cadre_grades") for g in _texts(scheme, "cadre_groups")})
    for group_id in sorted({u.group for u in dataset.units}):
        group = scheme.group(group_id)
        bands = [b for b in scheme.grading.bands if b.applies_to(group, group_id)]
        scale = scales.get(group_id, [])
        if not bands:
            raise MissingParameterError(
                f"{SCHEME_ID}: group {group_id!r} has no grade cut-offs; the source names the grades "
                f"({' / '.join(scale)}) but no thresholds; add [[grading.bands]] with groups = [{group_id!r}] "
                "in the deployment's overrides"
            )
        wrong = [b.id for b in bands if b.grade not in scale]
        if wrong:
            raise MissingParameterError(
                f"{SCHEME_ID}: band(s) {', '.join(wrong)} give group {group_id!r} a grade outside its scale "
                f"({' / '.join(scale)})"
            )


def _channel_weights(scheme: Scheme, indicator_id: str) -> dict[str, Decimal] | None:
    indicator = next((i for i in scheme.indicators if i.id == indicator_id), None)
    if indicator is None or "channels" not in indicator.params:
        return None  # not set: the core reports the missing number when data uses the indicator
    return {str(k): Decimal(str(v)) for k, v in indicator.params["channels"].items()}


def _group_indicator(scheme: Scheme, group_id: str) -> str:
    group = scheme.group(group_id)
    return group.indicators[0] if group is not None and group.indicators else ""


def weight_problems(scheme: Scheme) -> list[Problem]:
    """The source's statements about weights, compared with the deployment's channel weights (warnings).

    「对乡镇党政领导班子和涉农部门提高了粮食生产、农民增收、耕地保护、环境治理、和谐稳定的权重比例」: each key
    item should weigh more for townships and agriculture departments than for the other departments (a key
    item the other departments do not carry weighs 0 there). 「细化了自身建设的考核内容,增加了副职工作完成情况的
    分值比重」: the principals' standard should score both channels with a positive weight. The sentences say
    what the county did, with no number: a deployment that weighs otherwise is told, never stopped.
    """
    problems: list[Problem] = []
    baseline_group = str(scheme.parameters.get("baseline_group", ""))
    baseline = _channel_weights(scheme, _group_indicator(scheme, baseline_group))
    for group_id in _texts(scheme, "raised_groups"):
        raised = _channel_weights(scheme, _group_indicator(scheme, group_id))
        if raised is None or baseline is None:
            continue
        for item in _texts(scheme, "key_items"):
            if raised.get(item, Decimal(0)) <= baseline.get(item, Decimal(0)):
                problems.append(
                    warning(
                        _(
                            "{scheme}: key item {item!r} weighs {raised} for {group}, not above {baseline} for "
                            "{baseline_group} (「对乡镇党政领导班子和涉农部门提高了…权重比例」)"
                        ).format(
                            scheme=SCHEME_ID,
                            item=item,
                            raised=raised.get(item, Decimal(0)),
                            group=group_id,
                            baseline=baseline.get(item, Decimal(0)),
                            baseline_group=baseline_group,
                        )
                    )
                )
    principal = _channel_weights(scheme, "principal_score")
    if principal is not None:
        for channel in _texts(scheme, "principal_channels"):
            if principal.get(channel, Decimal(0)) <= 0:
                problems.append(
                    warning(
                        _(
                            "{scheme}: principal_score has no positive weight for channel {channel!r} "
                            "(「细化了自身建设的考核内容,增加了副职工作完成情况的分值比重」)"
                        ).format(scheme=SCHEME_ID, channel=channel)
                    )
                )
    return problems


def decision(unit: Unit, column: str) -> str:
    """An office decision entered in the units table, by column id (``reserve_plan``) or ``label(id)``."""
    for key, value in unit.attributes.items():
        if key == column or key.endswith((f"({column})", f"\uff08{column}\uff09")):
            return value.strip()
    return ""


def decision_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    """Office decisions must use a known value and concern a cadre (the source speaks of 干部)."""
    cadres = set(_texts(scheme, "cadre_groups"))
    problems = []
    for unit in dataset.units:
        for column, (_key, texts) in DECISIONS.items():
            value = decision(unit, column)
            if not value:
                continue
            if value not in texts:
                problems.append(
                    Problem(
                        f"{column} must be one of {', '.join(texts)}, got {value!r}",
                        unit.where.file,
                        unit.where.row,
                        column,
                    )
                )
            elif unit.group not in cadres:
                problems.append(
                    Problem(
                        f"{column} concerns leading cadres; unit {unit.id!r} is in group {unit.group!r}",
                        unit.where.file,
                        unit.where.row,
                        column,
                    )
                )
    return problems


@hookimpl
def kaoping_validate_dataset(scheme: Scheme, dataset: Dataset) -> list[Problem] | None:
    _grading_problems(scheme, dataset)
    if dataset.history:
        evaluation_year(scheme)
    return weight_problems(scheme) + decision_problems(scheme, dataset) + posting_problems(scheme, dataset)


# ---------------------------------------------------------------------------------------------------------
# results: veto, 末位淘汰, office decisions


def evaluation_year(scheme: Scheme) -> int:
    """The year evaluated (a required parameter): 「连续三年排在末位」 counts back from it."""
    return int(scheme.parameter("evaluation_year", "「连续三年排在末位」 counts back from it"))


def apply_last_place(scheme: Scheme, dataset: Dataset, result: RunResult) -> None:
    """「连续三年排在末位」: this year's last place of a ranking pool, counted back over the history rows."""
    if not dataset.history:
        return
    needed = int(scheme.parameters["last_place_years"])
    teams = set(_texts(scheme, "team_groups"))
    units = result.by_unit()
    for unit_id, run in last_place_runs(result, dataset.history, evaluation_year(scheme)).items():
        unit = units[unit_id]
        unit.consequences["last_place_years"] = run
        if run >= needed:
            whom = "班子主要领导: " if unit.group in teams else ""
            unit.consequences["sanctions"] = [*unit.consequences.get("sanctions", []), whom + REMOVAL]


def apply_decisions(dataset: Dataset, result: RunResult) -> None:
    units = dataset.unit_by_id
    for unit in result.units:
        for column, (key, texts) in DECISIONS.items():
            value = decision(units[unit.unit], column)
            if value in texts:
                unit.consequences[key] = texts[value]


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    for unit in result.units:
        if unit.vetoes:
            # a vetoed team or cadre loses this year's 评先选优, also when its grade would give it priority
            unit.consequences.pop("excellence_priority", None)
            unit.consequences["excellence_barred"] = VETO_LOSS
    apply_last_place(scheme, dataset, result)
    apply_decisions(dataset, result)
    return result
