"""The workbook contract's layout, in one pure home (SPEC §4, §6).

Sheet and table names, the hidden metadata's keys and checksum, the dropdown lists, the
catalogue columns as a workbook shows them, header matching, chapter labels, and the Summary
sheet as a block of values. The openpyxl builder and reader (:mod:`ltpgap.workbook`) and the
Excel add-in (:mod:`ltpgap.xl`) both lay workbooks out from here; this module imports neither
openpyxl nor xlwings, so xlwings Lite can load it.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ltpgap import TEMPLATE_VERSION, __version__
from ltpgap.catalogue import LIFE_COURSE_NAMES, Catalogue, Commitment
from ltpgap.rag._table import Table, column_list
from ltpgap.rag.summary import Counts, must_do_red_rows, summary_counts
from ltpgap.schema import (
    COLUMNS,
    COVERAGE_VALUES,
    NOT_APPLICABLE_VALUES,
    OVERRIDE_VALUES,
    RAG_VALUES,
    STATUS_VALUES,
    is_blank,
    shortest,
)

__all__ = [
    "BY_AREA_SHEET",
    "BY_CHAPTER_SHEET",
    "CATALOGUE_COLUMNS",
    "CHANGES_SHEET",
    "CHAPTER_TITLES",
    "CHECKS_SHEET",
    "COUNT_HEADERS",
    "COUNT_KEYS",
    "DATA_SHEET",
    "EXCEL_ERRORS",
    "GAPS_SHEET",
    "HISTORY_SHEET",
    "ICS_OUTPUT_SHEETS",
    "ICS_TABLES",
    "LEVEL_NAMES",
    "LISTS",
    "LISTS_SHEET",
    "MATRIX_SHEET",
    "META_KEYS",
    "META_SHEET",
    "PLACE_DATA_SHEET",
    "README_SHEET",
    "REPORT_TABLE_NAME",
    "REPORT_WORKBOOK",
    "RETIRED_SHEET",
    "SNAPSHOT_SHEET",
    "SUMMARY_FIRST_ROW",
    "SUMMARY_SHEET",
    "SUMMARY_WIDTH",
    "TABLE_NAME",
    "NumericParas",
    "SummaryLayout",
    "SummaryRow",
    "blank_para_message",
    "catalogue_values",
    "chapter_label",
    "column_letter",
    "duplicate_para_message",
    "error_cell_message",
    "fold",
    "header_key",
    "meta_checksum",
    "new_meta",
    "para_as_number_message",
    "para_error_message",
    "pushed_meta",
    "summary_layout",
    "summary_title",
    "title_para",
    "unknown_para_message",
    "unread_row_message",
]

# --- sheets and tables ----------------------------------------------------------------------

README_SHEET = "Read me"
DATA_SHEET = "Gap analysis"
TABLE_NAME = "GapAnalysis"
#: The contents table on the Read me sheet of the summary workbook `ltpgap report` writes: how
#: a reader knows such a workbook when it is given in place of a place workbook.
REPORT_TABLE_NAME = "ReportContents"
#: What such a workbook is, as messages name it.
REPORT_WORKBOOK = "a summary workbook written by `ltpgap report` (the tables behind a board report)"
SUMMARY_SHEET = "Summary"
LISTS_SHEET = "Lists"
META_SHEET = "_ltpgap"
RETIRED_SHEET = "Retired"
CHANGES_SHEET = "Catalogue changes"  # written by a catalogue push, as Retired is

#: The merged ICS workbook (`ltpgap merge`): its data sheet and the sheets recompute writes.
PLACE_DATA_SHEET = "Place data"
MATRIX_SHEET = "ICS matrix"
BY_CHAPTER_SHEET = "Summary by chapter"
BY_AREA_SHEET = "Summary by programme area"
GAPS_SHEET = "Gaps"
SNAPSHOT_SHEET = "Snapshot"
HISTORY_SHEET = "History"  # the ICS workbook's movement between snapshots (§9)
CHECKS_SHEET = "Checks"
ICS_OUTPUT_SHEETS: tuple[str, ...] = (
    MATRIX_SHEET,
    BY_CHAPTER_SHEET,
    BY_AREA_SHEET,
    GAPS_SHEET,
    SNAPSHOT_SHEET,
)
#: Sheet → Excel Table name of the ICS workbook's table sheets that recompute rewrites.
ICS_TABLES: Mapping[str, str] = {
    MATRIX_SHEET: "IcsMatrix",
    BY_CHAPTER_SHEET: "SummaryByChapter",
    BY_AREA_SHEET: "SummaryByProgrammeArea",
    GAPS_SHEET: "Gaps",
}

# --- the hidden metadata sheet ----------------------------------------------------------------

#: Rows of the metadata sheet (column A keys, column B values), in this order.
META_KEYS: tuple[str, ...] = (
    "catalogue_id",
    "catalogue_version",
    "catalogue_hash",
    "unit_id",
    "scope",
    "unit_name",
    "ics_id",
    "template_version",
    "generated_at",
    "ltpgap_version",
    "checksum",
)


def meta_checksum(values: Mapping[str, object]) -> str:
    """sha256 hex of the values before ``checksum``, as text, joined by newlines.

    It lets a reader tell whether somebody unhid the sheet and edited it.
    """
    parts = ["" if values.get(k) is None else str(values.get(k)) for k in META_KEYS[:-1]]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def new_meta(
    catalogue: Catalogue,
    *,
    unit_id: str,
    scope: str,
    unit_name: str,
    ics_id: str,
    generated_at: str,
) -> dict[str, str]:
    """Every metadata value of a newly built workbook, checksum included, in META_KEYS order."""
    values: dict[str, str] = {
        "catalogue_id": catalogue.info.id,
        "catalogue_version": catalogue.info.version,
        "catalogue_hash": catalogue.content_hash,
        "unit_id": unit_id,
        "scope": scope,
        "unit_name": unit_name,
        "ics_id": ics_id,
        "template_version": TEMPLATE_VERSION,
        "generated_at": generated_at,
        "ltpgap_version": __version__,
    }
    values["checksum"] = meta_checksum(values)
    return values


def pushed_meta(current: Mapping[str, str], catalogue: Catalogue) -> dict[str, str]:
    """The metadata after a catalogue push: the new catalogue and versions, a fresh checksum.

    Keys already in ``current`` (the sheet's rows, whatever they are) keep their values.
    """
    values = {
        **current,
        "catalogue_id": catalogue.info.id,
        "catalogue_version": catalogue.info.version,
        "catalogue_hash": catalogue.content_hash,
        "template_version": TEMPLATE_VERSION,
        "ltpgap_version": __version__,
    }
    values["checksum"] = meta_checksum(values)
    return values


# --- the Gap analysis table -------------------------------------------------------------------

#: Dropdown lists on the hidden Lists sheet: defined name, column header, values, input key.
LISTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("StatusList", "Status", STATUS_VALUES, "status"),
    ("CoverageList", "Coverage", COVERAGE_VALUES, "coverage"),
    ("NotApplicableList", "Not applicable", NOT_APPLICABLE_VALUES, "not_applicable"),
    ("OverrideList", "RAG override", OVERRIDE_VALUES, "rag_override"),
)

#: How the Level column names each level.
LEVEL_NAMES: Mapping[str, str] = {
    "place": "Place",
    "ics": "ICS",
    "region": "Region",
    "national": "National",
}


def catalogue_values(c: Commitment, catalogue: Catalogue) -> dict[str, object]:
    """The catalogue columns of one commitment's row, as a workbook shows them."""
    return {
        "para": c.id,
        "chapter": c.chapter,
        "programme_area": catalogue.programme_area_names.get(c.programme_area, c.programme_area),
        "life_course": LIFE_COURSE_NAMES.get(c.life_course or "", c.life_course or ""),
        "title": c.title,
        "commitment": c.commitment,
        "deadline": c.deadline,
        "must_do": "Yes" if c.must_do else "No",
        "level": LEVEL_NAMES.get(c.level, c.level),
    }


_FOLD = re.compile(r"[^0-9a-z]+")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def fold(text: object) -> str:
    """Header text folded for matching: 'Must-do ' → 'mustdo'."""
    return _FOLD.sub("", str(text).casefold())


def title_para(catalogue: Catalogue | None) -> Callable[[object], str | None]:
    """The Para of the commitment whose Title a cell holds, else None: for a row without a
    Para. The catalogue's titles are folded on the first call (most workbooks have no such
    row)."""

    @functools.cache
    def titles() -> dict[str, str]:
        return {fold(c.title): c.id for c in catalogue} if catalogue else {}

    def para(text: object) -> str | None:
        return None if is_blank(text) else titles().get(fold(text))

    return para


#: The columns after Para that ltpgap fills from the catalogue, matched by Para.
CATALOGUE_COLUMNS = tuple(c for c in COLUMNS if c.group == "catalogue" and c.key != "para")


# One wording for each problem with a row's Para, whether the command line's reader or the
# Excel add-in's Check finds it.


def blank_para_message(row: int, cells: Sequence[str], para_cell: str, match: str | None) -> str:
    """A row with values (``cells``: 'Initiatives in J12' …) but no Para (code blank-para);
    ``match`` is the Para whose Title the row holds, if any."""
    hint = f" (its Title is that of {match})" if match else ""
    return (
        f"row {row} has values ({', '.join(cells)}) but no Para, so ltpgap cannot tell which "
        f"commitment they belong to; they are kept but not assessed. Type the Para in "
        f"{para_cell}{hint}."
    )


_NUMERIC_PARA = re.compile(r"^\d+\.\d+$")


class NumericParas:
    """Turns a Para typed as a number into an id, recovering '3.10' from 3.1 where it can."""

    def __init__(self, catalogue: Catalogue | None) -> None:
        self.by_number: dict[float, list[str]] = {}
        for cid in catalogue.ids if catalogue else ():
            if _NUMERIC_PARA.match(cid):
                self.by_number.setdefault(float(cid), []).append(cid)

    def resolve(self, number: float, decimals: int | None) -> tuple[str, str]:
        """(para, how) for a numeric Para cell shown with ``decimals`` (None: not known);
        ``how`` explains the reading."""
        options = self.by_number.get(number, [])
        shown = f"{number:.{decimals}f}" if decimals else None
        if len(options) == 1:
            return options[0], "the only catalogue commitment with that number"
        if shown and (shown in options or not options):
            return shown, f"as the cell displays it, with {decimals} decimals"
        if len(options) > 1:
            choice = shortest(number) if shortest(number) in options else options[0]
            return choice, f"but it could be any of {', '.join(options)}: check it"
        return shortest(number), "which matches no catalogue commitment"


def para_as_number_message(number: float, para: str, how: str) -> str:
    """A Para stored as a number, and how it was read (code para-as-number)."""
    return (
        f"the Para is stored as the number {shortest(number)}, not as text; it was read as "
        f"'{para}' ({how}). Excel turns 3.10 into 3.1: format the Para column as Text and type "
        "the Para again."
    )


#: Excel's error values, as a cell shows them (and as the add-in reads them, err_to_str).
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
    | {"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#DATA!"}
)


