"""The table's rows → the inputs frame, matched by Para and never by position.

Values are kept raw (the RAG layer normalises them); every oddity is reported with its cell:
unknown, missing, duplicated and blank Paras, Paras typed as numbers, Excel error values,
merged input cells, columns without a header. Nothing typed in an input or extra column is
dropped: a row with values but no Para is kept (with para "") and reported.

Work is done column by column (lists, not per-cell calls): a merge reads hundreds of these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import TypeVar, cast

import pandas as pd
from openpyxl.utils import get_column_letter

from ltpgap.catalogue import Catalogue
from ltpgap.issues import Issue, Where, make_issue
from ltpgap.layout import (
    CATALOGUE_COLUMNS,
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
from ltpgap.rag._table import first_positions, table_frame
from ltpgap.schema import HEADER_OF, INPUT_KEYS, is_blank, shortest
from ltpgap.workbook._layout import Layout
from ltpgap.workbook._xmlscan import split_ref

__all__ = ["ExcelError", "RowsRead", "check_paras", "is_blank", "read_rows"]

Grid = list[list[object]]
Merged = Sequence[tuple[tuple[int, int], tuple[int, int]]]
Decimals = Callable[[list[str]], Mapping[str, int | None]]
_NONE: Mapping[str, str] = {}
_V = TypeVar("_V")


class ExcelError(str):
    """An Excel error value such as ``#REF!`` read from a cell (not the text '#N/A').

    A ``str`` so the RAG layer treats it like any Excel error text; ``isinstance`` tells the two
    apart when it matters.
    """

    __slots__ = ()


@dataclass(slots=True, kw_only=True)
class RowsRead:
    """The inputs column by column (para, row, input keys, extras), the issues found, and
    the first Excel row of each Para. ``frame`` builds them into a DataFrame."""

    columns: dict[str, list[object]]
    issues: list[Issue] = field(default_factory=list)
    first_row: dict[str, int] = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        return table_frame(self.columns, ints=("row",))


class _Table:
    """The data rows below the header, held column by column (index 0 = first data row)."""

    def __init__(
        self,
        file: str,
        grid: Grid,
        layout: Layout,
        errors: Mapping[str, str],
        formulas: Mapping[str, str] = _NONE,
    ) -> None:
        self.file, self.layout = file, layout
        self.top = layout.header_row  # 0-based grid index of the first data row
        self.issues: list[Issue] = []
        self.errors: dict[int, dict[int, ExcelError]] = self._by_column(errors, ExcelError)
        # Formulas never calculated: read as typed ("=" and the formula); "" when the cell
        # shares another's formula (there is no text of its own to keep).
        self.formulas = self._by_column(formulas, lambda f: f"={f}" if f else "")
        # A cell with no value may lie below the reader's grid: the rows reach down to it.
        deepest = max((i for c in self.formulas.values() for i in c), default=-1)
        self.data = grid[self.top :]
        self.data += [[] for _ in range(deepest + 1 - len(self.data))]
        if layout.totals_row is not None and 0 <= layout.totals_row - 1 - self.top < len(self.data):
            self.data[layout.totals_row - 1 - self.top] = []  # Excel's Total Row: not inputs
        # Transposed once, in C: the table is then read a column at a time.
        self.raw: list[tuple[object, ...]] = list(zip_longest(*self.data))
        self.cols: dict[int, list[object]] = {}

    def _by_column(
        self, cells: Mapping[str, str], value: Callable[[str], _V]
    ) -> dict[int, dict[int, _V]]:
        """Cells by reference → column → data index → value (cells above the data left out)."""
        out: dict[int, dict[int, _V]] = {}
        for ref, text in cells.items():
            pos = split_ref(ref)
            if pos and pos[0] > self.top and pos[0] != self.layout.totals_row:
                out.setdefault(pos[1] - 1, {})[pos[0] - 1 - self.top] = value(text)
        return out

    def column(self, j: int) -> list[object]:
        """Raw values of column ``j`` ('' → None; error cells → ExcelError; formulas never
        calculated → their formula as text)."""
        if j not in self.cols:
            col: list[object] = (
                [None if v == "" else v for v in self.raw[j]]
                if j < len(self.raw)
                else [None] * len(self.data)
            )
            for patch in (self.errors.get(j, {}), self.formulas.get(j, {})):
                for i, value in patch.items():
                    if i < len(col) and col[i] is None and value:
                        col[i] = value
            self.cols[j] = col
        return self.cols[j]

    def excel_row(self, i: int) -> int:
        return self.top + i + 1

    def add(
        self, code: str, message: str, cell: str | None = None, commitment: str | None = None
    ) -> None:
        where = Where(file=self.file, sheet=self.layout.sheet, cell=cell)
        self.issues.append(make_issue(code, message, where=where, commitment=commitment))

    def unheaded_columns(self) -> None:
        """Columns with values but no header are kept as extras named 'Column X'.

        Appends to ``layout.extras`` (the layout is built for this one read), so the frame and
        ``PlaceWorkbook.extra_headers`` both carry them.
        """
        lay = self.layout
        taken = set(lay.columns.values()) | {j for j, _ in lay.extras}
        width = max((len(r) for r in self.data), default=0)
        width = max(width, max(self.errors, default=-1) + 1, max(self.formulas, default=-1) + 1)
        names = {n for _, n in lay.extras}
        for j in range(width):
            letter = get_column_letter(j + 1)
            if j in taken or all(map(is_blank, self.column(j))):
                continue
            name, n = f"Column {letter}", 1
            while name in names:
                n += 1
                name = f"Column {letter} ({n})"
            names.add(name)
            lay.extras.append((j, name))
            self.add(
                "extra-column",
                f"column {letter} holds values but has no header; they are "
                f"kept as an extra column '{name}'. Give it a header, or move the values "
                "into the right input column.",
                f"{letter}{lay.header_row}",
            )
        for j, name in lay.extras:
            if not name.startswith("Column "):
                letter = get_column_letter(j + 1)
                self.add(
                    "extra-column",
                    f"column '{name}' ({letter}) is not an ltpgap column; "
                    "its values are kept as they are and play no part in the RAG.",
                    f"{letter}{lay.header_row}",
                )


def _paras(t: _Table, pcol: int | None, letter: str) -> tuple[list[str], dict[int, float]]:
    """Para text per data row ('' when blank) and the rows where it was typed as a number."""
    raw = t.column(pcol) if pcol is not None else [None] * len(t.data)
    paras: list[str] = []
    numeric: dict[int, float] = {}
    for i, v in enumerate(raw):
        if v is None or type(v) is str:
            paras.append(" ".join(v.split()) if isinstance(v, str) else "")
        elif isinstance(v, ExcelError):
            paras.append("")
            t.add("error-cell", para_error_message(v), f"{letter}{t.excel_row(i)}")
        elif isinstance(v, int | float) and not isinstance(v, bool):
            paras.append(shortest(v))
            numeric[i] = float(v)
        else:
            paras.append(" ".join(str(v).split()))
    return paras, numeric


def read_rows(
    *,
    file: str,
    grid: Grid,
    layout: Layout,
    errors: Mapping[str, str],
    catalogue: Catalogue | None,
    decimals_of: Decimals,
    merged: Merged = (),
    formulas: Mapping[str, str] = _NONE,
) -> RowsRead:
    """Read every non-blank row below the header into the inputs frame, with issues.

    ``errors`` and ``formulas`` are what the gate found in the sheet's XML: cells holding an
    Excel error value, and cells holding a formula that was never calculated (by reference).
    """
    t = _Table(file, grid, layout, errors, formulas)
    t.unheaded_columns()
    lay = layout
    pcol = lay.columns.get("para")
    letter = get_column_letter(pcol + 1) if pcol is not None else "A"
    inputs = [(k, lay.columns[k]) for k in INPUT_KEYS if k in lay.columns]
    content = [(HEADER_OF[k], j) for k, j in inputs] + [(n, j) for j, n in lay.extras]
    paras, numeric = _paras(t, pcol, letter)
    keep = _kept_rows(t, paras, [j for _, j in content])
    if numeric:
        _resolve_numbers(t, paras, numeric, letter, NumericParas(catalogue), decimals_of)
    kept = set(keep)
    _report_errors(t, content, kept, paras)
    _report_formulas(t, content, kept, paras)
    title_of = _title_para(t, catalogue)
    _report_blank_paras(t, keep, paras, content, letter, title_of)
    _report_unread_rows(t, kept, paras, letter, title_of)
    _report_merged(t, paras, inputs, merged)
    data: dict[str, list[object]] = {
        "para": [paras[i] for i in keep],
        "row": [t.excel_row(i) for i in keep],
    }
    none: list[object] = [None] * len(keep)
    for key in INPUT_KEYS:
        j = lay.columns.get(key)
        data[key] = none if j is None else _pick(t.column(j), keep)
    for j, name in lay.extras:
        data[name] = _pick(t.column(j), keep)
    rows = data["row"]
    first = {para: cast(int, rows[i]) for para, i in first_positions(data["para"]).items()}
    return RowsRead(columns=data, issues=t.issues, first_row=first)


def _kept_rows(t: _Table, paras: list[str], columns: list[int]) -> list[int]:
    """Rows with a Para, or with a value in an input or extra column (Para or not)."""
    todo = [i for i, p in enumerate(paras) if not p]  # only these need their cells looked at
    filled: set[int] = set()
    for j in columns:
        if not todo:
            break
        col = t.column(j)
        hits = {
            i
            for i in todo
            if (v := col[i]) is not None and (v.strip() if type(v) is str else not is_blank(v))
        }
        if hits:
            filled |= hits
            todo = [i for i in todo if i not in hits]
    return [i for i, p in enumerate(paras) if p or i in filled]


def _pick(column: list[object], keep: list[int]) -> list[object]:
    return column if len(keep) == len(column) else [column[i] for i in keep]


def _resolve_numbers(
    t: _Table,
    paras: list[str],
    numeric: dict[int, float],
    letter: str,
    known: NumericParas,
    decimals_of: Decimals,
) -> None:
    refs = {i: f"{letter}{t.excel_row(i)}" for i in numeric}
    unsure = [refs[i] for i, n in numeric.items() if len(known.by_number.get(n, [])) != 1]
    shown = decimals_of(unsure) if unsure else {}
    for i, number in numeric.items():
        para, how = known.resolve(number, shown.get(refs[i]))
        paras[i] = para
        message = para_as_number_message(number, para, how)
        t.add("para-as-number", message, refs[i], commitment=para)


def _kept_cells(
    content: Sequence[tuple[str, int]],
    keep: set[int],
    cells: Mapping[int, Mapping[int, _V]],
) -> Iterator[tuple[str, int, int, _V]]:
    """(header, column, data index, value) of each cell of ``cells`` in a kept row, column by
    column in the table's order, top to bottom."""
    for header, j in content:
        for i, value in sorted(cells.get(j, {}).items()):
            if i in keep:
                yield header, j, i, value


