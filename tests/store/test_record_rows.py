"""The rows a snapshot writes are read from its frames column by column: the same values, with
every gap (NaN, None, NA) as None, as reading the frame a row at a time gave."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ltpgap.store._record import _rows

CELLS = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.just(pd.NA),
    st.text(max_size=5),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
)


def row_by_row(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    part = frame.loc[:, columns].astype(object)
    part = part.where(part.notna(), None)
    return [dict(zip(columns, values, strict=True)) for values in part.itertuples(index=False)]


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(CELLS, CELLS, st.integers(0, 9)), max_size=10),
    typed=st.booleans(),
)
def test_column_by_column_equals_row_by_row(
    rows: list[tuple[object, object, int]], typed: bool
) -> None:
    frame = pd.DataFrame(rows, columns=["para", "rag", "n"])
    if typed and rows:
        frame["n"] = frame["n"].astype("int64")
    columns = ["para", "rag", "n"]
    got, want = _rows(frame, columns, "test"), row_by_row(frame, columns)
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        assert a.keys() == b.keys()
        for k in a:
            same = a[k] == b[k] or (
                isinstance(a[k], float) and isinstance(b[k], float) and math.isnan(a[k])
            )
            assert same and type(a[k]) is type(b[k]), (k, a[k], b[k])
