"""How one problem reads on the screen: severity, location, commitment, message, code."""

from __future__ import annotations

import pytest

from ltpgap.issues import Severity, Where, make_issue


@pytest.mark.parametrize(
    ("where", "commitment", "expected"),
    [
        (
            Where(file="luton.xlsx", sheet="Gap analysis", cell="K12"),
            "2.9",
            "warning: luton.xlsx › Gap analysis › K12 [2.9]: Check it. (place-missing)",
        ),
        (Where(file="luton.xlsx"), None, "warning: luton.xlsx: Check it. (place-missing)"),
        (Where(file="ics.yaml", line=4), None, "warning: ics.yaml:4: Check it. (place-missing)"),
        (None, "2.9", "warning: [2.9]: Check it. (place-missing)"),
        (None, None, "warning: Check it. (place-missing)"),  # no empty ": " before the message
    ],
)
def test_issue_line(where: Where | None, commitment: str | None, expected: str) -> None:
    issue = make_issue(
        "place-missing",
        "Check it.",
        where=where,
        commitment=commitment,
        severity=Severity.WARNING,
    )
    assert str(issue) == expected
