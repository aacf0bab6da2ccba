"""A plugin's own data files and bilingual headers: keyed by machine name, read through a loader wrapper."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kaoping import hookimpl
from kaoping.core.errors import InputError
from kaoping.core.pipeline import run
from kaoping.core.results import TrailEntry
from kaoping.io.dataio import load_dataset, read_extra_table
from tests.helpers import host_with

SCHEME = {
    "id": "test.extra",
    "name": "附加表",
    "total": 100,
    "status": {"complete": True},
    "groups": [{"id": "g", "name": "单位"}],
    "parts": [{"id": "work", "name": "工作", "points": 100}],
    "indicators": [{"id": "rate", "name": "完成率", "part": "work", "method": "direct", "points": 100}],
    "parameters": {"per_vacancy": "0.5"},
    "grading": {"grades": ["合格"], "default": "合格"},
}


def write_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "units.csv").write_text(
        "单位编码(unit),单位名称(name),序列(group),是否试点(pilot)\nA,甲局,g,是\nB,乙局,g,\n", encoding="utf-8"
    )
    (folder / "values.csv").write_text("unit,indicator,value\nA,rate,90\nB,rate,80\n", encoding="utf-8")
    # an office's GBK export with bilingual headers
    (folder / "staffing.csv").write_bytes("单位编码(unit),空编数（vacancies）\nA,2\nB,0\n".encode("gb18030"))
    return folder


def test_bilingual_headers_become_machine_names(tmp_path: Path):
    dataset = load_dataset(write_folder(tmp_path / "data"))
    assert dataset.unit_by_id["A"].attributes == {"pilot": "是"}
    assert dataset.unit_by_id["B"].attributes == {}


def test_read_extra_table_keys_by_machine_name_and_locates_rows(tmp_path: Path):
    rows = read_extra_table(write_folder(tmp_path / "data"), "staffing")
    assert [dict(r.fields) for r in rows] == [{"unit": "A", "vacancies": "2"}, {"unit": "B", "vacancies": "0"}]
    assert rows[0].where.file.endswith("staffing.csv") and rows[0].where.row == 2
    with pytest.raises(InputError, match="no 'budget' table"):
        read_extra_table(tmp_path / "data", "budget")
    assert read_extra_table(tmp_path / "data", "budget", required=False) == ()


class Staffing:
    """The documented route: wrap the loader, store the plugin's table in ``Dataset.extra``, use it in a hook."""

    @hookimpl(wrapper=True)
    def kaoping_load_dataset(self, source, scheme):
        dataset = yield
        if scheme.id != "test.extra" or dataset is None:
            return dataset
        return dataset.evolve(extra={**dataset.extra, "staffing": read_extra_table(source, "staffing")})

    @hookimpl(wrapper=True)
    def kaoping_score(self, scheme, dataset):
        table = yield
        if scheme.id != "test.extra":
            return table
        per_vacancy = Decimal(str(scheme.parameter("per_vacancy")))
        for row in dataset.extra["staffing"]:
            vacancies = int(row.get("vacancies"))
            if vacancies:
                table[row.get("unit")].add(
                    TrailEntry("adjustment", "vacancies", "空编扣分", "work", -per_vacancy * vacancies, plugin="staff")
                )
        return table


def test_a_loader_wrapper_brings_an_extra_table_into_the_run(tmp_path: Path):
    host = host_with(SCHEME, plugins=(("staff", Staffing()),))
    result = run(host, host.scheme("test.extra"), write_folder(tmp_path / "data"))
    totals = {u.unit: u.total for u in result.units}
    assert totals == {"A": Decimal("89.00"), "B": Decimal("80.00")}  # A: 90 − 0.5 × 2
