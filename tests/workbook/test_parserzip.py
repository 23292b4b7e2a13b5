"""The copy python-calamine parses (``Inspection.parser_bytes``) reads exactly as the original.

The gate re-packs a passed workbook uncompressed, from its own decompressed bytes, with an
empty merged-cell list before the rows of each sheet that has none (python-calamine otherwise
reads every sheet a second time looking for merged cells). Every sheet's values and merged
ranges must come out the same from the copy as from the file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import _fixtures as fx
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.workbook import gate as gate_module
from ltpgap.workbook import read_workbook
from ltpgap.workbook._parserzip import parser_package
from ltpgap.workbook.gate import inspect_workbook

_DATA_PART = "xl/worksheets/sheet2.xml"


@pytest.fixture(scope="session")
def filled_base(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, blmk: IcsConfig
) -> Path:
    return fx.filled_base_once(lambda: tmp_path_factory.mktemp("base"), catalogue, blmk)


def _contents(data: bytes) -> dict[str, tuple[list[list[object]], list[object]]]:
    """Every sheet as python-calamine reads it: (values from A1, merged ranges)."""
    out = {}
    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            out[name] = (sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges))
    return out


def _assert_reads_the_same(path: Path) -> bytes:
    found = inspect_workbook(path, keep_parts=True)
    assert found.passed, found.issues
    assert found.data is not None
    parsed = found.parser_bytes()
    assert parsed is not None and parsed != found.data  # the copy, not the file
    with zipfile.ZipFile(io.BytesIO(parsed)) as copy:
        assert copy.testzip() is None  # every CRC right
        assert all(i.compress_type == zipfile.ZIP_STORED for i in copy.infolist())
        with zipfile.ZipFile(io.BytesIO(found.data)) as original:
            assert set(copy.namelist()) == set(original.namelist())
    assert _contents(parsed) == _contents(found.data)
    return parsed


def _prefixed(base: Path, target: Path) -> Path:
    """The Gap analysis sheet with every element under an ``x:`` prefix (strict-style XML)."""
    xml = fx.read_entries(base)[_DATA_PART]
    xml = re.sub(rb"<(/?)([A-Za-z][\w]*)(?=[\s>/])", rb"<\1x:\2", xml)
    xml = xml.replace(b'xmlns="', b'xmlns:x="', 1)
    return fx.rezip(base, target, {_DATA_PART: xml})


GENERATORS: dict[str, Callable[[Path, Path], Path]] = {
    "as built": lambda base, folder: fx._copy(base, folder),
    "reordered rows": fx.place_reordered_rows,
    "inserted row": fx.place_inserted_row,
    "extra column (saved by openpyxl: shared strings)": fx.place_extra_column,
    "moved table": fx.place_moved_table,
    "Para typed as a number": fx.place_para_as_number,
    "merged input cells": fx.place_merged_inputs,
    "error cells": fx.place_error_cells,
    "no metadata sheet": fx.metadata_missing,
    "namespace prefix": lambda base, folder: _prefixed(base, folder / "bedford.xlsx"),
}


@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
def test_the_parser_copy_reads_as_the_original(
    filled_base: Path, tmp_path: Path, make: Callable[[Path, Path], Path]
) -> None:
    _assert_reads_the_same(make(filled_base, tmp_path))


def test_sheets_without_merged_cells_get_the_empty_list_and_others_are_untouched(
    filled_base: Path, tmp_path: Path
) -> None:
    plain = _assert_reads_the_same(fx._copy(filled_base, tmp_path / "a"))
    with zipfile.ZipFile(io.BytesIO(plain)) as copy:
        sheet = copy.read(_DATA_PART)
    assert sheet.index(b"<mergeCells></mergeCells>") < sheet.index(b"<sheetData")

    merged_path = fx.place_merged_inputs(filled_base, tmp_path / "b")
    merged = _assert_reads_the_same(merged_path)
    with zipfile.ZipFile(io.BytesIO(merged)) as copy, zipfile.ZipFile(merged_path) as original:
        data_sheet = next(n for n in original.namelist() if b"<mergeCell " in original.read(n))
        assert copy.read(data_sheet) == original.read(data_sheet)


def test_the_namespace_prefix_is_kept_on_the_inserted_list(
    filled_base: Path, tmp_path: Path
) -> None:
    parsed = _assert_reads_the_same(_prefixed(filled_base, tmp_path / "bedford.xlsx"))
    with zipfile.ZipFile(io.BytesIO(parsed)) as copy:
        assert b"<x:mergeCells></x:mergeCells><x:sheetData" in copy.read(_DATA_PART)


def test_over_the_keep_budget_the_reader_parses_the_file_itself(
    filled_base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fx._copy(filled_base, tmp_path)
    usual = read_workbook(path).inputs
    monkeypatch.setattr(gate_module, "KEEP_BYTES", 10_000)  # less than the data sheet
    found = inspect_workbook(path, keep_parts=True)
    assert found.passed
    assert _DATA_PART not in found.parts
    assert found.parser_bytes() == found.data
    pd.testing.assert_frame_equal(read_workbook(path).inputs, usual)


def test_without_kept_parts_the_checked_bytes_are_parsed(filled_base: Path) -> None:
    found = inspect_workbook(filled_base)
    assert found.parts == {}
    assert found.parser_bytes() == found.data


def test_a_refused_file_has_no_parser_bytes(filled_base: Path, tmp_path: Path) -> None:
    found = inspect_workbook(fx.hostile_dtd(filled_base, tmp_path), keep_parts=True)
    assert not found.passed
    assert found.parser_bytes() is None


def test_non_ascii_part_names_survive_the_copy() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.xml", b"<a/>")
        z.writestr("m\u00e9dia/caf\u00e9.bin", b"\x00\x01")
    parsed = parser_package(buf.getvalue(), {}, ())
    with zipfile.ZipFile(io.BytesIO(parsed)) as copy:
        assert copy.read("m\u00e9dia/caf\u00e9.bin") == b"\x00\x01"
        assert copy.testzip() is None


# --- any values, any merges ---------------------------------------------------------------
_VALUES = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2099, 12, 31)),
    st.sampled_from(["=1+1", "<mergeCells>", "</sheetData>", "mergeCell", "&amp;", " x "]),
)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    grid=st.lists(st.lists(_VALUES, min_size=1, max_size=6), min_size=1, max_size=8),
    merges=st.lists(st.tuples(st.integers(1, 8), st.integers(1, 6)), max_size=3, unique=True),
)
def test_any_workbook_reads_the_same_from_the_copy(
    tmp_path: Path, grid: list[list[object]], merges: list[tuple[int, int]]
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = _ILLEGAL.sub("", value)
            ws.cell(row=r, column=c, value=value)
    for r, c in merges:
        ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c)
    wb.create_sheet("Second")["B2"] = "second sheet"
    path = tmp_path / "any.xlsx"
    wb.save(path)
    _assert_reads_the_same(path)
