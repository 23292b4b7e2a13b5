"""Report fixtures: an ICS report computed from illustrative inputs (with formula-like text in
leads and initiatives), a place workbook on disk, and the three rendered files (once each)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pytest
from reportkit import INJECTIONS, FakeIcsBook, Row, ics_book, ics_report

from ltpgap.catalogue import Catalogue
from ltpgap.demo.illustrative import HAND_WRITTEN as ILLUSTRATIVE
from ltpgap.ics import IcsConfig
from ltpgap.reports import Cover, Movement, ReportData
from ltpgap.workbook import build_workbook, fill_inputs

COVER = Cover().updated(
    organisation="NHS Bedfordshire, Luton and Milton Keynes CCGs",
    meeting="Governing Body (held in public)",
    date="18 July 2019",
    purpose="Gap analysis of the LTP commitments",
    recommendation="Note the gaps at Red",
    key_risks="Submission deadline missed",
    authors="Planning team",
)


def injected_places(catalogue: Catalogue, ics: IcsConfig) -> dict[str, dict[str, Row]]:
    """The demo's inputs, with Luton's first four place-level must-dos turned into gaps whose
    lead and initiatives hold text a spreadsheet would run as a formula."""
    places: dict[str, dict[str, Row]] = {k: dict(v) for k, v in ILLUSTRATIVE.items() if k != ics.id}
    musts = [c.id for c in catalogue if c.must_do and c.level == "place"][: len(INJECTIONS)]
    for para, text in zip(musts, INJECTIONS, strict=True):
        places["luton"][para] = {"status": "None", "lead": text, "initiatives": text}
    return places


@pytest.fixture(scope="session")
def book(catalogue: Catalogue, blmk: IcsConfig) -> FakeIcsBook:
    """An ICS workbook's content (as the merge's reader returns it), computed by ltpgap.rag."""
    team: Mapping[str, Row] = ILLUSTRATIVE.get(blmk.id, {})
    return ics_book(catalogue, blmk, injected_places(catalogue, blmk), team, checks=3)


@pytest.fixture(scope="session")
def ics_data(catalogue: Catalogue, book: FakeIcsBook) -> ReportData:
    """The ICS report, no history on record."""
    return ics_report(catalogue, book, cover=COVER)


@pytest.fixture(scope="session")
def luton_workbook(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, blmk: IcsConfig
) -> Path:
    """Luton's place workbook, built and filled in like the demo's (plus the injections)."""
    path = tmp_path_factory.mktemp("place") / "luton.xlsx"
    build_workbook(catalogue, blmk, "luton", out_path=path)
    fill_inputs(path, injected_places(catalogue, blmk)["luton"])
    return path


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, ics_data: ReportData) -> dict[str, Path]:
    """report.pptx, report.pdf and report.xlsx of the ICS report, written once per test run.

    Under pytest-xdist the workers share one copy (the PDF takes seconds to render): the first
    to take the lock writes it, the others wait and read it.
    """
    from ltpgap.reports import write_report

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "reports-rendered"
    out.mkdir(exist_ok=True)
    with (out / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "done").exists():
            write_report(ics_data, out)
            (out / "done").write_text("ok")
    return {fmt: out / f"report.{fmt}" for fmt in ("pptx", "pdf", "xlsx")}


@pytest.fixture(scope="session")
def moved(ics_data: ReportData) -> ReportData:
    """The ICS report with a previous snapshot on record: two places moved, the ICS did not."""
    frame = pd.DataFrame(
        [
            ("luton", "1.8", "Amber", "Green", "improved", "▲", "▲ improved"),
            ("luton", "1.9", "Green", "Red", "worse", "▼", "▼ worse"),
            ("ICS", "1.9", "Green", "Green", "no change", "▶", "▶ no change"),
        ],
        columns=["place", "para", "before", "after", "movement", "arrow", "label"],
    )
    trend = pd.DataFrame(
        {
            "snapshot": [1, 1, 2, 2],
            "taken_at": pd.to_datetime(["2019-04-01", "2019-04-01", "2019-07-01", "2019-07-01"]),
            "place": ["luton", "ICS", "luton", "ICS"],
            "pct_green": [0.1, 0.2, 0.15, 0.25],
        }
    )
    return ics_data.with_movement(Movement(frame=frame, trend=trend, previous="1, 1 April 2019"))
