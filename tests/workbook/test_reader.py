"""Reading place workbooks as people leave them: each bad input gives a located message and
nothing typed is lost."""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _fixtures as fx
import openpyxl
import pandas as pd
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.issues import Issue, LtpgapError, Where
from ltpgap.schema import COLUMNS, INPUT_KEYS
from ltpgap.workbook.reader import ExcelError, PlaceWorkbook, cell_locator, read_workbook


@pytest.fixture(scope="session")
def filled_base(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, blmk: IcsConfig
) -> Path:
    """Bedford's workbook from `ltpgap init`, filled with the sample inputs (read-only)."""
    return fx.filled_base_once(lambda: tmp_path_factory.mktemp("base"), catalogue, blmk)


_KEY = {c.header: c.key for c in COLUMNS}


def _same(a: object, b: object) -> bool:
    """Equal as a planner would see them (a date is a date, 2024 is 2024.0)."""
    if isinstance(a, dt.datetime) and a.time() == dt.time():
        a = a.date()
    if isinstance(b, dt.datetime) and b.time() == dt.time():
        b = b.date()
    return a == b or str(a) == str(b)


def assert_nothing_lost(
    path: Path, book: PlaceWorkbook, renamed: dict[str, str] | None = None
) -> None:
    """Every non-blank input cell (as openpyxl sees it) is in the frame, in the right row."""
    frame = book.inputs
    typed = fx.input_cells(path)
    assert typed, "the fixture should hold typed inputs"
    for (where, header), value in typed.items():
        key = _KEY[header]
        if where.startswith("row "):
            rows = frame[frame["row"] == int(where[4:])]
        else:
            rows = frame[frame["para"] == (renamed or {}).get(where, where)]
        assert len(rows) >= 1, f"{where} is missing from the inputs"
        assert _same(rows.iloc[0][key], value), (where, header, rows.iloc[0][key], value)


def _codes(book: PlaceWorkbook) -> list[str]:
    return [i.code for i in book.issues]


def _one(book: PlaceWorkbook, code: str) -> Issue:
    found = [i for i in book.issues if i.code == code]
    assert len(found) == 1, [str(i) for i in book.issues]
    return found[0]


def _at(issue: Issue) -> tuple[str | None, str | None]:
    return issue.where.sheet, issue.where.cell


@pytest.fixture
def read(catalogue: Catalogue) -> Callable[[Path], PlaceWorkbook]:
    def go(path: Path) -> PlaceWorkbook:
        return read_workbook(path, catalogue=catalogue)

    return go


def test_a_fresh_filled_workbook_reads_cleanly(filled_base: Path, read, catalogue) -> None:
    book = read(filled_base)
    assert book.issues == ()
    assert (book.unit_id, book.scope, book.sheet, book.header_row) == (
        "bedford",
        "place",
        "Gap analysis",
        1,
    )
    assert book.meta is not None and book.meta.intact and book.meta.unit_name == "Bedford Borough"
    assert list(book.inputs.columns) == ["para", "row", *INPUT_KEYS]
    assert list(book.inputs["para"]) == list(catalogue.ids)
    assert book.columns["para"] == "A" and book.columns["checks"] == "U"
    assert_nothing_lost(filled_base, book)


