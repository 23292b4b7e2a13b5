"""A workbook read and assessed: what `check`, `summary` and `recompute` all start from.

The reader turns the file into inputs; the pure RAG core assesses them. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue
from ltpgap.layout import META_SHEET
from ltpgap.rag import PlaceAssessment, assess_place
from ltpgap.workbook.gate import GateLimits
from ltpgap.workbook.reader import PlaceWorkbook, cell_locator, read_workbook

__all__ = [
    "ICS_SUMMARY_READERS",
    "WorkbookResult",
    "WorkbookSummary",
    "assess_workbook",
    "is_blank_template",
    "summarise_workbook",
]


@dataclass(frozen=True, kw_only=True)
class WorkbookResult:
    """A place (or ICS-team) workbook as read, with its RAG assessment and every problem."""

    path: Path
    book: PlaceWorkbook
    catalogue: Catalogue
    assessment: PlaceAssessment
    catalogue_issues: tuple[Issue, ...] = ()

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Reader problems, catalogue mismatch, then the RAG checks, in that order."""
        return (*self.book.issues, *self.catalogue_issues, *self.assessment.issues)


def _catalogue_check(book: PlaceWorkbook, catalogue: Catalogue, path: Path) -> tuple[Issue, ...]:
    meta = book.meta
    if meta is None or meta.catalogue_hash == catalogue.content_hash:
        return ()
    return (
        make_issue(
            "catalogue-mismatch",
            f"the workbook was built from catalogue {meta.catalogue_id} {meta.catalogue_version}"
            f" but is being assessed against {catalogue.info.id} {catalogue.info.version}; "
            "rows are matched by Para, so commitments added or removed since then show as "
            "missing or unknown. Pass --catalogue with the catalogue it was built from, or "
            "push the new catalogue into the workbook.",
            where=Where(file=str(path), sheet=META_SHEET),
            severity=Severity.WARNING,
        ),
    )


def assess_workbook(
    path: str | Path, *, catalogue: Catalogue | None = None, limits: GateLimits | None = None
) -> WorkbookResult:
    """Read a workbook (gate first) and assess it; raises LtpgapError when it cannot be read."""
    path = Path(path)
    catalogue = catalogue or load_catalogue()
    book = read_workbook(path, catalogue=catalogue, limits=limits)
    assessment = assess_place(
        catalogue,
        book.input_columns,
        unit_id=book.unit_id,
        scope=book.scope,
        locate=cell_locator(book),
    )
    return WorkbookResult(
        path=path,
        book=book,
        catalogue=catalogue,
        assessment=assessment,
        catalogue_issues=_catalogue_check(book, catalogue, path),
    )


@dataclass(frozen=True, kw_only=True)
class WorkbookSummary:
    """What `ltpgap summary` reports for one workbook, place or ICS.

    ``frame`` has one row per commitment: para, chapter, programme_area, must_do, rag, reason.
    ``places`` (ICS workbooks only) maps para → {place id: RAG}.
    """

    workbook: Path
    level: Literal["place", "ics"]
    unit_id: str
    unit_name: str
    catalogue_id: str
    catalogue_version: str
    frame: pd.DataFrame
    places: Mapping[str, Mapping[str, str]] | None = None
    issues: tuple[Issue, ...] = field(default=())


#: Readers for the merged ICS workbook, tried in order before the place reader; each returns
#: ``None`` when the file is not one of its own. The ICS merge registers its reader here, so
#: `ltpgap summary` reports an ICS workbook (with each commitment's place RAGs) unchanged.
ICS_SUMMARY_READERS: list[Callable[[Path, Catalogue], WorkbookSummary | None]] = []


def summarise_workbook(path: str | Path, *, catalogue: Catalogue | None = None) -> WorkbookSummary:
    """The RAG of every commitment in a workbook, computed from its inputs (not its RAG column)."""
    import ltpgap.merge  # noqa: F401  (registers the ICS workbook reader in ICS_SUMMARY_READERS)

    path = Path(path)
    catalogue = catalogue or load_catalogue()
    for reader in ICS_SUMMARY_READERS:
        found = reader(path, catalogue)
        if found is not None:
            return found
    result = assess_workbook(path, catalogue=catalogue)
    book = result.book
    frame = result.assessment.frame[
        ["para", "chapter", "programme_area", "must_do", "rag", "reason"]
    ].copy()
    return WorkbookSummary(
        workbook=path,
        level=book.scope,
        unit_id=book.unit_id,
        unit_name=book.meta.unit_name if book.meta else book.unit_id,
        catalogue_id=catalogue.info.id,
        catalogue_version=catalogue.info.version,
        frame=frame,
        # The ICS team's own workbook has no places: each commitment is assessed once.
        places={} if book.scope == "ics" else None,
        issues=result.issues,
    )


def is_blank_template(path: str | Path) -> bool:
    """True when the file is a blank template ltpgap wrote (no place in its metadata)."""
    try:
        book = read_workbook(Path(path))
    except LtpgapError:
        return False
    return book.meta is not None and book.meta.intact and not book.meta.unit_id
