"""The sheets a catalogue push writes besides the table: Retired, Catalogue changes, metadata.

`Retired` and `Catalogue changes` are appended to, never replaced: a second push adds rows
under the first one's, matching columns by header, so nothing recorded earlier is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue
from ltpgap.catalogue.migration import MigrationResult
from ltpgap.layout import (
    CHANGES_SHEET,
    META_KEYS,
    META_SHEET,
    README_SHEET,
    RETIRED_SHEET,
    pushed_meta,
)
from ltpgap.schema import COLUMNS, HEADER_OF, INPUT_KEYS
from ltpgap.workbook import _styles as st
from ltpgap.workbook._cells import put_text

__all__ = [
    "CHANGES_SHEET",
    "RETIRED_SHEET",
    "append_changes",
    "append_retired",
    "put_input",
    "update_meta",
    "update_readme",
]

_WIDTH = {c.header: c.width for c in COLUMNS}
_RETIRED_LEAD = ("Para", "Title", "Reason", "Catalogue it came from", "Moved on")
_CHANGES_HEADERS = ("When", "From catalogue", "To catalogue", "Para", "Change", "Details")
_CHANGES_WIDTHS = (17, 16, 16, 9, 13, 100)


def put_input(cell: Any, value: object) -> None:
    """Write a value a planner typed back exactly as it was: text always as text.

    Unlike :func:`ltpgap.workbook._cells.put_text`, no apostrophe is added before a leading
    ``=``/``+``/``-``/``@``: the cell is typed as a string, so it can never become a formula,
    and the text comes back unchanged on the next read (a push must not alter inputs).
    """
    if value is None:
        cell.value = None
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
        if isinstance(value, date) and (
            not isinstance(value, datetime) or value.time() == datetime.min.time()
        ):
            cell.number_format = "dd/mm/yyyy"


def _sheet(wb: Any, name: str, headers: Sequence[str], widths: Sequence[int]) -> Worksheet:
    """The named sheet, created (after the last visible sheet) with headers if absent."""
    if name in wb.sheetnames:
        return wb[name]
    visible = [i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible"]
    ws = wb.create_sheet(name, (visible[-1] + 1) if visible else None)
    for col, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        _style_header(ws, col, header)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "B2"
    return ws


def _style_header(ws: Worksheet, col: int, header: str) -> None:
    cell = ws.cell(row=1, column=col)
    put_text(cell, header)
    cell.font, cell.fill = st.HEADER_FONT, st.HEADER_FILLS["catalogue"]
    cell.alignment, cell.border = st.HEADER_ALIGN, st.GRID


def _columns(ws: Worksheet, wanted: Sequence[str]) -> dict[str, int]:
    """Header → column, adding at the right any header the sheet does not have yet."""
    found = {str(c.value).strip(): c.column for c in ws[1] if c.value is not None and str(c.value)}
    for header in wanted:
        if header not in found:
            col = max(found.values(), default=0) + 1
            _style_header(ws, col, header)
            ws.column_dimensions[get_column_letter(col)].width = _WIDTH.get(header, 18)
            found[header] = col
    return found


def _append(ws: Worksheet, columns: dict[str, int], rows: Sequence[dict[str, object]]) -> None:
    start = ws.max_row + 1
    for offset, record in enumerate(rows):
        for header, value in record.items():
            cell = ws.cell(row=start + offset, column=columns[header])
            put_input(cell, value)
            cell.font, cell.alignment, cell.border = st.BODY, st.WRAP_TOP, st.GRID


def append_retired(wb: Any, result: MigrationResult, when: str) -> int:
    """Add the retired rows, with every input, to the Retired sheet; the number added."""
    frame = result.retired
    if frame.empty:
        return 0
    inputs = [HEADER_OF[k] for k in INPUT_KEYS]
    headers = [*_RETIRED_LEAD, *inputs, *result.extra_columns]
    ws = _sheet(wb, RETIRED_SHEET, _RETIRED_LEAD, (8, 34, 40, 22, 17))
    columns = _columns(ws, headers)
    came_from = f"{result.plan.old.info.id} {result.plan.old.info.version}"
    rows = []
    for record in frame.to_dict("records"):
        row: dict[str, object] = {
            "Para": record["para"] or None,
            "Title": record["title"] or None,
            "Reason": record["reason"],
            "Catalogue it came from": came_from,
            "Moved on": when,
        }
        row |= {HEADER_OF[k]: record[k] for k in INPUT_KEYS}
        row |= {name: record[name] for name in result.extra_columns}
        rows.append(row)
    _append(ws, columns, rows)
    return len(rows)


def append_changes(wb: Any, result: MigrationResult, when: str) -> int:
    """Log every change and flag of this push on the Catalogue changes sheet; rows added."""
    plan = result.plan
    old = f"{plan.old.info.id} {plan.old.info.version}"
    new = f"{plan.new.info.id} {plan.new.info.version}"
    flagged = {f.commitment: f.message for f in result.flags if f.commitment}
    rows: list[dict[str, object]] = []
    for change in plan.changes:
        if change.kind == "unchanged":
            continue
        for para in change.new_ids or change.old_ids:
            details = {
                "added": "new commitment: row added with blank inputs",
                "reworded": f"changed: {', '.join(change.fields)}; inputs kept",
                "renumbered": f"was {', '.join(change.old_ids)}; inputs moved here",
                "retired": "no longer in the catalogue",
            }.get(change.kind, f"from {', '.join(change.old_ids)}")
            rows.append(
                {
                    "When": when,
                    "From catalogue": old,
                    "To catalogue": new,
                    "Para": para,
                    "Change": change.kind,
                    "Details": flagged.get(para, details),
                }
            )
    if not rows:
        return 0
    ws = _sheet(wb, CHANGES_SHEET, _CHANGES_HEADERS, _CHANGES_WIDTHS)
    _append(ws, _columns(ws, _CHANGES_HEADERS), rows)
    return len(rows)


def update_meta(wb: Any, catalogue: Catalogue, current: dict[str, str]) -> None:
    """Record the new catalogue (id, version, hash) and a fresh checksum in `_ltpgap`."""
    values = pushed_meta({k: current.get(k, "") for k in META_KEYS[:-1]}, catalogue)
    if META_SHEET in wb.sheetnames:
        ws = wb[META_SHEET]
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=2):
            for cell in row:
                cell.value = None
    else:
        ws = wb.create_sheet(META_SHEET)
    for row, key in enumerate(META_KEYS, start=1):
        put_text(ws.cell(row=row, column=1), key)
        cell = ws.cell(row=row, column=2)
        put_text(cell, str(values[key]))
        cell.number_format = "@"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def update_readme(wb: Any, catalogue: Catalogue) -> None:
    """Point the Read me sheet's catalogue lines at the new catalogue version."""
    if README_SHEET not in wb.sheetnames:
        return
    ws = wb[README_SHEET]
    info = catalogue.info
    for label, value in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=2):
        text = str(label.value or "")
        if text.startswith("Catalogue ") and value.value is None:
            put_text(label, f"Catalogue {info.id} version {info.version}")
        elif text == "Catalogue":
            count = len(catalogue)
            put_text(value, f"{info.title}: {info.id} version {info.version}, {count} commitments")
