"""docs/plugin-authoring.md documents every hook and every check, and its code examples compile."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import kaoping.hooks.specs as specs
from kaoping.testing import CHECKS

DOC = Path(__file__).parents[2] / "docs" / "plugin-authoring.md"
HOOKS = sorted(name for name in dir(specs) if name.startswith("kaoping_"))


def sections() -> dict[str, str]:
    """Hook reference sections by hook name (the text under each ``### `name``` heading)."""
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### `(\w+)`\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_reference_section(hook: str):
    section = sections().get(hook)
    assert section is not None, f"docs/plugin-authoring.md has no '### `{hook}`' section"
    for heading in ("Signature:", "When it runs:", "How results combine:", "Example"):
        assert heading in section, f"{hook}: no {heading!r}"
    signature = section.split("Signature:", 1)[1].splitlines()[0]
    for parameter in inspect.signature(getattr(specs, hook)).parameters:
        assert f"{parameter}:" in signature, f"{hook}: the signature line does not list {parameter!r}"
    assert "```python" in section, f"{hook}: no python example"


def test_no_section_documents_a_hook_that_does_not_exist():
    assert set(sections()) <= set(HOOKS)


def test_every_check_is_in_the_table():
    text = DOC.read_text(encoding="utf-8")
    for check_id in CHECKS:
        assert f"`{check_id}`" in text, check_id


def test_python_examples_compile():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) >= len(HOOKS)
    for number, block in enumerate(blocks):
        compile(block, f"{DOC.name} block {number}", "exec")


def method_section_blocks() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Writing a scoring method", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_the_scoring_method_examples_run_as_one_module():
    """The guide's method, rule method and capped wrapper are run as written, and its totals asserted:
    A 90 − (100% − 95%)×100×1.5 = 82.5, plus 省 8 and a pilot bonus cut from 3 to 2 by the cap of 10."""
    import sys
    import types

    blocks = method_section_blocks()
    assert len(blocks) >= 3
    module = types.ModuleType("kaoping_doc_methods")
    sys.modules[module.__name__] = module
    try:
        for number, block in enumerate(blocks):
            exec(compile(block, f"{DOC.name} method block {number}", "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]
    pilot = next(e for u in module.result.units if u.unit == "A" for e in u.score.trail if e.rule == "pilot")
    assert pilot.points == 2 and pilot.inputs["asked"] == 3


def test_add_within_bounds_keeps_a_deduction_part_on_its_floor():
    from decimal import Decimal

    from kaoping.core.results import TrailEntry, UnitScore
    from kaoping.core.scheme import Part
    from kaoping.core.scoring import add_within_bounds

    part = Part("conduct", "作风建设", Decimal(20), base=Decimal(20), floor=Decimal(0))  # 扣完为止
    score = UnitScore("A", ("conduct",), [TrailEntry("base", "b", "起评", "conduct", Decimal(3))])
    added = add_within_bounds(score, part, TrailEntry("adjustment", "x", "另扣", "conduct", Decimal(-5)))
    assert added.points == Decimal(-3) and score.part_points("conduct") == 0
    again = add_within_bounds(score, part, TrailEntry("adjustment", "y", "再扣", "conduct", Decimal(-1)))
    assert again.points == 0 and score.part_points("conduct") == 0