def _report_errors(
    t: _Table, content: Sequence[tuple[str, int]], keep: set[int], paras: list[str]
) -> None:
    for header, j, i, value in _kept_cells(content, keep, t.errors):
        t.add(
            "error-cell",
            error_cell_message(header, str(value)),
            f"{get_column_letter(j + 1)}{t.excel_row(i)}",
            commitment=paras[i] or None,
        )


def _report_formulas(
    t: _Table, content: Sequence[tuple[str, int]], keep: set[int], paras: list[str]
) -> None:
    for header, j, i, formula in _kept_cells(content, keep, t.formulas):
        if not is_blank(t.raw[j][i] if j < len(t.raw) else None):
            continue  # the reader has a value for it after all
        what = (
            f"the formula {formula}, which was never calculated, so it has no value; the "
            "formula is kept as text"
            if formula
            else "a shared formula that was never calculated, so it has no value; it "
            "counts as blank"
        )
        t.add(
            "uncomputed-formula",
            f"{header} holds {what}. Open the workbook in Excel or LibreOffice, let it "
            "calculate, and save it; or type the value itself.",
            f"{get_column_letter(j + 1)}{t.excel_row(i)}",
            commitment=paras[i] or None,
        )


def _title_para(t: _Table, catalogue: Catalogue | None) -> Callable[[int], str | None]:
    """The Para of the commitment whose Title data row ``i`` holds (for a row without one)."""
    tcol = t.layout.columns.get("title")
    para_of = title_para(catalogue)
    return lambda i: para_of(t.column(tcol)[i]) if tcol is not None else None


