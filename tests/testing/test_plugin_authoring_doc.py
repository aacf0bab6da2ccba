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
