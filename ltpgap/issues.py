"""Problems as data: a stable code, a location and a message a planner can act on.

Every layer collects :class:`Issue` records instead of raising on the first problem; the
command line, the Checks sheets and the add-in then report them together. Every code used
anywhere in ltpgap is registered in :data:`CODES`, so codes stay stable and documented.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "CODES",
    "Issue",
    "LtpgapError",
    "Severity",
    "Where",
    "format_issues",
    "has_errors",
    "make_issue",
    "only",
]


class Severity(StrEnum):
    """How serious a problem is: errors stop a command, warnings are reported."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeInfo:
    """What a problem code means and how serious it is by default."""

    severity: Severity
    summary: str


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

#: Every problem code ltpgap can report, with its default severity. Codes are kebab-case and
#: never change meaning once released; tests check each one is raised somewhere.
CODES: dict[str, CodeInfo] = {
    # --- catalogue file (ltpgap.catalogue) ---
    "file-not-found": CodeInfo(severity=E, summary="a named file does not exist"),
    "file-too-large": CodeInfo(severity=E, summary="a file is over the size bound"),
    "not-utf8": CodeInfo(severity=E, summary="a text file is not UTF-8"),
    "not-yaml": CodeInfo(
        severity=E, summary="a workbook or other binary file given for a YAML file"
    ),
    "yaml-syntax": CodeInfo(severity=E, summary="a YAML file cannot be parsed"),
    "yaml-duplicate-key": CodeInfo(severity=E, summary="a YAML mapping repeats a key"),
    "yaml-alias": CodeInfo(severity=E, summary="YAML anchors, aliases and merge keys are refused"),
    "yaml-too-deep": CodeInfo(severity=E, summary="YAML nesting is deeper than allowed"),
    "yaml-shape": CodeInfo(severity=E, summary="a YAML value has the wrong type or shape"),
    "missing-field": CodeInfo(severity=E, summary="a required field is absent or blank"),
    "unknown-field": CodeInfo(severity=W, summary="a field ltpgap does not know (typo?)"),
    "duplicate-id": CodeInfo(severity=E, summary="two entries share one id"),
    "id-not-string": CodeInfo(severity=E, summary="an id is written as a bare number"),
    "bad-id": CodeInfo(severity=E, summary="an id is not of the form chapter.paragraph[letter]"),
    "chapter-out-of-range": CodeInfo(severity=E, summary="chapter is not 1-7"),
    "chapter-id-mismatch": CodeInfo(severity=E, summary="chapter differs from the id's chapter"),
    "unknown-programme-area": CodeInfo(severity=E, summary="programme area id not declared"),
    "unknown-life-course": CodeInfo(severity=E, summary="life-course stage not declared"),
    "unknown-headline-metric": CodeInfo(severity=E, summary="headline metric id not declared"),
    "unknown-replaces": CodeInfo(severity=W, summary="replaces names an id not in this catalogue"),
    "bad-deadline": CodeInfo(severity=E, summary="a deadline cannot be parsed"),
    "bad-level": CodeInfo(severity=E, summary="level is not place, ics, region or national"),
    "bad-version": CodeInfo(severity=E, summary="catalogue version is not semantic (x.y.z)"),
    "title-too-long": CodeInfo(severity=W, summary="a title is over 80 characters"),
    "must-do-mismatch": CodeInfo(
        severity=W, summary="must_do disagrees with the Implementation Framework section"
    ),
    # --- ICS configuration ---
    "bad-population": CodeInfo(severity=E, summary="a place population is not a positive integer"),
    "bad-rule": CodeInfo(severity=E, summary="a rule override is not recognised or out of range"),
    "bad-date": CodeInfo(severity=E, summary="a date cannot be parsed"),
    "duplicate-name": CodeInfo(
        severity=E, summary="two places (or ICSs in a roll-up) share one name"
    ),
    "unknown-commitment": CodeInfo(severity=W, summary="a commitment id is not in the catalogue"),
    # --- place inputs and RAG rules (SPEC §5) ---
    "override-without-reason": CodeInfo(
        severity=W, summary="a RAG override has no reason and was ignored"
    ),
    "missing-delivery-date": CodeInfo(
        severity=W, summary="In progress or Planned without an expected delivery date"
    ),
    "missing-status": CodeInfo(severity=W, summary="initiatives given without a Status"),
    "coverage-blank": CodeInfo(severity=W, summary="Coverage blank, treated as Partial"),
    "ambiguous-rag": CodeInfo(severity=W, summary="two RAG values given; the worse was used"),
    "unrecognised-value": CodeInfo(
        severity=W, summary="a dropdown value could not be understood and was not guessed"
    ),
    "bad-delivery-date": CodeInfo(
        severity=W, summary="Expected delivery could not be read as a date, year or quarter"
    ),
    "misses-deadline": CodeInfo(
        severity=N, summary="expected delivery is after the commitment's due date"
    ),
    "inputs-not-counted": CodeInfo(
        severity=W,
        summary="something typed in the row of a commitment the place does not assess "
        "(ICS, region or national level); kept, not counted",
    ),
    # --- workbooks (reader, gate, writer) ---
    "gate-file-too-large": CodeInfo(severity=E, summary="workbook file is over the size bound"),
    "gate-not-xlsx": CodeInfo(severity=E, summary="file is not an .xlsx workbook"),
    "gate-encrypted": CodeInfo(severity=E, summary="workbook is password-encrypted"),
    "excel-lock-file": CodeInfo(
        severity=E, summary="the lock file Excel keeps beside an open workbook ('~$name.xlsx')"
    ),
    "workbook-open": CodeInfo(
        severity=W, summary="a workbook read or written is open in Excel (its lock file is there)"
    ),
    "gate-zip-bomb": CodeInfo(severity=E, summary="workbook expands beyond the bounds"),
    "gate-dtd": CodeInfo(severity=E, summary="workbook XML declares a DTD or entities"),
    "gate-too-many-cells": CodeInfo(severity=E, summary="a sheet is larger than the bounds"),
    "gate-too-many-sheets": CodeInfo(severity=E, summary="a workbook has more sheets than allowed"),
    "gate-cell-too-large": CodeInfo(severity=E, summary="a cell holds more text than allowed"),
    "unreadable-workbook": CodeInfo(severity=E, summary="a workbook could not be read"),
    "no-gap-table": CodeInfo(severity=E, summary="no Gap analysis table was found"),
    "missing-column": CodeInfo(severity=E, summary="a required column header is missing"),
    "extra-column": CodeInfo(severity=N, summary="a column ltpgap does not know, kept as is"),
    "unknown-para": CodeInfo(severity=W, summary="a row's Para is not in the catalogue"),
    "missing-para": CodeInfo(severity=W, summary="a catalogue commitment has no row"),
    "duplicate-para": CodeInfo(severity=E, summary="two rows share one Para"),
    "blank-para": CodeInfo(severity=W, summary="a row with inputs has no Para"),
    "unread-row": CodeInfo(
        severity=W, summary="a row without Para or inputs has text in catalogue columns; not read"
    ),
    "gap-table-copy": CodeInfo(
        severity=W, summary="a second Gap analysis table (a copy of the sheet) is not read"
    ),
    "total-row-on": CodeInfo(
        severity=E, summary="Push catalogue: the table shows Excel's Total Row; untick it first"
    ),
    "extra-sheet": CodeInfo(
        severity=N, summary="a sheet of the place's own, with values: not read, not merged"
    ),
    "retired-inputs": CodeInfo(
        severity=N,
        summary="rows on the Retired sheet hold inputs: kept in the workbook, counted nowhere, "
        "not merged",
    ),
    "para-as-number": CodeInfo(severity=W, summary="Para stored as a number, read as text"),
    "error-cell": CodeInfo(severity=W, summary="a cell holds an Excel error such as #REF!"),
    "uncomputed-formula": CodeInfo(
        severity=W, summary="a cell holds a formula that was never calculated (no saved value)"
    ),
    "merged-input-cells": CodeInfo(severity=W, summary="input cells are merged"),
    "no-metadata": CodeInfo(severity=W, summary="the hidden metadata sheet is missing"),
    "metadata-edited": CodeInfo(severity=W, summary="the metadata sheet was unhidden or edited"),
    "place-name-conflict": CodeInfo(
        severity=W, summary="the file name and the metadata name different places"
    ),
    "unsafe-to-rewrite": CodeInfo(
        severity=E, summary="workbook holds content openpyxl would drop; use the Excel add-in"
    ),
    "file-exists": CodeInfo(severity=E, summary="an output workbook exists; --force to replace"),
    "bad-output-name": CodeInfo(
        severity=E, summary="an output workbook's name does not end in .xlsx"
    ),
    "unsafe-server-settings": CodeInfo(
        severity=E, summary="the add-in server would run without auth or with CORS '*'"
    ),
    # --- merge and roll-up ---
    "duplicate-place": CodeInfo(severity=E, summary="the same place was submitted twice"),
    "place-not-in-ics": CodeInfo(severity=E, summary="a place is not in the ICS file"),
    "ics-file-changed": CodeInfo(
        severity=E,
        summary="the add-in's ICS Recompute: the ICS file's places or rules are not the workbook's",
    ),
    "catalogue-mismatch": CodeInfo(
        severity=E, summary="workbooks were built from different catalogues"
    ),
    "catalogue-migrated": CodeInfo(
        severity=N, summary="a workbook was migrated to the current catalogue"
    ),
    "input-changed": CodeInfo(severity=N, summary="an input changed since the previous merge"),
    "ics-workbook-checks": CodeInfo(
        severity=N, summary="an ICS workbook: the problems its Checks sheet recorded are listed"
    ),
    "place-skipped": CodeInfo(severity=E, summary="a place could not be merged"),
    # --- governing-body report (ltpgap.reports) ---
    "report-unavailable": CodeInfo(
        severity=E, summary="a report format cannot be written here (a library is missing)"
    ),
    "place-missing": CodeInfo(severity=W, summary="no workbook and no earlier data for a place"),
    "no-workbooks": CodeInfo(
        severity=E, summary="no workbook to merge or roll up was given (--out is not an input)"
    ),
    "not-a-place-workbook": CodeInfo(
        severity=E, summary="an ICS workbook was given where a place workbook was expected"
    ),
    "ics-matrix-damaged": CodeInfo(
        severity=E,
        summary="the ICS matrix lost a header its readers need, or a commitment's row was "
        "deleted, copied or renumbered (edited by hand)",
    ),
    "kept-data-damaged": CodeInfo(
        severity=E,
        summary="the Place data sheet, edited by hand, no longer holds the data a merge kept",
    ),
    "matrix-result-edited": CodeInfo(
        severity=W,
        summary=(
            "a result on the ICS matrix is not what its inputs or its row's RAGs give "
            "(typed over by hand?)"
        ),
    ),
    "gaps-edited": CodeInfo(
        severity=W,
        summary=(
            "the Gaps sheet does not list the ICS matrix's Reds, or not in the places' words "
            "(edited by hand?)"
        ),
    ),
    "place-data-edited": CodeInfo(
        severity=W,
        summary="a place's rows on Place data were changed by hand since the merge wrote them",
    ),
    "ics-workbook-additions": CodeInfo(
        severity=W,
        summary="the ICS workbook merged into held additions by hand; kept in a copy",
    ),
    "report-workbook": CodeInfo(
        severity=E,
        summary="the summary workbook of `ltpgap report` was given as a place or ICS workbook",
    ),
    "wrong-level": CodeInfo(
        severity=E,
        summary="a workbook of the wrong level (a place workbook where an ICS one was expected, "
        "or a roll-up given the wrong kind)",
    ),
    # --- history store (ltpgap.store) ---
    "stale-submission": CodeInfo(
        severity=W, summary="a workbook older than one already recorded for its place was refused"
    ),
    "duplicate-submission": CodeInfo(
        severity=N, summary="an identical workbook was already recorded; not counted twice"
    ),
    "snapshot-unchanged": CodeInfo(severity=N, summary="nothing new to record; no snapshot added"),
    "snapshot-recorded": CodeInfo(severity=N, summary="a merge was recorded in the history store"),
    "store-unavailable": CodeInfo(severity=E, summary="the history store cannot be opened"),
    "store-busy": CodeInfo(severity=E, summary="the history store stayed busy; nothing recorded"),
    "store-version": CodeInfo(severity=E, summary="the history store is newer than this ltpgap"),
    "migration-split": CodeInfo(severity=W, summary="inputs copied to a split commitment"),
    "migration-merged": CodeInfo(severity=W, summary="inputs of merged commitments concatenated"),
    "migration-retired": CodeInfo(
        severity=N,
        summary="a retired commitment's inputs set aside (push: to the Retired sheet; merge: "
        "counted nowhere)",
    ),
    "id-reused": CodeInfo(
        severity=W, summary="a new commitment reuses an old id whose inputs go elsewhere"
    ),
}

