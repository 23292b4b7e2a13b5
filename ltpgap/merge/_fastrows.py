"""Stream the rows of big tables into a workbook openpyxl has laid out and saved.

openpyxl writes every sheet of the ICS workbook: header row, column widths, the Excel Table,
conditional formats, frozen panes, print set-up and the cell styles. It is slow for the rows
themselves (a 200-place merge has ~100 000 rows of place data), so the writer gives each
table sheet only its header row plus one *template row per kind of value* (text, text that
looks like a formula, number, date…). This module then copies the saved package, and in each
table sheet swaps those template rows for the real rows, written as XML directly, every cell
carrying the style id openpyxl gave its template. Text is always an inline string cell, so a
value starting with ``=`` can never become a formula; such cells also get a ``quotePrefix``
style so editing them in Excel keeps them text.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice, zip_longest
from pathlib import Path
from typing import cast

from openpyxl.utils import get_column_letter

from ltpgap._cpus import worker_count
from ltpgap._zlib import crc32
from ltpgap.merge._tables import row_heights
from ltpgap.merge._zipwriter import LEVEL as _LEVEL
from ltpgap.merge._zipwriter import Writer, deflate_run
from ltpgap.workbook._package import read_package, workbook_part

__all__ = ["KINDS", "BulkRows", "rendering", "splice_rows"]

#: The template rows, in order, right under the header: one per kind of cell value.
KINDS: tuple[str, ...] = ("text", "quoted", "number", "date", "datetime", "time")
_FORMULA_FIRST = frozenset("=+-@\t\r")
_T_OPEN = '<t xml:space="preserve">'
_NEEDS_ESCAPE = re.compile(
    r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: ASCII bytes that may need escaping (``_`` for the _xHHHH_ code): absent, the text is clean.
_ASCII_SUSPECT = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *b"&<>\r_"])
_EPOCH = datetime(1899, 12, 30)
_ROW = re.compile(r"<row\b[^>]*>.*?</row>|<row\b[^>]*/>", re.S)
_CELL_STYLE = re.compile(r'<c\b[^>]*\br="([A-Z]+)\d+"[^>]*?\bs="(\d+)"')
_CHUNK = 2000  # rows per write


@dataclass(frozen=True, kw_only=True)
class BulkRows:
    """Rows for one table sheet, from row 2 on: as rows, or (cheaper) as whole columns.

    ``columns`` (one sequence per column, all the same length) is used when given; otherwise
    ``rows``.
    """

    sheet: str
    width: int  # number of columns
    rows: Iterable[Sequence[object]] = ()
    columns: Sequence[Sequence[object]] | None = None
    #: Wrapped columns (index, width) whose text sets each row's height, worked out a block
    #: at a time where the rows are made (none: every row the default height).
    fit: Sequence[tuple[int, float]] = ()
    styles: dict[str, list[int]] = field(default_factory=dict)  # filled from the templates


def _escape(text: str) -> str:
    """Element text for an inline string: XML-escaped, CR kept, control characters coded."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # The _xHHHH_ code is how OOXML stores characters XML cannot hold; a literal "_x0041_"
    # typed by a user must itself be escaped (its underscore as _x005F_) to read back as typed.
    text = re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    text = text.replace("\r", "&#13;")
    return text.encode("utf-8", "replace").decode("utf-8")


def _escaped(text: str) -> str:
    return _escape(text) if _NEEDS_ESCAPE.search(text) else text


def _serial(value: date | datetime | time | timedelta) -> float:
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    if isinstance(value, date):
        return float((value - _EPOCH.date()).days)
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return value.total_seconds() / 86400


def _cell(ref: str, value: object, styles: dict[str, int]) -> str:
    """One ``<c>`` element ("" for a blank value)."""
    if isinstance(value, str):
        return _text_cell(ref, value, styles["text"], styles["quoted"]) if value else ""
    if value is None or type(value).__name__ in {"NaTType", "NAType"}:
        return ""
    if hasattr(value, "item") and not isinstance(value, datetime | date):
        value = value.item()  # a numpy scalar
    kind = type(value)
    if kind is bool:
        return f'<c r="{ref}" s="{styles["text"]}" t="b"><v>{int(value)}</v></c>'  # type: ignore[call-overload]
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if math.isnan(number):
            return ""
        if math.isinf(number):
            return _cell(ref, str(value), styles)
        shown = repr(value) if kind is float else str(value)
        return f'<c r="{ref}" s="{styles["number"]}"><v>{shown}</v></c>'
    if isinstance(value, datetime):
        style = "datetime" if value.time() != time() else "date"
        return f'<c r="{ref}" s="{styles[style]}"><v>{_serial(value)!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{styles["date"]}"><v>{_serial(value)!r}</v></c>'
    if isinstance(value, time | timedelta):
        return f'<c r="{ref}" s="{styles["time"]}"><v>{_serial(value)!r}</v></c>'
    return _cell(ref, str(value), styles)


