"""Push into a workbook without a Gap analysis sheet: add it, its Summary and its metadata.

What ``ltpgap init`` builds, as far as the ``xlwings.Book`` API reaches: the table with its
header, one row per commitment with the catalogue columns filled, Para as text, RAG colours as
conditional formats, dropdowns for the choice columns (where the runtime supports them), a
Summary sheet and the hidden ``_ltpgap`` metadata sheet. Sheet protection and print set-up are
left to Excel (``ltpgap init`` gives the full template).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

import pandas as pd

from ltpgap.catalogue import Catalogue
from ltpgap.layout import (
    DATA_SHEET,
    LISTS,
    META_KEYS,
    META_SHEET,
    SUMMARY_FIRST_ROW,
    SUMMARY_SHEET,
    SUMMARY_WIDTH,
    TABLE_NAME,
    catalogue_values,
    new_meta,
    summary_title,
)
from ltpgap.rag import assess_place, rag_counts
from ltpgap.schema import COLUMNS, HEADERS, RAG_COLOURS, RAG_VALUES
from ltpgap.xl._cells import column_letter, grid_text, keep_text, pad_grid
from ltpgap.xl._sheet import find_sheet
from ltpgap.xl.operations import Authorize, Outcome
from ltpgap.xl.rights import current_identity
from ltpgap.xl.summary import summary_block

if TYPE_CHECKING:
    import xlwings as xw

__all__ = ["add_gap_sheet", "new_unit_id"]

_COL = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
_LISTS = {key: values for _name, _header, values, key in LISTS}


def new_unit_id(book: xw.Book, unit_id: str | None) -> str:
    """The place a new sheet is for: given, else the caller's only place, else the file name."""
    if unit_id:
        return unit_id
    identity = current_identity()
    if identity is not None and len(identity.units) == 1 and "*" not in identity.units:
        return next(iter(identity.units))
    return PurePath(str(book.name)).stem


def _rows(catalogue: Catalogue, frame: pd.DataFrame) -> list[list[object]]:
    computed = frame.set_index("para")
    rows: list[list[object]] = [list(HEADERS)]
    for c in catalogue:
        shown = catalogue_values(c, catalogue)
        row: list[object] = []
        for column in COLUMNS:
            if column.group == "catalogue":
                value = shown[column.key]
                row.append(value if column.key == "para" else keep_text(value))
            elif column.group == "input":
                row.append(None)
            else:
                row.append(grid_text(str(computed.at[c.id, column.key] or "")))
        rows.append(row)
    return rows


def _meta_rows(catalogue: Catalogue, unit_id: str) -> list[list[object]]:
    values = new_meta(
        catalogue,
        unit_id=unit_id,
        scope="place",
        unit_name=unit_id,
        ics_id="",
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return [[key, values[key]] for key in META_KEYS]


def _dropdowns(sheet: xw.Sheet, last_row: int) -> None:
    for key, values in _LISTS.items():
        letter = column_letter(_COL[key])
        try:
            sheet.range(f"{letter}2:{letter}{last_row}").data_validation.set_list(list(values))
        except (NotImplementedError, AttributeError):  # a runtime without validations
            return


def add_gap_sheet(
    book: xw.Book, catalogue: Catalogue, *, unit_id: str | None, authorize: Authorize
) -> Outcome:
    """Add Gap analysis, Summary and the hidden metadata sheet, filled from the catalogue."""
    unit = new_unit_id(book, unit_id)
    authorize(unit, "place")
    blank = pd.DataFrame({"para": list(catalogue.ids)})
    frame = assess_place(catalogue, blank, unit_id=unit).frame
    rows = _rows(catalogue, frame)
    last_row = len(rows)
    last_col = column_letter(len(HEADERS))
    sheet = book.sheets.add(name=DATA_SHEET, after=book.sheets[len(book.sheets) - 1])
    sheet.range(f"A2:A{last_row}").number_format = "@"
    sheet.range((1, 1), (last_row, len(HEADERS))).value = rows
    sheet.tables.add(
        source=sheet.range(f"A1:{last_col}{last_row}"), name=TABLE_NAME, has_headers=True
    )
    rag_letter = column_letter(_COL["rag"])
    formats = sheet.range(f"{rag_letter}2:{rag_letter}{last_row}").conditional_formats
    for rag in RAG_VALUES:
        fill, font = RAG_COLOURS[rag]
        formats.add_cell_value("equal_to", f'"{rag}"', fill_color=f"#{fill}", font_color=f"#{font}")
    _dropdowns(sheet, last_row)
    if find_sheet(book, SUMMARY_SHEET) is None:
        summary = book.sheets.add(name=SUMMARY_SHEET, after=sheet)
        block = summary_block(frame, catalogue)
        head: list[list[object]] = [[grid_text(summary_title(unit))], [], []]
        values = pad_grid([*head, *block.rows], 0, SUMMARY_WIDTH)
        summary.range((1, 1), (len(values), SUMMARY_WIDTH)).value = values
        assert len(head) + 1 == SUMMARY_FIRST_ROW
    if find_sheet(book, META_SHEET) is None:
        meta = book.sheets.add(name=META_SHEET, after=book.sheets[len(book.sheets) - 1])
        last = len(META_KEYS)
        meta.range(f"B1:B{last}").number_format = "@"
        meta.range(f"A1:B{last}").value = _meta_rows(catalogue, unit)
        meta.visible = False
    sheet.activate()
    return Outcome(
        operation="push_catalogue",
        unit_id=unit,
        scope="place",
        counts=rag_counts(frame),
        rows=len(catalogue),
        note=f"; added the {DATA_SHEET} sheet ({len(catalogue)} rows)",
    )
