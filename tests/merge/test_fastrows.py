"""The ICS workbook's row writer: fast XML equals the plain per-cell rendering; zip stays whole."""

from __future__ import annotations

import itertools
import zipfile
import zlib
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ltpgap.merge import _fastrows, _zipwriter
from ltpgap.merge._fastrows import KINDS, BulkRows
from ltpgap.merge._tables import row_heights
from ltpgap.workbook._rows import ExcelError

#: Text that needs no escaping, text that does, text that looks like a formula.
_TEXT = st.one_of(
    st.text("abc XYZ£é—\n", max_size=12),
    st.sampled_from(["A&E <b>", "x>y", "_x0041_ typed", "\r\nnew", "=1+1", "-5", "@home", "\tTab"]),
    st.text(max_size=6),  # anything, control characters and lone surrogates included
)
_VALUE = st.one_of(
    st.none(),
    st.just(""),
    _TEXT,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from([date(2024, 3, 31), datetime(2023, 4, 5, 13, 30), time(9, 15)]),
    st.sampled_from([ExcelError("#REF!"), ExcelError("#N/A")]),
)
#: Mostly plain text, as in the Place data sheet (the writer's other path).
_MOSTLY_TEXT = st.one_of(st.text("abc XYZ", min_size=1, max_size=12), _VALUE)
_STYLES = {kind: [10 * i + j for j in range(4)] for i, kind in enumerate(KINDS, start=1)}


#: Wrapped columns (index, width) whose text sets the row heights, when a test asks for them.
_FIT = ((1, 6.0), (3, 12.0))


def _heights(rows: list[list[object]]) -> list[float | None]:
    """Row heights worked out over the whole table at once."""
    return row_heights([[row[j] for row in rows] for j in range(4)], _FIT, len(rows))


def _reference(rows: list[list[object]], heights: list[float | None] | None, first: int = 0) -> str:
    """The same rows written the plain way: one ``_cell`` call per value (rows from data row
    ``first`` of the table, ``heights`` those of these rows)."""
    letters = "ABCD"
    out = []
    for r, row in enumerate(rows, start=2 + first):
        h = heights[r - 2 - first] if heights else None
        out.append(f'<row r="{r}" ht="{h:g}" customHeight="1">' if h else f'<row r="{r}">')
        for j, v in enumerate(row):
            style = {kind: _STYLES[kind][j] for kind in KINDS}
            out.append(_fastrows._cell(f"{letters[j]}{r}", v, style))
        out.append("</row>")
    return "".join(out)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.one_of(
        st.lists(st.lists(_VALUE, min_size=4, max_size=4), max_size=30),
        st.lists(st.lists(_MOSTLY_TEXT, min_size=4, max_size=4), max_size=30),
    ),
    by_column=st.booleans(),
    tall=st.booleans(),
    chunk=st.integers(1, 7),
)
def test_rows_xml_is_the_plain_rendering(
    rows: list[list[object]], by_column: bool, tall: bool, chunk: int
) -> None:
    heights = _heights(rows) if tall else None
    columns = [[row[j] for row in rows] for j in range(4)] if by_column else None
    bulk = BulkRows(
        sheet="s",
        width=4,
        rows=() if by_column else rows,
        columns=columns,
        fit=_FIT if tall else (),
        styles={k: list(v) for k, v in _STYLES.items()},
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_fastrows, "_CHUNK", chunk)
        fast = "".join(_fastrows._rows_xml(bulk))
    assert fast == _reference(rows, heights)


