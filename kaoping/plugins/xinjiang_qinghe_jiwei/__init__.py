"""县纪委监察局干部绩效差异化考评 (Xinjiang, Qinghe County inferred): seed 002, 篇(7).

Hook code holds what a table cannot say:

* the time dimension: each month is scored (three raters, 30 / 40 / 30) by the core engine on arrays and
  the year is the cumulative score of the months, folded on arrays (:mod:`kaoping.plugins._common.periods`);
* 「年度内被约谈两次的,年底综合考核不得评优」 and, county-wide, 「被约谈两次的,年底综合考核等次不得评定为优秀」:
  two talks in the year (events of the ``talk_rules``) bar 优秀, also for a unit whose score falls in the
  优秀 band (the core's ``disqualify`` effect);
* the grade cut-offs the source leaves out must come from the deployment.
"""

from __future__ import annotations

from pathlib import Path

from kaoping.api import Dataset, MethodRegistry, RegisterScheme, Scheme, ScoreTable, Veto, hookimpl
from kaoping.plugins._common.periods import period_aggregate, score_by_period

SCHEME_ID = "xinjiang.qinghe.jiwei"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
PLUGIN = __name__.rsplit(".", 1)[-1]
TALK_RULE = "talk"


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl
def kaoping_score(scheme: Scheme, dataset: Dataset, methods: MethodRegistry) -> ScoreTable | None:
    table, _ = score_by_period(scheme, dataset, methods, period_aggregate(scheme), plugin=PLUGIN)
    return table


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """Two talks in the year bar 优秀: a ``disqualify`` veto on each such unit."""
    limit = int(scheme.parameters["talks_bar_excellent"])
    grade = str(scheme.parameters["excellent_grade"])
    talk_rules = set(scheme.parameters.get("talk_rules", [TALK_RULE]))
    talks: dict[str, int] = {}
    for event in dataset.events:
        if event.rule in talk_rules:
            talks[event.unit] = talks.get(event.unit, 0) + event.count
    return [
        Veto(
            unit=unit,
            area="talks",
            effect="disqualify",
            source="约谈记录",
            note=f"年度内被约谈{count}次 (≥ {limit}): 年底综合考核不得评优",
            grades=(grade,),
            plugin=PLUGIN,
        )
        for unit, count in sorted(talks.items())
        if count >= limit
    ]
