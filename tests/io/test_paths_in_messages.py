"""No message shows the machine's absolute paths: files are named relative to the working folder or the
package, and report text has any absolute path cut to its last part."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping.io.safety import hide_machine_paths, shown_path


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("map (/home/clerk/县考评办/channels.toml) lacks", "map (channels.toml) lacks"),
        (r"C:\Users\clerk\Desktop\数据\units.csv, row 2", "units.csv, row 2"),
        ("overrides from /srv/kaoping/kaoping.toml", "overrides from kaoping.toml"),
    ],
)
def test_absolute_paths_are_cut_to_their_last_part(text: str, shown: str):
    assert hide_machine_paths(text) == shown


@pytest.mark.parametrize("text", ["lead 0.8/co 0.2", "2024/01/02", "优秀/合格", "examples/compare/heshan.toml", "1/2"])
def test_text_that_only_looks_like_a_path_is_left_alone(text: str):
    assert hide_machine_paths(text) == text


def test_shown_path_is_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    assert shown_path(tmp_path / "data" / "units.csv") == "data/units.csv"
    assert shown_path("data/units.csv") == "data/units.csv"
    import kaoping.plugins.fujian_zhangzhou as zz

    assert shown_path(Path(zz.__file__).with_name("channels.toml")) == "fujian_zhangzhou/channels.toml"
    assert shown_path("/nowhere/else/x.toml") == "x.toml"
