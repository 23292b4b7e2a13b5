"""A place (or ICS-team) workbook as the add-in sees it: read once, written back in blocks.

The rows of the Gap analysis table are matched by Para, whatever order the planner left them
in; the RAG rules themselves are :func:`ltpgap.rag.assess_place`, as on the command line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal, cast

import pandas as pd

from ltpgap.catalogue import Catalogue
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue
from ltpgap.layout import (
    CATALOGUE_COLUMNS,
    DATA_SHEET,
    EXCEL_ERRORS,
    META_SHEET,
    TABLE_NAME,
    NumericParas,
    blank_para_message,
    duplicate_para_message,
    error_cell_message,
    para_as_number_message,
    para_error_message,
    title_para,
    unknown_para_message,
    unread_row_message,
)
from ltpgap.rag import PlaceAssessment, assess_place
from ltpgap.rag._table import Table, column_list
from ltpgap.schema import COMPUTED_KEYS, HEADER_OF, INPUT_KEYS, is_blank
from ltpgap.xl._blocks import put_block
from ltpgap.xl._cells import column_letter, grid_text
from ltpgap.xl._sheet import (
    Grid,
    HeaderMap,
    find_header,
    find_sheet,
    read_grid,
    read_meta,
)

if TYPE_CHECKING:
    import xlwings as xw

__all__ = [
    "BLOCK_INPUTS",
    "PlaceBook",
    "assess",
    "computed_block",
    "read_place",
    "write_block",
]

Scope = Literal["place", "ics"]


@dataclass(frozen=True, kw_only=True)
class PlaceBook:
    """The Gap analysis table of an open workbook, its identity and what is odd about its rows."""

    file: str
    sheet: str
    grid: Grid
    header: HeaderMap
    meta: Mapping[str, str]
    unit_id: str
    unit_name: str
    scope: Scope
    inputs: pd.DataFrame  # para, row, every INPUT_KEYS key (raw), extra headers
    row_paras: tuple[str, ...]  # Para of each table row, in sheet order ("" when blank)
    notes: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # row -> messages
    issues: tuple[Issue, ...] = ()

    @property
    def first_row(self) -> int:
        """Excel row of the first data row."""
        return self.header.row + 1

    @cached_property
    def _offsets(self) -> dict[str, int]:
        """Para → offset of its first table row."""
        offsets: dict[str, int] = {}
        for offset, para in enumerate(self.row_paras):
            offsets.setdefault(para, offset)
        return offsets

    def locate(self, para: str, key: str) -> Where:
        """Where a Para's input cell is (file › sheet › cell)."""
        col = self.header.keys.get(key)
        offset = self._offsets.get(para)
        if offset is None:
            return Where(file=self.file, sheet=self.sheet)
        cell = f"{column_letter(col)}{self.first_row + offset}" if col else None
        return Where(file=self.file, sheet=self.sheet, cell=cell)