def error_cell_message(header: str, error: str) -> str:
    """An input (or a column of the place's own) holding an Excel error (code error-cell)."""
    return (
        f"{header} holds the Excel error {error} (a broken formula or a deleted reference), not "
        "a value; it is kept and counts as blank. Replace it with the value meant."
    )


def para_error_message(error: str) -> str:
    """The Para cell holding an Excel error (code error-cell)."""
    return (
        f"the Para cell holds the Excel error {error}; the row cannot be matched to a "
        "commitment. Type the Para back in."
    )


def duplicate_para_message(para: str, row: int, first: int) -> str:
    """A Para typed again in ``row`` (code duplicate-para)."""
    return (
        f"Para {para} appears again in row {row} (first in row {first}); only row {first} is "
        "assessed. Merge the inputs into one row and delete the other."
    )


def unknown_para_message(para: str, catalogue: Catalogue) -> str:
    """A Para that is not in the catalogue, or (in the ICS team's workbook) one that is not
    ICS-level (code unknown-para)."""
    if para in catalogue:
        return (
            f"Para {para} is a {catalogue.by_id[para].level}-level commitment; the ICS team's "
            "workbook assesses only ICS-level ones, so this row is not assessed. Record it in "
            "the place workbooks."
        )
    return (
        f"Para '{para}' is not in catalogue {catalogue.info.id} {catalogue.info.version}; its "
        "inputs are kept but not assessed. Check the number against the Read me sheet, or the "
        "catalogue the workbook was built from."
    )


