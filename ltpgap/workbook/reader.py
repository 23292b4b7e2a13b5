"""Read a place (or ICS-team) workbook into the domain model, robustly and read-only.

The gate (:mod:`ltpgap.workbook.gate`) sees the file first; only files that pass reach
python-calamine, which reads cell values. The Gap analysis table is found by its Table name
or its header signature, columns by header text, rows by Para; identity comes from the hidden
metadata sheet. Values are kept raw: normalising them is the RAG layer's job. The file is only
ever opened for reading.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar, cast

import pandas as pd
from python_calamine import CalamineWorkbook

from ltpgap.catalogue import Catalogue
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue
from ltpgap.layout import (
    CHANGES_SHEET,
    LISTS_SHEET,
    META_SHEET,
    README_SHEET,
    RETIRED_SHEET,
    SUMMARY_SHEET,
    column_letter,
)
from ltpgap.rag._table import input_locator, table_frame
from ltpgap.schema import INPUT_KEYS, cell_text, is_blank
from ltpgap.workbook._layout import Layout, find_layout, header_key, signature_row
from ltpgap.workbook._metadata import Identity, WorkbookMeta, read_identity
from ltpgap.workbook._numfmt import shown_decimals
from ltpgap.workbook._rows import ExcelError, RowsRead, check_paras, read_rows
from ltpgap.workbook.gate import GateLimits, Inspection, inspect_workbook

__all__ = ["ExcelError", "PlaceWorkbook", "WorkbookMeta", "cell_locator", "read_workbook"]

Grid = list[list[object]]
_T = TypeVar("_T")


@dataclass(frozen=True, kw_only=True)
class PlaceWorkbook:
    """A workbook as read: identity, where the table is, the raw inputs and every problem.

    The inputs are held column by column (``input_columns``); ``inputs`` is the same as a
    DataFrame, built on first use. A merge reads hundreds of workbooks in worker processes and
    needs only the columns, so they travel without a frame.
    """

    path: str
    meta: WorkbookMeta | None  # None when the metadata sheet is missing
    unit_id: str  # from the metadata; the file stem when there is none (with an issue)
    scope: Literal["place", "ics"]
    sheet: str  # actual name of the data sheet (it may have been renamed)
    header_row: int  # 1-based Excel row of the header
    columns: Mapping[str, str]  # schema key → Excel column letter, as found by header
    #: para, row, every INPUT_KEYS key (raw), then extra columns by header: lists of equal length
    input_columns: Mapping[str, list[object]]
    extra_headers: tuple[str, ...]
    issues: tuple[Issue, ...]
    #: Excel column letter of each extra column, in the order of ``extra_headers``
    extra_letters: tuple[str, ...] = ()

    @functools.cached_property
    def inputs(self) -> pd.DataFrame:
        """The inputs as a frame (object columns as read, ``row`` as int64)."""
        return table_frame(self.input_columns, ints=("row",))

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("inputs", None)  # the frame is rebuilt from the columns when asked for
        return state


class _ParserFailed(Exception):
    """python-calamine failed on a (gated) workbook; carries the sheet it was reading."""

    def __init__(self, sheet: str | None, cause: BaseException) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.sheet = sheet


def _calamine(sheet: str | None, call: Callable[[], _T]) -> _T:
    """Run a calamine call; any failure of the parser (even a Rust panic) is a bad workbook."""
    try:
        return call()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyo3's PanicException is a BaseException
        raise _ParserFailed(sheet, exc) from exc


class _Sheets:
    """Sheet values from calamine, loaded once each, positioned from A1."""

    def __init__(self, book: CalamineWorkbook) -> None:
        self.book = book
        self.grids: dict[str, Grid] = {}
        self.merges: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}

    def _load(self, name: str) -> None:
        sheet = self.book.get_sheet_by_name(name)
        self.grids[name] = cast(Grid, sheet.to_python(skip_empty_area=False))
        self.merges[name] = list(sheet.merged_cell_ranges or ())

    def grid(self, name: str) -> Grid:
        if name not in self.grids:
            _calamine(name, lambda: self._load(name))
        return self.grids[name]

    def merged(self, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        self.grid(name)
        return self.merges[name]


def _refuse(file: str, issues: tuple[Issue, ...] | list[Issue], why: str) -> LtpgapError:
    errors = [i for i in issues if i.severity is Severity.ERROR]
    return LtpgapError(errors or list(issues), summary=f"{file}: {why}")


def _infer_scope(paras: list[object], catalogue: Catalogue | None) -> Literal["place", "ics"]:
    """Without metadata: the ICS team's workbook is one whose known Paras are mostly ICS-level.

    A place workbook holds every commitment (about a sixth of them ICS-level); the ICS team's
    holds only ICS-level ones, so a majority tells them apart even after a few edits.
    """
    if catalogue is None:
        return "place"
    levels = [catalogue.by_id[str(p)].level for p in paras if p in catalogue]
    return "ics" if levels and levels.count("ics") * 2 > len(levels) else "place"


def _decimals(
    inspection: Inspection, sheet: str
) -> Callable[[list[str]], Mapping[str, int | None]]:
    facts, pkg = inspection.sheet(sheet), inspection.package

    def lookup(refs: list[str]) -> Mapping[str, int | None]:
        if facts is None or facts.part is None or pkg is None:
            return {}
        source = inspection.data if inspection.data is not None else inspection.path
        return shown_decimals(source, facts.part, pkg.styles, refs)

    return lookup


def _read(
    file: str, inspection: Inspection, catalogue: Catalogue | None
) -> tuple[Identity, Layout, RowsRead, list[Issue]]:
    pkg = inspection.package
    assert pkg is not None
    data = inspection.parser_bytes()  # what the gate passed, not the file again
    with _calamine(
        None,
        lambda: (
            CalamineWorkbook.from_filelike(io.BytesIO(data))
            if data is not None
            else CalamineWorkbook.from_path(file)
        ),
    ) as book:
        sheets = _Sheets(book)
        names = [(s.name, s.state) for s in pkg.sheets if s.part]
        identity = read_identity(file, names, sheets.grid)
        layout, issues = find_layout(
            file, [n for n, _ in names], pkg.tables, sheets.grid, skip={META_SHEET, LISTS_SHEET}
        )
        if layout is None:
            what = (
                "not a place workbook"
                if any(i.code == "report-workbook" for i in issues)
                else "no Gap analysis table"
            )
            raise _refuse(file, [*identity.issues, *issues], what)
        facts = inspection.sheet(layout.sheet)
        rows = read_rows(
            file=file,
            grid=sheets.grid(layout.sheet),
            layout=layout,
            errors=facts.error_cells if facts else {},
            formulas=facts.formula_cells if facts else {},
            catalogue=catalogue,
            decimals_of=_decimals(inspection, layout.sheet),
            merged=sheets.merged(layout.sheet),
        )
        retired = _retired(file, [n for n, _ in names], sheets.grid)
        own = _own_sheets(file, [n for n, _ in names], layout.sheet, sheets.grid, rows.columns)
    return identity, layout, rows, [*identity.issues, *issues, *rows.issues, *retired, *own]


#: The sheets ltpgap writes into a place workbook (the table's own sheet besides).
_TEMPLATE_SHEETS = frozenset(
    {README_SHEET, SUMMARY_SHEET, LISTS_SHEET, META_SHEET, RETIRED_SHEET, CHANGES_SHEET}
)


#: Sheets a tool adds: the desktop add-in's settings (README, "Desktop Excel").
_TOOL_SHEETS = frozenset({"xlwings.conf", "_xlwings.conf"})


def _own_sheets(
    file: str,
    names: list[str],
    table: str,
    grid: Callable[[str], Grid],
    read: Mapping[str, Sequence[object]],
) -> list[Issue]:
    """A note for each sheet with values that the template does not have (a place's own
    action plan, say): ltpgap does not read it, and a merge does not copy it. A sheet holding
    a second Gap analysis table (a copy of the sheet, kept up to date by mistake) is a
    warning, with the input cells on it that differ from the table read."""
    out = []
    for name in names:
        if name in _TEMPLATE_SHEETS or name == table or name.casefold() in _TOOL_SHEETS:
            continue
        cells = grid(name)
        header = signature_row(cells)
        if header is not None:
            out.append(_copy_of_table(file, name, table, cells, header, read))
            continue
        filled = sum(1 for row in cells for v in row if not is_blank(v))
        if filled:
            out.append(
                make_issue(
                    "extra-sheet",
                    f"the sheet '{name}' ({filled} filled cell(s)) is not part of the "
                    "template: ltpgap does not read it, and a merge does not copy it into the "
                    "ICS workbook. If it holds initiatives for the gap analysis, put them in "
                    "the rows of the commitments they deliver.",
                    where=Where(file=file, sheet=name),
                )
            )
    return out


_SHOWN_PARAS = 8


def _copy_of_table(
    file: str,
    name: str,
    table: str,
    cells: Grid,
    header: int,
    read: Mapping[str, Sequence[object]],
) -> Issue:
    """The warning for a second Gap analysis table: where it is, and how it differs."""
    keys = [header_key(v) for v in cells[header]]
    para = keys.index("para") if "para" in keys else None
    inputs = [(j, k) for j, k in enumerate(keys) if k in INPUT_KEYS]
    at = {str(p): i for i, p in reversed(list(enumerate(read.get("para", ()))))}
    differ: list[str] = []
    for r, row in enumerate(cells[header + 1 :], start=header + 2):
        text = " ".join(str(row[para]).split()) if para is not None and para < len(row) else ""
        i = at.get(text)
        if i is None:
            continue
        differ += [
            f"{column_letter(j + 1)}{r}"
            for j, k in inputs
            if cell_text(row[j] if j < len(row) else None) != cell_text(read[k][i])
        ]
    if differ:
        shown = ", ".join(differ[:_SHOWN_PARAS]) + (" …" if len(differ) > _SHOWN_PARAS else "")
        diff = (
            f"{len(differ)} of its input cell(s) differ from '{table}' ({shown}): if the "
            f"place's latest inputs are there, copy them into '{table}' and delete this sheet"
        )
    else:
        diff = f"its inputs are the same as on '{table}'; delete it to avoid confusion"
    return make_issue(
        "gap-table-copy",
        f"the sheet '{name}' holds a second Gap analysis table (headers in row {header + 1}), "
        f"a copy of the sheet perhaps. ltpgap reads only the table on '{table}', and a merge "
        f"does not copy this one; {diff}.",
        where=Where(file=file, sheet=name),
        severity=Severity.WARNING,
    )


def _retired(file: str, names: list[str], grid: Callable[[str], Grid]) -> list[Issue]:
    """A note when the Retired sheet (rows a catalogue push could not place) holds inputs:
    they stay in the workbook but count nowhere, and a merge does not copy them."""
    if RETIRED_SHEET not in names:
        return []
    rows = grid(RETIRED_SHEET)
    if not rows:
        return []
    keys = [header_key(v) for v in rows[0]]  # headers read as the table's are
    inputs = [j for j, k in enumerate(keys) if k in INPUT_KEYS]
    para = keys.index("para") if "para" in keys else None
    filled = [
        (r, row)
        for r, row in enumerate(rows[1:], start=2)
        if any(j < len(row) and not is_blank(row[j]) for j in inputs)
    ]
    if not filled:
        return []
    paras = [str(row[para]) for _, row in filled if para is not None and not is_blank(row[para])]
    shown = ", ".join(paras[:_SHOWN_PARAS]) + (" …" if len(paras) > _SHOWN_PARAS else "")
    which = f" (Para {shown})" if paras else ""
    return [
        make_issue(
            "retired-inputs",
            f"{len(filled)} row(s) on the Retired sheet hold inputs{which}: commitments a "
            "catalogue update removed, or rows it could not place. They stay in this "
            "workbook but count nowhere, and a merge does not copy them into the ICS "
            "workbook. Copy anything still relevant into the row of the commitment that "
            "replaced it.",
            where=Where(file=file, sheet=RETIRED_SHEET, cell=f"A{filled[0][0]}"),
        )
    ]


def read_workbook(
    path: str | Path, *, catalogue: Catalogue | None = None, limits: GateLimits | None = None
) -> PlaceWorkbook:
    """Read a workbook (gate first); raises LtpgapError when refused or when it has no table.

    With ``catalogue``, Paras are checked against it (unknown, missing, out of scope) and a Para
    typed as a number is recovered from it; without one those checks are skipped.
    """
    file = str(path)
    inspection = inspect_workbook(path, limits, keep_parts=True)
    if not inspection.passed:
        raise _refuse(file, inspection.issues, "refused before reading")
    try:
        identity, layout, rows, issues = _read(file, inspection, catalogue)
    except _ParserFailed as exc:
        where = Where(file=file, sheet=exc.sheet)
        raise LtpgapError(
            [
                make_issue(
                    "unreadable-workbook",
                    f"the workbook passed the safety checks but could not be read ({exc}); open "
                    "it in Excel, let it repair the file, and save it again.",
                    where=where,
                )
            ],
            summary=f"{file}: unreadable",
        ) from None
    scope = identity.scope or _infer_scope(rows.columns["para"], catalogue)
    if catalogue is not None:
        para = layout.letter("para") or "A"
        issues += check_paras(
            read=rows,
            catalogue=catalogue,
            scope=scope,
            para_letter=para,
            where=lambda cell: Where(file=file, sheet=layout.sheet, cell=cell),
        )
    letters = {key: letter for key in layout.columns if (letter := layout.letter(key))}
    return PlaceWorkbook(
        path=file,
        meta=identity.meta,
        unit_id=identity.unit_id,
        scope=scope,
        sheet=layout.sheet,
        header_row=layout.header_row,
        columns=letters,
        input_columns=rows.columns,
        extra_headers=tuple(name for _, name in layout.extras),
        extra_letters=layout.extra_letters(),
        issues=tuple(issues),
    )


def cell_locator(wb: PlaceWorkbook) -> Callable[[str, str], Where]:
    """(para, input key) → file › sheet › cell, for issues raised about a workbook's inputs."""
    return input_locator(
        file=wb.path,
        sheet=wb.sheet,
        letters=wb.columns,
        paras=wb.input_columns["para"],
        rows=wb.input_columns["row"],
    )
