"""Each unit's rows on Place data, summed up a column at a time (place-data-edited): the same
values give the same sums however the rows are ordered and whichever reader typed them; any
change to a value is seen in its column, and only there."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ltpgap.merge._changes import canonical
from ltpgap.merge._data_crc import column_crcs, edited_columns

values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**6), 10**6),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2050, 12, 31)),
    st.booleans(),
)
COLUMNS = ("para", "status", "lead", "Local notes")


@st.composite
def units(draw: Any) -> dict[str, list[object]]:
    """A unit's rows: distinct Row numbers, any values in the other columns."""
    rows = draw(st.lists(st.integers(2, 600), unique=True, min_size=1, max_size=12))
    out: dict[str, list[object]] = {"row": sorted(rows)}
    for name in COLUMNS:
        out[name] = [draw(values) for _ in rows]
    return out


@given(unit=units(), data=st.data())
def test_the_order_of_the_rows_changes_nothing(unit: dict[str, list[object]], data: Any) -> None:
    """Place data sorted by hand holds the same rows: the same sums."""
    order = data.draw(st.permutations(range(len(unit["row"]))))
    shuffled = {name: [column[i] for i in order] for name, column in unit.items()}
    assert column_crcs(shuffled) == column_crcs(unit)
    assert edited_columns(column_crcs(unit), shuffled) == []


@given(unit=units(), data=st.data())
def test_a_value_changed_is_seen_in_its_column_only(
    unit: dict[str, list[object]], data: Any
) -> None:
    name = data.draw(st.sampled_from(COLUMNS))
    at = data.draw(st.integers(0, len(unit["row"]) - 1))
    old = unit[name][at]
    was = old if isinstance(old, str) else canonical(old)  # 5 and '5' are one value
    new = data.draw(st.text(min_size=1, max_size=30).filter(lambda t: t != was))
    changed = {**unit, name: [new if i == at else v for i, v in enumerate(unit[name])]}
    assert edited_columns(column_crcs(unit), changed) == [name]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        (None, math.nan),  # a blank cell as pandas reads it
        (None, ""),
        (3, 3.0),  # Excel keeps numbers as floats
        (date(2024, 3, 31), datetime(2024, 3, 31)),  # and dates as midnight
        (0.1 + 0.2, 0.30000000000000004),
        (True, True),
    ],
)
def test_a_value_read_back_as_another_type_of_the_same_value_is_unchanged(
    written: object, read: object
) -> None:
    unit = {"row": [2, 3], "para": ["1.8", "2.9"], "status": ["In place", written]}
    back = {"row": [2.0, 3.0], "para": ["1.8", "2.9"], "status": ["In place", read]}
    assert edited_columns(column_crcs(unit), back) == []


def test_a_column_with_nothing_in_it_is_none_of_the_units() -> None:
    """Another unit's own column is blank on this unit's rows: not one of its columns, so it
    is not taken for a column cleared; a value typed into it is a column filled."""
    unit = {"row": [2], "para": ["1.8"], "status": ["In place"]}
    other = {**unit, "Local notes": [None]}
    assert column_crcs(other) == column_crcs(unit)
    assert list(column_crcs(unit)) == ["para", "status"]  # Row only orders the rows
    assert edited_columns(column_crcs(unit), {**unit, "Local notes": ["typed"]}) == ["Local notes"]
    assert edited_columns(column_crcs(unit), {**unit, "status": [None]}) == ["status"]


def test_a_row_added_or_deleted_changes_every_column_it_fills() -> None:
    unit = {"row": [2, 3], "para": ["1.8", "2.9"], "status": ["In place", None]}
    added = {"row": [2, 3, 9], "para": ["1.8", "2.9", "3.1"], "status": ["In place", None, None]}
    assert edited_columns(column_crcs(unit), added) == ["para", "status"]
    gone = {"row": [2], "para": ["1.8"], "status": ["In place"]}
    assert edited_columns(column_crcs(unit), gone) == ["para", "status"]
