"""Text as every output shows it: plain, printable, never a formula (SPEC §10)."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

__all__ = ["pct", "plain", "shorten", "uk_date"]

#: Characters XML 1.0 forbids (python-pptx, WeasyPrint and xlsx would all choke on them).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain(value: Any) -> str:
    """A value as display text: blanks and NaN are "", dates are UK dates, control chars U+FFFD.

    The text is kept verbatim otherwise: a lead typed as ``=HYPERLINK(…)`` is shown as those
    characters. Slides and PDF pages have no formulas; the summary workbook escapes it again
    when it writes cells (:func:`ltpgap.workbook.escape_formula`).
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, datetime | date):
        return uk_date(value)
    return _ILLEGAL.sub("\ufffd", str(value)).strip()


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def uk_date(value: date | datetime | None) -> str:
    """``1 July 2019``; "" for None."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def pct(value: Any) -> str:
    """``62%``, or an en dash when nothing is applicable (NaN / None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):.0%}"
