"""Input changes since the previous merge: rows are matched by Para as the assessment reads it;
the rows of a Para typed twice, and the rows without one, among themselves by what they hold."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ltpgap.issues import Issue, Where
from ltpgap.merge._changes import canonical, input_changes, shown
from ltpgap.schema import HEADER_OF


def _located(before: object, after: object) -> list[Issue]:
    """input_changes of Luton's rows, each change located at (column key)(Excel row)."""
    return input_changes(
        place="Luton",
        before=before,  # type: ignore[arg-type]
        after=after,  # type: ignore[arg-type]
        extras=[],
        locate=lambda row, key: Where(file="luton.xlsx", cell=f"{key}{row}"),
        sheet_where=Where(file="luton.xlsx"),
    )


def _changes(before: object, after: object) -> list[str]:
    return [i.message for i in _located(before, after)]


def test_a_blank_para_is_a_blank_para_however_it_was_read() -> None:
    """The previous Place data comes back as a frame (a blank Para is NaN there), the new
    inputs as columns (None): the row without a Para is the same row, not 'nan' and 'row 5'."""
    before = pd.DataFrame(
        {"para": [" 1.1 ", float("nan")], "row": [4, 5], "status": ["Planned", "In place"]}
    )
    after = {"para": ["1.1", None], "row": [4, 5], "status": ["Planned", "In place"]}
    assert _changes(before, after) == []
    after["status"] = ["Planned", "None"]
    assert _changes(before, after) == [
        "Luton, row 5, Status changed since the previous merge: 'In place' → 'None'."
    ]


def test_the_rows_of_a_repeated_para_are_matched_among_themselves() -> None:
    """A Para typed twice (duplicate-para) keeps both rows on Place data: each row's cells are
    compared with the same row before, wherever it now is, else with the row most alike."""
    before = {"para": ["1.8", "2.9", "1.8"], "row": [2, 3, 9], "lead": ["Ann", "Bob", "Dup"]}
    moved = {"para": ["1.8", "1.8", "2.9"], "row": [2, 3, 4], "lead": ["Dup", "Ann", "Bob"]}
    assert _changes(before, moved) == []
    edited = {**moved, "lead": ["Dup", "Ann", "Bob"], "status": ["Planned", None, None]}
    assert _cells(before, edited) == [("status2", "1.8", "Status changed", "(blank) → 'Planned'")]
    cleared = {"para": ["1.8", "2.9", "1.8"], "row": [2, 3, 9], "lead": ["Ann", "Bob", None]}
    assert _cells(before, cleared) == [("lead9", "1.8", "Lead cleared", "'Dup' → (blank)")]
    assert _changes(before, {k: v[:2] for k, v in cleared.items()}) == [
        "Luton, 1.8, Lead cleared since the previous merge: 'Dup' → (blank) (row 9 is no longer "
        "in the workbook; 1.8 is still in row 2)."
    ]


def _cells(before: object, after: object) -> list[tuple[str | None, str | None, str, str]]:
    """(cell, Para, what, old → new) of each change."""
    issues = _located(before, after)
    found = []
    for i in issues:
        what, values = i.message.split(", ", 2)[2].split(" since the previous merge: ")
        found.append((i.where.cell, i.commitment, what, values.rstrip(".")))
    return found


def test_rows_without_para_are_matched_by_what_they_hold_not_by_their_row() -> None:
    before = {"para": [None, "1.8", None], "row": [2, 3, 4], "initiatives": ["A", "x", "B"]}
    sorted_ = {"para": [None, None, "1.8"], "row": [2, 3, 4], "initiatives": ["B", "A", "x"]}
    assert _changes(before, sorted_) == []
    edited = {**sorted_, "lead": ["Cy", None, None]}
    assert _cells(before, edited) == [("lead2", None, "Lead changed", "(blank) → 'Cy'")]
    assert _changes(before, {k: v[1:] for k, v in sorted_.items()}) == [
        "Luton, row 4, Initiatives cleared since the previous merge: 'B' → (blank) (the row is "
        "no longer in the workbook)."
    ]


