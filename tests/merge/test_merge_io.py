"""The fast paths: worker processes give the same merge; streamed rows read back as written."""

from __future__ import annotations

import io
import pickle
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from mergekit import copy_books, sheet_rows, type_inputs
from python_calamine import CalamineWorkbook
from rich.console import Console

import ltpgap.cli.merge as merge_cli
from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.merge import _fastrows as fastrows
from ltpgap.merge import ics_writer, merge_workbooks
from ltpgap.merge import model as model_module
from ltpgap.merge._collect import pool_size
from ltpgap.merge._fastrows import KINDS, BulkRows, splice_rows
from ltpgap.workbook import read_workbook
from ltpgap.workbook import reader as reader_module

TRICKY = [
    "plain",
    "=SUM(A1:A3)",
    "a_x0041_b",  # looks like an OOXML escape: must read back as typed
    "cr\rlf\r\nend",
    "bell\x07tab\tnul\x00",
    "<b>&amp;</b> \"quoted\" 'single'",
    "emoji 🚑 and accents é ü",
    "  padded  ",
]


def test_pool_and_single_process_agree(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], {"1.8": {"status": "None"}})
    type_inputs(books["bedford"], {"1.8": {"status": "In place", "coverage": "Full"}})
    files = list(books.values())
    one = merge_workbooks(files, out=tmp_path / "one.xlsx", catalogue=cat1, ics=ics, jobs=1)
    two = merge_workbooks(files, out=tmp_path / "two.xlsx", catalogue=cat1, ics=ics, jobs=2)
    assert one.rollup.frame.equals(two.rollup.frame)
    assert [str(i) for i in one.issues] == [str(i) for i in two.issues]
    assert sheet_rows(tmp_path / "one.xlsx", "Place data") == sheet_rows(
        tmp_path / "two.xlsx", "Place data"
    )
    assert pool_size(3, None) == 0 and pool_size(50, 1) == 0 and pool_size(50, 4) == 4


def _laid_out(path: Path, width: int) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for j in range(1, width + 1):
        ws.cell(row=1, column=j, value=f"H{j}")
        for offset, kind in enumerate(KINDS, start=2):
            cell = ws.cell(row=offset, column=j)
            cell.number_format = {
                "date": "yyyy-mm-dd",
                "datetime": "yyyy-mm-dd hh:mm",
                "time": "hh:mm:ss",
            }.get(kind, "General")
            cell.quotePrefix = kind == "quoted"
    wb.save(path)


def test_streamed_rows_read_back_exactly(tmp_path: Path) -> None:
    rows = [[t, i, float(i) / 3, None, True] for i, t in enumerate(TRICKY)]
    rows.append([date(2024, 3, 31), datetime(2024, 3, 31, 10, 30), time(9, 15), 2**40, False])
    layout, target = tmp_path / "layout.xlsx", tmp_path / "out.xlsx"
    _laid_out(layout, 5)
    splice_rows(layout, target, [BulkRows(sheet="Data", width=5, rows=rows)], {"Data": len(rows)})
    with CalamineWorkbook.from_path(str(target)) as book:
        grid = book.get_sheet_by_name("Data").to_python()
    back = [[None if v == "" else v for v in r] for r in grid[1:]]
    for want, got in zip(rows[:-1], back, strict=False):
        assert got[0] == want[0]
        assert got[1] == want[1] and got[2] == pytest.approx(want[2]) and got[4] is True
        assert got[3] is None
    assert back[-1][:2] == [date(2024, 3, 31), datetime(2024, 3, 31, 10, 30)]
    assert back[-1][3] == 2**40 and back[-1][4] is False
    wb = openpyxl.load_workbook(target, read_only=True)
    ws = wb["Data"]
    assert ws.max_row == len(rows) + 1  # the dimension is right (read-only readers trust it)
    quoted = openpyxl.load_workbook(target)["Data"]["A3"]
    assert quoted.value == "=SUM(A1:A3)" and quoted.data_type == "s" and quoted.quotePrefix


def test_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(
        merge_cli, "err_console", Console(file=screen, force_terminal=True, width=100)
    )
    with merge_cli.file_progress(2, quiet=False, verb="reading") as advance:
        advance(Path("a/luton.xlsx"), True)
        advance(Path("a/bad.xlsx"), False)
    text = screen.getvalue()
    assert "2/2" in text and "bad.xlsx" in text and "not usable" in text


def test_a_big_ics_keeps_its_metadata_whole(tmp_path: Path, cat1: Catalogue) -> None:
    from ltpgap.ics import Place
    from ltpgap.merge import read_ics_workbook
    from ltpgap.workbook import build_workbook

    many = IcsConfig(
        id="big",
        name="A very big ICS",
        places=tuple(
            Place(id=f"p{i:03d}", name=f"Place {i:03d}", population=1000 + i) for i in range(150)
        ),
    )
    book = build_workbook(cat1, many, "p007", out_path=tmp_path / "p007.xlsx")
    type_inputs(book, {"1.8": {"status": "None"}})
    out = tmp_path / "BIG.xlsx"
    merge_workbooks([book], out=out, catalogue=cat1, ics=many)
    meta = openpyxl.load_workbook(out)["_ltpgap"]
    assert meta["C8"].value  # the places list continues in column C
    assert all(len(str(c.value or "")) <= 32_767 for row in meta.iter_rows() for c in row)
    wb = read_ics_workbook(out)
    assert wb.intact and len(wb.places) == 150 and wb.places[7].status == "submitted"
    assert wb.matrix.set_index("para").loc["1.8", "p007"] == "Red"


