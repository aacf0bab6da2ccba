"""From the candidates of a text to a scheme file that loads, every drafted item marked as a draft.

Placement follows the outline of the text: a rule counts in the last part heading before it; a cap or
a 扣完为止 in a sentence applies to the rules or the part of that sentence. What a scheme table can say
goes into the table (parts, rules, caps, vetoes, bands, quotas, consequences, procedural parameters),
with ``draft = { offset, confidence }`` beside its ``quote``. A hedged number (一般、原则上、左右、适当、
可) is never made a hard check: it goes to ``[[draft.items]]`` as a guideline. Every other number the
recognisers read but no table holds is listed in ``[[draft.items]]``, and every sentence with a number
no recogniser read in ``[[draft.unplaced]]``.

The result always parses: the total is the sum of the drafted parts, and rules with no part before
them count in a zero-point part ``unassigned``.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import attrs

from kaoping.io.draft.recognise import Candidate, Reading
from kaoping.locale import _

SCORED_KINDS = {"part", "deduction", "bonus", "cap", "floor", "veto", "band", "quota"}
SCOPE_KINDS = {"same_matter", "self_report", "joint"}


@attrs.frozen
class DraftNames:
    scheme_id: str
    title: str
    source: str


@attrs.define
class _Builder:
    reading: Reading
    names: DraftNames
    groups: list[dict[str, Any]] = attrs.field(factory=list)
    parts: list[dict[str, Any]] = attrs.field(factory=list)
    rules: list[dict[str, Any]] = attrs.field(factory=list)
    caps: list[dict[str, Any]] = attrs.field(factory=list)
    vetoes: list[dict[str, Any]] = attrs.field(factory=list)
    bands: list[dict[str, Any]] = attrs.field(factory=list)
    quotas: list[dict[str, Any]] = attrs.field(factory=list)
    consequences: dict[str, list[Candidate]] = attrs.field(factory=dict)
    parameters: dict[str, Any] = attrs.field(factory=dict)
    items: list[dict[str, Any]] = attrs.field(factory=list)
    ids: Counter[str] = attrs.field(factory=Counter)
    current: dict[str, Any] | None = None  # the part the text is in: rules below a heading count in it

    def new_id(self, prefix: str) -> str:
        self.ids[prefix] += 1
        return f"{prefix}_{self.ids[prefix]:03d}"


def draft_scheme(reading: Reading, names: DraftNames) -> dict[str, Any]:
    """The scheme mapping drafted from ``reading``: loadable, partial, each drafted item marked."""
    builder = _Builder(reading, names)
    by_sentence: dict[int, list[Candidate]] = {}
    for candidate in reading.candidates:
        by_sentence.setdefault(candidate.sentence, []).append(candidate)
    for sentence in sorted(by_sentence):
        _place_sentence(builder, by_sentence[sentence])
    return _assemble(builder)


def _mark(candidate: Candidate) -> dict[str, Any]:
    mark: dict[str, Any] = {"offset": candidate.quote.start, "confidence": str(candidate.confidence)}
    if candidate.guideline:
        mark["guideline"] = True
    return mark


def _item(builder: _Builder, candidate: Candidate, placed: str = "", reason: str = "") -> None:
    item: dict[str, Any] = {"kind": candidate.kind}
    if candidate.subkind:
        item["subkind"] = candidate.subkind
    if candidate.name:
        item["name"] = candidate.name
    if candidate.value is not None:
        item["value"] = f"{candidate.value}%" if candidate.percent else str(candidate.value)
    if candidate.grade:
        item["grade"] = candidate.grade
    item.update(quote=candidate.quote.text, offset=candidate.quote.start, confidence=str(candidate.confidence))
    if candidate.guideline:
        item["guideline"] = True
    if placed:
        item["placed"] = placed
    if reason:
        item["reason"] = reason
    builder.items.append(item)


def _place_sentence(builder: _Builder, candidates: list[Candidate]) -> None:
    sentence_rules: list[dict[str, Any]] = []
    sentence_part: dict[str, Any] | None = None
    for candidate in candidates:
        if candidate.guideline and candidate.kind in SCORED_KINDS - {"part", "veto"}:
            _item(builder, candidate, reason=_("guideline"))  # hedged: an author decides, never a hard check
            continue
        place = _PLACERS.get(candidate.kind, _place_item)
        placed = place(builder, candidate)
        if candidate.kind == "part" and placed is not None:
            sentence_part = placed
        elif candidate.kind in {"deduction", "bonus"} and placed is not None:
            sentence_rules.append(placed)
    for candidate in candidates:
        if candidate.guideline:
            continue
        if candidate.kind == "cap":
            _place_cap(builder, candidate, sentence_rules, sentence_part)
        elif candidate.kind == "floor":
            _place_floor(builder, candidate, sentence_part)
    _place_scope(builder, [c for c in candidates if c.kind in SCOPE_KINDS], sentence_rules)


def _place_scope(builder: _Builder, candidates: list[Candidate], sentence_rules: list[dict[str, Any]]) -> None:
    """同一事项就高, 自行查处免扣 and 主办/联办 shares: for the rules of their sentence, or, said on their own
    (「以上扣分…同一事项就高扣分一次」), for every rule of the part they stand in."""
    if not candidates:
        return
    part = _current_part(builder)
    rules = sentence_rules or [r for r in builder.rules if r["part"] == part]
    shares = {c.subkind: c.value / 100 for c in candidates if c.kind == "joint" and c.value is not None}
    for candidate in candidates:
        if not rules:
            _item(builder, candidate, reason=_("no rule in its sentence or part"))
            continue
        for rule in rules:
            if candidate.kind == "same_matter":
                rule["same_matter"] = rule["part"]
            elif candidate.kind == "self_report":
                rule["self_report_exempt"] = True
            elif {"lead", "co"} <= set(shares):
                rule["joint"] = {"lead": shares["lead"], "co": shares["co"]}
        target = "rules" if sentence_rules else f"rules of {part}"
        _item(builder, candidate, placed=target)


def _place_part(builder: _Builder, candidate: Candidate) -> dict[str, Any] | None:
    if candidate.value is None:  # 「加、减分项目」: a part of bonuses and deductions beyond the total
        candidate = attrs.evolve(candidate, value=Decimal(0))
    elif candidate.value <= 0 or candidate.percent:
        _item(builder, candidate, reason=_("a weight, not points") if candidate.percent else _("no points"))
        return None
    same = next((p for p in builder.parts if _same_part(p, candidate)), None)
    if same is not None:  # 「完成基本工作目标占450分」 then the heading 「(一)完成基本工作目标(450分)」
        _item(builder, candidate, placed=f"parts.{same['id']}")
        builder.current = same
        return same
    part = {
        "id": builder.new_id("part"),
        "name": candidate.name or "未命名部分",
        "points": candidate.value,
        "quote": candidate.quote.text,
        "draft": _mark(candidate),
    }
    builder.parts.append(part)
    builder.current = part
    return part


def _same_part(part: dict[str, Any], candidate: Candidate) -> bool:
    name = candidate.name or ""
    return part["points"] == candidate.value and bool(name) and (name in part["name"] or part["name"] in name)


def _place_group(builder: _Builder, candidate: Candidate) -> None:
    group: dict[str, Any] = {"id": builder.new_id("group"), "name": candidate.name or "考评单位"}
    group.update(quote=candidate.quote.text, draft=_mark(candidate))
    if candidate.value is not None:
        group["draft"]["reading"] = _("{count} units: list them in units = [...]").format(count=candidate.value)
    builder.groups.append(group)


def _current_part(builder: _Builder) -> str:
    return str(builder.current["id"]) if builder.current else "unassigned"


def _place_rule(builder: _Builder, candidate: Candidate) -> dict[str, Any] | None:
    if candidate.value is None or candidate.percent:
        _item(builder, candidate, reason=_("not in points"))
        return None
    rule: dict[str, Any] = {
        "id": builder.new_id(candidate.kind),
        "name": candidate.name or ("扣分项" if candidate.kind == "deduction" else "加分项"),
        "kind": candidate.kind,
        "part": _current_part(builder),
    }
    if candidate.low is not None:
        rule.update(method="discretionary", min=candidate.low, max=candidate.value)
    else:
        rule["points"] = candidate.value
    if candidate.same_matter:
        rule["same_matter"] = rule["part"]
    if candidate.self_report_exempt:
        rule["self_report_exempt"] = True
    if candidate.joint:
        rule["joint"] = {role: share for role, share in candidate.joint}
    rule.update(quote=candidate.quote.text, draft=_mark(candidate))
    builder.rules.append(rule)
    return rule


def _place_cap(
    builder: _Builder, candidate: Candidate, rules: list[dict[str, Any]], part: dict[str, Any] | None
) -> None:
    assert candidate.value is not None
    kind_rules = [r for r in rules if r["quote"] and r.get("points", r.get("max", 0)) <= candidate.value]
    if len(kind_rules) == 1:
        kind_rules[0]["cap"] = candidate.value
        _item(builder, candidate, placed=f"rules.{kind_rules[0]['id']}.cap")
    elif kind_rules:
        cap_id = builder.new_id("cap")
        builder.caps.append(
            {
                "id": cap_id,
                "name": candidate.name or "累计上限",
                "rules": [r["id"] for r in kind_rules],
                "max": candidate.value,
                "quote": candidate.quote.text,
                "draft": _mark(candidate),
            }
        )
    elif part is not None and part["points"] >= candidate.value:
        part["cap"] = candidate.value
        _item(builder, candidate, placed=f"parts.{part['id']}.cap")
    else:
        _item(builder, candidate, reason=_("no rule or part in its sentence"))


def _place_floor(builder: _Builder, candidate: Candidate, part: dict[str, Any] | None) -> None:
    target = part or builder.current
    if target is None:
        _item(builder, candidate, reason=_("no part before it"))
        return
    target.update(base=target["points"], floor=0, below_floor="stop")
    _item(builder, candidate, placed=f"parts.{target['id']}.floor")


def _place_veto(builder: _Builder, candidate: Candidate) -> None:
    veto: dict[str, Any] = {"id": builder.new_id("veto"), "name": candidate.name or "一票否决", "effect": "record"}
    veto.update(quote=candidate.quote.text, draft=_mark(candidate))
    if candidate.disqualify:
        veto["draft"]["reading"] = _("the text bars {grade}: effect = disqualify?").format(grade=candidate.disqualify)
    builder.vetoes.append(veto)


def _place_band(builder: _Builder, candidate: Candidate) -> None:
    if not candidate.grade or candidate.value is None:
        _item(builder, candidate, reason=_("no grade"))
        return
    builder.bands.append(
        {
            "id": builder.new_id("band"),
            "grade": candidate.grade,
            candidate.bound or "at_least": candidate.value,
            "quote": candidate.quote.text,
            "draft": _mark(candidate),
        }
    )


def _place_quota(builder: _Builder, candidate: Candidate) -> None:
    if not candidate.grade or candidate.value is None:
        _item(builder, candidate, reason=_("no grade"))
        return
    quota: dict[str, Any] = {"id": builder.new_id("quota"), "grade": candidate.grade}
    if candidate.percent:
        quota["share"] = f"{candidate.value}%"
    else:
        quota["counts"] = {"units": int(candidate.value)}
    quota.update(quote=candidate.quote.text, draft=_mark(candidate))
    builder.quotas.append(quota)


def _place_consequence(builder: _Builder, candidate: Candidate) -> None:
    grade = candidate.grade or _grade_in(candidate.quote.text)
    if grade:
        builder.consequences.setdefault(grade, []).append(candidate)
    else:
        _item(builder, candidate, reason=_("no grade"))


def _place_parameter(builder: _Builder, candidate: Candidate) -> None:
    base = f"{candidate.subkind or candidate.kind}_{'years' if candidate.kind == 'consecutive' else 'days'}"
    key = base if base not in builder.parameters else builder.new_id(base)
    builder.parameters[key] = candidate.value
    _item(builder, candidate, placed=f"parameters.{key}")


def _place_item(builder: _Builder, candidate: Candidate) -> None:
    _item(builder, candidate)


def _place_later(builder: _Builder, candidate: Candidate) -> None:
    """Caps and floors are placed once the sentence's parts and rules are known."""