def _para_text(
    value: object, where: Where, issues: list[Issue], numbers: Callable[[], NumericParas]
) -> str:
    """A Para cell as text; a number is read as the command line reads it (3.1 → '3.10' when
    that is the only catalogue commitment with that number), with para-as-number."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        para, how = numbers().resolve(float(value), None)  # the add-in sees no number format
        message = para_as_number_message(float(value), para, how)
        issues.append(make_issue("para-as-number", message, where=where, commitment=para))
        return para
    return str(value).strip()


def _identity(book: xw.Book, meta: Mapping[str, str]) -> tuple[str, str, Scope, list[Issue]]:
    issues: list[Issue] = []
    unit = meta.get("unit_id", "")
    if not meta:
        stem = PurePath(str(book.name)).stem
        issues.append(
            make_issue(
                "no-metadata",
                f"the hidden '{META_SHEET}' sheet is missing, so the place was taken from the "
                f"file name ('{stem}'). Rebuild the workbook with `ltpgap init` to restore it.",
                where=Where(file=str(book.name)),
            )
        )
        unit = stem
    scope = meta.get("scope", "place")
    return (
        unit,
        meta.get("unit_name", unit),
        cast(Scope, scope if scope == "ics" else "place"),
        issues,
    )


def _data_sheet(book: xw.Book) -> xw.Sheet:
    sheet = find_sheet(book, DATA_SHEET)
    if sheet is None:
        for candidate in book.sheets:
            if any(str(t.name) == TABLE_NAME for t in candidate.tables):
                return candidate
        raise LtpgapError(
            [
                make_issue(
                    "no-gap-table",
                    f"expected a sheet named '{DATA_SHEET}' holding the table '{TABLE_NAME}'; "
                    f"found sheets {', '.join(s.name for s in book.sheets)}. The add-in reads "
                    f"the sheet by its name: rename it back to '{DATA_SHEET}'.",
                    where=Where(file=str(book.name)),
                )
            ]
        )
    return sheet


def _columns(grid: Grid, header: HeaderMap) -> tuple[list[object], dict[str, list[object]]]:
    """The Para column and every input and extra column of the table body, as lists."""
    body = list(grid.values[header.row : header.last_row])
    if header.skip is not None:
        body[header.skip - header.row - 1] = ()  # Excel's Total Row: its sums are not inputs

    def column(col: int | None) -> list[object]:
        return [r[col - 1] if col and col <= len(r) else None for r in body]

    data = {key: column(header.keys.get(key)) for key in INPUT_KEYS}
    data |= {text: column(col) for text, col in header.extras.items()}
    return column(header.keys["para"]), data


def _row_issue(
    para: str,
    seen: Mapping[str, int],
    in_scope: set[str],
    catalogue: Catalogue,
    where: Where,
    row: int,
) -> Issue | None:
    """duplicate-para or unknown-para for a row with a Para, worded as the command line's."""
    if para and para in seen:
        message = duplicate_para_message(para, row, seen[para])
        return make_issue("duplicate-para", message, where=where, commitment=para)
    if para and para not in in_scope:
        message = unknown_para_message(para, catalogue)
        return make_issue("unknown-para", message, where=where, commitment=para)
    return None


def _content(header: HeaderMap) -> list[tuple[str, str, int]]:
    """(header, key in the read columns, column) of the inputs, then of the place's own
    columns, as the reader has them: what makes a row hold values."""
    inputs = [(HEADER_OF[k], k, header.keys[k]) for k in INPUT_KEYS if k in header.keys]
    return inputs + [(text, text, col) for text, col in header.extras.items()]


def _error_cells(
    grid: Grid, header: HeaderMap, data: Mapping[str, list[object]], file: str
) -> dict[int, list[Issue]]:
    """Data row offset → error-cell for each input (or own column) holding an Excel error
    (read as its text: err_to_str), in column order, as the command line's reader says it."""
    found: dict[int, list[Issue]] = {}
    for name, key, col in _content(header):
        column = data[key]
        if EXCEL_ERRORS.isdisjoint(v for v in column if type(v) is str):
            continue  # the usual case: one pass over the column, no Issue made
        for i, value in enumerate(column):
            if type(value) is str and value in EXCEL_ERRORS:
                where = grid.where(header.row + 1 + i, col, file)
                issue = make_issue("error-cell", error_cell_message(name, value), where=where)
                found.setdefault(i, []).append(issue)
    return found


