"""Push a new catalogue into a workbook ltpgap made (SPEC §8). An adapter around the pure plan.

Read (gate first) → find the catalogue the workbook was built from → plan → carry the inputs
(:func:`ltpgap.catalogue.migration.apply_plan`) → rewrite the Gap analysis table with the
builder's own code (catalogue columns from the new catalogue, inputs and extra columns
carried by Para) → retired rows to `Retired`, every change logged on `Catalogue changes`,
split and merged rows flagged in Checks → Summary, Read me and metadata updated → one atomic
save, after a timestamped backup. A dry run stops before anything is opened for writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.catalogue.migration import (
    MigrationPlan,
    MigrationResult,
    apply_plan,
    is_blank,
    plan_migration,
)
from ltpgap.issues import Issue, LtpgapError, Where, make_issue
from ltpgap.layout import DATA_SHEET, META_SHEET, SUMMARY_SHEET, TABLE_NAME
from ltpgap.rag import assess_place
from ltpgap.schema import COLUMNS, INPUT_KEYS
from ltpgap.workbook import _styles as st
from ltpgap.workbook._atomic import atomic_save
from ltpgap.workbook._cells import put_text
from ltpgap.workbook._heights import fit_rows
from ltpgap.workbook._migrate_sheets import (
    append_changes,
    append_retired,
    put_input,
    update_meta,
    update_readme,
)
from ltpgap.workbook._rewrite_safety import unsafe_content
from ltpgap.workbook._summary_sheet import write_summary

# The builder's own table writer and in-scope rule, so a pushed table looks exactly like a
# freshly built one. (Private names: ask the builder to keep them, or to make them public.)
from ltpgap.workbook.builder import WRAP_WIDTHS, _gap_sheet, _in_scope
from ltpgap.workbook.gate import GateLimits
from ltpgap.workbook.reader import PlaceWorkbook, read_workbook

__all__ = ["PushResult", "find_old_catalogue", "push_catalogue"]

_COL = {c.key: i for i, c in enumerate(COLUMNS, start=1)}


@dataclass(frozen=True, kw_only=True)
class PushResult:
    """What pushing a catalogue into one workbook did (or, in a dry run, would do)."""

    path: Path
    plan: MigrationPlan
    migration: MigrationResult | None  # None when the workbook is already up to date
    dry_run: bool
    written: bool = False
    backup: Path | None = None
    issues: tuple[Issue, ...] = field(default=())

    @property
    def up_to_date(self) -> bool:
        """True when the workbook already holds the new catalogue."""
        return self.migration is None

    def describe(self) -> str:
        """The plan for this workbook and what happens to its rows, in words."""
        head = f"{self.path}:"
        if self.migration is None:
            v = self.plan.new.info
            return f"{head} already on catalogue {v.id} {v.version}; nothing to do."
        m = self.migration
        filled = int(m.rows[list(INPUT_KEYS)].map(_has_value).any(axis=1).sum())
        kept = int(m.retired[list(INPUT_KEYS)].map(_has_value).any(axis=1).sum())
        n = len(m.retired)
        verb = "would be" if self.dry_run else ("was" if n == 1 else "were")
        lines = [
            head,
            self.plan.describe(),
            "",
            f"In this workbook: {len(m.rows)} rows in the new table ({filled} with inputs); "
            f"{n} row{'' if n == 1 else 's'} {verb} moved to the Retired sheet ({kept} with "
            f"inputs); rows flagged in Checks: {_count(m, 'migration-split')} split, "
            f"{_count(m, 'migration-merged')} merged.",
        ]
        if self.written:
            saved = f"; previous version kept as {self.backup}" if self.backup else ""
            lines.append(f"Written {self.path}{saved}.")
        elif self.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)


def _has_value(value: object) -> bool:
    return not is_blank(value)


def _count(m: MigrationResult, code: str) -> int:
    return sum(f.code == code for f in m.flags)


def _mismatch(book: PlaceWorkbook, message: str) -> LtpgapError:
    where = Where(file=book.path, sheet=META_SHEET)
    return LtpgapError([make_issue("catalogue-mismatch", message, where=where)])


def find_old_catalogue(
    book: PlaceWorkbook, new: Catalogue, given: Catalogue | None = None
) -> Catalogue:
    """The catalogue a workbook was built from: ``given`` (checked), ``new`` or the shipped one."""
    meta = book.meta
    if meta is None:
        if given is not None:
            return given
        raise _mismatch(
            book,
            "the workbook has no metadata sheet, so the catalogue it was built from is unknown; "
            "pass --from with that catalogue file.",
        )
    built = f"{meta.catalogue_id} {meta.catalogue_version} ({meta.catalogue_hash[:15]}…)"
    if meta.catalogue_hash == new.content_hash:
        return new
    if given is not None:
        if given.content_hash == meta.catalogue_hash:
            return given
        raise _mismatch(
            book,
            f"the workbook was built from catalogue {built}, but --from is "
            f"{given.info.id} {given.info.version} ({given.content_hash[:15]}…); pass --from "
            "with the exact catalogue file the workbook was built from.",
        )
    shipped = load_catalogue()
    if shipped.content_hash == meta.catalogue_hash:
        return shipped
    raise _mismatch(
        book,
        f"the workbook was built from catalogue {built}, which is neither the new catalogue "
        f"nor the one shipped with ltpgap ({shipped.info.id} {shipped.info.version}); pass "
        f"--from OLD.yaml with the catalogue file it was built from (version "
        f"{meta.catalogue_version}).",
    )


def push_catalogue(
    path: str | Path,
    new: Catalogue,
    *,
    old: Catalogue | None = None,
    dry_run: bool = False,
    backup: bool = True,
    now: datetime | None = None,
    limits: GateLimits | None = None,
) -> PushResult:
    """Migrate one workbook to catalogue ``new`` (``old``: the one it was built from, if known)."""
    path = Path(path)
    first = read_workbook(path, limits=limits)  # gate first; metadata tells the old catalogue
    source = find_old_catalogue(first, new, old)
    book = read_workbook(path, catalogue=source, limits=limits)
    plan = plan_migration(source, new)
    if source is new:
        return PushResult(path=path, plan=plan, migration=None, dry_run=dry_run)
    _refuse_unsafe(path)
    migration = apply_plan(plan, book.inputs, scope=book.scope)
    issues = (*book.issues, *plan.issues, *_locate(migration.flags, path))
    if dry_run:
        return PushResult(path=path, plan=plan, migration=migration, dry_run=True, issues=issues)
    saved = _rewrite(path, book, migration, now or datetime.now().astimezone(), backup)
    return PushResult(
        path=path,
        plan=plan,
        migration=migration,
        dry_run=False,
        written=True,
        backup=saved,
        issues=issues,
    )


def _refuse_unsafe(path: Path) -> None:
    """Refuse, as `recompute` does, a workbook holding what openpyxl would drop."""
    found = unsafe_content(path)
    if not found:
        return
    what = "; ".join(f"{label} ({part})" for label, part in found)
    raise LtpgapError(
        [
            make_issue(
                "unsafe-to-rewrite",
                f"ltpgap will not push into this workbook: it holds {what}, which the library "
                "it writes with (openpyxl) would silently drop. Open it in Excel and use the "
                "ltpgap add-in's Push catalogue button instead, which applies the same plan in "
                "place and keeps everything; or remove those items and push again.",
                where=Where(file=str(path)),
            )
        ],
        f"{path}: cannot rewrite this workbook safely",
    )


def _locate(flags: tuple[Issue, ...], path: Path) -> tuple[Issue, ...]:
    return tuple(
        Issue(
            code=f.code,
            message=f.message,
            where=Where(file=str(path), sheet=DATA_SHEET),
            severity=f.severity,
            commitment=f.commitment,
        )
        for f in flags
    )


def _refuse_offset_table(book: PlaceWorkbook, ws: Worksheet) -> None:
    """The table is rewritten from A1: refuse when something sits above a moved header."""
    if book.header_row <= 1:
        return
    above = [
        c.coordinate
        for row in ws.iter_rows(min_row=1, max_row=book.header_row - 1)
        for c in row
        if c.value is not None
    ]
    if above:
        raise LtpgapError(
            [
                make_issue(
                    "unsafe-to-rewrite",
                    f"the Gap analysis table starts in row {book.header_row}, below cells "
                    f"({', '.join(above[:5])}) a push would overwrite. Move the table back to "
                    "A1 (or those cells to another sheet), or push with the Excel add-in.",
                    where=Where(file=book.path, sheet=book.sheet, cell=above[0]),
                )
            ]
        )


def _rewrite(
    path: Path, book: PlaceWorkbook, m: MigrationResult, now: datetime, backup: bool
) -> Path | None:
    when = now.strftime("%Y-%m-%d %H:%M")
    new = m.plan.new
    wb = openpyxl.load_workbook(path, rich_text=True)
    old_ws = wb[book.sheet]
    _refuse_offset_table(book, old_ws)
    widths = _extra_widths(old_ws, book)
    index = wb.sheetnames.index(book.sheet)
    wb.remove(old_ws)
    ws = wb.create_sheet(book.sheet, index)
    assessment = assess_place(new, m.rows, unit_id=book.unit_id, scope=book.scope)
    frame = _with_flags(assessment.frame, m.flags)
    _gap_sheet(ws, new, _in_scope(new, book.scope), frame, book.scope)
    _write_inputs(ws, m, widths)
    append_retired(wb, m, when)
    append_changes(wb, m, when)
    _replace_summary(wb, frame, book, new, when)
    update_readme(wb, new)
    update_meta(wb, new, _current_meta(book))
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True
    return atomic_save(wb, path, backup=backup, now=now)


def _current_meta(book: PlaceWorkbook) -> dict[str, str]:
    meta = book.meta
    if meta is None:
        return {"unit_id": book.unit_id, "scope": book.scope}
    return {
        "unit_id": meta.unit_id,
        "scope": meta.scope,
        "unit_name": meta.unit_name,
        "ics_id": meta.ics_id,
        "generated_at": meta.generated_at,
    }


def _with_flags(frame: pd.DataFrame, flags: tuple[Issue, ...]) -> pd.DataFrame:
    """Add the split and merged flags to the Checks of their rows."""
    notes: dict[str, list[str]] = {}
    for f in flags:
        if f.code in ("migration-split", "migration-merged") and f.commitment:
            notes.setdefault(f.commitment, []).append(f.message)
    out = frame.copy()
    out["checks"] = [
        "; ".join(filter(None, [*notes.get(str(p), []), str(c or "")]))
        for p, c in zip(out["para"], out["checks"], strict=True)
    ]
    return out


def _extra_widths(ws: Worksheet, book: PlaceWorkbook) -> dict[str, float]:
    """Column widths the user gave their extra columns, by header."""
    widths: dict[str, float] = {}
    for cell in ws[book.header_row]:
        header = str(cell.value).strip() if cell.value is not None else ""
        if header in book.extra_headers:
            width = ws.column_dimensions[get_column_letter(cell.column)].width
            widths[header] = width or 18
    return widths


def _write_inputs(ws: Worksheet, m: MigrationResult, widths: dict[str, float]) -> None:
    """Inputs into their cells, extra columns to the right of the table (and inside it)."""
    records = m.rows.to_dict("records")
    last_row = max(2, len(records) + 1)
    for r, record in enumerate(records, start=2):
        for key in INPUT_KEYS:
            if _has_value(record[key]):
                put_input(ws.cell(row=r, column=_COL[key]), record[key])
    for offset, name in enumerate(m.extra_columns, start=len(COLUMNS) + 1):
        head = ws.cell(row=1, column=offset)
        put_text(head, name)
        head.font, head.fill = st.HEADER_FONT, st.HEADER_FILLS["input"]
        head.alignment, head.border = st.HEADER_ALIGN, st.GRID
        ws.column_dimensions[get_column_letter(offset)].width = widths.get(name, 18)
        for r, record in enumerate(records, start=2):
            cell = ws.cell(row=r, column=offset)
            if _has_value(record[name]):
                put_input(cell, record[name])
            cell.font, cell.border, cell.alignment = st.BODY, st.GRID, st.WRAP_TOP
            cell.fill, cell.protection = st.INPUT_FILL, st.UNLOCKED
    last_col = get_column_letter(len(COLUMNS) + len(m.extra_columns))
    ws.tables[TABLE_NAME].ref = f"A1:{last_col}{last_row}"
    wrap = dict(WRAP_WIDTHS)
    wrap |= {get_column_letter(len(COLUMNS) + 1 + i): 18 for i in range(len(m.extra_columns))}
    fit_rows(ws, range(2, last_row + 1), wrap)


def _replace_summary(
    wb: Any, frame: pd.DataFrame, book: PlaceWorkbook, new: Catalogue, when: str
) -> None:
    index = len(wb.sheetnames)
    if SUMMARY_SHEET in wb.sheetnames:
        index = wb.sheetnames.index(SUMMARY_SHEET)
        wb.remove(wb[SUMMARY_SHEET])
    unit = book.meta.unit_name if book.meta else book.unit_id
    write_summary(
        wb.create_sheet(SUMMARY_SHEET, index),
        frame,
        new,
        unit_name=unit,
        as_of=f"catalogue {new.info.version} pushed {when}",
    )
