"""The hidden sheets: `Lists` (dropdown values behind named ranges) and `_ltpgap` (identity)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from ltpgap.catalogue import Catalogue
from ltpgap.layout import LISTS, LISTS_SHEET, META_KEYS, META_SHEET, new_meta
from ltpgap.workbook._cells import put_text
from ltpgap.workbook._readme import Identity

__all__ = ["LISTS", "write_lists_sheet", "write_meta_sheet"]


def write_lists_sheet(wb: Workbook) -> None:
    """Add the hidden Lists sheet and a workbook-level name for each dropdown list."""
    ws = wb.create_sheet(LISTS_SHEET)
    for col, (name, header, values, _key) in enumerate(LISTS, start=1):
        letter = get_column_letter(col)
        put_text(ws.cell(row=1, column=col), header)
        for row, value in enumerate(values, start=2):
            put_text(ws.cell(row=row, column=col), value)
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
        ws.column_dimensions[letter].width = 16
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def write_meta_sheet(wb: Workbook, catalogue: Catalogue, who: Identity) -> None:
    """Add the hidden _ltpgap sheet: identity, versions and the checksum over them."""
    ws = wb.create_sheet(META_SHEET)
    values = new_meta(
        catalogue,
        unit_id=who.unit_id,
        scope=who.scope,
        unit_name=who.unit_name,
        ics_id=who.ics_id,
        generated_at=who.generated_at,
    )
    for row, key in enumerate(META_KEYS, start=1):
        put_text(ws.cell(row=row, column=1), key)
        cell = ws.cell(row=row, column=2)
        put_text(cell, str(values[key]))
        cell.number_format = "@"
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 70
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
