"""The canonical tables and their columns: ids, Chinese headers, and how each cell is parsed.

Headers are matched leniently because offices edit templates by hand: a header may be the column id
(``unit``), its Chinese label (``单位编码``), or both (``单位编码(unit)``), in any case and with full- or
half-width brackets.
"""

from __future__ import annotations

import re

import attrs


@attrs.frozen
class Column:
    id: str
    label: str
    kind: str = "text"  # text | number | int | bool
    required: bool = False
    aliases: tuple[str, ...] = ()
    doc: str = ""
    ratio: bool = False  # a number column that may hold a ratio, so ``85%`` is read as 0.85 there

    @property
    def header(self) -> str:
        """The header templates write: Chinese label with the id, readable by people and by the loader."""
        return f"{self.label}({self.id})"


TABLES: dict[str, tuple[Column, ...]] = {
    "units": (
        Column("unit", "单位编码", required=True, aliases=("id", "unit_id"), doc="unique id of the unit"),
        Column("name", "单位名称", required=True, doc="the unit's name"),
        Column(
            "group", "序列", required=True, aliases=("系列", "分组", "组别"), doc="the group (序列) it is ranked in"
        ),
    ),
    "values": (
        Column("unit", "单位编码", required=True, doc="unit id"),
        Column("indicator", "指标编码", required=True, doc="indicator id from the scheme"),
        Column(
            "value",
            "数值",
            kind="number",
            required=True,
            aliases=("完成值", "得分"),
            doc="measured value or assessed score",
            ratio=True,
        ),
        Column("target", "目标值", kind="number", doc="target, or denominator for share indicators", ratio=True),
        Column("baseline", "基数", kind="number", doc="baseline such as last year's value", ratio=True),
        Column("item", "细项", doc="rating level, channel, rater or sub-target"),
        Column("period", "期间", doc="month or quarter, for schemes scored per period"),
        Column("note", "备注"),
    ),
    "events": (
        Column("unit", "单位编码", required=True, doc="unit id"),
        Column("rule", "规则编码", required=True, doc="rule id from the scheme"),
        Column("count", "次数", kind="int", aliases=("人次", "件数"), doc="how many times (default 1)"),
        Column("level", "级别", doc="issuing level: 县 / 市 / 省 / 国家"),
        Column("rank", "职级", doc="person's rank, e.g. 科级以上 / 科级以下"),
        Column("quantity", "数量", kind="number", aliases=("金额",), doc="an amount, e.g. yuan raised"),
        Column("points", "分值", kind="number", doc="points assessed case by case (discretionary rules)"),
        Column("matter", "事项", doc="key for 'same matter counted once at its highest'"),
        Column("role", "角色", aliases=("主办联办",), doc="lead or co (主办 / 联办) for joint credit"),
        Column("self_reported", "自查自报", kind="bool", doc="found or reported by the unit itself"),
        Column("date", "日期", doc="date of the event (decides the year)"),
        Column("note", "备注"),
    ),
    "vetoes": (
        Column("unit", "单位编码", required=True),
        Column("area", "否决领域", required=True, doc="veto area id from the scheme"),
        Column("source", "认定部门", doc="the authority that confirmed it"),
        Column("note", "备注"),
    ),
    "history": (
        Column("unit", "单位编码", required=True),
        Column("year", "年度", kind="int", required=True),
        Column("total", "总分", kind="number"),
        Column("rank", "名次", kind="int"),
        Column("grade", "等次"),
    ),
}

TABLE_LABELS = {
    "units": "被考评单位",
    "values": "指标数据",
    "events": "加扣分事项",
    "vetoes": "一票否决",
    "history": "历年结果",
}

IGNORED_HEADERS = {"序号", "seq", "#"}

# Name columns templates put beside codes, for people; the loader skips them.
INFO_COLUMNS = {
    "unit_name": "单位名称",
    "indicator_name": "指标名称",
    "rule_name": "规则名称",
}


_BRACKETS = re.compile(r"[（(]\s*([^()（）]*?)\s*[)）]")


def normalize_header(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).lower()


def header_candidates(cell: str) -> list[str]:
    """A header cell can name a column by id, label or 'label(id)'; return the forms to try."""
    cleaned = normalize_header(cell)
    found = [cleaned]
    match = _BRACKETS.search(cleaned)
    if match:
        found.append(match.group(1))
        found.append(_BRACKETS.sub("", cleaned))
    return found


def column_lookup(table: str) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in TABLES[table]:
        for name in (column.id, column.label, *column.aliases):
            lookup[normalize_header(name)] = column
    return lookup


def is_info_header(cell: str) -> bool:
    """Whether a header names a column kept for people only (``单位名称(unit_name)``)."""
    names = {normalize_header(n) for item in INFO_COLUMNS.items() for n in item}
    return any(candidate in names for candidate in header_candidates(cell))


def machine_name(header: str) -> str:
    """The key a header that is not a canonical column is stored under: the id of ``label(id)``.

    Offices write bilingual headers (``是否试点(pilot)``); hooks read ``unit.attributes["pilot"]``, never the
    header as written. A header without brackets is kept as written (surrounding blanks removed).
    """
    text = str(header).strip()
    match = _BRACKETS.search(text)
    if match and match.group(1).strip():
        return match.group(1).strip()
    return text