def _text_cell(ref: str, text: str, plain: int, quoted: int) -> str:
    """An inline-string cell (a value starting like a formula gets the quoted style)."""
    style = quoted if text[0] in _FORMULA_FIRST else plain
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is>{_T_OPEN}{_escaped(text)}</t></is></c>'


def _clean(values: Sequence[object]) -> bool:
    """True when no text among ``values`` needs escaping (checked on them all at once, in C)."""
    try:
        joined = " ".join(filter(None, values))  # type: ignore[arg-type]
    except TypeError:  # not only text
        joined = " ".join([v for v in values if type(v) is str])
    if joined.isascii():  # O(1) in CPython; then one byte pass finds any suspect character
        data = joined.encode("ascii")
        if len(data.translate(None, _ASCII_SUSPECT)) == len(data):
            return True
    elif (
        joined.isprintable()
        and "&" not in joined
        and "<" not in joined
        and ">" not in joined
        and "_x" not in joined
    ):
        return True
    return _NEEDS_ESCAPE.search(joined) is None


def _special(letter: str, r: str, v: object, style: dict[str, int]) -> str:
    """A cell the slots cannot hold as plain text: a number, a formula-like text, a blank…"""
    if type(v) is int:
        return f'<c r="{letter}{r}" s="{style["number"]}"><v>{v}</v></c>'
    return "" if v is None else _cell(f"{letter}{r}", v, style)


def _put_column(
    parts: list[str],
    at: int,
    stride: int,
    letter: str,
    rs: list[str],
    values: Sequence[object],
    style: dict[str, int],
) -> None:
    """Fill one column's five slots per row: ``<c r="J`` · row · ``" s=… <t…>`` · text · ``</t>…``.

    The hot path of the writer. Plain text cells are never built one by one: whole slot
    columns are assigned at once (C speed) and ``"".join`` makes the XML. Only the other
    cells (numbers, blanks, text that looks like a formula) are written individually, and
    in a mostly blank column only the filled cells are touched at all.
    """
    n = len(rs)
    first = _FORMULA_FIRST
    texts = values if _clean(values) else [_escaped(v) if type(v) is str else v for v in values]
    odd = [i for i, v in enumerate(values) if type(v) is not str or not v or v[0] in first]
    if len(odd) * 2 > n:  # mostly blank: leave the slots empty, write each filled cell whole
        plain = f'" s="{style["text"]}" t="inlineStr"><is>{_T_OPEN}'
        for i, v in enumerate(values):
            if type(v) is str and v and v[0] not in first:
                parts[at + i * stride + 3] = f'<c r="{letter}{rs[i]}{plain}{texts[i]}</t></is></c>'
            elif v is not None:
                parts[at + i * stride + 3] = _special(letter, rs[i], v, style)
        return
    parts[at::stride] = [f'<c r="{letter}'] * n
    parts[at + 1 :: stride] = rs
    parts[at + 2 :: stride] = [f'" s="{style["text"]}" t="inlineStr"><is>{_T_OPEN}'] * n
    parts[at + 3 :: stride] = texts  # type: ignore[assignment]  # odd ones replaced below
    parts[at + 4 :: stride] = ["</t></is></c>"] * n
    for i in odd:
        b = at + i * stride
        parts[b : b + 5] = ("", "", "", _special(letter, rs[i], values[i], style), "")


def _blocks(
    bulk: BulkRows, start: int = 0, stop: int | None = None
) -> Iterator[list[Sequence[object]]]:
    """The bulk's values as columns, ``_CHUNK`` rows at a time (short rows padded), from data
    row ``start`` (0-based) up to ``stop``; a range needs ``rows`` to be a sequence."""
    if bulk.columns is not None:
        size = len(bulk.columns[0]) if bulk.columns else 0
        end = size if stop is None else min(stop, size)
        for lo in range(start, end, _CHUNK):
            hi = min(lo + _CHUNK, end)
            yield [c[lo:hi] for c in bulk.columns]
        return
    whole = start == 0 and stop is None
    rows = (
        iter(bulk.rows) if whole else iter(cast(Sequence[Sequence[object]], bulk.rows)[start:stop])
    )
    while block := list(islice(rows, _CHUNK)):
        columns: list[Sequence[object]] = list(zip_longest(*block))
        yield columns[: bulk.width] + [(None,) * len(block)] * (bulk.width - len(columns))


