"""Reading a live workbook through the ``xlwings.Book`` API, one block per sheet.

Every runtime (desktop COM, the remote engine of xlwings Server, xlwings Lite) answers the same
calls here. Each sheet is read once, from A1 to its last used cell: on the remote engine every
range read copies the whole sheet, and on the desktop every read is a round trip to Excel.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ltpgap.issues import LtpgapError, Where, make_issue
from ltpgap.layout import META_SHEET, header_key
from ltpgap.schema import HEADERS, is_blank
from ltpgap.xl._cells import column_letter

if TYPE_CHECKING:
    import xlwings as xw

__all__ = [
    "Grid",
    "HeaderMap",
    "extent",
    "find_header",
    "find_sheet",
    "read_grid",
    "read_meta",
    "sheet_names",
]

_MAX_HEADER_SCAN = 30


@dataclass(frozen=True, kw_only=True)
class Grid:
    """A sheet's values from A1 to its last used cell (1-based ``cell(row, col)``)."""

    sheet: str
    values: Sequence[Sequence[object]]
    tables: Mapping[str, str] = field(default_factory=dict)  # table name -> address
    #: Tables showing Excel's Total Row (left out of their addresses above).
    totals: frozenset[str] = frozenset()

    @property
    def n_rows(self) -> int:
        """Rows read (the last used row)."""
        return len(self.values)

    @property
    def n_cols(self) -> int:
        """Columns read (the last used column)."""
        return max((len(r) for r in self.values), default=0)

    def cell(self, row: int, col: int) -> object:
        """The value at a 1-based position, None outside the block."""
        if 1 <= row <= len(self.values):
            line = self.values[row - 1]
            if 1 <= col <= len(line):
                return line[col - 1]
        return None

    def where(self, row: int, col: int, file: str | None = None) -> Where:
        """The location of a cell, for an Issue."""
        return Where(file=file, sheet=self.sheet, cell=f"{column_letter(col)}{row}")


@dataclass(frozen=True, kw_only=True)
class HeaderMap:
    """Where a header row is and which schema key each column holds."""

    row: int
    first_col: int
    last_row: int
    keys: Mapping[str, int]  # schema key -> 1-based column
    extras: Mapping[str, int]  # unknown header text -> column
    #: Excel's Total Row, when rows typed under it are read too: its sums are not a row of
    #: inputs, and nothing is written into it.
    skip: int | None = None


def sheet_names(book: xw.Book) -> list[str]:
    """Names of every sheet, in order (cheap: no values are read)."""
    return [s.name for s in book.sheets]


def find_sheet(book: xw.Book, name: str) -> xw.Sheet | None:
    """The sheet with this name (case-insensitive), or None."""
    for sheet in book.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    return None


def _table_addresses(sheet: xw.Sheet) -> tuple[dict[str, str], frozenset[str]]:
    """Each table's header and body, without the Total Row Excel may add (its sums are not a
    commitment's row), and the names of the tables that show one."""
    out: dict[str, str] = {}
    totals = set()
    for table in sheet.tables:
        rng = table.range
        if rng is None:
            continue
        address = str(rng.address).replace("$", "")
        if _shows_totals(table) and ":" in address:
            start, _, end = address.partition(":")
            letters = end.rstrip("0123456789")
            address = f"{start}:{letters}{int(end[len(letters) :]) - 1}"
            totals.add(str(table.name))
        out[str(table.name)] = address
    return out, frozenset(totals)


def _shows_totals(table: Any) -> bool:
    """Whether the table has its Total Row on (False where an engine cannot say)."""
    try:
        return bool(table.show_totals)
    except (AttributeError, KeyError, NotImplementedError):
        return False


def extent(sheet: xw.Sheet) -> tuple[int, int]:
    """Rows and columns from A1 to the last used cell, without reading any value."""
    last = sheet.used_range.last_cell
    return int(last.row), int(last.column)


def read_grid(sheet: xw.Sheet) -> Grid:
    """Read a sheet's values from A1 to its last used cell, in one call."""
    last = sheet.used_range.last_cell
    rows, cols = int(last.row), int(last.column)
    # err_to_str: an Excel error comes as its text ('#N/A'), not as blank, so that Check says
    # so, as the command line does (xlwings otherwise reads it as None).
    values: Any = sheet.range((1, 1), (rows, cols)).options(ndim=2, err_to_str=True).value
    block = values if values else [[None]]
    tables, totals = _table_addresses(sheet)
    return Grid(sheet=sheet.name, values=block, tables=tables, totals=totals)