def test_reordered_and_sorted_rows(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.place_reordered_rows(filled_base, tmp_path)
    book, fresh = read(path), read(filled_base)
    assert book.issues == ()
    assert list(book.inputs["para"]) != list(fresh.inputs["para"])  # really reordered

    def by_para(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.drop(columns="row").sort_values("para").reset_index(drop=True)

    pd.testing.assert_frame_equal(by_para(book.inputs), by_para(fresh.inputs))
    assert_nothing_lost(path, book)


def test_a_deleted_row(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.place_deleted_row(filled_base, tmp_path, "3.10")
    book = read(path)
    issue = _one(book, "missing-para")
    assert issue.commitment == "3.10" and _at(issue) == ("Gap analysis", None)
    assert issue.where.file == str(path) and "3.10" in issue.message
    assert _codes(book) == ["missing-para"]
    assert_nothing_lost(path, book)


def test_an_inserted_row_without_para(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.place_inserted_row(filled_base, tmp_path)
    book = read(path)
    issue = _one(book, "blank-para")
    row = int(issue.where.cell[1:])
    assert _at(issue) == ("Gap analysis", f"A{row}")
    assert f"Initiatives in J{row}" in issue.message and f"Lead in N{row}" in issue.message
    kept = book.inputs[book.inputs["row"] == row].iloc[0]
    assert (kept["para"], kept["initiatives"], kept["lead"]) == (
        "",
        "New social prescribing link workers",
        "K Jones",
    )
    assert _codes(book) == ["blank-para"]
    assert_nothing_lost(path, book)


def test_extra_columns_are_kept(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.place_extra_column(filled_base, tmp_path)
    book = read(path)
    assert book.columns["status"] == "L" and book.columns["initiatives"] == "J"  # found by header
    assert book.extra_headers == ("Local RAG (draft)", "Notes from ICS", "Column Y")
    frame = book.inputs.set_index("para")
    assert frame.at["1.8", "Local RAG (draft)"] == "G"
    assert frame.at["3.10", "Notes from ICS"] == "Check with the CDC team"
    assert frame.at["2.10", "Column Y"] == "stray note"
    located = {i.where.cell for i in book.issues if i.code == "extra-column"}
    assert located == {"K1", "W1", "Y1"} and set(_codes(book)) == {"extra-column"}
    assert_nothing_lost(path, book)


def test_sheets_of_the_places_own_are_named(filled_base: Path, tmp_path: Path, read) -> None:
    """A sheet the template does not have, with values in it, is not read and not merged:
    a note names it. One only formatted (or holding spaces) is nothing to report."""
    book = read(fx.place_own_sheets(filled_base, tmp_path))
    note = _one(book, "extra-sheet")
    assert (note.severity.value, _at(note)) == ("info", ("Action plan", None))
    assert "'Action plan' (6 filled cell(s))" in note.message
    assert "a merge does not copy it" in note.message
    assert set(_codes(book)) == {"extra-sheet"}


@pytest.mark.parametrize(
    ("make", "sheet", "header_row", "para_col"),
    [
        (fx.place_renamed_sheet, "Bedford gaps 2024", 1, "A"),
        (fx.place_moved_table, "Working copy", 4, "C"),
    ],
    ids=["renamed-sheet", "moved-table-no-Table"],
)
def test_renamed_sheet_and_moved_table(
    filled_base: Path,
    tmp_path: Path,
    read,
    make,
    sheet: str,
    header_row: int,
    para_col: str,
) -> None:
    path = make(filled_base, tmp_path)
    book = read(path)
    assert (book.sheet, book.header_row, book.columns["para"]) == (sheet, header_row, para_col)
    assert book.issues == ()
    row = int(book.inputs.set_index("para").at["3.10", "row"])
    locate = cell_locator(book)
    assert locate("3.10", "status") == Where(
        file=str(path), sheet=sheet, cell=f"{book.columns['status']}{row}"
    )
    assert_nothing_lost(path, book)


def test_unknown_duplicated_and_missing_paras(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.place_retyped_paras(filled_base, tmp_path)
    book = read(path)
    rows = {p: r for p, r in zip(book.inputs["para"], book.inputs["row"], strict=True)}
    found = {(i.code, i.commitment, i.where.cell) for i in book.issues}
    assert found == {
        ("unknown-para", "9.1", f"A{rows['9.1']}"),
        ("duplicate-para", "1.9", "A4"),  # 1.8b's row (3) came first, so row 4 is the copy
        ("missing-para", "3.10", None),
        ("missing-para", "1.8b", None),
    }
    dup = next(i for i in book.issues if i.code == "duplicate-para")
    assert "first in row 3" in dup.message and dup.severity.value == "error"
    assert_nothing_lost(path, book, renamed={"3.10": "9.1"})


def test_ics_scope_inferred_without_metadata(tmp_path: Path, catalogue, blmk, read) -> None:
    import openpyxl

    from ltpgap.workbook.builder import build_workbook

    path = build_workbook(catalogue, blmk, "blmk", scope="ics", out_path=tmp_path / "blmk.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb["_ltpgap"]
    ws = wb["Gap analysis"]
    ws.cell(ws.max_row + 1, 1, next(c.id for c in catalogue if c.level == "place"))
    ws.cell(ws.max_row, 10, "A place-level initiative")
    wb.save(path)
    book = read(path)
    assert (book.scope, book.unit_id) == ("ics", "blmk")
    assert {i.code for i in book.issues} == {"no-metadata", "unknown-para"}
    assert "ICS-level" in next(i.message for i in book.issues if i.code == "unknown-para")


def test_merged_cells_over_inputs(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.place_merged_inputs(filled_base, tmp_path)
    book = read(path)
    issue = _one(book, "merged-input-cells")
    assert _at(issue) == ("Gap analysis", "N2:N4") and issue.commitment == "1.8"
    assert "1.8b, 1.9" in issue.message
    assert book.inputs.set_index("para").at["1.8", "lead"] == "Dr A Patel"
    assert_nothing_lost(path, book)


def test_error_cells_and_the_text_na(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.place_error_cells(filled_base, tmp_path)
    book = read(path)
    errors = {
        (i.commitment, i.where.cell, i.where.sheet) for i in book.issues if i.code == "error-cell"
    }
    rows = book.inputs.set_index("para")
    assert errors == {
        ("1.10", f"K{rows.at['1.10', 'row']}", "Gap analysis"),
        ("2.10", f"N{rows.at['2.10', 'row']}", "Gap analysis"),
    }
    assert (
        isinstance(rows.at["1.10", "status"], ExcelError) and rows.at["1.10", "status"] == "#REF!"
    )
    assert isinstance(rows.at["2.10", "lead"], ExcelError) and rows.at["2.10", "lead"] == "#N/A"
    text = rows.at["6.10", "evidence"]  # typed as text: kept, not an error
    assert text == "#N/A" and type(text) is str
    assert_nothing_lost(path, book)


def test_formulas_never_calculated_are_kept_as_typed(
    filled_base: Path, tmp_path: Path, read
) -> None:
    """A formula saved without its value (openpyxl, a script) would read as blank: it is kept
    as its formula text and reported; a formula saved with its value reads as that value."""
    path = fx.place_uncomputed_formulas(filled_base, tmp_path)
    book = read(path)
    rows = book.inputs.set_index("para")
    found = {i.commitment: i for i in book.issues if i.code == "uncomputed-formula"}
    assert set(found) == {"1.10", "2.10"}
    assert _at(found["1.10"]) == ("Gap analysis", f"J{rows.at['1.10', 'row']}")
    assert _at(found["2.10"]) == ("Gap analysis", f"K{rows.at['2.10', 'row']}")
    assert found["1.10"].message == (
        'Initiatives holds the formula ="Falls " & "service", which was never calculated, so '
        "it has no value; the formula is kept as text. Open the workbook in Excel or "
        "LibreOffice, let it calculate, and save it; or type the value itself."
    )
    assert rows.at["1.10", "initiatives"] == '="Falls " & "service"'
    assert rows.at["2.10", "status"] == '=IF(TRUE(),"In place","None")'
    assert rows.at["3.10", "evidence"] == 2  # its saved value, as Excel shows it
    typed = fx.input_cells(path)  # openpyxl's view: each formula as typed
    assert typed[("1.10", "Initiatives")] == rows.at["1.10", "initiatives"]
    assert typed[("2.10", "Status")] == rows.at["2.10", "status"]


def test_rows_with_text_only_in_catalogue_columns_are_named(
    filled_base: Path, tmp_path: Path, read
) -> None:
    """A local priority typed under the table (Title only) and a row whose Para was deleted
    hold no input, so nothing of them reaches the ICS workbook: each is named at its row,
    the second with the Para its Title gives away."""
    where: dict[str, int] = {}

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Gap analysis"]
        header = [c.value for c in ws[1]]
        inputs = [header.index(h) + 1 for h in ("Initiatives", "Status", "Lead")]
        untouched = next(
            r for r in range(2, ws.max_row + 1) if all(ws.cell(r, c).value is None for c in inputs)
        )
        where["untouched"], where["para"] = untouched, ws.cell(untouched, 1).value
        ws.cell(untouched, 1).value = None
        where["below"] = ws.max_row + 2
        ws.cell(where["below"], header.index("Title") + 1, "Local priority: frailty hub")

    path = fx._edit(filled_base, tmp_path, change)
    book = read(path)
    assert sorted(_codes(book)) == ["missing-para", "unread-row", "unread-row"]
    by_row = {int(i.where.cell[1:]): i for i in book.issues if i.code == "unread-row"}
    deleted, below = by_row[where["untouched"]], by_row[where["below"]]
    para, row = where["para"], where["untouched"]
    assert _at(deleted) == ("Gap analysis", f"A{row}") and deleted.severity.value == "warning"
    assert f"Title in E{row}" in deleted.message
    assert f"Its Title is that of {para}: if its Para was deleted, type {para} in A{row}" in (
        deleted.message
    )
    assert below.message.startswith(
        f"row {where['below']} has text only in columns ltpgap fills from the catalogue "
        f"(Title in E{where['below']}) and no Para"
    )
    assert "Initiatives cell of the commitment it delivers" in below.message
    assert _one(book, "missing-para").commitment == para
    assert_nothing_lost(path, book)


@pytest.mark.parametrize("edited", [True, False], ids=["kept-up-to-date", "untouched"])
def test_a_copy_of_the_gap_analysis_sheet_is_named_with_its_differences(
    filled_base: Path, tmp_path: Path, read, edited: bool
) -> None:
    """Right-click › Move or Copy › Create a copy: a place that then keeps the copy up to date
    would have its stale table merged. The copy is a warning, with the cells that differ."""
    where: dict[str, str] = {}

    def change(wb: openpyxl.Workbook) -> None:
        copy = wb.copy_worksheet(wb["Gap analysis"])
        copy.title = "Gap analysis (2)"
        if edited:
            header = [c.value for c in copy[1]]
            j = header.index("Initiatives") + 1
            copy.cell(4, j).value = "Updated on the copy"
            where["cell"] = f"{openpyxl.utils.get_column_letter(j)}4"

    path = fx._edit(filled_base, tmp_path, change)
    book = read(path)
    issue = _one(book, "gap-table-copy")
    assert _at(issue) == ("Gap analysis (2)", None) and issue.severity.value == "warning"
    assert "holds a second Gap analysis table (headers in row 1)" in issue.message
    if edited:
        assert f"1 of its input cell(s) differ from 'Gap analysis' ({where['cell']})" in (
            issue.message
        )
    else:
        assert "its inputs are the same as on 'Gap analysis'" in issue.message
    assert "extra-sheet" not in _codes(book)
    assert_nothing_lost(path, book)


def test_a_formula_below_every_value_is_kept_too(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.place_formula_below_table(filled_base, tmp_path)
    book = read(path)
    issue = _one(book, "uncomputed-formula")
    row = int(issue.where.cell[1:])
    kept = book.inputs[book.inputs["row"] == row]
    assert issue.where.cell.startswith("J") and kept["initiatives"].tolist() == [
        '="Late " & "entry"'
    ]
    assert kept["para"].tolist() == [""]  # a row without a Para: kept, and reported
    assert _one(book, "blank-para").where.cell.endswith(str(row))


def test_dates_typed_as_text_are_kept_raw(filled_base: Path, read) -> None:
    rows = read(filled_base).inputs.set_index("para")["expected_delivery"]
    assert (rows["1.10"], rows["2.10"], rows["3.10"]) == ("31/03/2024", "2023/24", "Q4 23/24")
    assert _same(rows["1.8"], dt.date(2020, 3, 31))
    assert read(filled_base).inputs.set_index("para").at["3.10", "status"] == " in progress "


def test_para_stored_as_a_number(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.place_para_as_number(filled_base, tmp_path)
    book = read(path)
    found = {i.commitment: i for i in book.issues if i.code == "para-as-number"}
    assert set(found) == {"3.10", "3.90"} and set(_codes(book)) == {"para-as-number"}
    assert "only catalogue commitment" in found["3.10"].message
    assert "2 decimals" in found["3.90"].message
    assert found["3.10"].where.cell.startswith("A")
    assert_nothing_lost(path, book, renamed={"#3.1": "3.10", "#3.9": "3.90"})


def test_reader_never_opens_the_file_again_after_the_gate(
    filled_base: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    """Everything after the gate (cell values, number formats) comes from the checked bytes:
    a file swapped or removed after the check cannot reach the parser."""
    from ltpgap.workbook.gate import inspect_workbook
    from ltpgap.workbook.reader import _read

    path = fx.place_para_as_number(filled_base, tmp_path)
    inspection = inspect_workbook(path)
    assert inspection.passed and inspection.data is not None
    path.write_bytes(b"swapped after the gate")
    _, _, rows, issues = _read(str(path), inspection, catalogue)
    assert len(rows.frame) > 100
    path.unlink()
    _, _, rows, issues = _read(str(path), inspection, catalogue)
    decimals = [i for i in issues if i.code == "para-as-number" and "2 decimals" in i.message]
    assert len(rows.frame) > 100 and decimals


def test_ambiguous_number_is_reported_not_guessed(
    filled_base: Path,
    tmp_path: Path,
    read,
) -> None:
    import openpyxl

    path = fx.place_para_as_number(filled_base, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == 3.9)
    ws.cell(row, 1).number_format = "General"  # now 3.9 could be 3.9 or 3.90
    wb.save(path)
    book = read(path)
    issue = next(i for i in book.issues if i.code == "para-as-number" and i.commitment == "3.9")
    assert "3.9, 3.90" in issue.message
    assert {i.code for i in book.issues if i.commitment in {"3.9", "3.90"}} >= {
        "duplicate-para",
        "missing-para",
    }


def test_metadata_unhidden_and_edited(filled_base: Path, tmp_path: Path, read) -> None:
    book = read(fx.metadata_edited(filled_base, tmp_path))
    edited = _one(book, "metadata-edited")
    assert _at(edited) == ("_ltpgap", None)
    assert "unhidden" in edited.message and "checksum" in edited.message
    assert book.meta is not None and not book.meta.intact and book.unit_id == "luton"
    conflict = _one(book, "place-name-conflict")
    assert _at(conflict) == ("_ltpgap", "B4")
    assert "bedford.xlsx" in conflict.message and "luton" in conflict.message


def test_metadata_only_unhidden(filled_base: Path, tmp_path: Path, read) -> None:
    book = read(fx.metadata_edited(filled_base, tmp_path, edit=False))
    assert _codes(book) == ["metadata-edited"]
    assert book.meta is not None and book.meta.intact and book.unit_id == "bedford"


def test_metadata_missing(filled_base: Path, tmp_path: Path, read) -> None:
    path = fx.metadata_missing(filled_base, tmp_path)
    book = read(path)
    issue = _one(book, "no-metadata")
    assert issue.where == Where(file=str(path))
    assert (book.meta, book.unit_id, book.scope) == (None, "bedford", "place")
    assert_nothing_lost(path, book)


def test_file_named_after_another_place(filled_base: Path, tmp_path: Path, read) -> None:
    book = read(fx.renamed_file(filled_base, tmp_path, "luton.xlsx"))
    issue = _one(book, "place-name-conflict")
    assert "luton.xlsx" in issue.message and "'bedford'" in issue.message
    assert book.unit_id == "bedford"


@pytest.mark.parametrize(
    "make", [fx.place_merged_inputs, fx.place_error_cells, fx.metadata_edited, fx.hostile_far_cell]
)
def test_reading_never_modifies_the_file(filled_base: Path, tmp_path: Path, make) -> None:
    path = make(filled_base, tmp_path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with contextlib.suppress(LtpgapError):  # a refused file must be untouched too
        read_workbook(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_read_without_a_catalogue_skips_para_checks(filled_base: Path, tmp_path: Path) -> None:
    book = read_workbook(fx.place_deleted_row(filled_base, tmp_path))
    assert book.issues == ()  # nothing to compare with, so no missing-para


def test_ics_team_workbook_scope(tmp_path: Path, catalogue, blmk, read) -> None:
    from ltpgap.workbook.builder import build_workbook

    path = build_workbook(catalogue, blmk, "blmk", scope="ics", out_path=tmp_path / "blmk.xlsx")
    book = read(path)
    assert (book.scope, book.unit_id, book.issues) == ("ics", "blmk", ())
    assert set(book.inputs["para"]) == {c.id for c in catalogue if c.level == "ics"}


def test_cell_locator_falls_back_to_the_sheet(filled_base: Path, read) -> None:
    book = read(filled_base)
    locate = cell_locator(book)
    assert locate("1.8", "lead") == Where(file=str(filled_base), sheet="Gap analysis", cell="N2")
    assert locate("9.99", "lead") == Where(file=str(filled_base), sheet="Gap analysis")


def test_reading_is_fast(filled_base: Path, catalogue) -> None:
    times = []
    for _ in range(7):
        start = time.process_time()
        read_workbook(filled_base, catalogue=catalogue)
        times.append(time.process_time() - start)
    assert statistics.median(times) < 0.25  # ~15 ms on a quiet laptop for 190 rows


@pytest.mark.parametrize(
    "name",
    ["Bedford.xlsx", "LTP gap analysis - Bedford Borough v3 FINAL.xlsx", "bedford (2).xlsx"],
)
def test_a_file_name_that_mentions_its_place_is_no_conflict(
    filled_base: Path, tmp_path: Path, read, name: str
) -> None:
    """Files come back named as people name them: mentioning the place is enough."""
    book = read(fx.renamed_file(filled_base, tmp_path, name))
    assert "place-name-conflict" not in _codes(book)


def test_a_column_of_the_places_own_headed_row_keeps_the_row_numbers(
    filled_base: Path, tmp_path: Path, read
) -> None:
    """'row' is also the name the reader keeps each input's Excel row under: a column of the
    place's own headed so is kept under its letter, and the rows stay where they are."""

    def change(wb: Any) -> None:
        ws = wb["Gap analysis"]
        last = ws.max_column + 1
        ws.cell(1, last, "row")
        ws.cell(fx.para_rows(ws)["3.10"], last, "see row 40")

    path = fx._edit(filled_base, tmp_path, change)
    book = read(path)
    [own] = book.extra_headers
    assert own.startswith("row (") and own != "row"
    frame = book.inputs.set_index("para")
    assert frame.at["3.10", own] == "see row 40"
    assert (
        frame.at["3.10", "row"]
        == fx.para_rows(openpyxl.load_workbook(path)["Gap analysis"])["3.10"]
    )
    assert_nothing_lost(path, book)


def test_excels_total_row_is_not_a_commitment(filled_base: Path, tmp_path: Path, read) -> None:
    """Ticking Total Row (Table Design) adds a last table row, 'Total', of Excel's sums: it is
    not read as inputs and not reported as an unknown Para; every row above it reads as
    before."""
    path = fx.place_total_row(filled_base, tmp_path)
    book = read(path)
    assert book.issues == ()
    assert "Total" not in list(book.inputs["para"])
    before = read(filled_base).inputs
    pd.testing.assert_frame_equal(book.inputs, before)
