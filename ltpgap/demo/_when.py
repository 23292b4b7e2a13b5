"""Expected delivery for the ILLUSTRATIVE demo rows: which dates, and how planners write them.

Pure date arithmetic; the choice among the options is made by a stable hash, never at random.
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import date

__all__ = [
    "delivery_text",
    "due_periods",
    "early_skewed",
    "late_periods",
    "late_skewed",
    "live_periods",
    "plan_periods",
    "unit_hash",
]


def unit_hash(*parts: object) -> float:
    """A stable number in [0, 1) from the parts (never Python's per-process ``hash``)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


_EARLIEST = date(2019, 6, 30)
#: Rows In progress or Planned aim for a date from here on (the demo's planning year)…
_PLAN_FROM = date(2020, 3, 31)
#: … and an In place row's date, when it has one, says when it went live: by this date.
_LIVE_BY = date(2021, 3, 31)


def _quarter_ends(start: date, stop: date) -> list[date]:
    ends = []
    for year in range(start.year, stop.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            d = date(year, month, day)
            if start <= d <= stop:
                ends.append(d)
    return ends


def due_periods(due: date) -> list[date]:
    """Quarter ends (and the due month's end) on or before ``due``: on-time delivery dates."""
    month_end = date(due.year, due.month, calendar.monthrange(due.year, due.month)[1])
    ends = _quarter_ends(_EARLIEST, due)
    if month_end <= due and month_end not in ends:
        ends.append(month_end)
    return sorted(ends) or [due]


def plan_periods(due: date) -> list[date]:
    """On-time dates a plan would name: the three years up to ``due``, from 2020 on."""
    start = max(_PLAN_FROM, date(due.year - 3, due.month, 28))
    ends = [d for d in due_periods(due) if d >= start]
    return ends or due_periods(due)[-1:]


def live_periods(due: date) -> list[date]:
    """Go-live dates for what is already in place (by early 2021, and by ``due``)."""
    ends = [d for d in due_periods(due) if d <= _LIVE_BY]
    return ends or due_periods(due)[:1]


def late_periods(due: date) -> list[date]:
    """Quarter ends up to two years after ``due``: dates that miss the deadline."""
    return _quarter_ends(date.fromordinal(due.toordinal() + 1), date(due.year + 2, due.month, 28))


def delivery_text(when: date, *parts: object) -> object:
    """``when`` as a planner might type it: 2023/24, Q4 23/24, March 2024, 31/03/2024 …

    Every form reads back (``ltpgap.dates.parse_delivery``) as ``when`` itself.
    """
    month, year = calendar.month_name[when.month], when.year
    uk = f"{when.day:02d}/{when.month:02d}/{year}"
    styles: list[object] = [
        f"{month} {year}",
        uk,
        when,
        f"{calendar.month_abbr[when.month]}-{year % 100:02d}",
    ]
    quarter = {6: 1, 9: 2, 12: 3, 3: 4}.get(when.month)
    if quarter is not None and when.day == calendar.monthrange(year, when.month)[1]:
        fy = year if when.month >= 4 else year - 1
        short = f"{fy % 100:02d}/{(fy + 1) % 100:02d}"
        styles += [f"Q{quarter} {short}", f"Q{quarter} {fy}/{(fy + 1) % 100:02d}"]
        if quarter == 4:
            styles += [f"{fy}/{(fy + 1) % 100:02d}"] * 4  # the form planners use most
    return styles[int(unit_hash(*parts, "style") * len(styles))]


def late_skewed(options: list[date], u: float) -> date:
    """Mostly the last options (planners aim near the deadline)."""
    return options[len(options) - 1 - int(u * u * len(options))]


def early_skewed(options: list[date], u: float) -> date:
    """Mostly the first options (what went live went live early)."""
    return options[int(u * u * len(options))]
