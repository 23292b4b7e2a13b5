"""Display text, and the snapshot grid's layout over slides."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ltpgap.reports import ReportData
from ltpgap.reports._grid import GridGeometry, paginate_grid
from ltpgap.reports._text import pct, plain, shorten, uk_date
from ltpgap.reports.model import Snapshot, SnapshotItem


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (float("nan"), ""),
        (3.0, "3"),
        (2.5, "2.5"),
        ("  Lead \n", "Lead"),
        ("a\x00b\x1fc", "a\ufffdb\ufffdc"),
        (date(2019, 7, 1), "1 July 2019"),
        (datetime(2024, 3, 31, 12), "31 March 2024"),
        ("=HYPERLINK(1)", "=HYPERLINK(1)"),
    ],
)
def test_plain(value: object, shown: str) -> None:
    assert plain(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(0.625, "62%"), (None, "–"), (float("nan"), "–")])
def test_pct(value: object, shown: str) -> None:
    assert pct(value) == shown


def test_uk_date() -> None:
    assert uk_date(None) == "" and uk_date(date(2019, 12, 9)) == "9 December 2019"


@given(st.text(max_size=300), st.integers(min_value=5, max_value=200))
def test_shorten_never_exceeds_the_limit(text: str, limit: int) -> None:
    out = shorten(text, limit)
    assert len(out) <= limit
    assert out == text or out.endswith("…")


GEO = GridGeometry(column=1.86, label=1.15, size=8, header_size=9, capacity=5.4)

items = st.builds(
    SnapshotItem,
    para=st.from_regex(r"[1-7]\.[0-9]{1,3}", fullmatch=True),
    title=st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=80),
    rag=st.sampled_from(["Green", "Amber", "Red", "Not assessed", "N/A"]),
)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(st.lists(st.lists(items, max_size=25), min_size=6, max_size=6), min_size=3, max_size=3)
)
def test_every_item_is_laid_out_once_in_order(cells: list[list[list[SnapshotItem]]]) -> None:
    snap = Snapshot(
        columns=tuple(f"Area {i}" for i in range(6)),
        rows=("Starting Well", "Living Well", "Ageing Well"),
        cells=tuple(tuple(tuple(c) for c in row) for row in cells),
        not_shown=0,
        rag_label="ICS RAG",
    )
    pages = paginate_grid(snap, GEO)
    for r, stage in enumerate(snap.rows):
        parts = [row for page in pages for row in page if row.label.startswith(stage)]
        for c in range(6):
            assert [i for p in parts for i in p.cells[c]] == list(snap.cells[r][c])
    header = GEO.header_height(snap.columns)
    for page in pages:
        used = header + sum(GEO.row_height(row) for row in page)
        single = len(page) == 1 and sum(len(c) for c in page[0].cells) == 1
        assert used <= GEO.capacity + 1e-9 or single


def test_the_shipped_catalogue_grid_fits_a_few_slides(ics_data: ReportData) -> None:
    pages = paginate_grid(ics_data.snapshot, GEO)
    assert 1 <= len(pages) <= 6
    assert next(r.label for p in pages for r in p) == "Starting Well"