def _paraless(
    grid: Grid, header: HeaderMap, catalogue: Catalogue
) -> Callable[[int, Where], Issue | None]:
    """For a row with no Para: blank-para when it holds values (inputs or columns of the
    place's own), else unread-row when a catalogue column holds text (a local priority typed
    under the table, a row whose Para was deleted), each worded as the command line's reader
    words it; ``None`` for a blank row."""
    content = [(name, col) for name, _, col in _content(header)]
    columns = [(c.header, header.keys[c.key]) for c in CATALOGUE_COLUMNS if c.key in header.keys]
    title = header.keys.get("title")
    para_of = title_para(catalogue)

    def filled(row: int, among: Sequence[tuple[str, int]]) -> list[str]:
        return [
            f"{name} in {column_letter(col)}{row}"
            for name, col in among
            if not is_blank(grid.cell(row, col))
        ]

    def check(row: int, where: Where) -> Issue | None:
        match = para_of(grid.cell(row, title)) if title else None
        if cells := filled(row, content):
            message = blank_para_message(row, cells, where.cell or "", match)
            return make_issue("blank-para", message, where=where)
        if cells := filled(row, columns):
            message = unread_row_message(row, cells, where.cell or "", match)
            return make_issue("unread-row", message, where=where)
        return None

    return check


def read_place(book: xw.Book, catalogue: Catalogue) -> PlaceBook:
    """Read the Gap analysis table, the metadata and every row's inputs (one read per sheet)."""
    sheet = _data_sheet(book)
    grid = read_grid(sheet)
    header = find_header(grid, table=TABLE_NAME, file=str(book.name))
    meta = read_meta(book)
    unit, unit_name, scope, issues = _identity(book, meta)
    in_scope = {c.id for c in catalogue if scope == "place" or c.level == "ics"}
    raw_paras, data = _columns(grid, header)
    paraless = _paraless(grid, header, catalogue)
    numbers = functools.cache(lambda: NumericParas(catalogue))  # only for a Para typed as a number
    errors = _error_cells(grid, header, data, str(book.name))
    paras: list[str] = []
    notes: dict[int, tuple[str, ...]] = {}
    seen: dict[str, int] = {}  # Para → the row it is first in
    for i, raw in enumerate(raw_paras):
        row = header.row + 1 + i
        if row == header.skip:  # Excel's Total Row, with rows typed under it: not a row
            paras.append("")
            continue
        found: list[Issue] = []
        para = raw.strip() if type(raw) is str else None
        if not para or para in seen or para not in in_scope:
            # anything but a known Para, first seen: find out what (a blank row, too), in the
            # command line's order: the Para cell, the inputs, then the row
            where = grid.where(row, header.keys["para"], str(book.name))
            if para in EXCEL_ERRORS:
                found.append(make_issue("error-cell", para_error_message(para), where=where))
                para = ""
            else:
                para = _para_text(raw, where, found, numbers)
            found += errors.get(i, ())
            problem = (
                _row_issue(para, seen, in_scope, catalogue, where, row)
                if para
                else paraless(row, where)
            )
            found += [problem] if problem else []
        else:
            found += errors.get(i, ())
        seen.setdefault(para, row)
        paras.append(para)
        if found:
            notes[row] = tuple(f.message for f in found)
            issues.extend(found)
    frame = pd.DataFrame(
        {
            "para": [p or None for p in paras],
            "row": list(range(header.row + 1, header.row + 1 + len(paras))),
            **data,
        },
        columns=["para", "row", *INPUT_KEYS, *header.extras],
        dtype=object,
    )
    return PlaceBook(
        file=str(book.name),
        sheet=sheet.name,
        grid=grid,
        header=header,
        meta=meta,
        unit_id=unit,
        unit_name=unit_name,
        scope=scope,
        inputs=frame,
        row_paras=tuple(paras),
        notes=notes,
        issues=tuple(issues),
    )


def catalogue_mismatch(place: PlaceBook, catalogue: Catalogue) -> tuple[Issue, ...]:
    """A warning when the workbook was built from another catalogue than the one assessing it."""
    built = place.meta.get("catalogue_hash")
    if not built or built == catalogue.content_hash:
        return ()
    return (
        make_issue(
            "catalogue-mismatch",
            f"the workbook was built from catalogue {place.meta.get('catalogue_id', '?')} "
            f"{place.meta.get('catalogue_version', '?')} but is assessed against "
            f"{catalogue.info.id} {catalogue.info.version}; press Push catalogue to bring "
            "the workbook up to date.",
            where=Where(file=place.file, sheet=META_SHEET),
            severity=Severity.WARNING,
        ),
    )


