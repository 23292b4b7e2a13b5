"""How one problem reads on the screen: severity, location, commitment, message, code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ltpgap.issues import CODES, Severity, Where, make_issue

README = Path(__file__).resolve().parents[1] / "README.md"


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


def test_readme_lists_every_code_as_registered() -> None:
    """The README's Problem codes table: each code once, with its severity and meaning."""
    text = README.read_text(encoding="utf-8").split("### Problem codes", 1)[1]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \| (.+?) \|$", text, re.M)
    assert len(rows) == len({code for code, _, _ in rows})
    assert {code: (sev, meaning) for code, sev, meaning in rows} == {
        code: (info.severity.value, info.summary) for code, info in CODES.items()
    }