def test_too_many_rows_changed_to_weigh_are_paired_by_the_cells_they_share(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the pairs weighed, each changed row is paired with the row that shares most of its
    cells: a re-sort with one cell of each row changed lists those cells, not every cell (330
    rows without a Para, each Lead changed and the order reversed, listed 990 changes)."""
    monkeypatch.setattr("ltpgap.merge._changes._MAX_LIKENESS", 1)
    before = {
        "para": [None] * 3,
        "row": [2, 3, 4],
        "initiatives": ["A", "B", "C"],
        "lead": ["Ann", "Bo", "Cy"],
    }
    after = {
        "para": [None] * 4,
        "row": [2, 3, 4, 5],
        "initiatives": ["C", "b", "A", "D"],
        "lead": ["Cy2", "Bo", "Ann2", "Di"],
    }
    assert sorted(_cells(before, after)) == [
        ("initiatives3", None, "Initiatives changed", "'B' → 'b'"),
        ("initiatives5", None, "Initiatives changed", "(blank) → 'D'"),
        ("lead2", None, "Lead changed", "'Cy' → 'Cy2'"),
        ("lead4", None, "Lead changed", "'Ann' → 'Ann2'"),
        ("lead5", None, "Lead changed", "(blank) → 'Di'"),
    ]


def test_many_rows_without_a_para_re_sorted_with_one_cell_changed_list_those_cells() -> None:
    """The audit's case, at its size: 330 rows, too many to weigh every pair."""
    n = 330
    before = {
        "para": [None] * n,
        "row": list(range(2, n + 2)),
        "initiatives": [f"Local scheme {i:04}" for i in range(n)],
        "lead": [f"Lead {i}" for i in range(n)],
        "evidence": [f"Evidence {i}" for i in range(n)],
    }
    after = {k: list(reversed(v)) for k, v in before.items() if k != "row"}
    after["row"] = before["row"]
    after["lead"] = [f"{lead} (new)" for lead in after["lead"]]
    changes = _cells(before, after)
    assert len(changes) == n and {what for _, _, what, _ in changes} == {"Lead changed"}
    assert ("lead2", None, "Lead changed", f"'Lead {n - 1}' → 'Lead {n - 1} (new)'") in changes


# A place's table as the merge compares it: Paras typed once, twice or not at all, and a few
# values (no text of spaces only: kept on Place data, it reads as blank).
COLUMNS = ("status", "lead", "evidence", "My notes")
PARAS = st.sampled_from(["1.8", "2.9", "3.10", None])
VALUES = st.sampled_from([None, "In place", "Ann", "ann", 3, 3.5, "3"])


@st.composite
def tables(draw: Any) -> list[dict[str, Any]]:
    """Rows (para, Excel row, values), as the reader keeps them: a Para or a value."""
    rows = []
    for n in range(draw(st.integers(1, 12))):
        row = {"para": draw(PARAS), "row": n + 2, **{c: draw(VALUES) for c in COLUMNS}}
        if _read(row):
            rows.append(row)
    return rows


def _read(row: dict[str, Any]) -> bool:
    """Whether the reader keeps the row: it has a Para or a value."""
    return bool(row["para"]) or any(canonical(row[c]) for c in COLUMNS)


def _table(rows: list[dict[str, Any]], *, place_data: bool = False) -> dict[str, list[Any]]:
    """The rows column by column; Place data holds only those with a value."""
    kept = [r for r in rows if not place_data or any(canonical(r[c]) for c in COLUMNS)]
    return {k: [r[k] for r in kept] for k in ("para", "row", *COLUMNS)}


def _issues(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[Any]:
    return input_changes(
        place="Luton",
        before=_table(before, place_data=True),
        after=_table(after),
        extras=["My notes"],
        locate=lambda row, key: Where(file="luton.xlsx", cell=f"{key}{row}"),
        sheet_where=Where(file="luton.xlsx"),
    )


@given(rows=tables(), data=st.data())
def test_rows_sorted_in_any_order_show_no_change(rows: list[dict[str, Any]], data: Any) -> None:
    order = data.draw(st.permutations(rows))
    assert _issues(rows, [{**r, "row": n + 2} for n, r in enumerate(order)]) == []


@given(rows=tables().filter(bool), data=st.data(), sort=st.booleans())
def test_a_cell_edited_is_the_one_change_listed(
    rows: list[dict[str, Any]], data: Any, sort: bool
) -> None:
    """One cell edited, in any row: that change alone is listed, at its cell (if the table was
    also sorted, two rows made alike by the edit can no longer be told apart: not the cell)."""
    at = data.draw(st.integers(0, len(rows) - 1))
    column = data.draw(st.sampled_from(COLUMNS))
    old = rows[at][column]
    new = data.draw(VALUES.filter(lambda v: canonical(v) != canonical(old)))
    after = [{**r, column: new} if i == at else r for i, r in enumerate(rows)]
    edited = after[at]
    after = [r for r in after if _read(r)]  # a row without a Para left blank is no row
    if sort:
        order = data.draw(st.permutations(after))
        after = [{**r, "row": n + 2} for n, r in enumerate(order)]
    (issue,) = _issues(rows, after)
    verb = "changed" if canonical(new) else "cleared"
    what = f"{HEADER_OF.get(column, column)} {verb} since the previous merge"
    assert f", {what}: {shown(old)} → {shown(new)}" in issue.message
    assert issue.commitment == edited["para"]
    if not sort:
        assert issue.where.cell == (f"{column}{edited['row']}" if _read(edited) else None)


def test_a_header_of_the_places_own_retyped_in_another_case_is_the_same_column() -> None:
    """Excel compares headers ignoring case: 'notes (2)' kept on Place data and the place's
    'Notes (2)' now are one column. Its values used to be listed twice: cleared under the old
    header and filled under the new."""
    before = {"para": ["1.8", "2.9"], "row": [2, 3], "notes (2)": ["a", "b"]}
    after = {"para": ["1.8", "2.9"], "row": [2, 3], "Notes (2)": ["a", "c"]}
    issues = input_changes(
        place="Luton",
        before=before,  # type: ignore[arg-type]
        after=after,  # type: ignore[arg-type]
        extras=["Notes (2)", "notes (2)"],
        locate=lambda row, key: Where(file="luton.xlsx", cell=f"{key}{row}"),
        sheet_where=Where(file="luton.xlsx"),
    )
    assert [(i.where.cell, i.message) for i in issues] == [
        ("Notes (2)3", "Luton, 2.9, Notes (2) changed since the previous merge: 'b' → 'c'.")
    ]


def test_a_column_of_the_places_own_told_apart_on_place_data_is_the_one_it_heads_now() -> None:
    """Bedford heads a column 'Notes' and Luton 'notes', so Place data keeps Luton's as 'notes
    (2)'. Luton retypes its header 'Notes': the same column (now sharing Bedford's), not every
    value cleared under one header and filled under the other."""
    before = {
        "para": ["1.8", "2.9"],
        "row": [2, 3],
        "Notes": [None, None],  # Bedford's column: blank in Luton's rows
        "notes (2)": ["a", "b"],
    }
    after = {"para": ["1.8", "2.9"], "row": [2, 3], "Notes": ["a", "c"]}
    issues = input_changes(
        place="Luton",
        before=before,  # type: ignore[arg-type]
        after=after,  # type: ignore[arg-type]
        extras=["Notes", "Notes", "notes (2)"],
        locate=lambda row, key: Where(file="luton.xlsx", cell=f"{key}{row}"),
        sheet_where=Where(file="luton.xlsx"),
    )
    assert [(i.where.cell, i.message) for i in issues] == [
        ("Notes3", "Luton, 2.9, Notes changed since the previous merge: 'b' → 'c'.")
    ]
