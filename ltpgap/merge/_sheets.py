"""Names shared by the ICS workbook's writer and reader: sheets, tables, headers, metadata."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping

from ltpgap.layout import (
    BY_AREA_SHEET,
    BY_CHAPTER_SHEET,
    CHECKS_SHEET,
    GAPS_SHEET,
    HISTORY_SHEET,
    MATRIX_SHEET,
    META_SHEET,
    PLACE_DATA_SHEET,
    README_SHEET,
    SNAPSHOT_SHEET,
)

__all__ = [
    "BY_AREA",
    "BY_CHAPTER",
    "CHECKS",
    "CHECKS_HEADERS",
    "DATA_LEAD",
    "GAPS",
    "GAPS_HEADERS",
    "HISTORY",
    "ICS_META_KEYS",
    "LEVEL_WORDS",
    "MATRIX",
    "MATRIX_LEAD",
    "META",
    "META_CHUNK",
    "PLACE_DATA",
    "README",
    "SCOPES",
    "SNAPSHOT",
    "SUMMARY_TAIL",
    "TABLES",
    "distinct_base",
    "distinct_name",
    "ics_checksum",
    "meta_json",
    "tail_headers",
]

# Short names for the sheets of the ICS workbook (the names themselves live in ltpgap.layout).
README = README_SHEET
MATRIX = MATRIX_SHEET
BY_CHAPTER = BY_CHAPTER_SHEET
BY_AREA = BY_AREA_SHEET
GAPS = GAPS_SHEET
HISTORY = HISTORY_SHEET
SNAPSHOT = SNAPSHOT_SHEET
CHECKS = CHECKS_SHEET
PLACE_DATA = PLACE_DATA_SHEET
META = META_SHEET

#: Sheet → Excel Table name.
TABLES: dict[str, str] = {
    MATRIX: "IcsMatrix",
    BY_CHAPTER: "SummaryByChapter",
    BY_AREA: "SummaryByProgrammeArea",
    GAPS: "Gaps",
    CHECKS: "Checks",
    PLACE_DATA: "PlaceData",
}

SCOPES = ("ics-merge", "region", "national")
#: Whose RAG the matrix's roll-up column holds, by scope: its header is "<word> RAG".
LEVEL_WORDS = {"ics-merge": "ICS", "region": "Region", "national": "National"}

MATRIX_LEAD = ("Para", "Chapter", "Programme area", "Life course", "Title", "Must-do", "Level")
SUMMARY_TAIL = (
    "Green",
    "Amber",
    "Red",
    "Not assessed",
    "N/A",
    "Total",
    "% green",
    "% assessed",
    "Must-dos at Red",
)
GAPS_HEADERS = ("Place", "Para", "Title", "Must-do", "Initiatives", "Lead", "Reason")
CHECKS_HEADERS = ("Severity", "Code", "Workbook", "Sheet", "Cell", "Para", "Message")
DATA_LEAD = ("Place", "Source file", "Row", "Para")

#: Rows of the hidden metadata sheet, in order; `checksum` covers every value before it.
ICS_META_KEYS: tuple[str, ...] = (
    "scope",
    "unit_id",
    "unit_name",
    "catalogue_id",
    "catalogue_version",
    "catalogue_hash",
    "as_at",
    "places",
    "ics_team",
    "programme_areas",
    "rules",
    "generated_at",
    "ltpgap_version",
    "template_version",
    "checksum",
)

#: Characters of a metadata value per cell (Excel's limit is 32 767).
META_CHUNK = 30_000


def tail_headers(level: str, units: str) -> tuple[str, ...]:
    """Matrix columns after the units: ``ICS RAG``, Score, ``Places counted`` …"""
    return (
        f"{level} RAG",
        "Score",
        f"{units} counted",
        f"{units} excluded",
        "Rule",
        "Explanation",
    )


def meta_json(value: object) -> str:
    """A metadata value as JSON, as the merge writes it (compact, text as it is)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def ics_checksum(values: Mapping[str, object]) -> str:
    """sha256 hex of the values before `checksum`, as text, joined by newlines."""
    parts = ["" if values.get(k) is None else str(values.get(k)) for k in ICS_META_KEYS[:-1]]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def distinct_name(header: str, used: set[str]) -> str:
    """``header``, or ``header (2)``, ``(3)`` … the first not in ``used`` as Excel compares a
    Table's column names (case ignored); it is added to ``used``."""
    name, n = header, 2
    while name.casefold() in used:
        name, n = f"{header} ({n})", n + 1
    used.add(name.casefold())
    return name


def distinct_base(name: str) -> str:
    """What :func:`distinct_name` made ``name`` from, as Excel compares it (case ignored):
    'Notes (2)' → 'notes'."""
    return _DISTINCT.sub("", name).casefold()


_DISTINCT = re.compile(r" \(\d+\)$")
