"""The `Summary` sheet: the SPEC §6 place summary, by chapter and by programme area."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import Any

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue
from ltpgap.rag import summarise
from ltpgap.rag.summary import GroupBy
from ltpgap.schema import RAG_COLOURS, RAG_VALUES
from ltpgap.workbook import _styles as st
from ltpgap.workbook._cells import put_text, put_value
from ltpgap.workbook._heights import LINE_HEIGHT, fit_rows

__all__ = ["CHAPTER_TITLES", "SUMMARY_SHEET", "chapter_label", "write_summary"]

SUMMARY_SHEET = "Summary"

#: The seven chapters of the NHS Long Term Plan (January 2019).
CHAPTER_TITLES: dict[int, str] = {
    1: "A new service model for the 21st century",
    2: "More NHS action on prevention and health inequalities",
    3: "Further progress on care quality and outcomes",
    4: "NHS staff will get the backing they need",
    5: "Digitally-enabled care will go mainstream across the NHS",
    6: "Taxpayers' investment will be used to maximum effect",
    7: "Next steps",
}

_COUNT_HEADERS = (*RAG_VALUES, "Total", "% green", "% assessed", "Must-dos at Red")
_COUNT_KEYS = (*RAG_VALUES, "total", "pct_green", "pct_assessed", "must_do_red")


def chapter_label(chapter: object) -> str:
    """``2. More NHS action on prevention and health inequalities``."""
    try:
        number = int(float(str(chapter)))
    except ValueError:
        return str(chapter)
    title = CHAPTER_TITLES.get(number)
    return f"{number}. {title}" if title else str(number)


def _header_style(cell: Any, label: str) -> None:
    cell.font, cell.fill = st.HEADER_FONT, st.HEADER_FILLS["input"]
    if label in ("Red", "Amber", "Green"):
        fill, text = RAG_COLOURS[label]
        cell.font, cell.fill = st.font(bold=True, colour=text), st.solid(fill)
    cell.alignment, cell.border = st.HEADER_ALIGN, st.GRID


def _body_style(cell: Any, *, centred: bool, percent: bool) -> None:
    cell.font, cell.border = st.BODY, st.GRID
    cell.alignment = st.CENTRE_TOP if centred else st.WRAP_TOP
    if percent:
        cell.number_format = "0%"


def _header(ws: Worksheet, row: int, labels: Sequence[str], styles: st.StyleCache) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col)
        put_text(cell, label)
        kind = ("header", label if label in RAG_COLOURS else "")
        styles.apply(cell, kind, partial(_header_style, label=label))
    ws.row_dimensions[row].height = 2 * LINE_HEIGHT + 3


def _count_row(
    ws: Worksheet, row: int, label: str, record: pd.Series, styles: st.StyleCache
) -> None:
    first = ws.cell(row=row, column=1)
    put_text(first, label)
    styles.apply(first, ("label",), partial(_body_style, centred=False, percent=False))
    for col, key in enumerate(_COUNT_KEYS, start=2):
        value = record[key]
        cell = ws.cell(row=row, column=col)
        if isinstance(value, float) and math.isnan(value):
            put_text(cell, "–")  # nothing applicable: no percentage
        else:
            put_value(cell, float(value) if key.startswith("pct_") else int(value))
        percent = key.startswith("pct_")
        styles.apply(cell, ("count", percent), partial(_body_style, centred=True, percent=percent))


def _group_table(
    ws: Worksheet, row: int, title: str, by: GroupBy, frame: pd.DataFrame, catalogue: Catalogue
) -> int:
    put_text(ws.cell(row=row, column=1), title)
    ws.cell(row=row, column=1).font = st.HEADING
    table = summarise(frame, by, catalogue=catalogue)
    styles = st.StyleCache()
    _header(ws, row + 1, (title.removeprefix("By ").capitalize(), *_COUNT_HEADERS), styles)
    names = catalogue.programme_area_names
    for offset, (_, record) in enumerate(table.iterrows(), start=2):
        key = record[by]
        label = chapter_label(key) if by == "chapter" else names.get(str(key), str(key))
        _count_row(ws, row + offset, label, record, styles)
    return row + len(table) + 3


def _must_dos_at_red(ws: Worksheet, row: int, frame: pd.DataFrame, catalogue: Catalogue) -> None:
    put_text(ws.cell(row=row, column=1), "Must-dos at Red")
    ws.cell(row=row, column=1).font = st.HEADING
    red = frame[frame["must_do"].astype(bool) & (frame["rag"] == "Red")]
    if red.empty:
        put_text(ws.cell(row=row + 1, column=1), "None.")
        ws.cell(row=row + 1, column=1).font = st.BODY
        return
    _header(ws, row + 1, ("Commitment", "Reason"), st.StyleCache())
    ws.row_dimensions[row + 1].height = LINE_HEIGHT + 3
    ws.merge_cells(start_row=row + 1, start_column=2, end_row=row + 1, end_column=11)
    for offset, (_, rec) in enumerate(red.iterrows(), start=2):
        commitment = catalogue.get(str(rec["para"]))
        title = f"{rec['para']} {commitment.title}" if commitment else str(rec["para"])
        for col, value in enumerate((title, str(rec["reason"])), start=1):
            cell = ws.cell(row=row + offset, column=col)
            put_text(cell, value)
            cell.font, cell.alignment, cell.border = st.BODY, st.WRAP_TOP, st.GRID
        ws.merge_cells(start_row=row + offset, start_column=2, end_row=row + offset, end_column=11)
    fit_rows(ws, range(row + 2, row + 2 + len(red)), {"A": 48, "B": 110})


def write_summary(
    ws: Worksheet, frame: pd.DataFrame, catalogue: Catalogue, *, unit_name: str, as_of: str
) -> None:
    """Fill an empty Summary sheet from an assessment frame (one row per commitment)."""
    put_text(ws["A1"], f"Summary: {unit_name}" if unit_name else "Summary")
    ws["A1"].font = st.TITLE
    put_text(
        ws["A2"],
        (
            f"RAG as calculated by ltpgap ({as_of}). % green and % assessed are over the "
            "applicable commitments (N/A left out). Commitments assessed by the ICS team, "
            "regionally or nationally are N/A in a place's figures."
        ),
    )
    ws["A2"].font = st.NOTE
    ws.merge_cells("A2:K2")
    ws["A2"].alignment = st.WRAP_TOP
    fit_rows(ws, [2], {"A": 48 + 10 * 11})
    put_text(ws["A4"], "All commitments")
    ws["A4"].font = st.HEADING
    styles = st.StyleCache()
    _header(ws, 5, ("", *_COUNT_HEADERS), styles)
    overall = summarise(frame, None)
    _count_row(ws, 6, "All", overall.iloc[0], styles)
    row = _group_table(ws, 8, "By chapter", "chapter", frame, catalogue)
    row = _group_table(ws, row, "By programme area", "programme_area", frame, catalogue)
    _must_dos_at_red(ws, row, frame, catalogue)
    ws.column_dimensions["A"].width = 48
    for letter in "BCDEFGHIJK":
        ws.column_dimensions[letter].width = 11
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
