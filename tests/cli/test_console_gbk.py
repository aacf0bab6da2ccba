"""Offices run Windows consoles on code page 936 (GBK): every plain output must encode to GBK."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kaoping.plugins
from kaoping.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "compare"


def samples() -> list[tuple[str, Path]]:
    found = []
    for info in pkgutil.iter_modules(kaoping.plugins.__path__):
        module = importlib.import_module(f"kaoping.plugins.{info.name}")
        if getattr(module, "SCHEME_ID", None) and getattr(module, "SAMPLE_DATA", None):
            found.append((module.SCHEME_ID, Path(module.SAMPLE_DATA)))
    return sorted(found)


def not_in_gbk(text: str) -> set[str]:
    return {c for c in text if not c.encode("gbk", errors="ignore")}


def outputs(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output


@pytest.mark.parametrize(("scheme_id", "sample"), samples(), ids=[s for s, _ in samples()])
def test_every_plain_output_of_a_sample_encodes_to_gbk(scheme_id: str, sample: Path):
    texts = [
        outputs("show", scheme_id),
        outputs("validate", "--scheme", scheme_id, "--data", str(sample)),
        outputs("score", "--scheme", scheme_id, "--data", str(sample)),
    ]
    ranked = outputs("score", "--scheme", scheme_id, "--data", str(sample), "--format", "csv")
    rows = list(csv.reader(io.StringIO(ranked)))
    for row in rows[1:4]:
        if len(row) > 2:
            texts.append(outputs("explain", row[2], "--scheme", scheme_id, "--data", str(sample), "--what-if"))
    for text in texts:
        assert not_in_gbk(text) == set(), text


def test_listings_help_and_comparisons_encode_to_gbk():
    texts = [outputs("schemes"), outputs("plugins"), outputs("methods"), outputs("--help")]
    texts += [outputs(command.name, "--help") for command in cli.commands.values()]
    texts.append(
        outputs(
            "compare",
            "--data",
            str(EXAMPLES / "data"),
            "--scheme",
            "fujian.zhangzhou",
            "--scheme",
            "hunan.heshan",
            "--overrides",
            str(EXAMPLES / "heshan.toml"),
        )
    )
    for text in texts:
        assert not_in_gbk(text) == set(), text[:2000]


def test_the_check_itself_catches_a_minus_sign():
    assert not_in_gbk("1 − 2") == {"−"}


def test_comparison_with_uncertainty_encodes_to_gbk_and_fits(tmp_path: Path):
    from kaoping.io.terminal import WIDTH, display_width

    ranges = tmp_path / "ranges.toml"
    ranges.write_text('[[ranges]]\npath = "indicators.*.points"\npct = 10\n', encoding="utf-8")
    text = outputs(
        "compare",
        "--data",
        str(EXAMPLES / "data"),
        "--scheme",
        "fujian.zhangzhou",
        "--scheme",
        "hunan.heshan",
        "--overrides",
        str(EXAMPLES / "heshan.toml"),
        "--perturb",
        str(ranges),
        "--draws",
        "50",
    )
    assert "draws" in text and not_in_gbk(text) == set()
    assert max(display_width(line) for line in text.splitlines()) <= WIDTH


def test_a_gbk_pipe_gets_a_question_mark_not_a_traceback(monkeypatch: pytest.MonkeyPatch):
    """Output redirected on Windows is encoded with the code page: a rare character of a name (㐀 is not
    in GBK) must not stop the run."""
    from kaoping.cli.main import console_replaces_unencodable

    raw = io.BytesIO()
    pipe = io.TextIOWrapper(raw, encoding="gbk", errors="strict")
    monkeypatch.setattr("sys.stdout", pipe)
    console_replaces_unencodable()
    print("单位㐀")
    pipe.flush()
    assert raw.getvalue().decode("gbk") == "单位?\n"