def unread_row_message(row: int, cells: Sequence[str], para_cell: str, match: str | None) -> str:
    """Why a row with text only in catalogue columns (``cells``: 'Title in E12' …) and no Para
    is not read, and what to do; ``match`` is the Para whose Title the row holds, if any. One
    wording for the command line's reader and the Excel add-in's Check (code unread-row)."""
    advice = (
        f" Its Title is that of {match}: if its Para was deleted, type {match} in {para_cell}."
        if match
        else " To record an initiative, type it in the Initiatives cell of the commitment "
        "it delivers; for a note, use Evidence and notes."
    )
    return (
        f"row {row} has text only in columns ltpgap fills from the catalogue "
        f"({', '.join(cells)}) and no Para, so it is not read and does not reach the ICS "
        f"workbook.{advice}"
    )


_KEYS: dict[str, str] = {fold(c.header): c.key for c in COLUMNS} | {
    fold(c.key): c.key for c in COLUMNS
}


def header_key(text: object) -> str | None:
    """The schema key a header cell names (case, spaces and punctuation ignored), or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    return _KEYS.get(fold(text))


# --- the Summary sheet ------------------------------------------------------------------------

#: The seven chapters of the NHS Long Term Plan (January 2019).
CHAPTER_TITLES: Mapping[int, str] = {
    1: "A new service model for the 21st century",
    2: "More NHS action on prevention and health inequalities",
    3: "Further progress on care quality and outcomes",
    4: "NHS staff will get the backing they need",
    5: "Digitally-enabled care will go mainstream across the NHS",
    6: "Taxpayers' investment will be used to maximum effect",
    7: "Next steps",
}
SUMMARY_FIRST_ROW = 4  # rows 1-2 hold the title and the note
SUMMARY_WIDTH = 11  # columns A:K
COUNT_HEADERS: tuple[str, ...] = (*RAG_VALUES, "Total", "% green", "% assessed", "Must-dos at Red")
COUNT_KEYS: tuple[str, ...] = (*RAG_VALUES, "total", "pct_green", "pct_assessed", "must_do_red")
NO_PERCENTAGE = "–"  # shown where nothing is applicable

RowKind = Literal["heading", "header", "count", "blank", "note", "list-header", "list"]


def chapter_label(chapter: object) -> str:
    """``2. More NHS action on prevention and health inequalities``."""
    try:
        number = int(float(str(chapter)))
    except ValueError:
        return str(chapter)
    title = CHAPTER_TITLES.get(number)
    return f"{number}. {title}" if title else str(number)


def summary_title(unit_name: str) -> str:
    """The Summary sheet's title (cell A1)."""
    return f"Summary: {unit_name}" if unit_name else "Summary"


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryRow:
    """One Summary row: what it is (for styling) and its values from column A."""

    kind: RowKind
    values: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SummaryLayout:
    """The Summary sheet from :data:`SUMMARY_FIRST_ROW` down, as values.

    Counts are ints, percentages floats (``–`` where nothing is applicable); a renderer
    styles each row by its kind and merges B:K on the must-dos-at-Red list rows.
    """

    rows: tuple[SummaryRow, ...]

    @property
    def must_do_rows(self) -> tuple[int, int] | None:
        """First and last Excel row of the must-dos-at-Red list (header included), if any."""
        listed = [i for i, r in enumerate(self.rows) if r.kind in ("list-header", "list")]
        if not listed:
            return None
        return SUMMARY_FIRST_ROW + listed[0], SUMMARY_FIRST_ROW + listed[-1]

    def values(self) -> list[list[object]]:
        """Every row's values, padded to :data:`SUMMARY_WIDTH` columns with None."""
        return [[*r.values, *[None] * (SUMMARY_WIDTH - len(r.values))] for r in self.rows]


