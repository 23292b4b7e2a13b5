"""Read an ICS (or region/national) workbook written by `ltpgap merge` / `ltpgap rollup`.

Gate first (with the larger bounds an ICS workbook needs), then python-calamine. Tables are
read by header, never by position; names shown in the sheets are mapped back to ids through
the hidden metadata. Used by re-merging (the previous Place data), the board report and
`ltpgap summary`.
"""

from __future__ import annotations

import functools
import io
import sys
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path
from typing import Any, cast

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from ltpgap.catalogue import LIFE_COURSE_NAMES, Catalogue
from ltpgap.issues import LtpgapError, Severity, Where, make_issue
from ltpgap.layout import REPORT_TABLE_NAME, REPORT_WORKBOOK, column_letter
from ltpgap.merge._sheets import (
    BY_AREA,
    BY_CHAPTER,
    CHECKS,
    GAPS,
    HISTORY,
    MATRIX,
    META,
    PLACE_DATA,
    README,
    SCOPES,
    SNAPSHOT,
    TABLES,
)
from ltpgap.merge._typed_over import typed_over
from ltpgap.merge.ics_data import IcsWorkbook, _load, _text, ics_workbook, matrix_problems
from ltpgap.merge.model import PlaceRef
from ltpgap.schema import is_blank, rags_as_read
from ltpgap.workbook import ICS_SUMMARY_READERS, WorkbookSummary
from ltpgap.workbook._package import TablePart
from ltpgap.workbook.gate import GateLimits, inspect_workbook

__all__ = ["IcsWorkbook", "PlaceRef", "probe_scope", "read_ics_workbook", "summary_of"]

Grid = list[list[object]]


def _raw(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else _text(value)


#: An ICS workbook of 200 places holds ~100 000 rows of place data and 200+ columns in its
#: matrix: more than a place workbook may, still bounded.
ICS_LIMITS = GateLimits(
    max_file_bytes=300 * 1024 * 1024,
    max_uncompressed_bytes=1500 * 1024 * 1024,
    max_rows=1_048_576,
    max_columns=2_000,
    max_cells=12_000_000,
)


def _open(
    path: str, limits: GateLimits | None
) -> tuple[CalamineWorkbook, list[str], tuple[TablePart, ...]]:
    """The gated workbook opened by python-calamine, its sheet names and its Excel Tables."""
    inspection = inspect_workbook(path, limits or ICS_LIMITS, keep_parts=True)
    if not inspection.passed:
        errors = [i for i in inspection.issues if i.severity is Severity.ERROR]
        raise LtpgapError(errors, summary=f"{path}: refused before reading")
    try:  # the bytes the gate checked, never the file again
        source = inspection.parser_bytes()
        assert source is not None
        book = CalamineWorkbook.from_filelike(io.BytesIO(source))
    except CalamineError as exc:
        raise LtpgapError(
            [
                make_issue(
                    "unreadable-workbook",
                    f"the workbook could not be read ({exc}); open it in Excel, let it repair "
                    "the file and save it, or merge the place workbooks again.",
                    where=Where(file=path),
                )
            ]
        ) from None
    tables = inspection.package.tables if inspection.package else ()
    return book, list(book.sheet_names), tables


def _meta(book: CalamineWorkbook, names: list[str]) -> dict[str, str] | None:
    if META not in names:
        return None
    grid = cast(Grid, book.get_sheet_by_name(META).to_python(skip_empty_area=False))
    values: dict[str, str] = {}
    for row in grid:
        if row and _text(row[0]):
            # Long values continue in columns C, D … (see the writer).
            values.setdefault(_text(row[0]), "".join(_raw(v) for v in row[1:]))
    return values


def probe_scope(path: str | Path, limits: GateLimits | None = None) -> str | None:
    """The ICS-workbook scope ("ics-merge", "region", "national") of a file, else None."""
    try:
        book, names, _ = _open(str(path), limits)
    except (LtpgapError, OSError):
        return None
    with book:
        meta = _meta(book, names)
    scope = (meta or {}).get("scope", "")
    return scope if scope in SCOPES else None


def _grids(book: CalamineWorkbook) -> Callable[[str], Grid]:
    """Each sheet's cells from A1, read once however often asked for."""

    @functools.cache
    def grid(sheet: str) -> Grid:
        return cast(Grid, book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))

    return grid


