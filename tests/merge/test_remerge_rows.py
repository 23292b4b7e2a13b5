"""Merging again: every input cell changed is listed, in a row of a Para typed twice, in a
row without a Para and in a column of the place's own, each with its cell; re-sorting such
rows changes nothing."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from mergekit import HEADER, copy_books, sheet_rows, type_inputs

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.merge import merge_workbooks

LUTON = {"1.8": {"status": "In progress", "lead": "Ann"}, "2.9": {"status": "None"}}


@pytest.fixture
def luton(tmp_path: Path, blanks: dict[str, Path]) -> Path:
    """Luton's workbook with a few inputs typed."""
    path = copy_books(blanks, tmp_path / "books")["luton"]
    type_inputs(path, LUTON)
    return path


def _merge(book: Path, cat1: Catalogue, ics: IcsConfig) -> list[tuple[str, str, str]]:
    """Merge ``book`` into ICS.xlsx beside it: its input-changed rows on Checks as (Para,
    Cell, Message)."""
    out = book.parent / "ICS.xlsx"
    merge_workbooks([book], out=out, catalogue=cat1, ics=ics, now=datetime(2024, 1, 1))
    rows = [r for r in sheet_rows(out, "Checks") if r["Code"] == "input-changed"]
    assert all((r["Workbook"], r["Sheet"]) == ("luton.xlsx", "Gap analysis") for r in rows)
    return sorted((r["Para"] or "", r["Cell"] or "", r["Message"]) for r in rows)


def _letter(ws: openpyxl.worksheet.worksheet.Worksheet, header: str) -> str:
    return next(c.column_letter for c in ws[1] if c.value == header)


def _append(book: Path, rows: list[Mapping[str, object]]) -> list[int]:
    """Rows added under the table (input key or a header of the place's own → value): their
    Excel rows."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Gap analysis"]
    added = []
    for values in rows:
        n = ws.max_row + 1
        for key, value in values.items():
            ws[f"{_letter(ws, HEADER.get(key, key))}{n}"] = value
        added.append(n)
    wb.save(book)
    return added


def _set(book: Path, cells: Mapping[str, object]) -> None:
    wb = openpyxl.load_workbook(book)
    for cell, value in cells.items():
        wb["Gap analysis"][cell] = value
    wb.save(book)


def _delete_row(book: Path, row: int) -> None:
    wb = openpyxl.load_workbook(book)
    wb["Gap analysis"].delete_rows(row)
    wb.save(book)


def test_a_second_row_of_a_para_is_listed_when_added_changed_and_deleted(
    luton: Path, cat1: Catalogue, ics: IcsConfig
) -> None:
    """A Para typed twice is refused for the RAG (duplicate-para), but its second row is on
    Place data, so each of its cells changed is listed too, at that row."""
    _merge(luton, cat1, ics)
    (n,) = _append(luton, [{"para": "1.8", "initiatives": "Dup initiative", "lead": "Dup ONE"}])
    since = "since the previous merge:"
    assert _merge(luton, cat1, ics) == [
        ("1.8", f"J{n}", f"Luton, 1.8, Initiatives changed {since} (blank) → 'Dup initiative'."),
        ("1.8", f"N{n}", f"Luton, 1.8, Lead changed {since} (blank) → 'Dup ONE'."),
    ]
    _set(luton, {f"N{n}": "Dup TWO"})
    assert _merge(luton, cat1, ics) == [
        ("1.8", f"N{n}", f"Luton, 1.8, Lead changed {since} 'Dup ONE' → 'Dup TWO'."),
    ]
    _delete_row(luton, n)
    gone = f"(row {n} is no longer in the workbook; 1.8 is still in row 2)."
    assert _merge(luton, cat1, ics) == [
        ("1.8", "", f"Luton, 1.8, Initiatives cleared {since} 'Dup initiative' → (blank) {gone}"),
        ("1.8", "", f"Luton, 1.8, Lead cleared {since} 'Dup TWO' → (blank) {gone}"),
    ]


def test_changes_in_a_row_without_para_and_in_an_own_column_name_their_cell(
    luton: Path, cat1: Catalogue, ics: IcsConfig
) -> None:
    """Each input-changed row names the cell of the place's new workbook, whatever the column
    (the place's own ones too) and whether or not the row has a Para."""
    type_inputs(luton, LUTON, extra=("My notes", {"1.8": "note v1"}))
    (n,) = _append(luton, [{"initiatives": "No Para v1"}])
    _merge(luton, cat1, ics)
    wb = openpyxl.load_workbook(luton)
    notes = _letter(wb["Gap analysis"], "My notes")
    row = {c.value: c.row for c in wb["Gap analysis"]["A"]}["1.8"]
    _set(luton, {f"{notes}{row}": "note v2", f"J{n}": "No Para v2"})
    since = "since the previous merge:"
    assert _merge(luton, cat1, ics) == [
        ("", f"J{n}", f"Luton, row {n}, Initiatives changed {since} 'No Para v1' → 'No Para v2'."),
        ("1.8", f"{notes}{row}", f"Luton, 1.8, My notes changed {since} 'note v1' → 'note v2'."),
    ]


def test_resorting_rows_without_para_or_of_a_repeated_para_changes_nothing(
    luton: Path, cat1: Catalogue, ics: IcsConfig
) -> None:
    """Rows without a Para, and a Para's repeated rows, are matched among themselves by what
    they hold: sorted into other rows, they show no change; a real edit of one still shows,
    at the row it is now in."""
    _append(
        luton,
        [
            {"initiatives": "Local priority A"},
            {"initiatives": "Local priority B", "lead": "Cy"},
            {"para": "1.8", "lead": "Dup"},
        ],
    )
    _merge(luton, cat1, ics)
    type_inputs(luton, {}, shuffle=random.Random(7))
    assert _merge(luton, cat1, ics) == []
    wb = openpyxl.load_workbook(luton)
    at = {c.value: c.row for c in wb["Gap analysis"]["J"]}["Local priority B"]
    _set(luton, {f"N{at}": "Dee"})
    type_inputs(luton, {}, shuffle=random.Random(8))
    wb = openpyxl.load_workbook(luton)
    at = {c.value: c.row for c in wb["Gap analysis"]["J"]}["Local priority B"]
    assert _merge(luton, cat1, ics) == [
        ("", f"N{at}", f"Luton, row {at}, Lead changed since the previous merge: 'Cy' → 'Dee'."),
    ]
