"""No plugin function is unreachable: every function of kaoping/plugins is called by a run.

A helper only tests call is a rule that looks implemented but never acts on a result. The roots are what the
plugin host calls (``@hookimpl`` functions), the scoring methods it registers (``@method``), and anything
the rest of the package or a module's top level refers to; every other function must be referred to,
directly or through other functions, from a root.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "kaoping"
PLUGINS = PACKAGE / "plugins"

# Functions a run does not call yet. Every procedural date (appeal windows, posting, hearings, monthly forms)
# is applied now, so the list is empty; a name added here needs the reason beside it.
ARCHIVE_APPEAL_WINDOWS: set[tuple[str, str]] = set()


def _names(node: ast.AST) -> set[str]:
    return (
        {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        | {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        | _lazy_forms(node)
    )


def _lazy_forms(node: ast.AST) -> set[str]:
    """``lazy_form(module, "name")``: a method's vectorised form, named by a string and imported on use."""
    return {
        call.args[1].value
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "lazy_form"
        and len(call.args) == 2
        and isinstance(call.args[1], ast.Constant)
        and isinstance(call.args[1].value, str)
    }


def _is_root(function: ast.FunctionDef) -> bool:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Name) and target.id in {"hookimpl", "method"}:
            return True
        if isinstance(target, ast.Attribute) and target.attr in {"hookimpl", "method"}:
            return True
    return False


def plugin_functions() -> dict[tuple[str, str], ast.FunctionDef]:
    found = {}
    for path in sorted(PLUGINS.rglob("*.py")):
        package = path.relative_to(PLUGINS).parts[0]
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                found[(package, node.name)] = node
    return found


def unreachable() -> list[str]:
    functions = plugin_functions()
    roots: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_plugins = PLUGINS in path.parents
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and in_plugins:
                if _is_root(node):
                    roots |= _names(node) | {node.name}
                continue
            if (
                in_plugins
                and isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            ):
                continue  # exporting a name does not call it
            if in_plugins and isinstance(node, (ast.Import, ast.ImportFrom)):
                continue  # importing a name does not call it
            roots |= _names(node)
    reached = set(roots)
    frontier = set(roots)
    while frontier:
        name = frontier.pop()
        for (_, function_name), function in functions.items():
            if function_name == name:
                new = _names(function) - reached
                reached |= new
                frontier |= new
    return sorted(
        f"{package}.{name}"
        for (package, name) in functions
        if name not in reached and (package, name) not in ARCHIVE_APPEAL_WINDOWS
    )


def test_no_plugin_function_is_unreachable() -> None:
    assert unreachable() == []


def test_the_check_finds_an_unreachable_function(tmp_path, monkeypatch) -> None:
    # the check must be able to fail: a function nothing calls is reported
    module = tmp_path / "plugins" / "demo"
    module.mkdir(parents=True)
    (module / "__init__.py").write_text(
        "from kaoping import hookimpl\n\n"
        "@hookimpl\ndef kaoping_score(scheme):\n    return used(scheme)\n\n"
        "def used(scheme):\n    return None\n\n"
        "def forgotten(scheme):\n    return None\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", tmp_path)
    monkeypatch.setattr(__import__(__name__, fromlist=["PLUGINS"]), "PLUGINS", tmp_path / "plugins")
    assert unreachable() == ["demo.forgotten"]