def _rows_xml(bulk: BulkRows, start: int = 0, stop: int | None = None) -> Iterator[str]:
    """The rows' XML, a block at a time: a flat list of slots, joined once per block.

    From data row ``start`` (0-based; Excel row ``start + 2``) up to ``stop``: any range of a
    table comes out exactly as it does within the whole.
    """
    letters = [get_column_letter(j + 1) for j in range(bulk.width)]
    by_col = [{kind: bulk.styles[kind][j] for kind in KINDS} for j in range(bulk.width)]
    top = 2 + start
    for columns in _blocks(bulk, start, stop):
        n = len(columns[0]) if columns else 0
        rs = list(map(str, range(top, top + n)))
        live = [j for j, values in enumerate(columns) if _any_value(values)]
        stride = 4 + 5 * len(live)  # <row r=" · row · "> · cells… · </row>
        parts: list[str] = [""] * (n * stride)
        parts[0::stride] = ['<row r="'] * n
        parts[1::stride] = rs
        parts[2::stride] = [
            f'" ht="{h:g}" customHeight="1">' if h else '">'
            for h in row_heights(columns, bulk.fit, n)
        ]
        for k, j in enumerate(live):
            _put_column(parts, 3 + 5 * k, stride, letters[j], rs, columns[j], by_col[j])
        parts[stride - 1 :: stride] = ["</row>"] * n
        yield "".join(parts)
        top += n


def _any_value(values: Sequence[object]) -> bool:
    """Whether a column of a block holds anything to write (C-speed count for the usual)."""
    n = len(values)
    try:
        return values.count(None) + values.count("") < n
    except TypeError:  # a value whose truth is ambiguous (pd.NA): write the column
        return True


def _template_styles(rows: list[str], width: int) -> dict[str, list[int]]:
    """Style id of every column in each template row (row 2 = text, row 3 = quoted …)."""
    styles: dict[str, list[int]] = {}
    for kind, xml in zip(KINDS, rows[1 : 1 + len(KINDS)], strict=True):
        found = {letter: int(s) for letter, s in _CELL_STYLE.findall(xml)}
        styles[kind] = [found.get(get_column_letter(j + 1), 0) for j in range(width)]
    return styles


def _split_sheet(xml: str, sheet: str) -> tuple[str, str, str, list[str]]:
    """(before sheetData, header row, after sheetData, template rows) of a laid-out sheet."""
    start = xml.find("<sheetData>")
    end = xml.find("</sheetData>")
    if start < 0 or end < 0:
        raise ValueError(f"sheet {sheet!r} has no rows to replace")
    rows = _ROW.findall(xml, start, end)
    if len(rows) < 1 + len(KINDS):
        raise ValueError(f"sheet {sheet!r} lacks its template rows")
    return xml[:start], rows[0], xml[end + len("</sheetData>") :], rows


@dataclass(frozen=True, kw_only=True)
class _Sheet:
    """A laid-out table sheet cut where its rows go: what comes before them, the header row,
    what comes after."""

    part: str
    bulk: BulkRows
    before: bytes
    after: bytes
    stale: bool = False  # rows made before the layout was saved used other style ids


def _prepare(part: str, xml: str, bulk: BulkRows, count: int) -> _Sheet:
    """Cut a table sheet openpyxl laid out. Its template rows' styles go into ``bulk``: if
    they differ from those the bulk was given, its rows made elsewhere are stale (the
    returned sheet says so)."""
    before, header, after, rows = _split_sheet(xml, bulk.sheet)
    styles = _template_styles(rows, bulk.width)
    stale = bool(bulk.styles) and bulk.styles != styles
    bulk.styles.clear()
    bulk.styles.update(styles)
    last = f"{get_column_letter(bulk.width)}{max(count + 1, 1)}"
    before = re.sub(
        r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{last}"/>', before, count=1
    )
    return _Sheet(
        part=part,
        bulk=bulk,
        before=before.encode("utf-8") + b"<sheetData>" + header.encode("utf-8"),
        after=b"</sheetData>" + after.encode("utf-8"),
        stale=stale,
    )


