"""The host refuses a plugin's veto that names a unit not in the data or an area the scheme does not declare."""

from __future__ import annotations

import pytest

from kaoping import hookimpl
from kaoping.core.errors import InputError
from kaoping.core.results import Veto
from tests.helpers import mini_scheme, run_scheme

DATA = {
    "units": [{"unit": "A", "name": "甲", "group": "g"}],
    "values": [{"unit": "A", "indicator": "i", "value": "90"}],
}
AREAS = [{"id": "late", "name": "迟报", "effect": "record", "quote": "迟报的通报"}]


class Vetoing:
    def __init__(self, unit: str, area: str) -> None:
        self.unit, self.area = unit, area

    @hookimpl
    def kaoping_check_vetoes(self, scheme, dataset):
        return [Veto(unit=self.unit, area=self.area, effect="record")]


def refused(unit: str, area: str) -> str:
    with pytest.raises(InputError) as caught:  # English messages in tests (tests/conftest.py)
        run_scheme(mini_scheme(vetoes=AREAS), DATA, plugins=(("vetoing", Vetoing(unit, area)),))
    return str(caught.value)


def test_a_declared_area_on_a_known_unit_applies():
    result = run_scheme(mini_scheme(vetoes=AREAS), DATA, plugins=(("vetoing", Vetoing("A", "late")),))
    assert [v.area for v in result.by_unit()["A"].vetoes] == ["late"]


def test_an_undeclared_area_is_refused_naming_the_plugin_and_hook():
    text = refused("A", "talks")
    assert "'vetoing' (hook kaoping_check_vetoes)" in text
    assert "area 'talks', which the scheme does not declare" in text and "late" in text


def test_an_unknown_unit_is_refused_naming_the_plugin_and_hook():
    text = refused("Z", "late")
    assert "'vetoing' (hook kaoping_check_vetoes) vetoes unit 'Z'" in text
    assert "the units table has no such unit" in text
