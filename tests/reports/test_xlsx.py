"""The summary workbook, read back by openpyxl: the tables behind every chart, all as text."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from reportkit import INJECTIONS

from ltpgap.reports import ReportData
from ltpgap.reports.model import CHAPTER_SHORT
from ltpgap.schema import RAG_VALUES
from ltpgap.workbook import escape_formula


@pytest.fixture(scope="module")
def summary(rendered: dict[str, Path]) -> Any:
    return openpyxl.load_workbook(rendered["xlsx"])


def _rows(ws: Any) -> list[dict[str, Any]]:
    """The rows of the sheet's Excel Table, by header."""
    (table,) = ws.tables.values()
    values = [[c.value for c in row] for row in ws[table.ref]]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:] if any(row)]


def test_sheets_are_visible_tables_with_no_metadata_sheet(summary: Any) -> None:
    assert summary.sheetnames == [
        "Read me",
        "Overview",
        "RAG by chapter",
        "Where places differ",
        "Snapshot",
        "Must-dos at Red",
        "Gaps",
        "Rules",
    ]
    assert all(ws.sheet_state == "visible" for ws in summary.worksheets)
    assert not {"_ltpgap", "Lists"} & set(summary.sheetnames)
    for ws in summary.worksheets:
        assert ws.tables, f"{ws.title} has no Excel Table"


def test_properties_name_the_organisation(rendered: dict[str, Path], summary: Any) -> None:
    org = "NHS Bedfordshire, Luton and Milton Keynes CCGs"
    props = summary.properties
    assert props.creator == org and props.lastModifiedBy == org
    assert props.title.startswith("NHS Long Term Plan: gap analysis")
    with zipfile.ZipFile(rendered["xlsx"]) as z:
        app = z.read("docProps/app.xml").decode()
        core = z.read("docProps/core.xml").decode()
    assert f"<Company>{org}</Company>" in app
    for library in ("openpyxl", "XlsxWriter", "python"):
        assert library.lower() not in (core + app).lower()


def test_chart_data_is_the_chapter_counts(summary: Any, ics_data: ReportData) -> None:
    rows = _rows(summary["RAG by chapter"])
    assert len(rows) == len(ics_data.by_chapter)
    for row, rec in zip(rows, ics_data.by_chapter.to_dict("records"), strict=True):
        assert row["Place or ICS"] == ics_data.unit_name(rec["unit"])
        assert row["Chapter"] == CHAPTER_SHORT[rec["chapter"]]
        assert [row[r] for r in RAG_VALUES] == [rec[r] for r in RAG_VALUES]
        assert row["% green"] == pytest.approx(rec["pct_green"])


def test_snapshot_and_gaps_are_complete(summary: Any, ics_data: ReportData) -> None:
    snap = _rows(summary["Snapshot"])
    assert len(snap) == ics_data.snapshot.items
    gaps = _rows(summary["Gaps"])
    assert [g["Para"] for g in gaps] == list(ics_data.gaps["para"])
    assert [g["Rank"] for g in gaps] == list(range(1, len(gaps) + 1))


def test_formula_like_text_stays_text(summary: Any) -> None:
    found = set()
    for ws in summary.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                for value in INJECTIONS:
                    if cell.value == escape_formula(value):
                        assert cell.data_type == "s"
                        found.add(value)
    assert found == set(INJECTIONS)
    assert escape_formula("=HYPERLINK(1)") == "'=HYPERLINK(1)"


def test_movement_sheets_when_history_exists(tmp_path: Path, moved: ReportData) -> None:
    from ltpgap.reports import write_xlsx

    book = openpyxl.load_workbook(write_xlsx(moved, tmp_path / "m.xlsx"))
    assert {"Movement", "Movement by chapter", "Changes", "Trend"} <= set(book.sheetnames)
    counts = {r["Place or ICS"]: r for r in _rows(book["Movement"])}
    assert counts["Luton"]["▲ improved"] == 1 and counts["Luton"]["▼ worse"] == 1
    assert counts[f"{moved.subject.name} (ICS RAG)"]["▶ no change"] == 1
    trend = _rows(book["Trend"])
    assert [r["Luton"] for r in trend] == [0.1, 0.15]
    assert [r["Snapshot"] for r in trend] == ["1: 1 April 2019", "2: 1 July 2019"]


def test_given_as_a_place_or_ics_workbook_it_is_named_for_what_it_is(
    rendered: dict[str, Path], catalogue: Any
) -> None:
    """Read as a place workbook (check, recompute) or an ICS workbook (rollup, report), the
    summary workbook is refused as what it is, not as a broken workbook."""
    from ltpgap.issues import LtpgapError
    from ltpgap.merge import read_ics_workbook
    from ltpgap.workbook import read_workbook

    summary = rendered["xlsx"]
    for read in (
        lambda: read_workbook(summary, catalogue=catalogue),
        lambda: read_ics_workbook(summary),
    ):
        with pytest.raises(LtpgapError) as caught:
            read()
        (issue,) = caught.value.issues
        assert issue.code == "report-workbook" and issue.severity.value == "error"
        assert "summary workbook written by `ltpgap report`" in issue.message
        assert issue.where.file == str(summary)


def test_picked_up_with_the_place_workbooks_it_is_left_out_of_the_merge(
    rendered: dict[str, Path], luton_workbook: Path, catalogue: Any, blmk: Any, tmp_path: Path
) -> None:
    """`ltpgap merge out/*.xlsx` after a report: the summary workbook beside the place
    workbooks holds no inputs; the merge goes on without it and says so (a warning)."""
    from ltpgap.merge import merge_workbooks

    summary = rendered["xlsx"]
    before = summary.read_bytes()
    result = merge_workbooks(
        [luton_workbook, summary], out=tmp_path / "ICS.xlsx", catalogue=catalogue, ics=blmk
    )
    (note,) = [i for i in result.issues if i.code == "report-workbook"]
    assert note.severity.value == "warning" and note.where.file == str(summary)
    assert "left out of the merge" in note.message
    assert [s.unit_id for s in result.submitted()] == ["luton"] and result.skipped == ()
    assert summary.read_bytes() == before


def test_check_passes_over_it_with_a_warning(rendered: dict[str, Path]) -> None:
    """`ltpgap check out/*.xlsx` after a report: the summary workbook is named, not failed."""
    from typer.testing import CliRunner

    from ltpgap.cli import app

    done = CliRunner().invoke(app, ["check", str(rendered["xlsx"]), "--format", "json"])
    assert done.exit_code == 0, done.output
    (issue,) = json.loads(done.output)
    assert issue["code"] == "report-workbook" and issue["severity"] == "warning"
    assert "it was not checked" in issue["message"]
