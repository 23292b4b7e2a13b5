"""Write into a workbook ltpgap made: recompute RAG, Reason, Checks and Summary; fill inputs.

Every write is atomic (a temporary file in the same folder, then ``os.replace``) and
`recompute` first copies the workbook to ``NAME.YYYYmmdd-HHMMSS.bak.xlsx``. A workbook
holding anything openpyxl would drop is refused before it is loaded (see
:mod:`ltpgap.workbook._rewrite_safety`): the Excel add-in's Recompute button handles those.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue
from ltpgap.layout import DATA_SHEET, SUMMARY_SHEET, TABLE_NAME
from ltpgap.rag._table import first_positions
from ltpgap.schema import COLUMNS, INPUT_KEYS
from ltpgap.workbook._atomic import atomic_save
from ltpgap.workbook._cells import put_value
from ltpgap.workbook._heights import fit_rows
from ltpgap.workbook._rewrite_safety import unsafe_content
from ltpgap.workbook._summary_sheet import write_summary
from ltpgap.workbook.builder import write_computed
from ltpgap.workbook.gate import gate_workbook
from ltpgap.workbook.results import WorkbookResult, assess_workbook

__all__ = ["RecomputeResult", "check_rewritable", "fill_inputs", "recompute_workbook"]

_ADDIN = (
    "Open it in Excel and use the ltpgap add-in's Recompute button instead, which updates the "
    "cells in place and keeps everything; or remove those items and run recompute again."
)
_CELL_ROW = re.compile(r"^[A-Z]{1,3}(\d+)$")


@dataclass(frozen=True, kw_only=True)
class RecomputeResult:
    """What `recompute` did: the workbook written, its backup and the assessment behind it."""

    path: Path
    backup: Path | None
    result: WorkbookResult

    @property
    def counts(self) -> dict[str, int]:
        """Green, Amber, Red, Not assessed and N/A counts after recomputing."""
        return self.result.assessment.rag_counts()


def check_rewritable(path: str | Path) -> list[Issue]:
    """An `unsafe-to-rewrite` issue for each thing openpyxl would silently drop."""
    found = unsafe_content(path)
    if not found:
        return []
    what = "; ".join(f"{label} ({part})" for label, part in found)
    return [
        make_issue(
            "unsafe-to-rewrite",
            f"ltpgap will not rewrite this workbook: it holds {what}, which the library it "
            f"writes with (openpyxl) would silently drop. {_ADDIN}",
            where=Where(file=str(path)),
        )
    ]


def _row_of(issue: Issue, sheet: str) -> int | None:
    if issue.where.sheet != sheet or not issue.where.cell:
        return None
    m = _CELL_ROW.match(issue.where.cell.replace("$", ""))
    return int(m.group(1)) if m else None


def _row_values(result: WorkbookResult) -> dict[int, dict[str, str]]:
    """Excel row → RAG, Reason and Checks to write (first row of each Para; extras get checks)."""
    book = result.book
    frame = result.assessment.frame.set_index("para")
    extra: dict[int, list[str]] = defaultdict(list)
    for issue in book.issues:
        row = _row_of(issue, book.sheet)
        if row is not None and issue.message not in extra[row]:
            extra[row].append(issue.message)
    values: dict[int, dict[str, str]] = {}
    # Each Para's result goes on its first row, the one it was assessed from.
    assessed = {i: p for p, i in first_positions(book.input_columns["para"]).items()}
    for i, row in enumerate(cast(list[int], book.input_columns["row"])):
        record = {"rag": "", "reason": "", "checks": ""}
        key = assessed.get(i)
        if key is not None and key in frame.index:
            record = {k: str(frame.at[key, k] or "") for k in ("rag", "reason", "checks")}
        notes = [m for m in extra.get(int(row), []) if m not in record["checks"]]
        record["checks"] = "; ".join(filter(None, [record["checks"], *notes]))
        values[int(row)] = record
    # A row not read (text only in catalogue columns: unread-row) has its message in its own
    # Checks cell too, as the add-in's Check puts it; its RAG and Reason are cleared.
    for row, notes in extra.items():
        if row > book.header_row and row not in values:
            values[row] = {"rag": "", "reason": "", "checks": "; ".join(notes)}
    return values


def _write_back(ws: Worksheet, result: WorkbookResult) -> None:
    columns = dict(result.book.columns)
    missing = [k for k in ("rag", "reason", "checks") if k not in columns]
    if missing:
        headers = {c.key: c.header for c in COLUMNS}
        raise LtpgapError(
            [
                make_issue(
                    "missing-column",
                    f"column '{headers[k]}' is missing from the table, so its results cannot be "
                    f"written; add a column headed '{headers[k]}' to the right of the inputs.",
                    where=Where(file=str(result.path), sheet=result.book.sheet),
                )
                for k in missing
            ]
        )
    rows = _row_values(result)
    for row, values in rows.items():
        write_computed(ws, columns, row, values)
    widths = {letter: ws.column_dimensions[letter].width or 9 for letter in columns.values()}
    fit_rows(ws, sorted(rows), widths)


def _replace_summary(wb: Any, result: WorkbookResult, when: str) -> None:
    index = len(wb.sheetnames)
    if SUMMARY_SHEET in wb.sheetnames:
        index = wb.sheetnames.index(SUMMARY_SHEET)
        wb.remove(wb[SUMMARY_SHEET])
    elif result.book.sheet in wb.sheetnames:
        index = wb.sheetnames.index(result.book.sheet) + 1
    meta = result.book.meta
    write_summary(
        wb.create_sheet(SUMMARY_SHEET, index),
        result.assessment.frame,
        result.catalogue,
        unit_name=meta.unit_name if meta else result.book.unit_id,
        as_of=f"recomputed {when}",
    )


def recompute_workbook(
    path: str | Path,
    *,
    catalogue: Catalogue | None = None,
    backup: bool = True,
    now: datetime | None = None,
) -> RecomputeResult:
    """Recompute RAG, Reason, Checks and Summary in place: refuse unsafe files, back up, replace."""
    path = Path(path)
    result = assess_workbook(path, catalogue=catalogue)  # gate + reader: refuses hostile files
    refused = check_rewritable(path)
    if refused:
        raise LtpgapError(refused, "cannot rewrite this workbook safely")
    when = (now or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    wb = openpyxl.load_workbook(path, rich_text=True)
    _write_back(wb[result.book.sheet], result)
    _replace_summary(wb, result, when)
    # Formulas a user typed keep working: ask Excel and LibreOffice to recalculate on open.
    wb.calculation.fullCalcOnLoad = True
    saved = atomic_save(wb, path, backup=backup, now=now)
    return RecomputeResult(path=path, backup=saved, result=result)


def _locate_table(wb: Any) -> tuple[Worksheet, int, dict[str, str]]:
    """The Gap analysis sheet, its header row and header text → column letter (our own files)."""
    for ws in wb.worksheets:
        if TABLE_NAME in ws.tables:
            first = ws.tables[TABLE_NAME].ref.split(":")[0]
            header_row = int(re.sub(r"^[A-Z]+", "", first))
            break
    else:
        ws, header_row = wb[DATA_SHEET], 1
    letters = {
        str(c.value).strip(): get_column_letter(c.column)
        for c in ws[header_row]
        if c.value is not None
    }
    return ws, header_row, letters


def fill_inputs(path: str | Path, inputs: Mapping[str, Mapping[str, object]]) -> None:
    """Write input values into a workbook by Para (as a planner would in Excel), atomically.

    ``inputs`` maps para → {input key: value}; text, numbers and dates are written as given
    (text never becomes a formula). Unknown keys or Paras raise LtpgapError.
    """
    path = Path(path)
    refused = [i for i in gate_workbook(path) if i.severity is Severity.ERROR]
    refused = refused or check_rewritable(path)
    if refused:
        raise LtpgapError(refused, "cannot write into this workbook safely")
    wb = openpyxl.load_workbook(path, rich_text=True)
    ws, header_row, letters = _locate_table(wb)
    headers = {c.key: c.header for c in COLUMNS}
    para_col = letters[headers["para"]]
    rows = {
        str(ws[f"{para_col}{r}"].value).strip(): r
        for r in range(header_row + 1, ws.max_row + 1)
        if ws[f"{para_col}{r}"].value is not None
    }
    problems = [
        make_issue("unknown-para", f"no row with Para {para!r}.", where=Where(file=str(path)))
        for para in inputs
        if para not in rows
    ]
    problems += [
        make_issue("unknown-field", f"{key!r} is not an input column; use one of {INPUT_KEYS}.")
        for values in inputs.values()
        for key in values
        if key not in INPUT_KEYS
    ]
    if problems:
        raise LtpgapError(problems)
    for para, values in inputs.items():
        for key, value in values.items():
            put_value(ws[f"{letters[headers[key]]}{rows[para]}"], value)
    atomic_save(wb, path)