def _split_address(address: str) -> tuple[int, int, int]:
    """``A1:U501`` → (first row, first column, last row)."""
    m = re.match(r"^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$", address.upper())
    if not m:
        raise ValueError(address)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col, int(m.group(4) or m.group(2))


def _map_row(grid: Grid, row: int) -> tuple[dict[str, int], dict[str, int]]:
    keys: dict[str, int] = {}
    extras: dict[str, int] = {}
    for col in range(1, grid.n_cols + 1):
        text = grid.cell(row, col)
        if is_blank(text):
            continue
        key = header_key(text)
        if key and key not in keys:
            keys[key] = col
        elif not key:
            extras[str(text).strip()] = col
    return keys, extras


def _last_data_row(grid: Grid, start: int, cols: Sequence[int]) -> int:
    last = start - 1
    for row in range(start, grid.n_rows + 1):
        if any(not is_blank(grid.cell(row, c)) for c in cols):
            last = row
    return last


def find_header(
    grid: Grid,
    *,
    table: str | None,
    required: Sequence[str] = ("para",),
    file: str | None = None,
) -> HeaderMap:
    """Find the header row: by the table's address, else by the header signature."""
    candidates: list[int] = []
    table_last: int | None = None
    if table and table in grid.tables:
        first_row, _first_col, table_last = _split_address(grid.tables[table])
        candidates.append(first_row)
    candidates.extend(range(1, min(grid.n_rows, _MAX_HEADER_SCAN) + 1))
    for row in candidates:
        keys, extras = _map_row(grid, row)
        if all(k in keys for k in required) and len(keys) >= min(len(HEADERS) // 2, 3):
            cols = sorted({*keys.values(), *extras.values()})
            skip = None
            if not table_last:
                last = _last_data_row(grid, row + 1, cols)
            elif table in grid.totals:
                # Rows typed under Excel's Total Row are read, the Total Row passed over, as
                # the command line reads them.
                below = _last_data_row(grid, table_last + 2, cols)
                last, skip = (
                    (below, table_last + 1) if below > table_last + 1 else (table_last, None)
                )
            else:
                # Rows typed below the table (the sheet unprotected) are read, as the command
                # line reads them: a row Excel did not take into the table is still a row.
                last = _last_data_row(grid, table_last + 1, cols)
            return HeaderMap(
                row=row, first_col=cols[0], last_row=last, keys=keys, extras=extras, skip=skip
            )
    raise LtpgapError(
        [
            make_issue(
                "no-gap-table",
                f"expected a table with the ltpgap headers ({', '.join(HEADERS[:3])} …) on "
                f"sheet '{grid.sheet}', found none in its first {_MAX_HEADER_SCAN} rows. "
                "Restore the header row, or rebuild the workbook with `ltpgap init`.",
                where=Where(file=file, sheet=grid.sheet),
            )
        ]
    )


def _raw_rows(sheet: xw.Sheet) -> list[Sequence[object]]:
    """A sheet's cells from A1 to its last used cell as the engine holds them, unconverted.

    The remote engine (xlwings Server and Lite) turns any text shaped like an ISO date and time
    into a datetime as it reads values, so the metadata's ``generated_at``
    (``2026-12-08T02:23:01Z``, a text cell) would come back as ``2026-12-08 02:23:01``, and
    its checksum could not be checked or made again. Raw values are the text the cell holds.
    """
    rows, cols = extent(sheet)
    raw: Any = sheet.range((1, 1), (rows, cols)).raw_value
    if not isinstance(raw, list | tuple):
        return [[raw]]
    if raw and not isinstance(raw[0], list | tuple):
        return [raw] if rows == 1 else [[v] for v in raw]
    return list(raw)


def read_meta(book: xw.Book) -> dict[str, str]:
    """The hidden metadata sheet as key → value, each value the text its cells hold ({} when
    the sheet is missing or not sent)."""
    sheet = find_sheet(book, META_SHEET)
    if sheet is None:
        return {}
    out: dict[str, str] = {}
    for line in _raw_rows(sheet):
        key = line[0] if line else None
        if not is_blank(key):
            # A value over a cell's 32,767 characters (the places of a big ICS) continues in
            # columns C, D … (ltpgap.merge.ics_writer): join the pieces as written.
            value = "".join("" if v is None else str(v) for v in line[1:])
            out[str(key).strip()] = value.strip()
    return out
