"""Blank data templates an evaluation office hands to its data-collection units.

Headers carry the Chinese label with the column id (``单位编码(unit)``), which the loader reads back. The
units table is pre-filled with the scheme's roster and the values table with one row per unit and
indicator (and per rating level or channel where the method has them); reference tables list every
indicator, rule and veto area with the quote it comes from. CSV files are UTF-8 with BOM, which Excel
opens correctly.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from kaoping.core.columns import TABLE_LABELS, TABLES
from kaoping.core.numbers import format_points
from kaoping.core.scheme import Indicator, Rule, Scheme
from kaoping.core.scoring import scores_indicator
from kaoping.io.report import write_atomic


def _groups_scored(scheme: Scheme, item: Indicator | Rule) -> str:
    """The groups whose units are scored on an indicator or rule; empty when every group is."""
    scored = []
    for group in scheme.groups:
        parts = scheme.group_parts(group.id)
        if isinstance(item, Indicator):
            applies = scores_indicator(scheme, group.id, item, parts)
        else:
            applies = item.part in parts
        if applies:
            scored.append(group.id)
    return "" if len(scored) == len(scheme.groups) else " ".join(scored)


def template_tables(scheme: Scheme) -> dict[str, tuple[list[str], list[list[Any]]]]:
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
    for name, columns in TABLES.items():
        tables[name] = ([c.header for c in columns], [])
    tables["units"][1].extend([entry.id, entry.name, group.id] for group, entry in scheme.roster_units())
    value_rows = tables["values"][1]
    for group, entry in scheme.roster_units():
        parts = scheme.group_parts(group.id)
        for indicator in scheme.indicators:
            if not scores_indicator(scheme, group.id, indicator, parts):
                continue
            items = list(indicator.params.get("levels") or indicator.params.get("channels") or [""])
            for item in items:
                value_rows.append([entry.id, indicator.id, "", "", "", item, "", indicator.name])
    tables["indicators_ref"] = (
        [
            "指标编码(indicator)",
            "指标名称(name)",
            "所属部分(part)",
            "计分方法(method)",
            "分值(points)",
            "适用序列(groups)",
            "依据(quote)",
        ],
        [
            [i.id, i.name, i.part, i.method, format_points(i.points), _groups_scored(scheme, i), i.quote]
            for i in scheme.indicators
        ],
    )
    tables["rules_ref"] = (
        [
            "规则编码(rule)",
            "名称(name)",
            "加扣分(kind)",
            "所属部分(part)",
            "计分方法(method)",
            "参数(params)",
            "适用序列(groups)",
            "依据(quote)",
        ],
        [
            [r.id, r.name, r.kind, r.part, r.method, _params(r.params), _groups_scored(scheme, r), r.quote]
            for r in scheme.rules
        ],
    )
    tables["veto_areas_ref"] = (
        ["否决领域(area)", "名称(name)", "效果(effect)", "依据(quote)"],
        [[v.id, v.name, v.effect, v.quote] for v in scheme.vetoes],
    )
    return tables


def _params(params: dict[str, Any]) -> str:
    return "; ".join(f"{k}={format_points(v) if hasattr(v, 'quantize') else v}" for k, v in params.items())


def write_templates(scheme: Scheme, folder: Path, fmt: str = "csv") -> list[Path]:
    """Write the templates; return the paths written."""
    tables = template_tables(scheme)
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path = folder / f"{scheme.id}.template.xlsx"
        write_atomic(path, lambda temp: _write_workbook(tables, temp))
        return [path]
    written = []
    for name, (header, rows) in tables.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        data = buffer.getvalue().encode("utf-8-sig")
        path = folder / f"{name}.csv"
        write_atomic(path, lambda temp, data=data: temp.write_bytes(data))
        written.append(path)
    return written


def _write_workbook(tables: dict[str, tuple[list[str], list[list[Any]]]], path: Path) -> None:
    import openpyxl

    from kaoping.io.workbooks import save_workbook

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in tables.items():
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        if name in TABLE_LABELS:
            sheet.sheet_properties.tabColor = "1F4E79"
    save_workbook(workbook, path)