def _frame(
    grid_of: Callable[[str], Grid],
    names: list[str],
    sheet: str,
    last_row: int | None = None,
    *,
    numbered: bool = False,
) -> pd.DataFrame | None:
    """A table sheet as a frame: header row 1, blank rows dropped, '' → None.

    Rows below ``last_row`` (the end of the sheet's Excel Table) are left out: text typed
    under the table is no part of it. ``numbered`` indexes the frame by sheet row number.
    """
    if sheet not in names:
        return None
    grid = grid_of(sheet)
    if last_row is not None:
        grid = grid[:last_row]
    top = 1
    while grid and all(v is None or v == "" for v in grid[0]):
        grid = grid[1:]  # a row inserted above the header by hand
        top += 1
    if not grid:
        return pd.DataFrame()
    header = [_text(h).strip() for h in grid[0]]
    width = len(header)
    rows = grid[1:]
    kept = [i for i, r in enumerate(rows) if r.count("") + r.count(None) < len(r)]  # not blank
    body = [rows[i] for i in kept]
    # Column by column (a merge of 200 places has ~70,000 rows of place data).
    columns = list(zip_longest(*body)) if body else []
    columns = (columns + [(None,) * len(body)] * width)[:width]
    data = {j: [None if v == "" else v for v in column] for j, column in enumerate(columns)}
    frame = pd.DataFrame(data, dtype=object)
    frame.columns = pd.Index(header, dtype=object)
    if numbered:
        frame.index = pd.Index([top + 1 + i for i in kept])
    return frame


def _table_end(tables: tuple[TablePart, ...], sheet: str) -> int | None:
    """The last data row (1-based) of the Excel Table ltpgap wrote on ``sheet``; ``None``
    when it is gone or renamed (then the whole sheet is read)."""
    name = TABLES[sheet].casefold()
    for table in tables:
        if table.sheet == sheet and table.name.casefold() == name:
            return table.end[0] - table.totals_rows if table.end else None
    return None


#: What a workbook ltpgap built for one unit is, by the scope its hidden sheet records.
_NOT_ICS = {
    "place": "the place workbook of {name} (one place's inputs)",
    "ics": "the ICS team's workbook of {name} (its ICS-level commitments)",
}


