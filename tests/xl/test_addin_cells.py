"""Text written back into Excel never becomes a formula and is never retyped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
import xlwings as xw
from hypothesis import example, given, settings
from hypothesis import strategies as st
from officejs import ExcelStandIn, _sheet, envelope

from ltpgap.xl._blocks import put_block, put_kept
from ltpgap.xl._cells import (
    CellText,
    column_letter,
    escape_formula,
    grid_text,
    keep_grid,
    keep_text,
    pad_grid,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-", "'-"),
        ("@risk", "'@risk"),
        ("\tTabbed", "'\tTabbed"),
        ("'quoted", "''quoted"),
        ("Plain words", "Plain words"),
        ("3.10", "3.10"),  # escape_formula only guards formulas; keep_text guards retyping
    ],
)
def test_escape_formula(text: str, expected: str) -> None:
    assert escape_formula(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("2021/22", "'2021/22"),  # would become a date
        ("0123", "'0123"),  # would lose its zero
        ("TRUE", "'TRUE"),
        ("#N/A", "'#N/A"),
        ("March", "March"),
        ("In place", "In place"),
        ("", None),
        ("   ", None),
        (None, None),
        (3.5, 3.5),
        (date(2024, 3, 31), date(2024, 3, 31)),
        (True, True),
    ],
)
def test_keep_text(value: object, expected: object) -> None:
    assert keep_text(value) == expected


def test_grid_text_blanks_and_nan() -> None:
    assert [grid_text(v) for v in (None, float("nan"), "", "Red", 3)] == [
        None,
        None,
        None,
        "Red",
        3,
    ]


def test_pad_grid_rectangular() -> None:
    assert pad_grid([[1], [2, 3]], 3, 2) == [[1, None], [2, 3], [None, None]]


@pytest.mark.parametrize(
    ("n", "letters"), [(1, "A"), (21, "U"), (26, "Z"), (27, "AA"), (703, "AAA")]
)
def test_column_letter(n: int, letters: str) -> None:
    assert column_letter(n) == letters


@given(st.one_of(st.text(max_size=40), st.dates(), st.floats(allow_nan=False), st.integers()))
@example(" @")  # spaces, then a formula start: once written bare (found by this test)
@example("\t =A1")
def test_round_trip_through_excel(value: object) -> None:
    """Whatever a planner typed comes back identical after ltpgap writes it into a cell."""
    excel = ExcelStandIn({"sheets": [{"name": "S", "values": [[""]], "tables": []}]})
    written = keep_text(value)
    excel.apply(
        [
            {
                "func": "setValues",
                "sheet_position": 0,
                "start_row": 0,
                "start_column": 0,
                "values": [[written]],
                "args": [],
            }
        ]
    )
    stored = excel.values("S")[0][0]
    assert excel.coerced == []
    if isinstance(value, str) and not value.strip():
        assert stored == ""
    elif isinstance(value, date | datetime):
        assert stored == value
    else:
        assert stored == value


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from("trueTRUEfalsFALSEſK#0١ \t\n\u00a0\u2003\u001cxé"),
            st.characters(),
        ),
        max_size=12,
    )
)
def test_the_quick_coercible_test_equals_the_pattern(text: str) -> None:
    """keep_text's cheap check says exactly what the documented pattern says."""
    from ltpgap.xl._cells import _COERCIBLE, _coercible

    assert _coercible(text, text.strip()) == (_COERCIBLE.search(text) is not None)


cells = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["#N/A", " #x", "=1", "'a", "2021/22", "TRUE", "", "  ", "Red", "Red"]),
    st.builds(CellText, st.sampled_from(["#raw", "safe", "'1"])),
    st.integers(-5, 5),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    st.sampled_from([datetime(2024, 3, 31, 9, 30), float("nan")]),
)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(cells, max_size=4), max_size=5),
    n_rows=st.integers(0, 6),
    n_cols=st.integers(0, 5),
)
def test_put_kept_writes_what_keep_grid_then_put_block_write(
    rows: list[list[object]], n_rows: int, n_cols: int
) -> None:
    """put_kept (one pass) sends Excel the very action keep_grid + put_block sends."""
    grid = keep_grid(rows, n_rows, n_cols)
    if not grid or not grid[0]:
        return  # nothing to write: write_ics never asks for an empty block

    def actions(write: Callable[[xw.Range], None]) -> object:
        book = xw.Book(json=envelope("b.xlsx", names=[], sheets=[_sheet("S", [[""]])]))
        write(book.sheets[0].range((2, 1), (1 + len(grid), len(grid[0]))))
        return book.json()["actions"]

    kept = actions(lambda rng: put_kept(rng, rows, n_rows, n_cols))
    assert kept == actions(lambda rng: put_block(rng, grid))
