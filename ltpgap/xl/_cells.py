"""Values on their way into Excel through xlwings: never a formula, never silently retyped.

Excel (desktop through COM, and Office.js in the add-in and in xlwings Lite) treats a string
written to a cell like typed text: ``=SUM(A1)`` becomes a formula, ``2021/22`` or ``0123`` may
become a date or a number. A leading apostrophe tells Excel "this is text"; Excel keeps it out
of the value, so reading the cell back gives the original string. Pure: no xlwings import.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from ltpgap.layout import column_letter
from ltpgap.schema import is_blank

__all__ = [
    "FORMULA_START",
    "CellText",
    "column_letter",
    "escape_formula",
    "grid_text",
    "keep_block",
    "keep_grid",
    "keep_text",
    "pad_grid",
]

#: A cell starting with one of these could be read as a formula (SPEC §10).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_TRIGGERS = frozenset((*FORMULA_START, "'"))
# Text Excel could turn into a number, date, time, boolean or error when it is written back:
# any digit, TRUE/FALSE alone, or a leading "#" (see _coercible).
_COERCIBLE = re.compile(r"\d|^\s*(true|false)\s*$|^\s*#", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_BOOLEAN = re.compile(r"\s*(true|false)\s*$", re.IGNORECASE)


def _coercible(text: str, stripped: str) -> bool:
    """``_COERCIBLE.search(text)``, cheaply: this runs for every text cell written.

    A regex search tries every position of a long text; here one C-level digit scan, the
    first non-space character, and the TRUE/FALSE pattern only for 4- or 5-letter texts
    (regex whitespace and ``str.strip`` agree on what is white space).
    """
    return (
        _DIGIT.search(text) is not None
        or stripped[:1] == "#"
        or (len(stripped) in (4, 5) and _BOOLEAN.match(text) is not None)
    )


class CellText(str):
    """Text already made safe for a cell by :func:`keep_text`; :func:`grid_text` keeps it."""

    __slots__ = ()


def escape_formula(text: str) -> str:
    """Prefix an apostrophe when the text would start a formula (or starts with one already)."""
    return "'" + text if text.startswith((*FORMULA_START, "'")) else text


def _safe_text(value: str, stripped: str) -> CellText:
    """Non-blank text, with the apostrophe when Excel could read it as anything but text."""
    # " =A1" or " @x": Excel may skip the spaces and read the rest as a formula.
    if value[0] in _TRIGGERS or stripped[0] in _TRIGGERS or _coercible(value, stripped):
        return CellText("'" + value)
    return CellText(value)


def keep_text(value: object) -> object:
    """A value read from a cell, made safe to write back exactly as it was.

    Text gets the apostrophe whenever Excel could read it as anything but text: a formula
    start, or digits, TRUE/FALSE or ``#`` that could become a number, date or error.
    Numbers, dates and booleans go back as they are; blanks as ``None``.
    """
    if type(value) is str:  # the common case first: this runs for every cell written
        stripped = value.strip()
        return _safe_text(value, stripped) if stripped else None
    if is_blank(value):
        return None
    if isinstance(value, CellText):
        return value
    if isinstance(value, str):  # not blank (above)
        return _safe_text(value, value.strip())
    if isinstance(value, datetime | date | bool | int | float):
        return value
    return CellText(escape_formula(str(value)))


def keep_block(rows: Iterable[Sequence[object]]) -> list[list[object]]:
    """:func:`keep_text` over a block; each distinct text is made safe once (names, RAG
    words and lists repeat down a table)."""
    keep = _keeper()
    return [[keep(v) for v in row] for row in rows]


def keep_grid(rows: Sequence[Sequence[object]], n_rows: int, n_cols: int) -> list[list[object]]:
    """``pad_grid(keep_block(rows), n_rows, n_cols)`` in one pass over the cells."""
    keep = _keeper()
    width = max([n_cols, *(len(r) for r in rows)])
    out = [[keep(v) for v in r] for r in rows]
    for row in out:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    out.extend([None] * width for _ in range(max(0, n_rows - len(out))))
    return out


def _keeper() -> Callable[[object], object]:
    """:func:`keep_text` for one block: each distinct text made safe once, plain numbers and
    booleans passed straight through (as keep_text passes them)."""
    memo: dict[str, object] = {}

    def keep(value: object) -> object:
        kind = type(value)
        if kind is not str:
            if value is None:
                return None
            if kind is int or kind is bool:
                return value
            if kind is float:
                return None if value != value else value  # NaN is blank
            return keep_text(value)
        hit = memo.get(value, memo)  # type: ignore[call-overload]
        if hit is memo:
            hit = memo[value] = keep_text(value)
        return hit

    return keep


def grid_text(value: object) -> object:
    """A value ltpgap computed (RAG, Reason, counts …) ready for a cell: text escaped."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, CellText):
        return value
    if isinstance(value, str):
        return escape_formula(value) if value else None
    return value


def pad_grid(rows: Sequence[Sequence[object]], n_rows: int, n_cols: int) -> list[list[object]]:
    """A rectangular block of at least ``n_rows`` × ``n_cols``, padded with blanks.

    Writing the padding clears what an earlier, larger block left behind, in the same action.
    """
    width = max([n_cols, *(len(r) for r in rows)])
    out = [[*r, *([None] * (width - len(r)))] for r in rows]
    out.extend([None] * width for _ in range(max(0, n_rows - len(out))))
    return out


def first_text(values: Iterable[object]) -> str:
    """The first non-blank value as stripped text, or ""."""
    for value in values:
        if not is_blank(value):
            return str(value).strip()
    return ""
