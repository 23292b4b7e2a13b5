"""Desktop Excel through RunPython's entry points (skipped where Excel is absent)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import xlwings as xw

from ltpgap.schema import HEADERS

HAS_EXCEL = sys.platform.startswith(("win", "darwin")) and "excel" in [e.name for e in xw.engines]
pytestmark = [pytest.mark.excel, pytest.mark.skipif(not HAS_EXCEL, reason="needs desktop Excel")]


@pytest.fixture
def open_book(books: dict[str, Path], tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "luton.xlsx"
    shutil.copy(books["luton"], path)
    app = xw.App(visible=False, add_book=False)
    book = app.books.open(path)
    book.set_mock_caller()
    yield book
    book.close()
    app.quit()


@pytest.mark.parametrize("entry", ["recompute", "check"])
def test_entry_point_writes_the_computed_columns(open_book: xw.Book, entry: str) -> None:
    from ltpgap.xl import desktop

    outcome = getattr(desktop, entry)()
    assert outcome is not None and outcome.unit_id == "luton"
    sheet = open_book.sheets["Gap analysis"]
    checks = sheet.range((2, HEADERS.index("Checks") + 1)).expand("down").value
    assert any(checks)
    assert sheet.api.ProtectContents if sys.platform.startswith("win") else True


def test_push_keeps_inputs(open_book: xw.Book) -> None:
    from ltpgap.xl import desktop

    sheet = open_book.sheets["Gap analysis"]
    before = sheet.used_range.value
    desktop.push_catalogue()
    assert sheet.used_range.value[0] == before[0]
