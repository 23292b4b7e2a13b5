"""Writing text into cells so that it can never turn into a formula (SPEC §10)."""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

__all__ = ["clean_text", "escape_formula", "put_text", "put_value"]

#: A cell starting with one of these could be read as a formula by a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """Prefix an apostrophe when the text would start a formula (``=``, ``+``, ``-``, ``@``…)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def clean_text(text: str) -> str:
    """Text a worksheet can hold: control characters XML forbids become U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def put_text(cell: Any, text: str | None) -> None:
    """Write text as an explicit string cell, escaped; ``None`` or "" clears the cell."""
    if not text:
        cell.value = None
        return
    cell.value = escape_formula(clean_text(str(text)))
    # openpyxl infers the type from the value; "=…" would become a formula. Force a string.
    cell.data_type = "s"


def put_value(cell: Any, value: object) -> None:
    """Write a number, date or bool as is, and any text through :func:`put_text`."""
    if value is None or isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value
