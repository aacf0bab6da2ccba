"""What people read for the closed vocabularies of results: veto effects and trail entry kinds.

Ids stay in JSON and in the scheme files; these labels are message ids, shown in the chosen language.
"""

from __future__ import annotations

from kaoping.locale import N_, _

EFFECT_LABELS = {
    "deduct": N_("points deducted"),
    "disqualify": N_("barred from grades"),
    "force_grade": N_("grade set"),
    "promote": N_("promoted"),
    "record": N_("recorded"),
}

# What an indicator's value columns hold (kaoping.core.methods.ValueKind), as a message names it.
VALUE_KIND_LABELS = {
    "ratio": N_("a ratio"),
    "points": N_("points (分)"),
    "amount": N_("an amount"),
    "count": N_("a count"),
    "level": N_("a level or place"),
}

KIND_LABELS = {
    "base": N_("base points"),
    "indicator": N_("indicator"),
    "rule": N_("rule"),
    "veto": N_("veto"),
    "cap": N_("cap"),
    "floor": N_("floor"),
    "overflow": N_("overflow"),
    "adjustment": N_("adjustment"),
}


# The inputs a trail entry records (its JSON keeps these keys); explain shows them by these labels.
INPUT_LABELS = {
    "assessed": N_("assessed points"),
    "count": N_("count"),
    "each": N_("points each"),
    "date": N_("date"),
    "scores": N_("scores"),
    "dropped": N_("dropped"),
    "mean": N_("mean"),
    "period": N_("period"),
    "monthly_points": N_("points of the period"),
    "divisor": N_("divisor"),
    "weights": N_("weights"),
    "weight": N_("weight"),
    "channels": N_("channels"),
    "cap": N_("cap"),
    "value": N_("value"),
    "items": N_("items"),
    "tier": N_("tier"),
    "target": N_("target"),
    "matter": N_("matter"),
    "earned": N_("earned"),
    "standard": N_("standard"),
    "bands": N_("bands"),
    "votes": N_("votes"),
    "level": N_("level"),
    "role": N_("role"),
    "quantity": N_("quantity"),
    "baseline": N_("baseline"),
    "total": N_("total"),
    "share": N_("share"),
    "shares": N_("shares"),
    "threshold": N_("threshold"),
    "planned": N_("planned points"),
    "awarded": N_("awarded points"),
    "before_cap": N_("before the cap"),
    "before_floor": N_("before the floor"),
    "would_be": N_("would be"),
    "area": N_("veto area"),
    "source": N_("confirmed by"),
    "aggregate": N_("aggregate"),
    "rounded_entries": N_("sum of rounded entries"),
}


def input_label(key: str) -> str:
    """A trail input's key (``count``, ``each``…) as people read it (次数, 每次分值…); others as written."""
    return _(INPUT_LABELS[key]) if key in INPUT_LABELS else key


def effect_label(effect: str) -> str:
    """A veto effect (``deduct``, ``disqualify``…) as people read it; an unknown effect as written."""
    return _(EFFECT_LABELS[effect]) if effect in EFFECT_LABELS else effect


def kind_label(kind: str) -> str:
    """A trail entry's kind (``indicator``, ``rule``, ``cap``…) as people read it."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def value_kind_label(kind: str) -> str:
    """An indicator's kind of value as people read it (``points`` → 分值), in the chosen language."""
    return _(VALUE_KIND_LABELS[kind]) if kind in VALUE_KIND_LABELS else kind
