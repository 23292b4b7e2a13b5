"""Input normalisation (SPEC §5): fold what planners type into the dropdown values.

Case and spaces are folded, `G`/`A`/`R` and `Y`/`yes` are understood, `Amber/Red` becomes the
worse of the two with a check. Anything else is reported with the allowed values and the fix,
then treated as blank for the rules: never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from ltpgap.dates import parse_delivery
from ltpgap.issues import Issue, Where, make_issue
from ltpgap.schema import (
    COVERAGE_VALUES,
    HEADER_OF,
    OVERRIDE_VALUES,
    RAG_ORDER,
    STATUS_VALUES,
    is_blank,
)

__all__ = [
    "BLANK",
    "EXCEL_ERRORS",
    "FREE_TEXT_KEYS",
    "Locator",
    "NormalisedInputs",
    "Reading",
    "is_blank",
    "locate_found",
    "normalise_inputs",
    "read_cell",
]

Locator = Callable[[str, str], Where]
#: A finding before it is located: (issue code, input key, message).
Check = tuple[str, str, str]
Coverage = Literal["Full", "Partial"]
Override = Literal["Red", "Amber", "Green"]

#: Excel error values as they arrive from a workbook; never a real input.
EXCEL_ERRORS: frozenset[str] = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)


def _fold(text: str) -> str:
    return re.sub(r"[\s\-_]+", "", text.lower())


_STATUS = {_fold(v): v for v in STATUS_VALUES}
_COVERAGE: dict[str, Coverage] = {"full": "Full", "f": "Full", "partial": "Partial", "p": "Partial"}
_RAG: dict[str, Override] = {
    **{v.lower(): v for v in OVERRIDE_VALUES},  # type: ignore[misc]
    "g": "Green",
    "a": "Amber",
    "r": "Red",
}
_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}
_RAG_SPLIT = re.compile(r"\s*(?:/|\\|-|–|&|\+|,|\bor\b|\band\b|\s)\s*", re.I)


@dataclass(frozen=True, slots=True, kw_only=True)
class NormalisedInputs:
    """One row's inputs after normalisation; unreadable values are ``None`` (blank)."""

    initiatives: str | None = None
    status: str | None = None
    coverage: Coverage | None = None
    expected_delivery: date | None = None
    expected_delivery_raw: object = None
    lead: str | None = None
    evidence: str | None = None
    not_applicable: bool = False
    rag_override: Override | None = None
    override_reason: str | None = None
    all_blank: bool = True


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return " ".join(str(value).split())


class _Row:
    """Collects what one row's cells could not give: (code, input key, message), unlocated."""

    def __init__(self) -> None:
        self.found: list[Check] = []

    def add(self, code: str, key: str, message: str) -> None:
        self.found.append((code, key, message))

    def unrecognised(self, key: str, value: object, allowed: str) -> None:
        header = HEADER_OF.get(key, key)
        self.add(
            "unrecognised-value",
            key,
            f"{header} '{_text(value)}' is not recognised (expected {allowed}), so it was "
            f"treated as blank. Choose a value from the {header} dropdown.",
        )


def _free_text(row: _Row, key: str, value: object) -> str | None:
    if is_blank(value):
        return None
    text = str(value).strip() if isinstance(value, str) else _text(value)
    if text in EXCEL_ERRORS:
        row.unrecognised(key, text, "text (this cell holds an Excel error)")
        return None
    return text


def _choice(
    row: _Row, key: str, value: object, table: Mapping[str, str], allowed: str
) -> str | None:
    if is_blank(value):
        return None
    found = table.get(_fold(value)) if isinstance(value, str) else None
    if found is None:
        row.unrecognised(key, value, allowed)
    return found


def _not_applicable(row: _Row, value: object) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    token = _text(value).lower() if isinstance(value, str | int | float) else ""
    if token in _YES:
        return True
    if token in _NO:
        return False
    row.unrecognised("not_applicable", value, "Yes or blank")
    return None


def _override(row: _Row, value: object) -> Override | None:
    if is_blank(value):
        return None
    text = value.strip() if isinstance(value, str) else ""
    tokens = [t for t in _RAG_SPLIT.split(text) if t]
    rags = [_RAG.get(t.lower()) for t in tokens]
    if not tokens or any(r is None for r in rags):
        row.unrecognised("rag_override", value, "Red, Amber, Green or blank")
        return None
    distinct = sorted({r for r in rags if r}, key=RAG_ORDER.__getitem__)
    if len(distinct) > 1:
        row.add(
            "ambiguous-rag",
            "rag_override",
            f"RAG override '{_text(value)}' names more than one RAG, so the worse "
            f"({distinct[0]}) was used. Choose one value from the dropdown.",
        )
    return distinct[0]