def _filled(t: _Table, columns: Sequence[tuple[str, int]], i: int) -> list[str]:
    """'Initiatives in J12' for each of these columns holding a value in data row ``i``."""
    row = t.excel_row(i)
    return [
        f"{name} in {get_column_letter(j + 1)}{row}"
        for name, j in columns
        if not is_blank(t.column(j)[i])
    ]


def _report_blank_paras(
    t: _Table,
    keep: list[int],
    paras: list[str],
    content: Sequence[tuple[str, int]],
    letter: str,
    title_of: Callable[[int], str | None],
) -> None:
    for i in (i for i in keep if not paras[i]):
        row = t.excel_row(i)
        message = blank_para_message(row, _filled(t, content, i), f"{letter}{row}", title_of(i))
        t.add("blank-para", message, f"{letter}{row}")


def _report_unread_rows(
    t: _Table,
    kept: set[int],
    paras: list[str],
    letter: str,
    title_of: Callable[[int], str | None],
) -> None:
    """Rows with no Para and no input but text in a catalogue column (a local priority typed
    under the table, or a row whose Para was deleted): not read, so named, not dropped."""
    columns = [
        (c.header, j) for c in CATALOGUE_COLUMNS if (j := t.layout.columns.get(c.key)) is not None
    ]
    for i in (i for i, p in enumerate(paras) if not p and i not in kept and columns):
        cells = _filled(t, columns, i)
        if not cells:
            continue
        row = t.excel_row(i)
        t.add(
            "unread-row",
            unread_row_message(row, cells, f"{letter}{row}", title_of(i)),
            f"{letter}{row}",
        )


