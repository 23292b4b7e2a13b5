"""NHS date parsing: deadlines (SPEC §2) and expected delivery (SPEC §5)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

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