@pytest.mark.parametrize("parallel", [True, False], ids=["two-threads", "one-thread"])
def test_the_writer_keeps_every_byte(tmp_path: Path, parallel: bool) -> None:
    chunks = [bytes([65 + i % 26]) * (100_000 + i) + b"<x/>" * i for i in range(25)]
    target = tmp_path / "out.zip"
    with pytest.MonkeyPatch.context() as mp:
        if not parallel:  # as on a Python whose zipfile keeps other fields
            mp.setattr(_zipwriter, "_WRITER_FIELDS", ("_no_such_field",))
        with (
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
            _zipwriter.Writer(out) as w,
        ):
            w.send("whole", (zipfile.ZipInfo("first.txt"), b"hello"))
            info = zipfile.ZipInfo("big.xml")
            info.compress_type = zipfile.ZIP_DEFLATED
            w.send("begin", info)
            for c in chunks:
                w.send("data", c)
            w.send("end")
            w.send("whole", (zipfile.ZipInfo("last.txt"), b""))
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None  # every CRC matches
        assert zf.namelist() == ["first.txt", "big.xml", "last.txt"]
        assert zf.read("big.xml") == b"".join(chunks)
        assert zf.getinfo("big.xml").compress_size < len(b"".join(chunks)) // 10


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.lists(_MOSTLY_TEXT, min_size=4, max_size=4), max_size=30),
    by_column=st.booleans(),
    tall=st.booleans(),
    cuts=st.lists(st.integers(0, 30), max_size=4),
    chunk=st.integers(1, 7),
)
def test_row_ranges_join_to_the_whole(
    rows: list[list[object]], by_column: bool, tall: bool, cuts: list[int], chunk: int
) -> None:
    """What a worker makes of rows start–stop is that stretch of the whole table's XML."""
    bulk = BulkRows(
        sheet="s",
        width=4,
        rows=() if by_column else rows,
        columns=[[row[j] for row in rows] for j in range(4)] if by_column else None,
        fit=_FIT if tall else (),
        styles={k: list(v) for k, v in _STYLES.items()},
    )
    bounds = sorted({0, len(rows), *(min(c, len(rows)) for c in cuts)})
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_fastrows, "_CHUNK", chunk)
        whole = "".join(_fastrows._rows_xml(bulk))
        pieces = [
            "".join(_fastrows._rows_xml(bulk, lo, hi)) for lo, hi in itertools.pairwise(bounds)
        ]
    assert "".join(pieces) == whole


@pytest.mark.parametrize("passthrough", [True, False], ids=["as-deflated", "re-inflated"])
def test_runs_deflated_elsewhere_join_the_member(tmp_path: Path, passthrough: bool) -> None:
    """The writer mixes its own chunks with runs deflated by workers; bytes and CRC hold."""
    texts = [bytes([65 + i % 26]) * (50_000 + i) for i in range(12)]
    target = tmp_path / "out.zip"
    with pytest.MonkeyPatch.context() as mp:
        if not passthrough:
            mp.setattr(_zipwriter, "_WRITER_FIELDS", ("_no_such_field",))
        with (
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
            _zipwriter.Writer(out) as w,
        ):
            info = zipfile.ZipInfo("big.xml")
            info.compress_type = zipfile.ZIP_DEFLATED
            w.send("begin", info)
            for i, text in enumerate(texts):
                if i % 3:
                    w.send("data", text)
                else:  # as _fastrows._render returns it
                    run = _zipwriter.deflate_run(text)
                    w.send("deflated", (run, zlib.crc32(text), len(text)))
            w.send("end")
    with zipfile.ZipFile(target) as zf:
        assert zf.testzip() is None
        assert zf.read("big.xml") == b"".join(texts)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.one_of(st.none(), st.text("ab c\n", max_size=300)), min_size=4, max_size=4),
        max_size=25,
    ),
    chunk=st.integers(1, 7),
    lo=st.integers(0, 25),
)
def test_heights_fitted_a_block_at_a_time_are_the_whole_tables(
    rows: list[list[object]], chunk: int, lo: int
) -> None:
    """Row heights worked out per block (and per range, in a worker) are those of the table."""
    fit = ((1, 36.0), (3, 12.0))
    columns = [[row[j] for row in rows] for j in range(4)]
    whole = row_heights(columns, fit, len(rows))
    assert all(h is None or h > 15 for h in whole)
    styles = {k: list(v) for k, v in _STYLES.items()}
    fitted = BulkRows(sheet="s", width=4, rows=rows, fit=fit, styles=styles)
    start = min(lo, len(rows))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_fastrows, "_CHUNK", chunk)
        assert "".join(_fastrows._rows_xml(fitted)) == _reference(rows, whole)
        assert "".join(_fastrows._rows_xml(fitted, start)) == _reference(
            rows[start:], whole[start:], first=start
        )