def read_ics_workbook(path: str | Path, *, limits: GateLimits | None = None) -> IcsWorkbook:
    """Read an ICS workbook (gate first); raises LtpgapError when it is not one or is refused."""
    file = str(path)
    book, names, parts = _open(file, limits)
    table_names = frozenset(t.name.casefold() for t in parts)
    with book:
        meta = _meta(book, names)
        scope = (meta or {}).get("scope", "")
        if meta is not None and scope in _NOT_ICS:
            what = _NOT_ICS[scope].format(name=meta.get("unit_name") or meta.get("unit_id"))
            raise LtpgapError(
                [
                    make_issue(
                        "wrong-level",
                        f"this is {what}, not an ICS workbook written by `ltpgap merge` or "
                        "`ltpgap rollup`.",
                        where=Where(file=file),
                    )
                ],
                summary=f"{file}: not an ICS workbook",
            )
        if meta is None and REPORT_TABLE_NAME.casefold() in table_names:
            raise LtpgapError(
                [
                    make_issue(
                        "report-workbook",
                        f"this is {REPORT_WORKBOOK}, not an ICS workbook written by `ltpgap "
                        "merge` or `ltpgap rollup`. Use the ICS workbook the report was made "
                        "from (its Read me names it as the data source).",
                        where=Where(file=file),
                    )
                ],
                summary=f"{file}: not an ICS workbook",
            )
        if meta is None or scope not in SCOPES:
            raise LtpgapError(
                [
                    make_issue(
                        "no-metadata",
                        "this is not an ICS workbook written by `ltpgap merge` or `ltpgap "
                        "rollup` (its hidden '_ltpgap' sheet is missing or names no ICS scope).",
                        where=Where(file=file),
                        severity=Severity.ERROR,
                    )
                ],
                summary=f"{file}: not an ICS workbook",
            )
        grid_of = _grids(book)  # the result tables' cells serve their frames and the search
        tables = {
            s: _frame(grid_of, names, s, _table_end(parts, s), numbered=True)
            for s in (MATRIX, GAPS, CHECKS)
        }
        outside = (
            *_outside_tables(grid_of, names, parts),
            *_outside_written(grid_of, names, meta, tables[MATRIX]),
        )
        del grid_of
        # Place data (the biggest sheet) on its own, so its cells are not held beyond its frame
        tables[PLACE_DATA] = _frame(_grids(book), names, PLACE_DATA)
        others = tuple(n for n in names if n not in _OWN_SHEETS and _holds_values(book, n))
    try:
        return ics_workbook(meta, tables, path=file, other_sheets=others, outside=outside)
    except (KeyError, ValueError, TypeError, IndexError) as exc:  # sheets reshaped by hand
        raise LtpgapError(
            [
                make_issue(
                    "unreadable-workbook",
                    "its sheets were changed in a way ltpgap cannot read back "
                    f"({type(exc).__name__}: {exc}); restore it from a copy, or merge every "
                    "place's workbook into a new ICS workbook",
                    where=Where(file=file),
                )
            ],
            summary=f"{file}: cannot be read back",
        ) from None


#: The sheets an ICS (or region/national) workbook is written with.
_OWN_SHEETS = frozenset(
    {README, MATRIX, BY_CHAPTER, BY_AREA, GAPS, SNAPSHOT, CHECKS, PLACE_DATA, HISTORY, META}
)


#: Table sheets whose whole content ltpgap writes: text under (or, for the summaries, beside)
#: their Excel Table was typed by hand. (Columns beside the matrix, Gaps and Checks are read
#: with them and named by their headers; Place data's are a unit's own columns.)
_BELOW_ONLY = frozenset({MATRIX, GAPS, CHECKS})
_WHOLE = frozenset({BY_CHAPTER, BY_AREA})


def _outside_tables(
    grid_of: Callable[[str], Grid], names: list[str], tables: tuple[TablePart, ...]
) -> tuple[str, ...]:
    """Text typed outside the Excel Tables ltpgap wrote: 'text under the table on Gaps (A80)'."""
    found = []
    for table in tables:
        if table.sheet not in _BELOW_ONLY | _WHOLE or table.sheet not in names:
            continue
        if table.end is None:
            continue
        last_row, last_col = table.end
        grid = grid_of(table.sheet)
        if below := _first_text(grid, last_row, sys.maxsize):  # any column, under the table
            found.append(f"text under the table on {table.sheet} ({below})")
        if table.sheet in _WHOLE and (beside := _first_text(grid[:last_row], last_row, last_col)):
            found.append(f"text beside the table on {table.sheet} ({beside})")
    return tuple(found)


def _first_text(grid: Grid, rows: int, cols: int) -> str | None:
    """The first cell holding something below row ``rows`` or right of column ``cols``."""
    for i, row in enumerate(grid):
        start = 0 if i >= rows else cols
        for j in range(start, len(row)):
            if not is_blank(row[j]):
                return f"{column_letter(j + 1)}{i + 1}"
    return None


def _in_b(row: list[object]) -> bool:
    """Whether a row holds something in column B."""
    return len(row) > 1 and not is_blank(row[1])