def _stream_sheet(w: Writer, sheet: _Sheet, rendered: list[Future[Rendered]] | None) -> None:
    """One table sheet into the zip: its rows made here, or the runs workers deflated."""
    info = zipfile.ZipInfo(sheet.part, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    # A ZipInfo opened for writing takes its level from itself, not from the ZipFile (whose
    # ``compresslevel`` only reaches members written by name): without this, zlib's default 6.
    info._compresslevel = _LEVEL  # type: ignore[attr-defined]
    w.send("begin", info)
    w.send("data", sheet.before)
    if rendered is None:
        for piece in _rows_xml(sheet.bulk):
            w.send("data", piece.encode("utf-8"))
    else:
        for future in rendered:
            w.send("deflated", future.result())
    w.send("data", sheet.after)
    w.send("end")


# --- rows made by worker processes ----------------------------------------------------------
#: From this many rows in all, the rows are made and deflated by worker processes (forked, so
#: they read the tables without copying them), a range of rows each; below, here.
PARALLEL_ROWS = 20_000
#: Cells per range handed to a worker (about 4 MB of sheet XML).
_RANGE_CELLS = 40_000
#: The sheets' rows as the forked workers inherit them (set just before they start).
_RENDERING: list[BulkRows] = []
#: A range's rows as one run of deflate blocks, with the CRC-32 and length of its XML.
Rendered = tuple[bytes, int, int]


def _render(task: tuple[int, int, int]) -> Rendered:
    """Rows ``start``–``stop`` of table ``i`` as one self-contained run of deflate blocks."""
    i, start, stop = task
    data = "".join(_rows_xml(_RENDERING[i], start, stop)).encode("utf-8")  # ~4 MB
    return deflate_run(data), crc32(data), len(data)


def _ranges(bulk: BulkRows, count: int) -> list[tuple[int, int]]:
    step = max(1, _RANGE_CELLS // max(bulk.width, 1))
    return [(lo, min(lo + step, count)) for lo in range(0, count, step)]


def _workers(bulks: Sequence[BulkRows], counts: Mapping[str, int]) -> int:
    """How many worker processes should make the rows (0: make them here)."""
    if sum(counts[b.sheet] for b in bulks) < PARALLEL_ROWS:
        return 0
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 0  # forking a process that runs other threads is not safe
    if any(b.columns is None and not isinstance(b.rows, Sequence) for b in bulks):
        return 0
    if any(not b.styles for b in bulks):
        return 0  # the style ids are learnt from the saved layout: nothing to start with
    return worker_count(4)


@contextmanager
def rendering(
    bulks: Sequence[BulkRows], counts: Mapping[str, int]
) -> Iterator[dict[str, list[Future[Rendered]]]]:
    """Start making every table's rows now, a range at a time, in forked workers.

    Yields each sheet's ranges as futures, in order ({}: the rows are made in this process
    when written). The bulks must carry their template rows' style ids already; the caller
    goes on laying out the workbook meanwhile and hands the futures to :func:`splice_rows`.
    """
    workers = _workers(bulks, counts)
    if not workers:
        yield {}
        return
    _RENDERING[:] = list(bulks)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield {
                bulk.sheet: [
                    pool.submit(_render, (i, lo, hi))
                    for lo, hi in _ranges(bulk, counts[bulk.sheet])
                ]
                for i, bulk in enumerate(bulks)
            }
    finally:
        _RENDERING.clear()


def splice_rows(
    source: Path,
    target: Path,
    bulks: Sequence[BulkRows],
    counts: dict[str, int],
    rendered: Mapping[str, list[Future[Rendered]]] | None = None,
) -> None:
    """Copy the package ``source`` to ``target``, streaming each bulk sheet's rows in.

    ``counts`` gives the number of data rows of each bulk sheet (for the sheet dimension).
    A big workbook's rows are made by worker processes (see :data:`PARALLEL_ROWS`), a range
    each, deflated there; the runs are joined in order, so the file is the same either way.
    ``rendered`` holds rows already under way (:func:`rendering`); without it they are
    started here, once the layout's styles are known.
    """
    wanted = {b.sheet: b for b in bulks}
    with zipfile.ZipFile(source) as zf:
        names = set(zf.namelist())
        main = workbook_part(zf, names)
        assert main is not None
        parts = {s.part: s.name for s in read_package(zf, names, main).sheets if s.part}
        members = [(info, zf.read(info)) for info in zf.infolist()]
    sheets = {
        info.filename: _prepare(info.filename, data.decode("utf-8"), wanted[title], counts[title])
        for info, data in members
        if (title := parts.get(info.filename)) in wanted
    }
    with (
        contextlib.nullcontext(rendered)
        if rendered is not None
        else rendering([s.bulk for s in sheets.values()], counts) as under_way,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=_LEVEL) as out,
        Writer(out) as w,
    ):
        for info, data in members:
            sheet = sheets.get(info.filename)
            if sheet is None:
                w.send("whole", (info, data))
            else:
                ranges = None if sheet.stale else under_way.get(sheet.bulk.sheet)
                _stream_sheet(w, sheet, ranges)
