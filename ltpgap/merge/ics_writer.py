"""Write the ICS workbook (SPEC §7) with openpyxl: layout by openpyxl, rows streamed in.

Sheets: Read me, ICS matrix, Summary by chapter, Summary by programme area, Gaps, Snapshot,
Checks, Place data (merges only), hidden _ltpgap. Every data sheet holds an Excel Table at A1
with a frozen, styled header; RAG cells carry the word and an NHS-colour conditional format;
A4 landscape, fit to width. openpyxl lays each table out with a few template rows, then
:mod:`ltpgap.merge._fastrows` streams the real rows in (a 200-place merge has ~100 000 rows),
and the result replaces the target only once complete.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap import TEMPLATE_VERSION, __version__
from ltpgap.merge._data_crc import column_crcs
from ltpgap.merge._fastrows import KINDS, BulkRows, Rendered, rendering, splice_rows
from ltpgap.merge._history_sheet import add_history_sheet
from ltpgap.merge._readme import write_readme
from ltpgap.merge._sheets import (
    ICS_META_KEYS,
    META,
    META_CHUNK,
    PLACE_DATA,
    README,
    SNAPSHOT,
    ics_checksum,
    meta_json,
)
from ltpgap.merge._tables import (
    Col,
    TableData,
    names_of,
    snapshot_grid,
    table_sheets,
    unique_headers,
)
from ltpgap.merge.model import IcsContent, PlaceRef
from ltpgap.schema import INPUT_KEYS, RAG_VALUES
from ltpgap.workbook import _styles as st
from ltpgap.workbook._atomic import atomic_save
from ltpgap.workbook._cells import put_text
from ltpgap.workbook._heights import fit_rows

__all__ = ["meta_values", "write_ics_workbook"]

_LEFT = Alignment(vertical="top")
_RIGHT = Alignment(vertical="top", horizontal="right")
_NUMBER_FORMAT = {"int": "0", "percent": "0%", "score": "0.00"}
_ALIGN = {
    "text": _LEFT,
    "wrap": st.WRAP_TOP,
    "centre": st.CENTRE_TOP,
    "rag": st.CENTRE_TOP,
    "int": _RIGHT,
    "percent": _RIGHT,
    "score": _RIGHT,
}
#: Number format of each template row's kind of value (None: the column's own).
_KIND_FORMAT = {
    "text": None,
    "quoted": None,
    "number": None,
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "time": "hh:mm:ss",
}


def _style_template(cell: Any, spec: Col, kind: str) -> None:
    cell.font, cell.border = st.BODY, st.GRID
    cell.alignment = _ALIGN[spec.kind]
    fmt = _KIND_FORMAT[kind] or (_NUMBER_FORMAT.get(spec.kind) if kind == "number" else None)
    if fmt:
        cell.number_format = fmt
    if kind == "quoted":
        cell.quotePrefix = True


def _header(ws: Worksheet, cols: tuple[Col, ...], headers: list[str]) -> None:
    cache = st.StyleCache()
    for j, (spec, header) in enumerate(zip(cols, headers, strict=True), start=1):
        cell = ws.cell(row=1, column=j)
        put_text(cell, header)

        def style(c: Any) -> None:
            c.font, c.fill = st.HEADER_FONT, st.HEADER_FILLS["catalogue"]
            c.alignment, c.border = st.HEADER_ALIGN, st.GRID

        cache.apply(cell, "header", style)
        ws.column_dimensions[get_column_letter(j)].width = spec.width
    ws.row_dimensions[1].height = 30


def _rag_formats(ws: Worksheet, cols: tuple[Col, ...], last_row: int) -> None:
    letters = [get_column_letter(j) for j, c in enumerate(cols, start=1) if c.kind == "rag"]
    if not letters:
        return
    target = " ".join(f"{x}2:{x}{last_row}" for x in letters)
    for rag in RAG_VALUES:
        rule = CellIsRule(operator="equal", formula=[f'"{rag}"'])
        rule.dxf = st.rag_style(rag)
        ws.conditional_formatting.add(target, rule)


def _print_setup(ws: Worksheet, freeze: str | None) -> None:
    ws.freeze_panes = freeze
    st.fit_to_a4(ws, "landscape")
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&A — page &P of &N"


def _table_sheet(wb: Workbook, data: TableData) -> BulkRows:
    """Lay out one table sheet (header, template rows, Table, formats) and its row stream."""
    ws = wb.create_sheet(data.sheet)
    headers = unique_headers([c.header for c in data.columns])
    _header(ws, data.columns, headers)
    cache = st.StyleCache()  # a matrix has hundreds of alike columns
    for offset, kind in enumerate(KINDS, start=2):
        for j, spec in enumerate(data.columns, start=1):
            cache.apply(
                ws.cell(row=offset, column=j),
                (spec.kind, kind),
                functools.partial(_style_template, spec=spec, kind=kind),
            )
    last_row = data.count + 1 if data.count else 2  # a Table needs a data row, even empty
    ref = f"A1:{get_column_letter(len(data.columns))}{last_row}"
    table = Table(displayName=data.table, ref=ref)
    # Named here: left empty, openpyxl would create every cell of the range to find them.
    table.tableColumns = [
        TableColumn(id=j, name=header) for j, header in enumerate(headers, start=1)
    ]
    table.autoFilter = AutoFilter(ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
    ws.add_table(table)
    _rag_formats(ws, data.columns, last_row)
    _print_setup(ws, data.freeze)
    ws.print_title_rows = "1:1"
    # openpyxl numbers a cell style the first time it is asked for its id, and keeps that
    # number when it saves: asking now lets the rows be made before the layout is saved (if
    # the saved layout says otherwise, they are made again, here).
    styles = {
        kind: [ws.cell(row=offset, column=j).style_id for j in range(1, len(data.columns) + 1)]
        for offset, kind in enumerate(KINDS, start=2)
    }
    return BulkRows(
        sheet=data.sheet,
        width=len(data.columns),
        rows=data.rows,
        columns=data.by_column,
        fit=data.fit,
        styles=styles,
    )


def _snapshot_sheet(wb: Workbook, content: IcsContent) -> None:
    ws = wb.create_sheet(SNAPSHOT)
    grid = snapshot_grid(content)
    widths = {"A": 16} | {get_column_letter(j): 34 for j in range(2, len(grid[0]) + 1)}
    for r, row in enumerate(grid, start=1):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=j)
            put_text(cell, value or None)
            header = r == 1 or j == 1
            cell.font = st.HEADER_FONT if header else st.BODY
            cell.fill = st.HEADER_FILLS["catalogue"] if header else st.INPUT_FILL
            cell.alignment = st.HEADER_ALIGN if r == 1 else st.WRAP_TOP
            cell.border = st.GRID
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    fit_rows(ws, range(1, len(grid) + 1), widths, max_lines=60)
    _print_setup(ws, "B2")
    ws.page_setup.fitToHeight = 1


#: A unit's rows on Place data as written: how many, and each column's CRC-32.
Written = tuple[int, Mapping[str, str]]


def meta_values(
    content: IcsContent, place_rows: Mapping[str, Written] | None = None
) -> dict[str, str]:
    """The hidden metadata of an ICS workbook, checksum last; ``place_rows`` (unit id → its
    rows on Place data, and their columns' CRC-32) is recorded with each unit, so a re-merge
    can tell rows cut or changed by hand."""
    cat = content.catalogue
    if place_rows is not None:

        def recorded(unit: PlaceRef) -> PlaceRef:
            rows, crc = place_rows.get(unit.id, (0, {}))
            return replace(unit, rows=rows, crc=crc)

        content = replace(
            content,
            units=tuple(recorded(u) for u in content.units),
            team=recorded(content.team) if content.team else None,
        )
    values: dict[str, str] = {
        "scope": content.scope,
        "unit_id": content.unit_id,
        "unit_name": content.unit_name,
        "catalogue_id": cat.info.id,
        "catalogue_version": cat.info.version,
        "catalogue_hash": cat.content_hash,
        "as_at": content.as_at or "",
        "places": meta_json([u.as_json() for u in content.units]),
        "ics_team": meta_json(content.team.as_json() if content.team else None),
        "programme_areas": meta_json({a.id: a.name for a in cat.programme_areas}),
        "rules": meta_json(asdict(content.rules)),
        "generated_at": content.generated_at,
        "ltpgap_version": __version__,
        "template_version": TEMPLATE_VERSION,
    }
    values["checksum"] = ics_checksum(values)
    assert tuple(values) == ICS_META_KEYS
    return values


def _place_rows(content: IcsContent, tables: Sequence[TableData]) -> dict[str, Written] | None:
    """Unit id → its rows on the Place data sheet about to be written, and their columns'
    CRC-32 (None: no such sheet)."""
    data = next((t for t in tables if t.sheet == PLACE_DATA), None)
    if data is None or data.by_column is None:
        return None
    ids = {name: unit for unit, name in names_of(content).items()}
    keys = ["row", "para", *INPUT_KEYS, *(c.header for c in data.columns[4 + len(INPUT_KEYS) :])]
    out: dict[str, Written] = {}
    start = 0
    for name, run in itertools.groupby(data.by_column[0]):  # each unit's rows are together
        end = start + sum(1 for _ in run)
        columns = {k: v[start:end] for k, v in zip(keys, data.by_column[2:], strict=True)}
        out[ids.get(str(name), str(name))] = (end - start, column_crcs(columns))
        start = end
    return out


def _meta_sheet(
    wb: Workbook, content: IcsContent, place_rows: Mapping[str, Written] | None = None
) -> None:
    ws = wb.create_sheet(META)
    for row, (key, value) in enumerate(meta_values(content, place_rows).items(), start=1):
        put_text(ws.cell(row=row, column=1), key)
        # A cell holds at most 32 767 characters: a long value (the places of a big ICS)
        # continues in columns C, D … and is read back joined.
        pieces = [value[i : i + META_CHUNK] for i in range(0, len(value), META_CHUNK)] or [""]
        for col, piece in enumerate(pieces, start=2):
            cell = ws.cell(row=row, column=col)
            put_text(cell, piece)
            cell.number_format = "@"
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 90
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


class _Package:
    """What :func:`atomic_save` saves: openpyxl's layout, then the rows streamed in (made
    meanwhile by workers when ``rendered`` holds them)."""

    def __init__(
        self,
        wb: Workbook,
        bulks: list[BulkRows],
        counts: dict[str, int],
        rendered: Mapping[str, list[Future[Rendered]]] | None = None,
    ) -> None:
        self.wb, self.bulks, self.counts, self.rendered = wb, bulks, counts, rendered

    def save(self, target: Path) -> None:
        fd, name = tempfile.mkstemp(prefix=".layout.", suffix=".xlsx", dir=Path(target).parent)
        os.close(fd)
        layout = Path(name)
        try:
            self.wb.save(layout)
            splice_rows(layout, Path(target), self.bulks, self.counts, self.rendered)
        finally:
            layout.unlink(missing_ok=True)


def write_ics_workbook(content: IcsContent, path: str | Path) -> Path:
    """Write the ICS (or region/national) workbook to ``path``, atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if content.keep_previous is not None and path.exists():
        shutil.copy2(path, content.keep_previous)  # it held additions by hand (see Checks)
    wb = Workbook()
    readme = wb.active
    readme.title = README  # the first sheet; written once the workers have started
    tables = table_sheets(content)
    bulks, counts = [], {}
    for data in tables:
        bulks.append(_table_sheet(wb, data))
        counts[data.sheet] = data.count
        if data.sheet == "Gaps":
            _snapshot_sheet(wb, content)
    # A big workbook's rows are made by workers from here on, while the rest is laid out.
    with rendering(bulks, counts) as rendered:
        write_readme(readme, content)
        add_history_sheet(wb, content)  # only when the merge recorded history (issue 9)
        _meta_sheet(wb, content, _place_rows(content, tables))
        wb.active = 0
        atomic_save(_Package(wb, bulks, counts, rendered), path)
    return path
