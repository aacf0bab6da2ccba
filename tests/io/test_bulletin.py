"""The bulletin's model: names instead of ids, consequences and vetoes in words, sections per ranking pool."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaoping.core.consequences import CONSEQUENCE_LABELS
from kaoping.core.pipeline import run
from kaoping.core.results import Veto
from kaoping.io.bulletin import (
    OWN_PARTS_SHOWN,
    _Names,
    build_bulletin,
    consequence_lines,
    decimal_places,
    pool_name,
    veto_text,
)
from kaoping.io.bulletin_html import to_html
from kaoping.locale import _, set_language
from kaoping.plugins.jiangxi_jishui_land_bureau import SAMPLE_DATA as JISHUI
from tests.helpers import host
from tests.io.common import sample_bulletin


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language(None)


def line(key: str, value: str) -> str:
    return _("{label}: {value}").format(label=_(CONSEQUENCE_LABELS[key]), value=value)


def test_consequences_read_as_labelled_lines_in_scheme_order():
    consequences = {
        "staff_excellent_ratio": Decimal("0.2"),  # 「工作人员考核优秀等级比例按20%下达」
        "bonus_factor": Decimal("1.10"),  # kept as the scheme writes it
        "sanctions": ["区委、区政府给予通报批评", "主要负责人由区委组织部进行诫勉谈话"],
        "quote": "原文",  # the source's wording, not a consequence
        "annual_excellent_allowed": False,
        "indicator_places": {"GDP": 1, "财政": 2},
        "empty": [],
        "local_key": "本地",
    }
    assert consequence_lines(consequences) == (
        line("staff_excellent_ratio", "20%"),
        line("bonus_factor", "1.10"),
        line("sanctions", "区委、区政府给予通报批评；主要负责人由区委组织部进行诫勉谈话"),
        line("annual_excellent_allowed", _("no")),
        line("indicator_places", "GDP 1；财政 2"),
        _("{label}: {value}").format(label="local_key", value="本地"),  # a key no label knows shows as it is
    )


def test_vetoes_read_as_the_areas_name_and_what_it_did():
    names = _Names(host().scheme("hunan.heshan"))
    area = next(iter(names.vetoes))
    name = names.vetoes[area]
    cases = {
        Veto("u", area, "deduct", points=Decimal("20")): _("{points} points deducted").format(points="20"),
        Veto("u", area, "disqualify", grades=("优秀",)): _("may not be graded {grades}").format(grades="优秀"),
        Veto("u", area, "force_grade", grade="不达标"): _("graded {grade}").format(grade="不达标"),
        Veto("u", area, "promote", grade="优秀"): _("promoted to {grade}").format(grade="优秀"),
    }
    for veto, effect in cases.items():
        assert veto_text(veto, names) == _("{area} ({effect})").format(area=name, effect=effect)
    assert veto_text(Veto("u", area, "record"), names) == name
    assert veto_text(Veto("u", "unknown_area", "record"), names) == "unknown_area"


def test_decimal_places_follow_the_precision():
    assert [decimal_places(Decimal(p)) for p in ("0.01", "0.5", "1", "10", "0.001")] == [2, 1, 0, 0, 3]


def test_a_long_pool_is_named_by_its_first_group_and_count():
    assert pool_name(["甲组", "乙组"]) == "甲组、乙组"
    long = [f"第{i}个很长的序列名称" for i in range(5)]
    assert pool_name(long) == _("{first} and {count} series in all").format(first=long[0], count=5)


def test_english_labels_on_request(english):
    bulletin = sample_bulletin("fujian.zhangzhou")
    first = bulletin.sections[0]
    assert [c.label for c in first.table.columns] == [
        "Rank",
        "Unit",
        "Total",
        "完成基本工作目标",
        "机关效率与作风纪律建设",
        "突出绩效与创新",
        "效能评议",
        "Grade",
        "Veto",
        "Use of results",
    ]
    assert first.heading == "第一系列 (18 units); scheme: 漳州市直机关绩效考评办法"
    assert bulletin.title == "Evaluation results under 漳州市直机关绩效考评办法"
    assert first.table.rows[0][-1][0] == "Staff excellent ratio: 20%"


def test_groups_nobody_is_graded_in_have_no_chart():
    bulletin = sample_bulletin("fujian.zhangzhou")
    charts = {s.name: s.grade_counts for s in bulletin.sections}
    # expected.csv: series1 5 优秀, 13 合格; non_series is not ranked or graded (「不列入系列」)
    assert charts["第一系列"] == (("优秀", 5), ("合格", 13), ("不合格", 0))
    assert charts["不列入系列(参加公众评议)"] == ()
    page = to_html(bulletin)
    assert page.count("<svg") == 3
    assert page == to_html(sample_bulletin("fujian.zhangzhou"))  # the same run gives the same page


def test_a_schemes_own_labels_name_its_consequence_keys(tmp_path):
    from tests.io.common import mini_bulletin_with

    consequences = {
        "grades": {"好": {"host_item_score": "3", "bonus_factor": "1.2"}},
        "labels": {"host_item_score": "承办事项得分"},
    }
    grading = {"grades": ["好"], "bands": [{"id": "good", "grade": "好", "at_least": 0}]}
    bulletin = mini_bulletin_with({"consequences": consequences, "grading": grading})
    lines = bulletin.sections[0].table.rows[0][-1]
    assert lines == (_("{label}: {value}").format(label="承办事项得分", value="3"), line("bonus_factor", "1.2"))


def test_groups_ranked_together_with_parts_of_their_own_share_one_column_for_them():
    result_scheme = host().scheme("jiangxi.jishui.land_bureau")
    result = run(host(), result_scheme, JISHUI)
    (section,) = build_bulletin(result, result_scheme).sections  # 「以股、室、中心、大队为单位进行考评」, ranked as one
    labels = [c.label for c in section.table.columns]
    own = [p for p in result_scheme.parts if p.id.startswith("individual_")]
    assert len(own) > OWN_PARTS_SHOWN and not {p.name for p in own} & set(labels)
    column = labels.index(_("Parts of its own series"))
    for unit, row in zip(result.units, section.table.rows, strict=True):
        mine = [p.id for p in own if p.id in unit.parts]
        assert len(mine) == 1 and row[column] == unit.parts[mine[0]]  # each 股室's own 70-point table
    # 「在80分至85分(不含85分)的单位」 withhold 5%: a share, shown as a percentage; `required` is not shown
    lines = {line for row in section.table.rows for line in row[-1]}
    assert line("withhold", "5%") in lines and not any(text.startswith("required") for text in lines)


def test_a_veto_under_a_catch_all_area_reads_as_the_office_wrote_it():
    names = _Names(host().scheme("anon.county_political_performance"))
    # vetoes.csv: T1,safety,市安监局,安全生产检查验收一票否决
    # the scheme names only 「省、市、县检查验收一票否决」 (id "*")
    assert (
        veto_text(Veto("T1", "safety", "record", note="安全生产检查验收一票否决"), names) == "安全生产检查验收一票否决"
    )
    assert veto_text(Veto("T1", "safety", "record"), names) == "省、市、县检查验收一票否决"


def test_ids_inside_a_consequence_read_as_names():
    names = _Names(host().scheme("liaoning.province"))
    indicator = next(iter(i for i in host().scheme("liaoning.province").indicators))
    (text,) = consequence_lines({"indicator_places": {indicator.id: 1}}, name_of=names.item)
    assert text == line("indicator_places", f"{indicator.name} 1")
