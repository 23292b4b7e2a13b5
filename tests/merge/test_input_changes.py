"""Input changes since the previous merge: rows are matched by Para as the assessment reads it."""

from __future__ import annotations

import pandas as pd

from ltpgap.issues import Where
from ltpgap.merge._changes import input_changes


def _changes(before: object, after: object) -> list[str]:
    issues = input_changes(
        place="Luton",
        before=before,  # type: ignore[arg-type]
        after=after,  # type: ignore[arg-type]
        extras=[],
        locate=lambda row, key: Where(file="luton.xlsx", cell=f"{key}{row}"),
        sheet_where=Where(file="luton.xlsx"),
    )
    return [i.message for i in issues]


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
    issues = input_changes(
        place="Luton",
        before=before,  # type: ignore[arg-type]
        after=after,  # type: ignore[arg-type]
        extras=[],
        locate=lambda row, key: Where(file="luton.xlsx", cell=f"{key}{row}"),
        sheet_where=Where(file="luton.xlsx"),
    )
    found = []
    for i in issues:
        what, values = i.message.split(", ", 2)[2].split(" since the previous merge: ")
        found.append((i.where.cell, i.commitment, what, values.rstrip(".")))
    return found
