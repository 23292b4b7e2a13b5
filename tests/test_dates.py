"""NHS date parsing: deadlines (SPEC §2) and expected delivery (SPEC §5)."""

from __future__ import annotations

import calendar
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ltpgap.dates import parse_deadline, parse_delivery


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2023/24", date(2024, 3, 31)),
        ("2019/20", date(2020, 3, 31)),
        ("1999/00", date(2000, 3, 31)),
        ("2021-04", date(2021, 4, 30)),
        ("2024-02", date(2024, 2, 29)),
        ("2021-04-01", date(2021, 4, 1)),
        ("2028", date(2028, 12, 31)),
        (2028, date(2028, 12, 31)),
        (date(2025, 1, 2), date(2025, 1, 2)),
        ("2023/25", None),
        ("23/24", None),
        ("2021-13", None),
        ("sometime", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_deadline(text: object, due: date | None) -> None:
    assert parse_deadline(text) == due


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021/22", date(2022, 3, 31)),
        ("21/22", date(2022, 3, 31)),
        ("2023-24", date(2024, 3, 31)),
        ("Q4 23/24", date(2024, 3, 31)),
        ("q1 2023/24", date(2023, 6, 30)),
        ("Q3 2022/23", date(2022, 12, 31)),
        ("March 2022", date(2022, 3, 31)),
        ("Mar-22", date(2022, 3, 31)),
        ("sept 2021", date(2021, 9, 30)),
        ("31/03/2024", date(2024, 3, 31)),
        ("1/4/24", date(2024, 4, 1)),
        ("05/06/2023", date(2023, 6, 5)),  # UK day-first
        ("2024-03-31", date(2024, 3, 31)),
        ("  2024  ", date(2024, 12, 31)),
        (datetime(2023, 1, 5, 12, 0), date(2023, 1, 5)),
        (45382, date(2024, 3, 31)),  # an Excel serial date
        ("31/02/2024", None),
        ("next year", None),
        ("Q5 23/24", None),
        ("#N/A", None),
        (True, None),
    ],
)
def test_parse_delivery(value: object, expected: date | None) -> None:
    assert parse_delivery(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 April 2025", date(2025, 4, 1)),
        ("31 March 2024", date(2024, 3, 31)),
        ("31-Mar-2024", date(2024, 3, 31)),
        ("31-Mar-24", date(2024, 3, 31)),  # Excel's d-mmm-yy, typed as text
        ("01 April 2025", date(2025, 4, 1)),
        ("1st April 2025", date(2025, 4, 1)),
        ("2nd of June 2023", date(2023, 6, 2)),
        ("23rd Sept 2022", date(2022, 9, 23)),
        ("1 Apr 2025", date(2025, 4, 1)),
        ("1 Apr. 2025", date(2025, 4, 1)),
        ("1 APRIL 2025", date(2025, 4, 1)),
        ("1 April, 2025", date(2025, 4, 1)),
        ("1/Apr/2025", date(2025, 4, 1)),
        ("  29   February 2024 ", date(2024, 2, 29)),
        ("April 1, 2025", date(2025, 4, 1)),  # the month is named: nothing to guess
        ("Apr 1st 2025", date(2025, 4, 1)),
        # Never guessed: no such day, no such month, no year, or no day.
        ("29 February 2023", None),
        ("32 March 2024", None),
        ("0 March 2024", None),
        ("31 Marchy 2024", None),
        ("1 April", None),
        ("April 1", None),
        ("April 1, 25", None),  # month first with a two-digit year: April 2001 or 2025?
        ("1 2 April 2025", None),
    ],
)
def test_parse_delivery_reads_written_dates_day_first(value: str, expected: date | None) -> None:
    assert parse_delivery(value) == expected


@given(when=st.dates(date(2000, 1, 1), date(2099, 12, 31)), upper=st.booleans())
def test_every_written_form_of_a_date_reads_as_the_uk_numeric_form(when: date, upper: bool) -> None:
    """A day written out reads as the same day as 31/03/2024 does (UK day first)."""
    month, abbr = calendar.month_name[when.month], calendar.month_abbr[when.month]
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(when.day, "th")
    forms = [
        f"{when.day} {month} {when.year}",
        f"{when.day:02d} {abbr} {when.year}",
        f"{when.day}{suffix} {month} {when.year}",
        f"{when.day}{suffix} of {month} {when.year}",
        f"{when.day:02d}-{abbr}-{when.year % 100:02d}",
        f"{month} {when.day}, {when.year}",
    ]
    numeric = parse_delivery(f"{when.day:02d}/{when.month:02d}/{when.year}")
    assert numeric == when
    for written in forms:
        assert parse_delivery(written.upper() if upper else written) == numeric, written
