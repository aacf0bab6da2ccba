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


def effect_label(effect: str) -> str:
    """A veto effect (``deduct``, ``disqualify``…) as people read it; an unknown effect as written."""
    return _(EFFECT_LABELS[effect]) if effect in EFFECT_LABELS else effect


def kind_label(kind: str) -> str:
    """A trail entry's kind (``indicator``, ``rule``, ``cap``…) as people read it."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind
