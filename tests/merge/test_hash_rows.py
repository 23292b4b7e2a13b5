"""The inputs hash a snapshot stores per commitment: the same from columns as from a frame.

``hash_rows`` reads a submission's inputs column by column (no frame is built to record a
merge); the reference below is the row-by-row reading it replaced.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ltpgap.merge.model import hash_rows
from ltpgap.rag._table import table_columns
from ltpgap.schema import INPUT_KEYS
from ltpgap.store.records import inputs_hash

PARAS = ["1.1", "1.2", "3.10", "", "9.9"]
VALUES = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["In place", "  In  place ", "2023/24", "#N/A"]),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.sampled_from([date(2024, 3, 31), datetime(2024, 3, 31), datetime(2024, 3, 31, 9, 30)]),
)


def reference(assessment: pd.DataFrame, inputs: pd.DataFrame) -> list[str]:
    first: dict[str, dict[str, object]] = {}
    for raw in inputs.to_dict("records"):
        record = {str(k): v for k, v in raw.items()}
        para = str(record.get("para") or "")
        if para and para not in first:
            first[para] = record
    blank = inputs_hash({})
    return [inputs_hash(first[p]) if p in first else blank for p in assessment["para"].astype(str)]


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from([*PARAS, None]), st.lists(VALUES, min_size=9, max_size=9)),
        max_size=12,
    ),
    keys=st.lists(st.sampled_from(INPUT_KEYS), unique=True),
)
def test_columns_hash_as_the_frame_did(
    rows: list[tuple[str | None, list[object]]], keys: list[str]
) -> None:
    frame = pd.DataFrame(
        [[para, 2 + i, *values[: len(keys)]] for i, (para, values) in enumerate(rows)],
        columns=["para", "row", *keys],
        dtype=object,
    )
    assessment = pd.DataFrame({"para": ["1.1", "1.2", "3.10", "4.4"]})
    want = reference(assessment, frame)
    assert hash_rows(assessment, frame) == want
    assert hash_rows(assessment, table_columns(frame)) == want


def test_the_row_hashed_is_the_row_assessed() -> None:
    """Rows are found by Para as the assessment finds them: spaces around a Para do not hide
    its row, and a blank (NaN) Para never stands for a commitment called 'nan'."""
    frame = pd.DataFrame(
        {
            "para": [float("nan"), " 1.1 ", "1.1"],
            "row": [2, 3, 4],
            "status": ["In place", "Planned", "None"],
        },
        dtype=object,
    )
    assessment = pd.DataFrame({"para": ["1.1", "nan"]})
    assert hash_rows(assessment, frame) == [inputs_hash({"status": "Planned"}), inputs_hash({})]