def _report_merged(
    t: _Table, paras: list[str], inputs: Sequence[tuple[str, int]], merged: Merged
) -> None:
    cols = {j: HEADER_OF[k] for k, j in inputs}
    for (r0, c0), (r1, c1) in merged:
        if r1 < t.top or not any(c0 <= j <= c1 for j in cols):
            continue
        ref = f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"
        heads = ", ".join(h for j, h in sorted(cols.items()) if c0 <= j <= c1)
        rows = range(max(r0, t.top) - t.top, min(r1 - t.top + 1, len(paras)))
        head = r0 - t.top
        first = paras[head] if 0 <= head < len(paras) else ""
        others = [paras[i] for i in rows if i != head and paras[i]]
        also = f"; Paras {', '.join(others)} read as blank there" if others else ""
        t.add(
            "merged-input-cells",
            f"cells {ref} ({heads}) are merged: only the first cell, "
            f"{get_column_letter(c0 + 1)}{r0 + 1}, holds a value{also}. Unmerge them (Home › "
            "Merge & Center) and fill in each row.",
            ref,
            commitment=first or None,
        )


def check_paras(
    *,
    read: RowsRead,
    catalogue: Catalogue,
    scope: str,
    where: Callable[[str | None], Where],
    para_letter: str,
) -> list[Issue]:
    """Unknown, out-of-scope, duplicated and missing Paras (catalogue order for missing)."""
    issues: list[Issue] = []
    in_scope = [c for c in catalogue if scope == "place" or c.level == "ics"]
    wanted = {c.id for c in in_scope}
    paras, rows = cast(list[str], read.columns["para"]), cast(list[int], read.columns["row"])
    for para, row in zip(paras, rows, strict=True):
        if not para:
            continue
        first = read.first_row[para]
        if first == row and para in wanted:
            continue  # the usual case: nothing to say
        cell = where(f"{para_letter}{row}")
        if first != row:
            message = duplicate_para_message(para, row, first)
            issues.append(make_issue("duplicate-para", message, where=cell, commitment=para))
        elif para not in wanted:  # not in the catalogue, or not ICS-level in the ICS team's
            message = unknown_para_message(para, catalogue)
            issues.append(make_issue("unknown-para", message, where=cell, commitment=para))
    for c in in_scope:
        if c.id not in read.first_row:
            issues.append(
                make_issue(
                    "missing-para",
                    f"commitment {c.id} ('{c.title}') has no "
                    "row in the table (deleted, or its Para changed), so it counts as Not "
                    "assessed. Add the row back (copy it from a fresh workbook) or put "
                    "its Para back.",
                    where=where(None),
                    commitment=c.id,
                )
            )
    return issues