def _count_rows(counts: Counts, labels: Sequence[str]) -> list[SummaryRow]:
    """One count row per group: the label, counts as ints, percentages as floats."""
    columns = [counts.column(k).tolist() for k in COUNT_KEYS]
    percent = [k.startswith("pct_") for k in COUNT_KEYS]
    rows = []
    for i, label in enumerate(labels):
        out: list[object] = [label]
        for column, is_percent in zip(columns, percent, strict=True):
            value = column[i]
            if isinstance(value, float) and math.isnan(value):
                out.append(NO_PERCENTAGE)
            else:
                out.append(float(value) if is_percent else int(value))
        rows.append(SummaryRow(kind="count", values=tuple(out)))
    return rows


def _group(title: str, counts: Counts, cat: Catalogue) -> list[SummaryRow]:
    ((by, keys),) = counts.keys.items()
    names = cat.programme_area_names
    labels = [
        chapter_label(k) if by == "chapter" else names.get(str(k), str(k)) for k in keys.tolist()
    ]
    return [
        SummaryRow(kind="heading", values=(title,)),
        SummaryRow(kind="header", values=(title.removeprefix("By ").capitalize(), *COUNT_HEADERS)),
        *_count_rows(counts, labels),
        SummaryRow(kind="blank"),
    ]


