"""Packaging as the ecosystem expects: one version, an SPDX license with its file, honest metadata."""

from __future__ import annotations

import sys
from importlib.metadata import metadata, version
from pathlib import Path

import kaoping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_version_is_declared_once():
    assert "version" not in PROJECT and PROJECT["dynamic"] == ["version"]
    assert version("kaoping") == kaoping.__version__


def test_the_license_is_an_spdx_expression_with_its_file():
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
    assert metadata("kaoping")["License-Expression"] == "MIT"


def test_classifiers_say_what_kaoping_is():
    classifiers = set(PROJECT["classifiers"])
    assert {"Framework :: Pytest", "Natural Language :: Chinese (Simplified)", "Typing :: Typed"} <= classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # the SPDX expression says it


def test_extras_are_named_for_what_they_add():
    extras = PROJECT["optional-dependencies"]
    # each extra is named for what it adds: tests, linting, .docx scheme texts, a PostgreSQL archive,
    # Arrow's CSV parser for large values.csv files, calamine's parser for large values sheets
    assert set(extras) <= {"test", "lint", "docx", "postgres", "bench", "dask", "arrow", "calamine"}
    assert {"test", "lint"} <= set(extras)
    assert {r.split(">")[0] for r in extras["lint"]} == {"ruff", "mypy"}
