"""Long work shows progress on a terminal only; perturbation without --seed is reproducible and says its seed."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.cli.progress import WIDTH, TerminalBar, terminal_progress
from kaoping.compare.perturb import DEFAULT_SEED
from kaoping.core import progress
from kaoping.core.pipeline import prepare, run
from kaoping.io.terminal import display_width
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA

SAMPLE = str(SAMPLE_DATA)


class Recorder:
    """A listener that keeps every task's label, total and progress."""

    def __init__(self) -> None:
        self.tasks: list[list] = []

    def start(self, label: str, total: int):
        record = [label, total, 0, False]
        self.tasks.append(record)

        class Task:
            def advance(self, amount: int = 1) -> None:
                record[2] += amount

            def close(self) -> None:
                record[3] = True

        return Task()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_scoring_reports_units_scored():
    recorder = Recorder()
    setup = prepare(scheme_id="fujian.zhangzhou")
    with progress.listening(recorder):
        run(setup.host, setup.scheme, SAMPLE_DATA)
    [(label, total, done, closed)] = recorder.tasks
    # 76 series units × 3 indicators + 5 organs × the public review (「不列入各系列考评」)
    assert total == done == 76 * 3 + 5 and closed and label


def test_silent_without_a_listener():
    with progress.task("x", 10) as advance:
        advance(3)  # nothing to see, nothing fails


def test_bar_only_on_a_terminal_and_never_with_quiet():
    assert terminal_progress(False, io.StringIO()) is None
    assert terminal_progress(True, Terminal()) is None
    assert terminal_progress(False, Terminal()) is not None


def test_bar_fits_the_line_and_is_plain_ascii_but_the_label():
    stream = Terminal()
    ticks = iter(range(1000))
    bar = TerminalBar(stream, "抽样计算 " * 20, 200, clock=lambda: next(ticks))
    for _draw in range(200):
        bar.advance()
    bar.close()
    lines = [line for line in stream.getvalue().replace("\r", "\n").splitlines() if line]
    assert lines and all(display_width(line) < WIDTH for line in lines)
    assert lines[-1].endswith(" 100% 200/200") and stream.getvalue().endswith("\n")
    assert all(line.split(" [", 1)[1].isascii() for line in lines)


def test_bar_redraws_at_most_every_interval():
    stream = Terminal()
    times = iter([0.0])
    bar = TerminalBar(stream, "draws", 10_000, clock=lambda: next(times, 5.0))  # then time stands still
    for _draw in range(10_000):
        bar.advance()
    assert stream.getvalue().count("\r") == 2  # the first draw and the last


def test_quick_work_leaves_no_bar():
    stream = Terminal()
    bar = TerminalBar(stream, "units scored", 300, clock=lambda: 0.0)
    for _unit in range(300):
        bar.advance()
    bar.close()
    assert stream.getvalue() == ""


def test_no_bar_in_a_pipe():
    result = CliRunner().invoke(cli, ["score", "--scheme", "fujian.zhangzhou", "--data", SAMPLE])
    assert result.exit_code == 0 and "\r" not in result.output


def test_perturbation_without_seed_uses_a_fixed_seed_and_says_so(tmp_path: Path):
    ranges = tmp_path / "ranges.toml"
    ranges.write_text('[[ranges]]\npath = "indicators.*.points"\npct = 10\n', encoding="utf-8")
    reform = tmp_path / "r.toml"
    reform.write_text('label = "r"\n[[overrides.grading.quotas]]\nid = "excellent"\ncounts = { series1 = 3 }\n')
    args = ["compare", "--data", SAMPLE, "--scheme", "fujian.zhangzhou", "--reform", str(reform)]
    args += ["--perturb", str(ranges), "--draws", "100", "--format", "json"]
    first, second = CliRunner().invoke(cli, args), CliRunner().invoke(cli, args)
    assert first.exit_code == 0 and first.stdout == second.stdout
    assert str(DEFAULT_SEED) in first.stderr
    assert json.loads(first.stdout)["uncertainty"][0]["seed"] == DEFAULT_SEED
    with_seed = CliRunner().invoke(cli, [*args, "--seed", str(DEFAULT_SEED)])
    assert with_seed.stdout == first.stdout and str(DEFAULT_SEED) not in with_seed.stderr