#: The assessment columns the Summary is laid out from.
SUMMARY_INPUTS = ("para", "rag", "reason", "must_do", "chapter", "programme_area")


def summary_layout(frame: Table, catalogue: Catalogue) -> SummaryLayout:
    """The Summary (all commitments, by chapter, by programme area, must-dos at Red).

    ``frame`` is an assessment frame (:attr:`ltpgap.rag.PlaceAssessment.frame`), or its
    :data:`SUMMARY_INPUTS` columns as lists (:meth:`ltpgap.rag.PlaceAssessment.columns`).
    """
    overall, chapters, areas = summary_counts(
        frame, [None, "chapter", "programme_area"], catalogue=catalogue
    )
    rows = [
        SummaryRow(kind="heading", values=("All commitments",)),
        SummaryRow(kind="header", values=("", *COUNT_HEADERS)),
        *_count_rows(overall, ["All"]),
        SummaryRow(kind="blank"),
        *_group("By chapter", chapters, catalogue),
        *_group("By programme area", areas, catalogue),
        SummaryRow(kind="heading", values=("Must-dos at Red",)),
    ]
    red = must_do_red_rows(frame)
    if not red:
        rows.append(SummaryRow(kind="note", values=("None.",)))
        return SummaryLayout(rows=tuple(rows))
    rows.append(SummaryRow(kind="list-header", values=("Commitment", "Reason")))
    paras, reasons = column_list(frame, "para"), column_list(frame, "reason")
    for i in red:
        commitment = catalogue.get(str(paras[i]))
        title = f"{paras[i]} {commitment.title}" if commitment else str(paras[i])
        rows.append(SummaryRow(kind="list", values=(title, str(reasons[i]))))
    return SummaryLayout(rows=tuple(rows))
