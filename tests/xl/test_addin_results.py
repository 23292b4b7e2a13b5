"""The add-in computes exactly what the command line computes, on the same workbook."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from addinkit import Client, bearer
from officejs import ExcelStandIn, as_python, payload_from_xlsx, text_columns

from ltpgap.catalogue import Catalogue
from ltpgap.layout import SUMMARY_FIRST_ROW as FIRST_ROW
from ltpgap.schema import HEADERS
from ltpgap.workbook import assess_workbook, recompute_workbook
from ltpgap.xl.scripts import PLACE_SHEETS

SCRIPT = "/xlwings/custom-scripts-call/"
RAG, REASON, CHECKS = (HEADERS.index(h) for h in ("RAG", "Reason", "Checks"))


def _cli_sheets(path: Path) -> tuple[list[list[object]], list[list[object]]]:
    """Gap analysis and Summary values as `ltpgap recompute` leaves them (openpyxl)."""
    recompute_workbook(path, backup=False)
    wb = openpyxl.load_workbook(path)
    gap = [[c.value for c in row] for row in wb["Gap analysis"].iter_rows()]
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    return gap, summary


def _norm(rows: list[list[object]], width: int) -> list[list[object]]:
    out = []
    for row in rows:
        cells = [as_python(v) for v in row[:width]] + [None] * max(0, width - len(row))
        cells = [round(v, 12) if isinstance(v, float) else v for v in cells]  # xlsx text
        out.append(cells)
    while out and all(v is None for v in out[-1]):
        out.pop()
    return out


def _via_server(client: Client, path: Path, who: str) -> ExcelStandIn:
    payload = payload_from_xlsx(path, include=PLACE_SHEETS)
    reply = client.post(SCRIPT + "recompute", json=payload, headers=bearer(who))
    assert reply.status_code == 200, reply.text
    excel = ExcelStandIn(payload, text_columns(path)).apply(reply.json()["actions"])
    assert excel.coerced == []
    return excel


def _same_as_the_command_line(
    client: Client, path: Path
) -> tuple[ExcelStandIn, list[list[object]]]:
    """Recompute in Excel on Luton's workbook, checked cell for cell against `ltpgap
    recompute` on a copy; the stand-in and its Gap analysis values."""
    excel = _via_server(client, path, "luton")
    (path.parent / "cli").mkdir()
    gap, _ = _cli_sheets(Path(shutil.copy(path, path.parent / "cli" / path.name)))
    addin = _norm(excel.values("Gap analysis"), len(HEADERS))
    assert addin == _norm(gap, len(HEADERS))
    return excel, addin


@pytest.mark.parametrize("unit", ["luton", "bedford", "blmk"])
def test_recompute_equals_the_command_line(
    client: Client, books: dict[str, Path], copy_book: Callable[[Path], Path], unit: str
) -> None:
    who = "ics" if unit == "blmk" else unit
    excel = _via_server(client, books[unit], who)
    gap, summary = _cli_sheets(copy_book(books[unit]))
    addin_gap = _norm(excel.values("Gap analysis"), len(HEADERS))
    assert addin_gap == _norm(gap, len(HEADERS))
    # The Summary from row 4 (rows 1-2 hold the title and the "recomputed at" note).
    addin_summary = _norm(excel.values("Summary")[FIRST_ROW - 1 :], 11)
    assert addin_summary == _norm(summary[FIRST_ROW - 1 :], 11)


def test_recompute_equals_assess_place(
    client: Client, books: dict[str, Path], catalogue: Catalogue
) -> None:
    """Row by row against ltpgap.rag.assess_place through the workbook reader."""
    excel = _via_server(client, books["luton"], "luton")
    expected = assess_workbook(books["luton"], catalogue=catalogue).assessment.frame
    rows = {str(r[0]): r for r in excel.values("Gap analysis")[1:]}
    for para, rag, reason in zip(
        expected["para"], expected["rag"], expected["reason"], strict=True
    ):
        assert (rows[para][RAG], rows[para][REASON]) == (rag, reason)
    assert {r[RAG] for r in rows.values()} >= {"Green", "Amber", "Red", "Not assessed", "N/A"}


def test_rows_in_any_order(
    client: Client, books: dict[str, Path], copy_book: Callable[[Path], Path]
) -> None:
    """Sorted rows are matched by Para: each row gets its own commitment's result."""
    path = copy_book(books["luton"])
    baseline = {str(r[0]): r for r in _via_server(client, path, "luton").values("Gap analysis")[1:]}
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    body.reverse()
    for i, row in enumerate(body, start=2):
        for j, value in enumerate(row, start=1):
            ws.cell(i, j).value = value
    wb.save(path)
    shuffled = _via_server(client, path, "luton").values("Gap analysis")[1:]
    assert str(shuffled[0][0]) == str(body[0][0])
    for row in shuffled:
        assert row[RAG : CHECKS + 1] == baseline[str(row[0])][RAG : CHECKS + 1]


def test_check_writes_only_the_checks_column(client: Client, books: dict[str, Path]) -> None:
    payload = payload_from_xlsx(books["luton"], include=PLACE_SHEETS)
    reply = client.post(SCRIPT + "check", json=payload, headers=bearer("luton")).json()
    writes = [a for a in reply["actions"] if a["func"] == "setValues"]
    assert len(writes) == 1
    assert (writes[0]["start_column"], writes[0]["column_count"]) == (CHECKS, 1)
    excel = ExcelStandIn(payload).apply(reply["actions"])
    checks = [r[CHECKS] for r in excel.values("Gap analysis")[1:]]
    assert any("Status" in str(c) or "value" in str(c) for c in checks)


def test_excels_total_row_is_left_alone(
    client: Client, books: dict[str, Path], copy_book: Callable[[Path], Path]
) -> None:
    """With Total Row ticked, Office.js gives the table's range with that row in it: it is
    Excel's sums, so Recompute leaves it as it was and every commitment gets what it gets
    without it (the command line likewise)."""
    path = copy_book(books["luton"])
    baseline = {str(r[0]): r for r in _via_server(client, path, "luton").values("Gap analysis")[1:]}
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    table = ws.tables["GapAnalysis"]
    last = ws.max_row + 1
    ws.cell(last, 1, "Total")
    ws.cell(last, HEADERS.index("Initiatives") + 1, 7)  # as Excel saves =SUBTOTAL(103, …)
    start, _, end = table.ref.partition(":")
    table.ref = f"{start}:{end.rstrip('0123456789')}{last}"
    table.totalsRowCount = 1
    wb.save(path)
    rows = _via_server(client, path, "luton").values("Gap analysis")[1:]
    total = next(r for r in rows if r[0] == "Total")
    assert all(v in ("", None) for v in total[RAG : CHECKS + 1])  # empty, as it was
    for row in rows:
        if row[0] != "Total":
            assert row[RAG : CHECKS + 1] == baseline[str(row[0])][RAG : CHECKS + 1]


def _with_total_row(path: Path) -> int:
    """Tick Total Row on the table (Excel's sums in Initiatives and Checks, as Excel saves
    =SUBTOTAL(103, …)); the sheet row it takes."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    table = ws.tables["GapAnalysis"]
    last = ws.max_row + 1
    ws.cell(last, 1, "Total")
    ws.cell(last, HEADERS.index("Initiatives") + 1, 7)
    ws.cell(last, CHECKS + 1, 12)
    start, _, end = table.ref.partition(":")
    table.ref = f"{start}:{end.rstrip('0123456789')}{last}"
    table.totalsRowCount = 1
    wb.save(path)
    return last


def test_rows_typed_under_excels_total_row_are_read_and_the_sums_left_alone(
    client: Client,
    books: dict[str, Path],
    copy_book: Callable[[Path], Path],
    catalogue: Catalogue,
) -> None:
    """Rows typed under the Total Row (the sheet unprotected) are rows, as on the command
    line: Recompute and Check in Excel give them the same cells and words as `ltpgap
    recompute`, and write nothing into the Total Row, whose sums stay as they were."""
    import xlwings as xw

    from ltpgap.xl.place import read_place

    path = copy_book(books["luton"])
    total = _with_total_row(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    again = ws.cell(3, 1).value
    ws.cell(total + 2, 1, again)  # a Para typed again under the sums, with an initiative
    ws.cell(total + 2, HEADERS.index("Initiatives") + 1, "Typed under the Total Row")
    ws.cell(total + 2, HEADERS.index("Status") + 1, "In place")
    ws.cell(total + 3, HEADERS.index("Title") + 1, "Local priority: frailty hub")
    wb.save(path)
    excel, addin = _same_as_the_command_line(client, path)
    assert addin[total - 1][0] == "Total" and addin[total - 1][CHECKS] == 12  # untouched
    assert addin[total - 1][RAG] is None and addin[total - 1][REASON] is None
    assert f"Para {again} appears again in row {total + 2}" in str(addin[total + 1][CHECKS])
    assert f"(Title in E{total + 3}) and no Para" in str(addin[total + 2][CHECKS])
    payload = payload_from_xlsx(path, include=PLACE_SHEETS)
    place = read_place(xw.Book(json=payload), catalogue)  # the problems in the message box
    assert [i.where.cell for i in place.issues if i.where.cell] == [
        f"A{total + 2}",
        f"A{total + 3}",
    ]
    reply = client.post(SCRIPT + "check", json=payload, headers=bearer("luton")).json()
    checked = ExcelStandIn(payload).apply(reply["actions"]).values("Gap analysis")
    assert checked[total - 1][CHECKS] == 12
    assert [r[CHECKS] for r in checked[total:]] == [
        r[CHECKS] for r in excel.values("Gap analysis")[total:]
    ]


def test_push_catalogue_stops_at_excels_total_row(
    client: Client, books: dict[str, Path], copy_book: Callable[[Path], Path]
) -> None:
    """Push catalogue adds and takes away rows of the table: with Excel's Total Row under
    them it would write over the sums, so it writes nothing and says how to go on."""
    path = copy_book(books["luton"])
    _with_total_row(path)
    payload = payload_from_xlsx(path, include=PLACE_SHEETS)
    reply = client.post(SCRIPT + "push_catalogue", json=payload, headers=bearer("luton"))
    assert reply.status_code == 422
    assert "Untick Total Row (Table Design), press Push catalogue" in reply.json()["detail"]


def test_rows_typed_below_the_table_are_read_as_the_command_line_reads_them(
    client: Client, books: dict[str, Path], copy_book: Callable[[Path], Path]
) -> None:
    """With the sheet unprotected, a planner can type under the table without Excel taking
    the rows in. The command line reads them (a row with a Para is a row; one with text only
    in catalogue columns is unread-row), so Recompute and Check in Excel do too: the same
    cells as `ltpgap recompute`, and the same words in the Checks column."""
    path = copy_book(books["luton"])
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    table = ws.tables["GapAnalysis"]
    last = ws.max_row
    title = HEADERS.index("Title") + 1
    ws.cell(last + 1, title, "Local priority: falls service")  # Excel took it into the table
    start, _, end = table.ref.partition(":")
    table.ref = table.autoFilter.ref = f"{start}:{end.rstrip('0123456789')}{last + 1}"
    ws.cell(last + 3, title, "Local priority: frailty hub")  # below, left out of the table
    again = ws.cell(3, 1).value
    ws.cell(last + 5, 1, again)  # a Para typed again, with an initiative, further down
    ws.cell(last + 5, HEADERS.index("Initiatives") + 1, "Typed below the table")
    ws.cell(last + 5, HEADERS.index("Status") + 1, "In place")
    wb.save(path)
    _, addin = _same_as_the_command_line(client, path)
    checks = {r: str(addin[r - 1][CHECKS]) for r in (last + 1, last + 3, last + 5)}
    assert "has text only in columns ltpgap fills from the catalogue (Title in " in checks[last + 1]
    assert f"(Title in E{last + 3}) and no Para, so it is not read" in checks[last + 3]
    assert f"Para {again} appears again in row {last + 5}" in checks[last + 5]
    payload = payload_from_xlsx(path, include=PLACE_SHEETS)
    reply = client.post(SCRIPT + "check", json=payload, headers=bearer("luton")).json()
    checked = ExcelStandIn(payload).apply(reply["actions"]).values("Gap analysis")
    assert [str(checked[r - 1][CHECKS]) for r in checks] == list(checks.values())


@pytest.mark.parametrize("unit", ["luton", "blmk"])
def test_problems_with_paras_are_worded_as_on_the_command_line(
    client: Client, books: dict[str, Path], copy_book: Callable[[Path], Path], unit: str
) -> None:
    """A row without a Para, a Para not in the catalogue, one typed twice, one typed as a
    number, Excel errors in the Para and in an input and (in the ICS team's workbook) a
    place-level Para: Recompute in Excel writes the same Checks, word for word, as `ltpgap
    recompute` (one wording each, shared), and the same results."""
    path = copy_book(books[unit])
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    col = {h: HEADERS.index(h) + 1 for h in ("Para", "Initiatives", "Status")}
    paras = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    edits = {
        2: {"Para": None, "Initiatives": "Falls service", "Status": "In place"},  # blank-para
        3: {"Para": "9.99"},  # unknown-para
        4: {"Para": paras[4]},  # duplicate-para (the row below's Para)
        7: {"Para": None},  # unread-row (its inputs are cleared below)
    }
    if unit == "blmk":  # a place-level Para in the ICS team's workbook
        luton = openpyxl.load_workbook(books["luton"])["Gap analysis"]
        edits[9] = {
            "Para": next(
                luton.cell(r, 1).value
                for r in range(2, luton.max_row + 1)
                if luton.cell(r, HEADERS.index("Level") + 1).value == "Place"
            )
        }
    for row, values in edits.items():
        for header, value in values.items():
            ws.cell(row, col[header]).value = value
    for j in range(col["Initiatives"], HEADERS.index("Override reason") + 2):
        ws.cell(7, j).value = None
    numbers = [float(p) for p in paras if re.fullmatch(r"\d+\.\d+", str(p))]
    trailing = next(  # '1.10' typed as the number 1.1, the only commitment with that number
        (r, str(p))
        for r, p in enumerate(paras[10:], start=12)
        if re.fullmatch(r"\d+\.\d+0", str(p)) and numbers.count(float(p)) == 1
    )
    ws.cell(trailing[0], col["Para"]).value = float(trailing[1])
    for row, header, error in ((8, "Status", "#N/A"), (10, "Para", "#REF!")):  # Excel errors
        ws.cell(row, HEADERS.index(header) + 1).value = error
        ws.cell(row, HEADERS.index(header) + 1).data_type = "e"
    wb.save(path)
    who = "ics" if unit == "blmk" else unit
    excel = _via_server(client, path, who)
    (path.parent / "cli").mkdir()
    gap, _ = _cli_sheets(Path(shutil.copy(path, path.parent / "cli" / path.name)))
    addin = _norm(excel.values("Gap analysis"), len(HEADERS))
    assert addin == _norm(gap, len(HEADERS))
    said = {r: str(addin[r - 1][CHECKS]) for r in (*edits, 6)}

    def said_in(row: int) -> str:
        return str(addin[row - 1][CHECKS])

    assert said[2].startswith("row 2 has values (Initiatives in J2, Status in K2")
    assert "but no Para" in said[2] and "(its Title is that of " in said[2]
    assert "Para '9.99' is not in catalogue" in said[3]
    assert f"Para {paras[4]} appears again in row 6 (first in row 4)" in said[6]
    assert "has text only in columns ltpgap fills from the catalogue" in said[7]
    assert said_in(8).endswith(
        "Status holds the Excel error #N/A (a broken formula or a deleted reference), not a "
        "value; it is kept and counts as blank. Replace it with the value meant."
    )
    assert said_in(10).startswith("the Para cell holds the Excel error #REF!; the row cannot")
    row, para = trailing
    assert str(addin[row - 1][0]) == str(float(para))  # as typed; read as the commitment's
    assert (
        f"stored as the number {float(para)!r}, not as text; it was read as '{para}' (the only "
        "catalogue commitment with that number)" in str(addin[row - 1][CHECKS])
    )
    assert addin[row - 1][RAG] not in (None, "")  # assessed, in Excel as on the command line
    if unit == "blmk":
        assert "-level commitment; the ICS team's workbook assesses only ICS-level ones" in said[9]