def test_rows_made_by_worker_processes_are_the_rows_made_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big workbook's rows are made and deflated by forked workers, a range each; the sheet
    XML is byte for byte what one process writes."""
    rows = [
        [f"{t} {i}", i, float(i) / 7, None if i % 4 else "x", i % 2 == 0]
        for i, t in enumerate(TRICKY * 40)
    ]
    layout = tmp_path / "layout.xlsx"
    _laid_out(layout, 5)
    written, ranges = {}, {}
    stream = fastrows._stream_sheet

    def spy(w: object, sheet: object, rendered: list[object] | None) -> None:
        ranges[name] = None if rendered is None else len(rendered)
        stream(w, sheet, rendered)  # type: ignore[arg-type]

    monkeypatch.setattr(fastrows, "_stream_sheet", spy)
    for name, threshold in (("here", 10**9), ("workers", 0)):
        monkeypatch.setattr(fastrows, "PARALLEL_ROWS", threshold)
        monkeypatch.setattr(fastrows, "_RANGE_CELLS", 37 * 5)  # ranges of 37 rows
        target = tmp_path / f"{name}.xlsx"
        bulk = BulkRows(sheet="Data", width=5, rows=rows)
        splice_rows(layout, target, [bulk], {"Data": len(rows)})
        with zipfile.ZipFile(target) as zf:
            assert zf.testzip() is None
            written[name] = {n: zf.read(n) for n in zf.namelist()}
    assert ranges == {"here": None, "workers": -(-len(rows) // 37)}
    assert written["workers"] == written["here"]


def test_a_merge_builds_no_inputs_frame(
    tmp_path: Path,
    blanks: dict[str, Path],
    cat1: Catalogue,
    ics: IcsConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers assess, and the sheets are written, from the inputs' columns: neither a
    workbook's nor a submission's inputs frame is ever built (each would cost a frame per
    file, and a pickled one per file to send back)."""
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], {"1.8": {"status": "None", "lead": "Ann"}})
    type_inputs(books["bedford"], {"2.9": {"status": "In place", "coverage": "Full"}})
    expected = merge_workbooks(
        list(books.values()), out=tmp_path / "framed.xlsx", catalogue=cat1, ics=ics, jobs=1
    )

    def no_frame(*_: object, **__: object) -> object:
        raise AssertionError("an inputs frame was built")

    monkeypatch.setattr(reader_module, "table_frame", no_frame)
    monkeypatch.setattr(model_module, "table_frame", no_frame)
    got = merge_workbooks(
        list(books.values()), out=tmp_path / "columns.xlsx", catalogue=cat1, ics=ics, jobs=1
    )
    assert got.rollup.frame.equals(expected.rollup.frame)
    for sheet in ("Place data", "Gaps", "ICS matrix"):
        assert sheet_rows(tmp_path / "columns.xlsx", sheet) == sheet_rows(
            tmp_path / "framed.xlsx", sheet
        )


def test_a_workbook_travels_without_its_frame(tmp_path: Path, blanks: dict[str, Path]) -> None:
    """What a worker sends back holds the inputs' columns only; the frame is rebuilt, the same,
    on first use."""
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], {"1.8": {"status": "None", "lead": "Ann", "evidence": "x"}})
    book = read_workbook(books["luton"])
    frame = book.inputs  # built and cached here
    back = pickle.loads(pickle.dumps(book))
    assert "inputs" in book.__dict__ and "inputs" not in back.__dict__
    pd.testing.assert_frame_equal(back.inputs, frame)
    assert back.inputs["row"].dtype == "int64"
    assert len(pickle.dumps(book)) == len(pickle.dumps(back))  # the cached frame stays home


@pytest.mark.parametrize("foretold", ["right", "wrong"])
def test_rows_made_before_the_layout_is_saved_carry_its_styles(
    tmp_path: Path,
    blanks: dict[str, Path],
    cat1: Catalogue,
    ics: IcsConfig,
    monkeypatch: pytest.MonkeyPatch,
    foretold: str,
) -> None:
    """Workers start on the rows with the style ids openpyxl gave the template rows before
    saving; the saved layout is checked against them, and rows made with ids that turn out
    wrong are made again here. Either way the workbook is the one written in one process."""
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], {"1.8": {"status": "None", "lead": "Ann"}, "2.9": {"status": "x"}})
    type_inputs(books["bedford"], {"2.9": {"status": "In place", "expected_delivery": "2020"}})
    files = list(books.values())
    monkeypatch.setattr(fastrows, "PARALLEL_ROWS", 10**9)
    merge_workbooks(files, out=tmp_path / "here.xlsx", catalogue=cat1, ics=ics, jobs=1)

    stale: list[bool] = []
    prepare, table_sheet = fastrows._prepare, ics_writer._table_sheet

    def spy(*args: Any, **kwargs: Any) -> Any:
        sheet = prepare(*args, **kwargs)
        stale.append(sheet.stale)
        return sheet

    def mistaken(*args: Any) -> BulkRows:
        bulk = table_sheet(*args)
        for ids in bulk.styles.values():
            ids[:] = [i + 1 for i in ids]
        return bulk

    monkeypatch.setattr(fastrows, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(fastrows, "_prepare", spy)
    if foretold == "wrong":
        monkeypatch.setattr(ics_writer, "_table_sheet", mistaken)
    merge_workbooks(files, out=tmp_path / "workers.xlsx", catalogue=cat1, ics=ics, jobs=1)
    assert stale == [foretold == "wrong"] * 6
    here, workers = (openpyxl.load_workbook(tmp_path / f) for f in ("here.xlsx", "workers.xlsx"))
    for name in ("ICS matrix", "Gaps", "Place data", "Checks"):
        cells = [
            [(c.value, c.number_format, repr(c.font), repr(c.fill), c.quotePrefix) for c in row]
            for book in (here, workers)
            for row in [*book[name].iter_rows()]
        ]
        half = len(cells) // 2
        assert cells[:half] == cells[half:], name
