"""The shared vocabulary: gap-analysis columns (SPEC §4) and the allowed values.

Pure data. The workbook builder and reader, the RAG rules and the Excel add-in all take
column headers, keys and dropdown lists from here, so they can never drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal

__all__ = [
    "COLUMNS",
    "COMPUTED_KEYS",
    "COVERAGE_VALUES",
    "HEADERS",
    "HEADER_OF",
    "INPUT_KEYS",
    "NOT_APPLICABLE_VALUES",
    "OVERRIDE_VALUES",
    "RAG_COLOURS",
    "RAG_ORDER",
    "RAG_VALUES",
    "STATUS_VALUES",
    "Column",
    "Rag",
    "cell_text",
    "is_blank",
    "rags_as_read",
    "shortest",
]

Group = Literal["catalogue", "input", "computed"]
Rag = Literal["Green", "Amber", "Red", "Not assessed", "N/A"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One column of the Gap analysis table."""

    header: str
    key: str
    group: Group
    width: int
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(header="Para", key="para", group="catalogue", width=8, help="LTP paragraph"),
    Column(header="Chapter", key="chapter", group="catalogue", width=8),
    Column(header="Programme area", key="programme_area", group="catalogue", width=22),
    Column(header="Life course", key="life_course", group="catalogue", width=13),
    Column(header="Title", key="title", group="catalogue", width=34),
    Column(header="Commitment", key="commitment", group="catalogue", width=50),
    Column(header="Deadline", key="deadline", group="catalogue", width=11),
    Column(header="Must-do", key="must_do", group="catalogue", width=9),
    Column(header="Level", key="level", group="catalogue", width=9),
    Column(
        header="Initiatives",
        key="initiatives",
        group="input",
        width=40,
        help="Current or planned local initiatives that deliver this commitment.",
    ),
    Column(
        header="Status",
        key="status",
        group="input",
        width=13,
        help="In place, In progress, Planned or None (no initiative: a gap).",
    ),
    Column(
        header="Coverage",
        key="coverage",
        group="input",
        width=11,
        help="Full: the whole place population is covered. Partial: only some.",
    ),
    Column(
        header="Expected delivery",
        key="expected_delivery",
        group="input",
        width=14,
        help="When it will be fully delivered: a date, a financial year (2021/22), "
        "a quarter (Q4 23/24) or a month (March 2022).",
    ),
    Column(header="Lead", key="lead", group="input", width=18, help="Named lead."),
    Column(
        header="Evidence and notes",
        key="evidence",
        group="input",
        width=36,
        help="Evidence for the status, links, risks.",
    ),
    Column(
        header="Not applicable",
        key="not_applicable",
        group="input",
        width=11,
        help="Yes if this commitment does not apply to this place (say why in notes).",
    ),
    Column(
        header="RAG override",
        key="rag_override",
        group="input",
        width=11,
        help="Only to overrule the calculated RAG; needs an Override reason.",
    ),
    Column(
        header="Override reason",
        key="override_reason",
        group="input",
        width=28,
        help="Why the calculated RAG is overruled. Without a reason the override is ignored.",
    ),
    Column(header="RAG", key="rag", group="computed", width=12),
    Column(header="Reason", key="reason", group="computed", width=44),
    Column(header="Checks", key="checks", group="computed", width=40),
)

HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
#: Column key → its header ('status' → 'Status').
HEADER_OF: Mapping[str, str] = {c.key: c.header for c in COLUMNS}
INPUT_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.group == "input")
COMPUTED_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.group == "computed")

STATUS_VALUES: tuple[str, ...] = ("In place", "In progress", "Planned", "None")
COVERAGE_VALUES: tuple[str, ...] = ("Full", "Partial")
NOT_APPLICABLE_VALUES: tuple[str, ...] = ("Yes",)
OVERRIDE_VALUES: tuple[str, ...] = ("Red", "Amber", "Green")

RAG_VALUES: tuple[Rag, ...] = ("Green", "Amber", "Red", "Not assessed", "N/A")
#: Worst first: used to pick "the worse of two" and to sort.
RAG_ORDER: dict[str, int] = {"Red": 0, "Amber": 1, "Green": 2}
_RAG_SET = frozenset(RAG_VALUES)

#: NHS identity colours (fill, font) for each RAG; the word is always in the cell too.
RAG_COLOURS: dict[str, tuple[str, str]] = {
    "Red": ("DA291C", "FFFFFF"),
    "Amber": ("ED8B00", "000000"),
    "Green": ("006747", "FFFFFF"),
    "Not assessed": ("E8EDEE", "000000"),
    "N/A": ("FFFFFF", "425563"),
}


def rags_as_read(values: Iterable[object]) -> list[str]:
    """Results read back from a workbook's matrix as they are counted: a RAG word is itself;
    anything else in the cell (blanked, or other text typed over by hand) counts as Not
    assessed. Readers name such a cell (``matrix-result-edited``); nothing is guessed."""
    return [v if type(v) is str and v in _RAG_SET else "Not assessed" for v in values]


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN/NaT/pd.NA, or empty or whitespace-only text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    # pandas' missing markers (NaT, NA) without importing pandas here.
    return type(value).__name__ in {"NaTType", "NAType"}


def shortest(number: float | int | Decimal) -> str:
    """A number as few characters show it: 3.0 → '3', 3.1 → '3.1'."""
    value = float(number)
    return str(int(value)) if value.is_integer() else repr(value)


def cell_text(value: object) -> str:
    """An input cell as canonical text: equal meaning, equal text. Whitespace runs fold, blanks
    are "", a date and its midnight are one date, 3 and 3.0 one number (the history store's
    inputs hash, and the reader comparing a copied Gap analysis table with the one it read)."""
    if isinstance(value, str):  # the usual cell: nothing below applies to text
        return " ".join(value.split())
    if is_blank(value):  # None, NaN, NaT, pd.NA
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        # Excel stores dates as midnight datetimes; a date and its midnight are the same cell.
        naive = value.replace(tzinfo=None)
        return naive.date().isoformat() if naive.time() == time() else naive.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return shortest(value)
    return " ".join(str(value).split())