def _delivery(row: _Row, value: object) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        row.unrecognised("expected_delivery", value.strip(), "a date or financial year")
        return None
    when = parse_delivery(value)
    if when is None:
        row.add(
            "bad-delivery-date",
            "expected_delivery",
            f"Expected delivery '{_text(value)}' could not be read as a date, so it was "
            "treated as blank. Write a date (31/03/2024), a financial year (2023/24), a quarter "
            "(Q4 23/24) or a month (March 2024).",
        )
    return when


_STATUS_ALLOWED = ", ".join(STATUS_VALUES) + " or blank"
_COVERAGE_ALLOWED = " or ".join(COVERAGE_VALUES) + " or blank"

#: Each input key's normaliser, in the order a row's cells are read (and its issues listed).
_READERS: dict[str, Callable[[_Row, object], object]] = {
    "not_applicable": _not_applicable,
    "initiatives": lambda row, v: _free_text(row, "initiatives", v),
    "status": lambda row, v: _choice(row, "status", v, _STATUS, _STATUS_ALLOWED),
    "coverage": lambda row, v: _choice(row, "coverage", v, _COVERAGE, _COVERAGE_ALLOWED),
    "expected_delivery": _delivery,
    "lead": lambda row, v: _free_text(row, "lead", v),
    "evidence": lambda row, v: _free_text(row, "evidence", v),
    "rag_override": _override,
    "override_reason": lambda row, v: _free_text(row, "override_reason", v),
}
#: Keys whose values are the planner's own words: rarely repeated, so never cached.
FREE_TEXT_KEYS = frozenset({"initiatives", "lead", "evidence", "override_reason"})
#: One cell's reading: (normalised value or None, what it found, unlocated).
Reading = tuple[object, tuple[Check, ...]]
BLANK: Reading = (None, ())
_CACHE: dict[str, dict[object, Reading]] = {key: {} for key in _READERS}
_CACHE_LIMIT = 20_000


def read_cell(key: str, value: object) -> Reading:
    """One input cell normalised, with what it found (unlocated); never guesses.

    The same value always reads the same way, so readings of repeated choice values are
    cached: planners type the same few words down a whole column.
    """
    if value is None:
        return BLANK
    if key in FREE_TEXT_KEYS and type(value) is str:
        text = value.strip()
        if not text:
            return BLANK
        if text not in EXCEL_ERRORS:
            return text, ()
    cache_key = _cache_key(value)
    cache = _CACHE[key]
    hit = cache.get(cache_key) if cache_key is not None else None
    if hit is not None:
        return hit
    row = _Row()
    reading: Reading = (_READERS[key](row, value), tuple(row.found))
    if cache_key is not None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[cache_key] = reading
    return reading


def _cache_key(value: object) -> object:
    """A key under which equal values read alike (1, 1.0 and True do not), else None."""
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return kind, value
    if kind is float:
        return kind, value.hex()  # type: ignore[attr-defined]  # 0.0 and -0.0 apart
    return None


def locate_found(
    found: list[Check] | tuple[Check, ...], para: str, locate: Locator | None
) -> list[Issue]:
    """Unlocated findings as issues at their cells."""
    where = locate or _default_locate
    return [
        make_issue(code, message, where=where(para, key), commitment=para)
        for code, key, message in found
    ]


def _default_locate(para: str, key: str) -> Where:
    return Where()


def normalise_inputs(
    raw: Mapping[str, object], *, para: str, locate: Locator | None = None
) -> tuple[NormalisedInputs, list[Issue]]:
    """Normalise one row's raw input cells; report what cannot be read, never guess."""
    row = _Row()
    na = _not_applicable(row, raw.get("not_applicable"))
    values: dict[str, object] = {
        key: reader(row, raw.get(key))
        for key, reader in _READERS.items()
        if key != "not_applicable"
    }
    all_blank = na is None and all(v is None for v in values.values())
    raw_delivery = raw.get("expected_delivery")
    inputs = NormalisedInputs(
        **values,  # type: ignore[arg-type]
        expected_delivery_raw=None if is_blank(raw_delivery) else raw_delivery,
        not_applicable=bool(na),
        all_blank=all_blank,
    )
    return inputs, locate_found(row.found, para, locate)
