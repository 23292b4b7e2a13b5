"""NHS dates: financial years, quarters, months and UK day-first dates.

Pure functions shared by the catalogue (deadlines, SPEC §2) and the RAG rules (Expected
delivery, SPEC §5). Every parser returns ``None`` for text it cannot read; callers report it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

__all__ = [
    "financial_year_end",
    "month_end",
    "parse_deadline",
    "parse_delivery",
]

_MONTHS = {
    name.lower(): i
    for i in range(1, 13)
    for name in (calendar.month_name[i], calendar.month_abbr[i])
}
_MONTHS["sept"] = 9

_FY = re.compile(r"^(?:fy\s*)?(\d{4}|\d{2})\s*[/\-–]\s*(\d{2}|\d{4})$", re.I)
_QUARTER = re.compile(
    r"^q\s*([1-4])\s*(?:of\s*)?(?:fy\s*)?(\d{4}|\d{2})\s*[/\-–]\s*(\d{2}|\d{4})$", re.I
)
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_UK = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_MONTH_NAME_YEAR = re.compile(r"^(?:end\s+(?:of\s+)?)?([a-z]+)\.?[\s\-]*(\d{4}|\d{2})$", re.I)
# A day written out: '1 April 2025', '1st of Apr. 2025', '31-Mar-24', '1 April, 2025'.
_SEP = r"(?:\s*[/\-]\s*|\s+)"
_DAY_MONTH_YEAR = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?{_SEP}([a-z]+)\.?,?{_SEP}(\d{{4}}|\d{{2}})$", re.I
)
# Month first only with the month named and a four-digit year ('April 1, 2025'): nothing to
# guess, whereas 'April 1, 25' could be April 2001 as well as 1 April 2025.
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.I)
_YEAR = re.compile(r"^(\d{4})$")

#: Excel's day zero for serial dates (1900 system, after the 1900 leap-year bug).
_EXCEL_EPOCH = date(1899, 12, 30)


def month_end(year: int, month: int) -> date:
    """Last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _full_year(y: str) -> int:
    n = int(y)
    return 2000 + n if len(y) == 2 else n


def financial_year_end(start_year: int) -> date:
    """NHS financial year starting in April ``start_year`` ends on 31 March the next year."""
    return date(start_year + 1, 3, 31)


def _fy_start(first: str, second: str) -> int | None:
    start = _full_year(first)
    end = _full_year(second) if len(second) == 4 else None
    if end is None:
        if (start + 1) % 100 != int(second):
            return None
    elif end != start + 1:
        return None
    return start


def parse_deadline(value: object) -> date | None:
    """Resolve a catalogue deadline (SPEC §2) to its due date.

    ``2023/24`` → 2024-03-31; ``YYYY-MM`` → last day of that month; ``YYYY-MM-DD`` as is;
    ``YYYY`` → 31 December.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return date(value, 12, 31) if 1900 <= value <= 2100 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _FY.match(text)
    if m and len(m.group(1)) == 4 and (start := _fy_start(m.group(1), m.group(2))) is not None:
        return financial_year_end(start)
    if m := _YEAR_MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        return month_end(year, month) if 1 <= month <= 12 else None
    if m := _ISO.match(text):
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _YEAR.match(text):
        return date(int(m.group(1)), 12, 31)
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _quarter_end(quarter: int, fy_start: int) -> date:
    # NHS quarters: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar.
    return {
        1: date(fy_start, 6, 30),
        2: date(fy_start, 9, 30),
        3: date(fy_start, 12, 31),
        4: date(fy_start + 1, 3, 31),
    }[quarter]


def parse_delivery(value: object) -> date | None:
    """Read an Expected delivery cell (SPEC §5); ``None`` when it cannot be read.

    Accepts dates, Excel serial numbers, financial years (``2021/22``), quarters
    (``Q4 23/24``), months (``March 2022``, ``Mar-22``), ISO and UK day-first dates
    (``31/03/2024``), days written out (``31 March 2024``, ``1st Apr 2025``, ``31-Mar-24``,
    ``April 1, 2025``), and bare years.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if 1900 <= value <= 2100 and float(value).is_integer():
            return date(int(value), 12, 31)
        if 20000 <= value <= 80000:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        return None
    if not isinstance(value, str):
        return None
    text = " ".join(value.strip().split())
    if not text:
        return None
    if m := _QUARTER.match(text):
        start = _fy_start(m.group(2), m.group(3))
        return _quarter_end(int(m.group(1)), start) if start is not None else None
    if (m := _FY.match(text)) and (start := _fy_start(m.group(1), m.group(2))) is not None:
        return financial_year_end(start)
    if m := _UK.match(text):
        day, month, year = int(m.group(1)), int(m.group(2)), _full_year(m.group(3))
        return _safe_date(year, month, day)
    if m := _DAY_MONTH_YEAR.match(text):
        return _named_month_date(_full_year(m.group(3)), m.group(2), int(m.group(1)))
    if m := _MONTH_DAY_YEAR.match(text):
        return _named_month_date(int(m.group(3)), m.group(1), int(m.group(2)))
    if m := _MONTH_NAME_YEAR.match(text):
        named = _MONTHS.get(m.group(1).lower())
        return month_end(_full_year(m.group(2)), named) if named is not None else None
    return parse_deadline(text)


def _named_month_date(year: int, month_name: str, day: int) -> date | None:
    month = _MONTHS.get(month_name.lower())
    return _safe_date(year, month, day) if month is not None else None