def assess(place: PlaceBook, catalogue: Catalogue) -> PlaceAssessment:
    """The §5 RAG of every commitment in scope, exactly as `ltpgap recompute` computes it."""
    return assess_place(
        catalogue, place.inputs, unit_id=place.unit_id, scope=place.scope, locate=place.locate
    )


#: The assessment columns :func:`computed_block` reads.
BLOCK_INPUTS = ("para", "rag", "reason", "checks")


def computed_block(place: PlaceBook, frame: Table) -> list[list[object]]:
    """RAG, Reason and Checks for every table row, in sheet order (first row of a Para wins).

    ``frame`` is the assessment frame, or its :data:`BLOCK_INPUTS` columns as lists.
    """
    paras, rags, reasons, found = (column_list(frame, k) for k in BLOCK_INPUTS)
    by_para = {p: (r, why, c) for p, r, why, c in zip(paras, rags, reasons, found, strict=True)}
    safe: dict[str, object] = {}  # each distinct text escaped once: RAGs and Reasons repeat

    def cell(text: str) -> object:
        hit = safe.get(text, safe)
        if hit is safe:
            hit = safe[text] = grid_text(text)
        return hit

    out: list[list[object]] = []
    done: set[str] = set()
    for offset, para in enumerate(place.row_paras):
        rag = reason = checks = ""
        if para and para not in done and para in by_para:
            done.add(para)
            r, why, c = by_para[para]
            rag, reason, checks = str(r or ""), str(why or ""), str(c or "")
        notes = place.notes.get(place.first_row + offset)
        if notes:
            extra = [m for m in notes if m not in checks]
            checks = "; ".join(filter(None, [checks, *extra]))
        out.append([cell(rag), cell(reason), cell(checks)])
    return out


def _runs(columns: Sequence[int]) -> list[tuple[int, int]]:
    """Contiguous runs of column numbers as (first index, length) into ``columns``."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(columns) + 1):
        if i == len(columns) or columns[i] != columns[i - 1] + 1:
            runs.append((start, i - start))
            start = i
    return runs


def write_block(
    sheet: xw.Sheet,
    first_row: int,
    columns: Sequence[int],
    rows: Sequence[Sequence[object]],
    *,
    skip: int | None = None,
) -> int:
    """Write ``rows`` into these columns from ``first_row``: one action per contiguous run,
    the sheet row ``skip`` (Excel's Total Row) passed over, left as it is."""
    if skip is not None and 0 <= skip - first_row < len(rows):
        at = skip - first_row
        return write_block(sheet, first_row, columns, rows[:at]) + write_block(
            sheet, skip + 1, columns, rows[at + 1 :]
        )
    if not rows:
        return 0
    actions = 0
    for start, length in _runs(columns):
        block = [list(r[start : start + length]) for r in rows]
        top, left = first_row, columns[start]
        put_block(sheet.range((top, left), (top + len(block) - 1, left + length - 1)), block)
        actions += 1
    return actions


def computed_columns(place: PlaceBook) -> list[int]:
    """Columns of RAG, Reason and Checks; a located error when one is missing."""
    missing = [k for k in COMPUTED_KEYS if k not in place.header.keys]
    if missing:
        raise LtpgapError(
            [
                make_issue(
                    "missing-column",
                    f"column '{HEADER_OF[k]}' is missing from the table, so its results cannot be "
                    f"written; add a column headed '{HEADER_OF[k]}' to the right of the inputs.",
                    where=Where(file=place.file, sheet=place.sheet),
                )
                for k in missing
            ]
        )
    return [place.header.keys[k] for k in COMPUTED_KEYS]