_PLACERS: dict[str, Any] = {
    "part": _place_part,
    "group": _place_group,
    "deduction": _place_rule,
    "bonus": _place_rule,
    "cap": _place_later,
    "floor": _place_later,
    "veto": _place_veto,
    "band": _place_band,
    "quota": _place_quota,
    "consequence": _place_consequence,
    "same_matter": _place_later,
    "self_report": _place_later,
    "joint": _place_later,
    "window": _place_parameter,
    "consecutive": _place_parameter,
}

_GRADE_WORDS = (
    *("优秀", "良好", "合格", "不合格", "称职", "基本称职", "不称职"),
    *("先进", "达标", "不达标", "一般", "较差"),
)


def _grade_in(text: str) -> str:
    found = [(text.find(g), -len(g), g) for g in _GRADE_WORDS if g in text]
    return min(found)[2] if found else ""


def _assemble(builder: _Builder) -> dict[str, Any]:
    names = builder.names
    parts = builder.parts
    if any(r["part"] == "unassigned" for r in builder.rules) or not parts:
        unassigned = {"id": "unassigned", "name": "未归属", "points": Decimal(0)}
        parts = [{**unassigned, "draft": {"reading": _("rules before any part")}}]
        parts += builder.parts
    for part in parts:
        has_deductions = any(r["part"] == part["id"] and r["kind"] == "deduction" for r in builder.rules)
        if has_deductions and "base" not in part:
            part["base"] = part["points"]  # a part that loses points starts full (扣分制): check
    total = sum((p["points"] for p in parts), Decimal(0))
    drafted = len(builder.groups) + len(parts) + len(builder.rules) + len(builder.caps) + len(builder.vetoes)
    drafted += len(builder.bands) + len(builder.quotas)
    unplaced = [
        {"sentence": u.sentence.text, "offset": u.sentence.start, "numbers": list(u.numbers), "hint": u.hint}
        for u in builder.reading.unplaced
    ]
    scheme: dict[str, Any] = {
        "id": names.scheme_id,
        "name": names.title,
        "locality": "",
        "unit_kind": "",
        "total": total,
        "precision": "0.01",
        "rounding": "half_up",
        "source": {"file": names.source, "section": ""},
        "status": {
            "complete": False,
            "missing": [
                _("drafted from the text: {count} items to check against the source (draft = {{...}})").format(
                    count=drafted
                ),
                "",
                _("{count} sentences with numbers not recognised ([[draft.unplaced]])").format(count=len(unplaced)),
                _("the total is the sum of the drafted parts: check it against the source"),
            ],
        },
    }
    if builder.parameters:
        scheme["parameters"] = builder.parameters
    units = {
        "id": "units",
        "name": "考评单位",
        "draft": {"reading": _("one group for every unit: split it as the text does")},
    }
    scheme["groups"] = [units, *builder.groups]
    scheme["parts"] = parts
    if builder.rules:
        scheme["rules"] = builder.rules
    if builder.caps:
        scheme["caps"] = builder.caps
    if builder.vetoes:
        scheme["vetoes"] = builder.vetoes
    grading = _grading(builder)
    if grading:
        scheme["grading"] = grading
    known = set(grading.get("grades", ()))
    by_grade: dict[str, dict[str, str]] = {}
    for grade, candidates in builder.consequences.items():
        for candidate in candidates:
            if grade not in known:
                _item(builder, candidate, reason=_("grade {grade} has no band or quota").format(grade=grade))
                continue
            key = builder.new_id("consequence")
            by_grade.setdefault(grade, {})[key] = f"{candidate.value}%" if candidate.percent else str(candidate.value)
            _item(builder, candidate, placed=f"consequences.grades.{grade}.{key}")
    if by_grade:
        scheme["consequences"] = {"grades": by_grade}
    scheme["status"]["missing"][1] = _("{count} recognised numbers not in a scoring table ([[draft.items]])").format(
        count=len(builder.items)
    )
    scheme["draft"] = {"source": names.source, "items": builder.items, "unplaced": unplaced}
    return scheme


def _grading(builder: _Builder) -> dict[str, Any]:
    if not builder.bands and not builder.quotas:
        return {}
    order: dict[str, Decimal] = {}
    for band in builder.bands:
        bound = next(band[k] for k in ("at_least", "above", "at_most", "below") if k in band)
        order[band["grade"]] = max(order.get(band["grade"], Decimal(-1)), bound)
    for quota in builder.quotas:
        order.setdefault(quota["grade"], Decimal(10**9))
    grades = sorted(order, key=lambda g: -order[g])
    grading: dict[str, Any] = {"grades": grades}
    if builder.bands:
        grading["bands"] = builder.bands
    if builder.quotas:
        grading["quotas"] = builder.quotas
    return grading
