"""The values table's number columns give back each decimal as written and the engine's fixed-point
integers exactly as the texts would (``fixed_texts``), for any decimals a reader or a hook may hold."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.core.columnar.fixed import fixed_texts
from kaoping.core.columnar.values import NumberColumn, ValueColumns
from kaoping.core.models import ValueRow, Where

DECIMALS = st.one_of(
    st.none(),
    st.decimals(min_value=-(10**6), max_value=10**6, places=4),
    st.decimals(min_value=-(10**14), max_value=10**14, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("-0"), Decimal("1E+2"), Decimal("0.85"), Decimal("12.50"), Decimal("1E-7")]),
    st.sampled_from([Decimal("123456789012345.12345678901234567890"), Decimal("-0.00")]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(DECIMALS, max_size=12), st.data())
def test_numbers_keep_their_decimals_and_fix_as_their_texts(values, data):
    column = NumberColumn.from_decimals(values)
    assert [repr(column.decimal(k)) for k in range(len(values))] == [repr(v) for v in values]
    assert [repr(v) for v in column.decimals()] == [repr(v) for v in values]
    last = max(len(values) - 1, 0)
    drawn = data.draw(st.lists(st.integers(0, last), max_size=len(values))) if values else []
    positions = np.array(drawn, dtype=np.int64)
    texts = np.array(["" if values[p] is None else str(values[p]) for p in drawn], dtype=str)
    ints, present, scale = column.fixed(positions)
    expected_ints, expected_present, expected_scale = fixed_texts(texts)
    assert scale == expected_scale
    assert present.tolist() == expected_present.tolist()
    assert [int(i) for i in ints] == [int(i) for i in expected_ints]


def test_rows_make_columns_that_make_the_same_rows():
    rows = (
        ValueRow("a", "i", Decimal("12.50"), None, Decimal("3"), "好", "Q1", "备注", Where("values.csv", 2)),
        ValueRow("b", "i", Decimal("-0"), Decimal("1E+2"), None, where=Where("hook", None)),
    )
    columns = ValueColumns.from_rows(rows)
    assert columns.to_rows() == rows
    assert [repr(r.value) for r in columns.to_rows()] == ["Decimal('12.50')", "Decimal('-0')"]
    assert columns.row_at(1) == rows[1]
