"""The add-in's three operations, written once against the ``xlwings.Book`` API.

``push_catalogue``, ``recompute`` and ``check`` run unchanged under desktop xlwings (RunPython),
xlwings Server (the remote engine) and xlwings Lite: they only read sheets, write whole blocks
and queue a handful of structural calls. Every sheet is read once; every write is a block (one
action per contiguous run of columns), so the number of actions does not grow with the rows.
Colour comes from the conditional formats already in the workbook (or, for sheets ltpgap adds,
rules it adds once); text from cells is written back so it can never become a formula.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pandas as pd

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.ics import IcsConfig, load_ics
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue
from ltpgap.layout import DATA_SHEET, META_SHEET, SUMMARY_INPUTS, SUMMARY_SHEET, TABLE_NAME
from ltpgap.rag import PlaceAssessment, assess_place, rag_counts
from ltpgap.schema import COMPUTED_KEYS, INPUT_KEYS
from ltpgap.xl import ics as ics_book
from ltpgap.xl import push as pushing
from ltpgap.xl import summary
from ltpgap.xl._blocks import put_block
from ltpgap.xl._cells import column_letter, pad_grid
from ltpgap.xl._sheet import find_sheet, read_grid
from ltpgap.xl.place import (
    BLOCK_INPUTS,
    PlaceBook,
    assess,
    catalogue_mismatch,
    computed_block,
    computed_columns,
    read_place,
    write_block,
)
from ltpgap.xl.protection import NoProtection, SheetProtection, unlocked

if TYPE_CHECKING:
    import xlwings as xw

__all__ = ["Outcome", "check", "push_catalogue", "recompute"]

Authorize = Callable[[str, str], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What an operation did: which workbook, the RAG counts after it, and what it found."""

    operation: Literal["push_catalogue", "recompute", "check"]
    unit_id: str
    scope: str
    counts: dict[str, int]
    issues: tuple[Issue, ...] = ()
    rows: int = 0
    note: str = ""
    #: The sheet whose Checks column now shows each table row's problems (None: no cell
    #: shows any, as in the ICS workbook, whose Checks sheet only a merge rewrites).
    shown_on: str | None = None

    def describe(self) -> str:
        """One line for a status message."""
        counts = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        see = ", see Checks" if self.shown_on is not None else ""
        problems = f"; {len(self.issues)} problem(s){see}" if self.issues else ""
        return f"{self.operation.replace('_', ' ')} {self.unit_id}: {counts}{problems}{self.note}"

    def unshown(self) -> tuple[Issue, ...]:
        """Problems no cell shows after the operation: the add-in tells them in a message
        instead, so none goes unsaid. In a place workbook those are the ones about the
        workbook as a whole (a problem about a commitment is in its row's Checks cell, or on
        the Retired sheet with its row); in the ICS workbook, all of them."""
        if self.shown_on is None:
            return self.issues
        return tuple(
            i
            for i in self.issues
            if not i.commitment and not (i.where.sheet == self.shown_on and i.where.cell)
        )

    def message(self, limit: int = 5, max_chars: int = 1200) -> str | None:
        """The message for the problems no cell shows (None when there are none).

        At most ``limit`` problems and about ``max_chars`` characters: the add-in's message box
        receives its text in a URL.
        """
        order = list(Severity)  # errors first, then warnings, then information
        problems = sorted(self.unshown(), key=lambda i: order.index(i.severity))
        if not problems:
            return None
        where = (
            "Place data or the workbook's metadata; the Checks sheet lists them after the "
            "next `ltpgap merge`"
            if self.shown_on is None
            else "the workbook as a whole, not one row, so the Checks column cannot show them"
        )
        head = f"{self.describe()}\n\n{len(problems)} problem(s) concern {where}:"
        lines: list[str] = []
        for issue in problems[:limit]:
            line = str(issue)
            if len(head) + sum(len(x) + 1 for x in lines) + len(line) > max_chars and lines:
                break
            lines.append(line if len(line) <= max_chars // 2 else line[: max_chars // 2] + "…")
        if len(problems) > len(lines):
            lines.append(f"… +{len(problems) - len(lines)} more")
        return "\n".join([head, *lines])


def _allow(unit_id: str, scope: str) -> None:
    """Default: the planner's own Excel (desktop, Lite) may change its own workbook."""


@dataclass(frozen=True, kw_only=True)
class _Assessed:
    """A place workbook read, its caller authorised, and its rows assessed."""

    place: PlaceBook
    assessment: PlaceAssessment
    columns: list[int]  # RAG, Reason and Checks columns
    block: list[list[object]]  # their values for every table row
    issues: tuple[Issue, ...]

    def outcome(self, operation: Literal["recompute", "check"]) -> Outcome:
        """What the operation did, for the status message."""
        return Outcome(
            operation=operation,
            unit_id=self.place.unit_id,
            scope=self.place.scope,
            counts=self.assessment.rag_counts(),
            issues=self.issues,
            rows=len(self.block),
            shown_on=self.place.sheet,
        )


def _assess_book(book: xw.Book, catalogue: Catalogue, authorize: Authorize) -> _Assessed:
    place = read_place(book, catalogue)
    authorize(place.unit_id, place.scope)
    assessment = assess(place, catalogue)
    return _Assessed(
        place=place,
        assessment=assessment,
        columns=computed_columns(place),
        block=computed_block(place, assessment.columns(*BLOCK_INPUTS)),
        issues=(*place.issues, *catalogue_mismatch(place, catalogue), *assessment.issues),
    )


def recompute(
    book: xw.Book,
    *,
    catalogue: Catalogue | None = None,
    ics: IcsConfig | None = None,
    protection: SheetProtection | None = None,
    authorize: Authorize = _allow,
) -> Outcome:
    """Place workbook: RAG, Reason, Checks and Summary. ICS workbook: matrix, summaries, grid."""
    catalogue = load_catalogue() if catalogue is None else catalogue
    protection = NoProtection() if protection is None else protection
    if ics_book.is_ics_workbook(book):
        return _recompute_ics(
            book, catalogue, load_ics() if ics is None else ics, protection, authorize
        )
    done = _assess_book(book, catalogue, authorize)
    place = done.place
    summary_sheet = find_sheet(book, SUMMARY_SHEET)
    targets = [place.sheet, *([summary_sheet.name] if summary_sheet is not None else [])]
    with unlocked(protection, book, targets, []):
        write_block(
            book.sheets[place.sheet],
            place.first_row,
            done.columns,
            done.block,
            skip=place.header.skip,
        )
        if summary_sheet is not None:
            block = summary.summary_block(done.assessment.columns(*SUMMARY_INPUTS), catalogue)
            summary.write_summary(summary_sheet, block)
    return done.outcome("recompute")


def _recompute_ics(
    book: xw.Book,
    catalogue: Catalogue,
    ics: IcsConfig,
    protection: SheetProtection,
    authorize: Authorize,
) -> Outcome:
    authorize(ics.id, "ics")
    result = ics_book.compute_ics(book, catalogue, ics)
    with unlocked(protection, book, ics_book.output_sheets(book, result=result), []):
        ics_book.write_ics(book, result)
    return Outcome(
        operation="recompute",
        unit_id=ics.id,
        scope="ics-merge",
        counts=result.rollup.rag_counts(),
        issues=result.issues,
        rows=len(result.rollup),
    )


def check(
    book: xw.Book,
    *,
    catalogue: Catalogue | None = None,
    protection: SheetProtection | None = None,
    authorize: Authorize = _allow,
) -> Outcome:
    """Write the Checks column only (RAG, Reason and Summary are left as they are)."""
    catalogue = load_catalogue() if catalogue is None else catalogue
    protection = NoProtection() if protection is None else protection
    done = _assess_book(book, catalogue, authorize)
    at = COMPUTED_KEYS.index("checks")
    checks = [[row[at]] for row in done.block]
    with unlocked(protection, book, [done.place.sheet], []):
        sheet = book.sheets[done.place.sheet]
        write_block(
            sheet, done.place.first_row, [done.columns[at]], checks, skip=done.place.header.skip
        )
    return done.outcome("check")


def push_catalogue(
    book: xw.Book,
    *,
    catalogue: Catalogue | None = None,
    unit_id: str | None = None,
    protection: SheetProtection | None = None,
    authorize: Authorize = _allow,
) -> Outcome:
    """Fill a new Gap analysis sheet, or carry an existing one to this catalogue by Para."""
    catalogue = load_catalogue() if catalogue is None else catalogue
    protection = NoProtection() if protection is None else protection
    if find_sheet(book, DATA_SHEET) is None:
        from ltpgap.xl.new_sheet import add_gap_sheet

        return add_gap_sheet(book, catalogue, unit_id=unit_id, authorize=authorize)
    place = read_place(book, catalogue)
    authorize(place.unit_id, place.scope)
    if TABLE_NAME in place.grid.totals:
        raise LtpgapError([_total_row_on(place)])
    plan = pushing.plan_push(place, catalogue)
    rows_frame = plan.result.rows
    computed = assess_place(catalogue, rows_frame, unit_id=place.unit_id, scope=place.scope).frame
    columns, rows = pushing.body_rows(place, plan, catalogue, computed)
    old_n = len(place.row_paras)
    new_n = len(rows)
    padded = pad_grid(rows, max(old_n, new_n), len(columns))
    sheet = book.sheets[place.sheet]
    cells, colours = pushing.input_runs(place, plan.commitments, max(0, old_n - new_n))
    meta_sheet = find_sheet(book, META_SHEET)
    summary_sheet = find_sheet(book, SUMMARY_SHEET)
    targets = [place.sheet] + [s.name for s in (meta_sheet, summary_sheet) if s is not None]
    lock_list: list[str] = []
    with unlocked(protection, book, targets, lock_list):
        _write_body(sheet, place, columns, padded, new_n, colours)
        lock_list.extend(
            f"{'L' if locked else 'U'}:{place.sheet}!{address}" for address, locked in cells
        )
        _write_side_sheets(book, plan, catalogue, computed, meta_sheet, summary_sheet)
    return Outcome(
        operation="push_catalogue",
        unit_id=place.unit_id,
        scope=place.scope,
        counts=rag_counts(computed),
        issues=(*plan.plan.issues, *plan.flags),
        rows=new_n,
        note=f"; {plan.plan.describe().splitlines()[1]}",
        shown_on=place.sheet,
    )


def _total_row_on(place: PlaceBook) -> Issue:
    """Push catalogue adds and takes away rows of the table: Excel's Total Row, under them,
    would be written over (and rows typed under it moved into the table)."""
    return make_issue(
        "total-row-on",
        f"the table on '{place.sheet}' shows Excel's Total Row, and Push catalogue adds and "
        "takes away rows of the table, so it would write over the sums; nothing was changed. "
        "Untick Total Row (Table Design), press Push catalogue, then tick it again.",
        where=Where(file=place.file, sheet=place.sheet),
    )


def _write_side_sheets(
    book: xw.Book,
    plan: pushing.PushPlan,
    catalogue: Catalogue,
    computed: pd.DataFrame,
    meta_sheet: xw.Sheet | None,
    summary_sheet: xw.Sheet | None,
) -> None:
    """Retired rows appended, metadata moved to the new catalogue, Summary recomputed."""
    if not plan.result.retired.empty:
        retired_sheet, retired_grid = pushing.ensure_retired(book)
        start, block = pushing.retired_block(
            retired_grid, plan.result.retired, plan.result.extra_columns
        )
        retired_sheet.range((start, 1), (start + len(block) - 1, len(block[0]))).value = block
    if meta_sheet is not None:
        values = pushing.meta_block(read_grid(meta_sheet), catalogue)
        meta_sheet.range((1, 2), (len(values), 2)).value = values
    if summary_sheet is not None:
        summary.write_summary(summary_sheet, summary.summary_block(computed, catalogue))


def _write_body(
    sheet: xw.Sheet,
    place: PlaceBook,
    columns: list[int],
    padded: list[list[object]],
    new_n: int,
    colours: list[list[str | None]],
) -> None:
    """Para as text, the body in one block, the table resized, input fills in one call."""
    first = place.first_row
    para_col = place.header.keys["para"]
    sheet.range((first, para_col), (first + len(padded) - 1, para_col)).number_format = "@"
    left, right = columns[0], columns[-1]
    full: list[list[object]] = [[None] * (right - left + 1) for _ in padded]
    for i, row in enumerate(padded):
        for j, col in enumerate(columns):
            full[i][col - left] = row[j]
    put_block(sheet.range((first, left), (first + len(full) - 1, right)), full)
    for table in sheet.tables:
        if str(table.name) == TABLE_NAME:
            corner = f"{column_letter(left)}{place.header.row}"
            table.resize(sheet.range(f"{corner}:{column_letter(right)}{first + max(new_n, 1) - 1}"))
    if colours:
        cols = sorted(place.header.keys[k] for k in INPUT_KEYS if k in place.header.keys)
        step = max(1, 10_000 // max(1, len(colours[0])))
        for top in range(0, len(colours), step):
            chunk = colours[top : top + step]
            sheet.range(
                (first + top, cols[0]), (first + top + len(chunk) - 1, cols[-1])
            ).set_colors(chunk)
