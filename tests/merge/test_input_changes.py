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
