"""A unit carried forward is cut from the previous Place data exactly as the frame path cuts it.

:class:`ltpgap.merge._carry._Rows` slices one block of cells per unit (the add-in's ICS
Recompute does this for every unit on every press); ``_inputs(data.take(rows))`` is the frame
path it replaced, kept for Place data whose headers repeat. Both must give the same inputs
(para, row, the inputs, then only the extra columns that hold something; the block path as
columns, with no frame) and the same cell locations.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ltpgap.merge._carry import _inputs, _Rows, ref_locator
from ltpgap.merge.model import PlaceRef
from ltpgap.schema import INPUT_KEYS

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cells = st.one_of(
    st.none(),
    st.sampled_from(["In place", "", "  ", "#N/A", "=1+1", "2023/24"]),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
)


@st.composite
def place_data(draw: st.DrawFn) -> tuple[pd.DataFrame, list[int]]:
    """A Place data frame as ics_data gives it (lead, inputs, extras) and one unit's rows."""
    n_extras = draw(st.integers(0, 3))
    extras = [f"Local note {k}" for k in range(n_extras)]
    n = draw(st.integers(0, 12))
    rows = [
        [
            draw(st.sampled_from(["luton", "bedford"])),
            "book.xlsx",
            draw(st.integers(2, 40)),
            draw(st.sampled_from(["1.1", "3.10", "", "9.9"])),
            *(draw(cells) for _ in INPUT_KEYS),
            *(draw(cells) for _ in extras),
        ]
        for _ in range(n)
    ]
    columns = ["place", "source_file", "row", "para", *INPUT_KEYS, *extras]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    positions = [i for i in range(n) if rows[i][0] == "luton"]
    return frame, positions


@SETTINGS
@given(case=place_data())
def test_a_unit_cut_from_the_block_equals_the_frame_path(
    case: tuple[pd.DataFrame, list[int]],
) -> None:
    data, positions = case
    got, got_extras = _Rows(data).unit(positions)
    want, want_extras = _inputs(data.take(positions))
    assert got_extras == want_extras
    assert list(got) == ["para", "row", *INPUT_KEYS, *got_extras]
    assert all(type(values) is list and len(values) == len(want) for values in got.values())
    # the same cells under the same names, column by column
    pd.testing.assert_frame_equal(
        pd.DataFrame(got, columns=list(got), dtype=object),
        want.astype(object),
        check_exact=True,
        check_column_type=False,
    )


@SETTINGS
@given(case=place_data())
def test_its_cells_are_located_as_from_the_frame(case: tuple[pd.DataFrame, list[int]]) -> None:
    data, positions = case
    ref = PlaceRef(
        id="luton",
        name="Luton",
        population=1,
        file="luton.xlsx",
        sheet="Gap",
        columns={"para": "A", "status": "D"},
    )
    got, _ = _Rows(data).unit(positions)
    fast = ref_locator(ref, got)
    slow = ref_locator(ref, _inputs(data.take(positions))[0])
    for para in ("1.1", "3.10", "9.9", ""):
        for key in ("status", "lead"):
            assert fast(para, key) == slow(para, key)
