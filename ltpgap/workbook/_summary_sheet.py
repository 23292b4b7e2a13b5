"""The `Summary` sheet: the SPEC §6 place summary, by chapter and by programme area.

The values and their layout come from :func:`ltpgap.layout.summary_layout` (shared with the
Excel add-in); this module only styles them with openpyxl.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue
from ltpgap.layout import (
    CHAPTER_TITLES,
    COUNT_KEYS,
    SUMMARY_FIRST_ROW,
    SUMMARY_SHEET,
    SUMMARY_WIDTH,
    SummaryRow,
    chapter_label,
    summary_layout,
    summary_title,
)
from ltpgap.schema import RAG_COLOURS
from ltpgap.workbook import _styles as st
from ltpgap.workbook._cells import put_text, put_value
from ltpgap.workbook._heights import LINE_HEIGHT, fit_rows

__all__ = ["CHAPTER_TITLES", "SUMMARY_SHEET", "chapter_label", "write_summary"]


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


def _header(ws: Worksheet, row: int, labels: Sequence[object], styles: st.StyleCache) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col)
        text = str(label)
        put_text(cell, text)
        kind = ("header", text if text in RAG_COLOURS else "")
        styles.apply(cell, kind, partial(_header_style, label=text))
    ws.row_dimensions[row].height = 2 * LINE_HEIGHT + 3


def _count_row(ws: Worksheet, row: int, values: Sequence[object], styles: st.StyleCache) -> None:
    first = ws.cell(row=row, column=1)
    put_text(first, str(values[0]))
    styles.apply(first, ("label",), partial(_body_style, centred=False, percent=False))
    for col, (key, value) in enumerate(zip(COUNT_KEYS, values[1:], strict=True), start=2):
        cell = ws.cell(row=row, column=col)
        put_value(cell, value)  # "–" where nothing is applicable: no percentage
        percent = key.startswith("pct_")
        styles.apply(cell, ("count", percent), partial(_body_style, centred=True, percent=percent))


def _put_row(ws: Worksheet, row: int, line: SummaryRow, styles: st.StyleCache) -> None:
    """Write and style one layout row."""
    if line.kind == "heading":
        put_text(ws.cell(row=row, column=1), str(line.values[0]))
        ws.cell(row=row, column=1).font = st.HEADING
    elif line.kind in ("header", "list-header"):
        _header(ws, row, line.values, styles)
    elif line.kind == "count":
        _count_row(ws, row, line.values, styles)
    elif line.kind == "note":
        put_text(ws.cell(row=row, column=1), str(line.values[0]))
        ws.cell(row=row, column=1).font = st.BODY
    elif line.kind == "list":
        for col, value in enumerate(line.values, start=1):
            cell = ws.cell(row=row, column=col)
            put_text(cell, str(value))
            cell.font, cell.alignment, cell.border = st.BODY, st.WRAP_TOP, st.GRID
    if line.kind == "list-header":
        ws.row_dimensions[row].height = LINE_HEIGHT + 3
    if line.kind in ("list-header", "list"):
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=SUMMARY_WIDTH)


def write_summary(
    ws: Worksheet, frame: pd.DataFrame, catalogue: Catalogue, *, unit_name: str, as_of: str
) -> None:
    """Fill an empty Summary sheet from an assessment frame (one row per commitment)."""
    put_text(ws["A1"], summary_title(unit_name))
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
    layout = summary_layout(frame, catalogue)
    styles = st.StyleCache()
    for offset, line in enumerate(layout.rows):
        _put_row(ws, SUMMARY_FIRST_ROW + offset, line, styles)
    listed = [SUMMARY_FIRST_ROW + i for i, line in enumerate(layout.rows) if line.kind == "list"]
    if listed:
        fit_rows(ws, listed, {"A": 48, "B": 110})
    ws.column_dimensions["A"].width = 48
    for letter in "BCDEFGHIJK":
        ws.column_dimensions[letter].width = 11
    ws.sheet_view.showGridLines = False
    st.fit_to_a4(ws, "landscape")
    ws.protection.sheet = True