def _outside_written(
    grid_of: Callable[[str], Grid],
    names: list[str],
    meta: dict[str, str],
    matrix: pd.DataFrame | None,
) -> tuple[str, ...]:
    """Text typed outside what ltpgap writes on the Snapshot and Read me sheets.

    Snapshot: a header row and one row per life-course stage (named as in the matrix's Life
    course column), one column per programme area (from the metadata) after the first. Read
    me: columns A and B, down to the last sheet listed under 'The sheets' (and the notes
    under 'Notes', which a roll-up adds). Text inside those areas is ltpgap's (or a result
    typed over): not an addition.
    """
    found = []
    areas = _load(meta.get("programme_areas", ""), {}) if SNAPSHOT in names else None
    if isinstance(areas, dict) and areas:
        grid = grid_of(SNAPSHOT)
        stages = {*LIFE_COURSE_NAMES.values()}
        if matrix is not None and "Life course" in matrix.columns:
            stages |= {str(v) for v in matrix["Life course"] if not is_blank(v)}
        rows = 1
        while rows < len(grid) and grid[rows] and _text(grid[rows][0]) in stages:
            rows += 1
        if cell := _first_text(grid, rows, 1 + len(areas)):
            found.append(f"text outside the grid on {SNAPSHOT} ({cell})")
    if README in names:
        grid = grid_of(README)
        heads = [_text(r[0]).strip() if r else "" for r in grid]
        if "The sheets" in heads:
            rows = heads.index("The sheets") + 1
            while rows < len(grid) and heads[rows] in _OWN_SHEETS:
                rows += 1
            if rows < len(grid) and heads[rows] == "Notes":  # then notes in column B
                rows += 1
                while rows < len(grid) and not heads[rows] and _in_b(grid[rows]):
                    rows += 1
            if cell := _first_text(grid, rows, 2):
                found.append(f"text typed on {README} ({cell})")
    return tuple(found)


def _holds_values(book: CalamineWorkbook, sheet: str) -> bool:
    """Whether a sheet holds anything (a sheet someone added and left empty does not count)."""
    grid = cast(Grid, book.get_sheet_by_name(sheet).to_python(skip_empty_area=True))
    return any(not is_blank(v) for row in grid for v in row)


def summary_of(path: Path, catalogue: Catalogue) -> WorkbookSummary | None:
    """`ltpgap summary` for an ICS workbook: the rolled-up RAG and each unit's RAG per row."""
    if probe_scope(path) is None:
        return None
    wb = read_ics_workbook(path)
    if problems := matrix_problems(wb, catalogue):
        raise LtpgapError(problems, summary=f"{path}: the ICS matrix cannot be read")
    # Catalogue order, however the matrix rows were sorted (SPEC §6: reordering rows changes
    # nothing): the must-dos at Red and the JSON list read the same.
    order = {para: i for i, para in enumerate(catalogue.ids)}
    m = wb.matrix
    paras = [str(para) for para in m["para"].tolist()]
    m = m.iloc[sorted(range(len(m)), key=lambda i: order.get(paras[i], len(order)))]
    frame = pd.DataFrame(
        {
            "para": m["para"],
            "chapter": m["chapter"],
            "programme_area": m["programme_area"],
            "must_do": m["must_do"].astype(bool),
            "rag": rags_as_read(m["ics_rag"].tolist()),  # what is not a RAG: see typed_over
            "reason": m["explanation"],
        }
    )
    ids = [p.id for p in wb.places if p.id in m.columns]
    shown = {pid: rags_as_read(m[pid].tolist()) for pid in ids}
    places = {str(para): {pid: shown[pid][at] for pid in ids} for at, para in enumerate(m["para"])}
    return WorkbookSummary(
        workbook=path,
        level=cast(Any, "ics" if wb.scope == "ics-merge" else wb.scope),
        unit_id=wb.unit_id,
        unit_name=wb.unit_name,
        catalogue_id=wb.catalogue_id,
        catalogue_version=wb.catalogue_version,
        frame=frame,
        places=places,
        issues=(*wb.issues, *typed_over(wb, catalogue)),
    )


if summary_of not in ICS_SUMMARY_READERS:
    ICS_SUMMARY_READERS.append(summary_of)
