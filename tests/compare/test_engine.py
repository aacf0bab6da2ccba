"""Side-by-side comparison: channels, gaps, rank shifts, transitions, correlations and trail diffs.

Hand-worked totals of the channel dataset are in tests/compare/common.py.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kaoping.compare.channels import CHANNELS, parse_channel_map, read_channel_map, translate
from kaoping.compare.engine import VariantSpec, compare_variants, run_variant
from kaoping.core.errors import InputError
from kaoping.plugins import fujian_zhangzhou as zhangzhou
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.compare.common import channel_dataset, compare_host, synthetic_map, synthetic_scheme
from tests.helpers import D

REFORM = {"grading": {"quotas": [{"id": "excellent", "counts": {"series2": 2}}]}}


@pytest.fixture(scope="module")
def host():
    return compare_host()


@pytest.fixture(scope="module")
def comparison(host):
    dataset = channel_dataset()
    specs = [
        VariantSpec("zz", "fujian.zhangzhou"),
        VariantSpec("zz-reform", "fujian.zhangzhou", ((REFORM, "reform"),)),
        VariantSpec("syn", "test.synthetic"),
    ]
    return compare_variants([run_variant(host, spec, dataset, [synthetic_map()]) for spec in specs])


def totals(comparison, index):
    return {row.unit: row.cells[index].total for row in comparison.rows}


def test_both_schemes_read_the_channel_dataset(comparison):
    assert totals(comparison, 0) == {
        "U1": D(785),
        "U2": D(765),
        "U3": D("747.5"),
        "U4": D(750),
        "U5": D("547.5"),
        "U6": D("830.5"),
    }
    assert totals(comparison, 2) == {
        "U1": D(87),
        "U2": D(81),
        "U3": D(83),
        "U4": D("74.5"),
        "U5": D("60.5"),
        "U6": D("83.5"),
    }


def test_rank_shifts_against_the_baseline(comparison):
    # Zhangzhou order U6 U1 U2 U4 U3 U5; synthetic order U1 U6 U3 U2 U4 U5
    shifts = {row.unit: row.shift(2) for row in comparison.rows}
    assert shifts == {"U6": -1, "U1": 1, "U2": -1, "U4": -1, "U3": 2, "U5": 0}
    assert {row.unit: row.shift(1) for row in comparison.rows} == dict.fromkeys(shifts, 0)


def test_transitions_and_grade_changes_of_a_reform(comparison):
    reform = comparison.pairs[0]
    # quota 10 → 2 in series 2: U2, U4, U3 drop from 优秀 to 合格; U5 stays 不合格 (547.5 < 700)
    assert reform.transitions == {("优秀", "优秀"): 2, ("优秀", "合格"): 3, ("不合格", "不合格"): 1}
    assert sorted(c.unit for c in reform.changes) == ["U2", "U3", "U4"]
    change = next(c for c in reform.changes if c.unit == "U2")
    assert change.own_trail_unchanged and "grading rules" in change.cause
    assert change.after.reason == "default grade"


def test_correlations_between_schemes_by_hand(comparison):
    # ranks U1..U6: Zhangzhou 2 3 5 4 6 1, synthetic 1 4 3 5 6 2. Discordant pairs: (U1,U6), (U2,U3),
    # (U3,U4); the other 12 concordant: tau-b = (12 − 3) / 15 = 0.6.
    # d = 1 −1 2 −1 0 −1, Σd² = 8: rho = 1 − 6·8 / (6·35) = 27/35.
    (overall,) = comparison.pairs[1].correlations
    assert (overall.tau.concordant, overall.tau.discordant) == (12, 3)
    assert overall.tau.value == pytest.approx(0.6, abs=1e-12)
    assert overall.spearman == pytest.approx(27 / 35, abs=1e-12)


def test_grade_changes_across_schemes_are_explained_by_channel(comparison):
    change = next(c for c in comparison.pairs[1].changes if c.unit == "U6")
    channels = {c.channel: c for c in change.channels}
    # target completion: 427.5 of 1000 (42.75 %) under Zhangzhou, 47.5 of 100 (47.5 %) synthetic
    assert (channels["target_completion"].before_share, channels["target_completion"].after_share) == (
        D("42.75"),
        D("47.5"),
    )
    # the deduction of 12 enters Zhangzhou's inspection rule and the synthetic penalty rule
    assert (channels["deductions"].before, channels["deductions"].after) == (D(-12), D(-12))


def test_trail_diff_names_the_rules_that_differ(host):
    dataset = channel_dataset()
    overrides = {
        "indicators": [{"id": "public_review", "points": 300}],
        "grading": {"bands": [{"id": "unqualified", "below": 760}]},
    }
    base = run_variant(host, VariantSpec("zz", "fujian.zhangzhou"), dataset)
    other = run_variant(host, VariantSpec("bands", "fujian.zhangzhou", ((overrides, "t"),)), dataset)
    pair = compare_variants([base, other]).pairs[0]
    # 750 and 747.5 fall below 760: 优秀 → 不合格 by the band, with unchanged trails
    assert sorted((c.unit, c.before.grade, c.after.grade) for c in pair.changes) == [
        ("U3", "优秀", "不合格"),
        ("U4", "优秀", "不合格"),
    ]


def test_trail_diff_of_changed_points(host):
    from kaoping.compare.engine import trail_diff

    dataset = channel_dataset()
    a = run_variant(host, VariantSpec("zz", "fujian.zhangzhou"), dataset).result
    reform = {"rules": [{"id": "inspection", "max": 100}]}
    b = run_variant(host, VariantSpec("r", "fujian.zhangzhou", ((reform, "t"),)), dataset).result
    assert trail_diff(a.by_unit()["U4"], b.by_unit()["U4"]) == []
    edited = channel_dataset()
    edited = edited.evolve(events=tuple(e for e in edited.events if e.unit != "U4"))
    c = run_variant(host, VariantSpec("r", "fujian.zhangzhou"), edited).result
    (diff,) = trail_diff(a.by_unit()["U4"], c.by_unit()["U4"])
    assert (diff.rule, diff.before, diff.after, diff.delta) == ("inspection", D(-20), Decimal(0), D(20))


def test_a_scheme_wide_gap_is_listed_not_scored(host):
    scheme = synthetic_scheme(id="test.leaders")
    scheme["parts"][1]["points"] = 20
    scheme["parts"].insert(2, {"id": "leaders", "name": "领导评价", "points": 10})
    scheme["indicators"][1]["points"] = 20
    scheme["indicators"].append({"id": "lead", "name": "领导评价", "part": "leaders", "method": "direct", "points": 10})
    leaders_host = compare_host(scheme)
    channel_map = parse_channel_map(
        {
            "scheme": "test.leaders",
            "channels": {
                "targets": "target_completion",
                "survey": "public_survey",
                "peer": {"channel": "peer_rating", "scale": 100},
                "lead": "leader_rating",
                "penalty": "deductions",
            },
        }
    )
    variant = run_variant(leaders_host, VariantSpec("leaders", "test.leaders"), channel_dataset(), [channel_map])
    assert variant.result is None
    (gap,) = variant.gaps
    assert (gap.item, gap.channel, gap.unit) == ("indicator lead (领导评价)", "leader_rating", "")
    assert "no leader_rating rows" in str(gap)


def test_a_unit_level_gap_leaves_the_unit_out(host):
    dataset = channel_dataset(drop=(("U5", "public_survey"),))
    variant = run_variant(host, VariantSpec("zz", "fujian.zhangzhou"), dataset, [synthetic_map()])
    assert variant.excluded == ("U5",)
    assert "U5" not in variant.result.by_unit()
    other = run_variant(host, VariantSpec("syn", "test.synthetic"), dataset, [synthetic_map()])
    comparison = compare_variants([variant, other])
    assert other.excluded == ("U5",)  # the synthetic scheme needs the survey too
    row = next(r for r in comparison.rows if r.unit == "U5")
    assert row.cells == (None, None) and row.shift(1) is None
    assert [str(g) for g in variant.gaps] == [
        "fujian.zhangzhou: unit U5 lacks indicator public_review (公众评议) (channel public_survey): "
        "no value for this unit"
    ]


def test_native_data_passes_through_unchanged(host):
    from kaoping.io.dataio import load_dataset

    dataset = load_dataset(SAMPLE_DATA)
    scheme = host.scheme("fujian.zhangzhou")
    translation = translate(scheme, dataset, read_channel_map(Path(zhangzhou.__file__).with_name("channels.toml")))
    assert translation.dataset.values == dataset.values and translation.gaps == ()


def test_channel_map_errors_are_all_reported():
    with pytest.raises(InputError) as error:
        parse_channel_map({"channels": {"a": "nonsense", "b": {"channel": "public_survey", "mode": "odd"}}, "x": 1})
    text = str(error.value)
    assert "missing 'scheme'" in text and "unknown channel 'nonsense'" in text and "mode must be" in text
    assert "unknown key 'x'" in text
    assert set(CHANNELS) >= {"target_completion", "public_survey", "leader_rating", "peer_rating", "vetoes"}


def test_a_map_naming_what_the_scheme_lacks_is_an_error(host):
    bad = parse_channel_map({"scheme": "fujian.zhangzhou", "channels": {"nope": "public_survey"}})
    with pytest.raises(InputError, match="does not have"):
        translate(host.scheme("fujian.zhangzhou"), channel_dataset(), bad)


def test_a_plugin_ships_its_map_beside_its_scheme_file(tmp_path):
    from kaoping import hookimpl
    from kaoping.compare.channels import find_channel_map
    from kaoping.core.plugins import PluginHost

    scheme_file = tmp_path / "scheme.toml"
    scheme_file.write_text(
        'id = "test.shipped"\nname = "随附"\ntotal = 100\n[status]\ncomplete = true\n'
        '[[groups]]\nid = "series2"\nname = "组"\n[[parts]]\nid = "p"\nname = "部分"\npoints = 100\n'
        '[[indicators]]\nid = "sat"\nname = "满意度"\npart = "p"\nmethod = "direct"\npoints = 100\n',
        encoding="utf-8",
    )
    (tmp_path / "scheme.channels.toml").write_text(
        'scheme = "test.shipped"\n[channels]\nsat = "public_survey"\n', encoding="utf-8"
    )

    class Shipped:
        @hookimpl
        def kaoping_register_schemes(self, register):
            register(scheme_file)

    shipped_host = PluginHost(entry_points=False, plugin_objects=[("shipped", Shipped())])
    found = find_channel_map(shipped_host, "test.shipped")
    assert found is not None and found.indicators[0].channel == "public_survey"
    variant = run_variant(shipped_host, VariantSpec("shipped", "test.shipped"), channel_dataset())
    # public survey 80 of 100 → 80 points of 100 for U1
    assert variant.result.by_unit()["U1"].total == D(80)


def test_tau_matrix_covers_every_two_variants(comparison):
    matrix = comparison.tau_matrix()
    assert matrix[("zz", "zz-reform")] == pytest.approx(1.0)
    assert matrix[("zz", "syn")] == pytest.approx(0.6) and matrix[("syn", "zz-reform")] == pytest.approx(0.6)
