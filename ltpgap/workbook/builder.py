"""Build place and ICS-team workbooks from the catalogue (SPEC §4), with openpyxl.

Layout (the reader relies on it, see the workbook contract): `Read me`, `Gap analysis` (Excel
Table `GapAnalysis` at A1), `Summary`, then the hidden `Lists` and `_ltpgap` sheets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue, Commitment
from ltpgap.ics import IcsConfig
from ltpgap.issues import LtpgapError, Where, make_issue
from ltpgap.layout import DATA_SHEET, README_SHEET, SUMMARY_SHEET, TABLE_NAME, catalogue_values
from ltpgap.rag import assess_place
from ltpgap.schema import (
    COLUMNS,
    INPUT_KEYS,
    RAG_VALUES,
)
from ltpgap.workbook import _styles as st
from ltpgap.workbook._atomic import atomic_save
from ltpgap.workbook._cells import put_text, put_value
from ltpgap.workbook._heights import fit_rows
from ltpgap.workbook._hidden import LISTS, write_lists_sheet, write_meta_sheet
from ltpgap.workbook._readme import Identity, write_readme
from ltpgap.workbook._summary_sheet import write_summary

__all__ = [
    "DATA_SHEET",
    "LISTS",
    "TABLE_NAME",
    "WRAP_WIDTHS",
    "Scope",
    "build_workbook",
    "init_workbooks",
    "new_workbook",
    "workbook_units",
    "write_computed",
]

Scope = Literal["place", "ics"]
_COL = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
#: Column letter → width of every Gap analysis column, for row heights.
WRAP_WIDTHS = {get_column_letter(i): c.width for i, c in enumerate(COLUMNS, start=1)}


def _identity(
    catalogue: Catalogue, ics: IcsConfig | None, unit_id: str | None, scope: Scope, when: str
) -> Identity:
    ics_id, ics_name = (ics.id, ics.name) if ics else ("", "")
    if not unit_id:
        return Identity(
            unit_id="",
            unit_name="",
            scope=scope,
            ics_id=ics_id,
            ics_name=ics_name,
            generated_at=when,
        )
    if scope == "ics":
        if ics is None or unit_id != ics.id:
            raise LtpgapError(
                [
                    make_issue(
                        "place-not-in-ics",
                        f"an ICS-team workbook must be named after the ICS id "
                        f"({ics.id if ics else 'no ICS given'}), not '{unit_id}'.",
                        where=Where(file=ics.path if ics else None),
                    )
                ]
            )
        name = ics.name
    else:
        place = ics.place(unit_id) if ics else None
        if place is None:
            known = ", ".join(ics.place_ids) if ics else "none (no ICS file given)"
            raise LtpgapError(
                [
                    make_issue(
                        "place-not-in-ics",
                        f"place '{unit_id}' is not in the ICS file; known places: {known}.",
                        where=Where(file=ics.path if ics else None),
                    )
                ]
            )
        name = place.name
    return Identity(
        unit_id=unit_id,
        unit_name=name,
        scope=scope,
        ics_id=ics_id,
        ics_name=ics_name,
        generated_at=when,
    )


def _in_scope(catalogue: Catalogue, scope: Scope) -> list[Commitment]:
    return [c for c in catalogue if scope == "place" or c.level == "ics"]


def write_computed(ws: Worksheet, cells: dict[str, str], row: int, values: dict[str, str]) -> None:
    """Write RAG, Reason and Checks of one row; `cells` maps key → column letter."""
    for key in ("rag", "reason", "checks"):
        cell = ws[f"{cells[key]}{row}"] if key in cells else None
        # A user may have merged cells across the row; only a range's first cell holds a value.
        if cell is not None and not isinstance(cell, MergedCell):
            put_text(cell, values.get(key) or None)


#: Short coded columns read best centred; text columns stay left-aligned.
_CENTRED = frozenset({"chapter", "deadline", "must_do", "level", "rag"})


def _style_cell(cell: Any, key: str, *, locked: bool) -> None:
    cell.font = st.BOLD if key == "para" else st.BODY
    cell.border = st.GRID
    cell.alignment = st.CENTRE_TOP if key in _CENTRED else st.WRAP_TOP
    cell.fill = st.LOCKED_FILL if locked else st.INPUT_FILL
    cell.protection = st.LOCKED if locked else st.UNLOCKED
    if key == "para":
        cell.number_format = "@"  # Para is text: 3.10 must never become 3.1


def _write_rows(
    ws: Worksheet,
    catalogue: Catalogue,
    commitments: list[Commitment],
    frame: pd.DataFrame,
    scope: Scope,
) -> None:
    computed = frame.set_index("para")
    styles = st.StyleCache()
    for row, c in enumerate(commitments, start=2):
        values = catalogue_values(c, catalogue)
        editable = scope == "ics" or c.level == "place"
        for col, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=row, column=col)
            if column.group == "catalogue":
                put_value(cell, values[column.key])
            elif column.group == "computed":
                put_text(cell, str(computed.at[c.id, column.key] or "") or None)
            locked = column.group != "input" or not editable
            kind = ("para" if column.key == "para" else column.key in _CENTRED, locked)
            styles.apply(cell, kind, partial(_style_cell, key=column.key, locked=locked))


def _header_row(ws: Worksheet) -> None:
    for col, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col)
        put_text(cell, column.header)
        cell.font, cell.fill = st.HEADER_FONT, st.HEADER_FILLS[column.group]
        cell.alignment, cell.border = st.HEADER_ALIGN, st.GRID
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.row_dimensions[1].height = 30


def _validations(ws: Worksheet, last_row: int) -> None:
    by_key = {c.key: c for c in COLUMNS}
    listed = {key: (name, header, values) for name, header, values, key in LISTS}
    for key in INPUT_KEYS:
        column = by_key[key]
        letter = get_column_letter(_COL[key])
        dv = DataValidation(
            showInputMessage=True,
            promptTitle=column.header[:32],
            prompt=column.help[:255],
            allow_blank=True,
        )
        if key in listed:
            name, header, values = listed[key]
            dv.type, dv.formula1 = "list", name  # OOXML formulas carry no leading "="
            dv.showErrorMessage, dv.errorStyle = True, "stop"
            dv.errorTitle = f"{header}: choose from the list"[:32]
            dv.error = f"{header} must be one of: {', '.join(values)} (or left blank)."
        dv.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(dv)


def _rag_formatting(ws: Worksheet, last_row: int) -> None:
    letter = get_column_letter(_COL["rag"])
    target = f"{letter}2:{letter}{last_row}"
    for rag in RAG_VALUES:
        rule = CellIsRule(operator="equal", formula=[f'"{rag}"'])
        rule.dxf = st.rag_style(rag)
        ws.conditional_formatting.add(target, rule)


def _protect_and_print(ws: Worksheet) -> None:
    p = ws.protection
    p.sheet = True
    # Allowed even while protected (False = not protected): sort, filter, resize, format columns.
    p.sort = p.autoFilter = p.formatColumns = p.formatRows = False
    p.selectLockedCells = p.selectUnlockedCells = False
    ws.freeze_panes = "B2"
    st.fit_to_a4(ws, "landscape")
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&A — page &P of &N"


def _gap_sheet(
    ws: Worksheet,
    catalogue: Catalogue,
    commitments: list[Commitment],
    frame: pd.DataFrame,
    scope: Scope,
) -> None:
    _header_row(ws)
    _write_rows(ws, catalogue, commitments, frame, scope)
    last_row = max(2, len(commitments) + 1)
    fit_rows(ws, range(2, last_row + 1), WRAP_WIDTHS)
    ref = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"
    table = Table(displayName=TABLE_NAME, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    ws.add_table(table)
    _validations(ws, last_row)
    _rag_formatting(ws, last_row)
    _protect_and_print(ws)


def blank_inputs(paras: Iterable[str]) -> pd.DataFrame:
    """An inputs frame with every input blank (what a fresh workbook holds)."""
    ids: list[object] = list(paras)
    data: dict[str, list[object]] = {"para": ids}
    data.update({key: [None] * len(ids) for key in INPUT_KEYS})
    return pd.DataFrame(data, dtype=object)


def new_workbook(
    catalogue: Catalogue,
    ics: IcsConfig | None,
    unit_id: str | None,
    *,
    scope: Scope = "place",
    generated_at: str | None = None,
    notice: str | None = None,
) -> Workbook:
    """An in-memory workbook for one place (or the ICS team, or a blank template)."""
    when = generated_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    who = replace(_identity(catalogue, ics, unit_id, scope, when), notice=notice)
    commitments = _in_scope(catalogue, scope)
    frame = assess_place(
        catalogue, blank_inputs(c.id for c in commitments), unit_id=who.unit_id, scope=scope
    ).frame
    wb = Workbook()
    readme = wb.active
    readme.title = README_SHEET
    write_readme(readme, catalogue, who)
    _gap_sheet(wb.create_sheet(DATA_SHEET), catalogue, commitments, frame, scope)
    write_summary(
        wb.create_sheet(SUMMARY_SHEET),
        frame,
        catalogue,
        unit_name=who.unit_name,
        as_of=f"generated {when}",
    )
    write_lists_sheet(wb)
    write_meta_sheet(wb, catalogue, who)
    wb.active = 0
    return wb


def build_workbook(
    catalogue: Catalogue,
    ics: IcsConfig | None,
    unit_id: str | None,
    *,
    scope: Scope = "place",
    out_path: str | Path,
    generated_at: str | None = None,
    notice: str | None = None,
) -> Path:
    """Write the workbook for one place (or ICS team; ``unit_id=None``: blank template)."""
    wb = new_workbook(
        catalogue, ics, unit_id, scope=scope, generated_at=generated_at, notice=notice
    )
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_save(wb, path)
    return path


def workbook_units(ics: IcsConfig) -> list[tuple[str, Scope]]:
    """The workbooks `init` writes for an ICS: one per place, then the ICS team's."""
    return [*((p.id, "place") for p in ics.places), (ics.id, "ics")]


def init_workbooks(
    catalogue: Catalogue,
    ics: IcsConfig,
    out_dir: str | Path,
    *,
    force: bool = False,
    generated_at: str | None = None,
    notice: str | None = None,
) -> list[Path]:
    """Write ``<place id>.xlsx`` for every place and ``<ics id>.xlsx`` for the ICS team.

    Refuses (before writing anything) to overwrite an existing workbook unless ``force``:
    a filled-in workbook must never be replaced by a blank one by accident.
    """
    out = Path(out_dir)
    units = workbook_units(ics)
    targets = [out / f"{unit}.xlsx" for unit, _ in units]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise LtpgapError(
            [
                make_issue(
                    "file-exists",
                    "a workbook is already there and may hold a place's work; move it away, "
                    "choose another --out folder, or pass --force to overwrite it.",
                    where=Where(file=str(t)),
                )
                for t in existing
            ]
        )
    out.mkdir(parents=True, exist_ok=True)
    when = generated_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        build_workbook(
            catalogue, ics, unit, scope=scope, out_path=target, generated_at=when, notice=notice
        )
        for (unit, scope), target in zip(units, targets, strict=True)
    ]
