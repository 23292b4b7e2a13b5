"""No problem goes unsaid in Excel: what no cell shows comes back as one message box."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from addinkit import Client, bearer
from officejs import payload_from_xlsx

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.issues import Severity, Where, make_issue
from ltpgap.merge import merge_workbooks
from ltpgap.xl.operations import Outcome
from ltpgap.xl.scripts import RECOMPUTE_SHEETS

SCRIPT = "/xlwings/custom-scripts-call/"
ROW = make_issue(
    "unrecognised-value",
    "Status 'maybe' is not one of the list",
    where=Where(file="luton.xlsx", sheet="Gap analysis", cell="K12"),
    commitment="2.9",
)
ABOUT_A_COMMITMENT = make_issue(
    "migration-split",
    "3.52 was split into 3.52a, 3.52b",
    where=Where(file="luton.xlsx"),
    commitment="3.52a",
)
WHOLE_BOOK = make_issue(
    "catalogue-mismatch",
    "built from catalogue 1.0.0 but assessed against 2.0.0; press Push catalogue",
    where=Where(file="luton.xlsx", sheet="_ltpgap"),
    severity=Severity.WARNING,
)


def _outcome(shown_on: str | None, *issues: Any) -> Outcome:
    return Outcome(
        operation="recompute",
        unit_id="luton",
        scope="place",
        counts={"Green": 1},
        issues=issues,
        shown_on=shown_on,
    )


@pytest.mark.parametrize(
    ("shown_on", "issues", "unshown"),
    [
        ("Gap analysis", (ROW, ABOUT_A_COMMITMENT), ()),
        ("Gap analysis", (ROW, WHOLE_BOOK), (WHOLE_BOOK,)),
        ("Summary", (ROW,), ()),  # about a commitment: its row's Checks cell says it
        (None, (ROW, ABOUT_A_COMMITMENT, WHOLE_BOOK), (ROW, ABOUT_A_COMMITMENT, WHOLE_BOOK)),
        (None, (), ()),
    ],
    ids=["rows-only", "whole-book", "other-sheet", "ics-workbook", "none"],
)
def test_unshown_problems(shown_on: str | None, issues: Any, unshown: Any) -> None:
    outcome = _outcome(shown_on, *issues)
    assert outcome.unshown() == unshown
    message = outcome.message()
    if unshown:
        assert message is not None and f"{len(unshown)} problem(s)" in message
        assert all(i.message in message for i in unshown)
        assert ("see Checks" in message) == (shown_on is not None)
    else:
        assert message is None


def test_message_is_capped() -> None:
    many = [
        make_issue("metadata-edited", f"problem {n}", where=Where(file="x.xlsx")) for n in range(12)
    ]
    message = _outcome(None, *many).message(limit=5)
    assert message is not None and "problem 4" in message and "problem 5" not in message
    assert "+7 more" in message


def test_message_stays_short_enough_for_a_url() -> None:
    long = [
        make_issue("metadata-edited", "x" * 3000, where=Where(file="x.xlsx")),
        *(
            make_issue("metadata-edited", f"y{n} " * 60, where=Where(file="x.xlsx"))
            for n in range(4)
        ),
    ]
    message = _outcome(None, *long).message()
    assert message is not None and len(message) < 1500
    assert message.endswith("more")


def test_the_message_box_page_is_served(client: Client) -> None:
    """The task pane opens the server's own page for the message box (xlwings' alert)."""
    text = _outcome("Gap analysis", WHOLE_BOOK).message()
    assert text is not None
    page = client.get(
        "/xlwings/alert",
        params={"prompt": text, "title": "ltpgap", "buttons": "ok", "mode": "info", "callback": ""},
    )
    assert page.status_code == 200
    assert "press Push catalogue" in page.text and "<script>" not in text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def _alerts(reply: Any) -> list[dict[str, Any]]:
    assert reply.status_code == 200, reply.text
    actions = reply.json()["actions"]
    alerts = [a for a in actions if a["func"] == "alert"]
    if alerts:
        assert actions[-1] is alerts[-1] or actions[-1] == alerts[-1]  # after every write
    return alerts


def test_a_clean_place_recompute_shows_no_message(client: Client, books: dict[str, Path]) -> None:
    payload = payload_from_xlsx(books["luton"], include=RECOMPUTE_SHEETS)
    assert _alerts(client.post(SCRIPT + "recompute", json=payload, headers=bearer("luton"))) == []


def test_another_catalogue_is_said_in_a_message(
    client: Client, books: dict[str, Path], catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook was built from another catalogue: no row shows that, the message does."""
    from dataclasses import replace

    from ltpgap.xl import runtime

    newer = replace(catalogue, info=replace(catalogue.info, version="9.9.9"), content_hash="x")
    monkeypatch.setattr(type(runtime.current()), "catalogue", lambda self: newer)
    payload = payload_from_xlsx(books["luton"], include=RECOMPUTE_SHEETS)
    alerts = _alerts(client.post(SCRIPT + "recompute", json=payload, headers=bearer("luton")))
    assert len(alerts) == 1
    prompt, title, buttons, mode, callback = alerts[0]["args"]
    assert (title, buttons, mode, callback) == ("ltpgap", "ok", "info", "")
    assert "catalogue-mismatch" in prompt and "Push catalogue" in prompt
    assert prompt.startswith("recompute luton:")


def test_ics_recompute_says_the_problems_of_place_data(
    client: Client,
    books: dict[str, Path],
    catalogue: Catalogue,
    blmk: IcsConfig,
    tmp_path: Path,
) -> None:
    """The ICS workbook's Checks sheet is rewritten only by a merge: Recompute says what it
    found in Place data in its message."""
    out = tmp_path / "ICS.xlsx"
    merge_workbooks(
        [books["luton"], books["bedford"], books["blmk"]], out=out, catalogue=catalogue, ics=blmk
    )
    payload = payload_from_xlsx(out, include=RECOMPUTE_SHEETS)
    data = next(s for s in payload["sheets"] if s["name"] == "Place data")
    header = data["values"][0]
    status = header.index("Status")
    data["values"][1][status] = "perhaps next year"
    alerts = _alerts(client.post(SCRIPT + "recompute", json=payload, headers=bearer("ics")))
    assert len(alerts) == 1
    prompt = alerts[0]["args"][0]
    assert prompt.startswith("recompute blmk:") and "Place data" in prompt
    assert "problem(s), see Checks" not in prompt  # the Checks sheet is not rewritten
    # correcting inputs on Place data is what Recompute there is for: the next merge names it
    assert "place-data-edited" not in prompt
    # warnings before information: the changed Status is among the first shown
    assert "Status 'perhaps next year' is not recognised" in prompt
