"""The public surface is small and deliberate: changing it must change this test."""

import kaoping
import kaoping.hooks.specs as specs


def test_top_level_exports():
    assert sorted(kaoping.__all__) == ["PROJECT_NAME", "__version__", "hookimpl"]
    for name in kaoping.__all__:
        assert hasattr(kaoping, name)


def test_hook_names_are_stable():
    hooks = sorted(name for name in dir(specs) if name.startswith("kaoping_"))
    assert hooks == [
        "kaoping_apply_results",
        "kaoping_check_vetoes",
        "kaoping_load_dataset",
        "kaoping_procedure_windows",
        "kaoping_register_commands",
        "kaoping_register_methods",
        "kaoping_register_schemes",
        "kaoping_score",
        "kaoping_validate_dataset",
    ]


def test_every_hook_says_when_it_is_called_and_how_results_combine():
    for name in dir(specs):
        if name.startswith("kaoping_"):
            doc = getattr(specs, name).__doc__ or ""
            assert "Called" in doc, name
            assert any(word in doc for word in ("first", "All implementations", "Every implementation")), name
            assert "Scope:" in doc, name