del E, W, N


@dataclass(frozen=True, slots=True, kw_only=True)
class Where:
    """A location: file › sheet › cell for workbooks, file:line for text files."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            head = f"{self.file}:{self.line}" if self.file else f"line {self.line}"
            return head
        parts = [p for p in (self.file, self.sheet, self.cell) if p]
        return " › ".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    """One problem: stable code, severity, location, the commitment it concerns, and advice."""

    code: str
    message: str
    where: Where = field(default_factory=Where)
    severity: Severity = Severity.ERROR
    commitment: str | None = None

    def __str__(self) -> str:
        where = str(self.where)
        place = [where] if where else []
        if self.commitment:
            place.append(f"[{self.commitment}]")
        head = f"{' '.join(place)}: " if place else ""  # no location: no empty ": "
        return f"{self.severity.value}: {head}{self.message} ({self.code})"

    def as_dict(self) -> dict[str, str | None]:
        """A flat, JSON-ready form."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "where": str(self.where),
            "commitment": self.commitment,
            "message": self.message,
        }


def make_issue(
    code: str,
    message: str,
    *,
    where: Where | None = None,
    commitment: str | None = None,
    severity: Severity | None = None,
) -> Issue:
    """Build an :class:`Issue` for a registered code, taking the code's default severity."""
    info = CODES.get(code)
    if info is None:
        raise KeyError(f"unregistered issue code {code!r}; add it to ltpgap.issues.CODES")
    return Issue(
        code=code,
        message=message,
        where=where or Where(),
        severity=severity or info.severity,
        commitment=commitment,
    )


def has_errors(issues: Iterable[Issue]) -> bool:
    """True when any issue is an error."""
    return any(i.severity is Severity.ERROR for i in issues)


def only(issues: Sequence[Issue], code: str) -> bool:
    """True when there are issues and every one has ``code`` (a file refused for one reason)."""
    return bool(issues) and all(i.code == code for i in issues)


def format_issues(issues: Sequence[Issue], *, limit: int = 50) -> str:
    """One line per issue, capped with '… +N more' so a long list stays readable."""
    lines = [str(i) for i in issues[:limit]]
    if len(issues) > limit:
        lines.append(f"… +{len(issues) - limit} more")
    return "\n".join(lines)


class LtpgapError(Exception):
    """Raised when a step cannot go on; carries every problem found, not just the first."""

    def __init__(self, issues: Sequence[Issue], summary: str | None = None) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        n = len(self.issues)
        head = summary or f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__(f"{head}\n{format_issues(self.issues)}")
