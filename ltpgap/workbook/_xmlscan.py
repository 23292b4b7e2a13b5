"""Streaming, bounded scans of the XML inside an .xlsx, done before any XML parser runs.

Parts are read in chunks through ``zipfile`` (which stops at the declared size and checks the
CRC), so memory stays bounded whatever the archive claims. The scans use byte searches and
regular expressions only; nothing here expands an entity or builds a tree.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ltpgap.workbook._xmlpos import (
    ATTRIBUTE,
    TAG_REST,
    CellPositions,
    column_number,
    split_ref,
)

__all__ = [
    "CellTooLarge",
    "PartScan",
    "column_number",
    "prolog_problem",
    "scan_shared_strings",
    "scan_sheet",
]

CHUNK = 1024 * 1024  # a place workbook's largest sheet is read in one or two chunks
_DTD_IN_BODY = re.compile(rb"<!(?i:doctype|entity)")
_PREFIX = re.compile(rb"<(\w+:)?(?:worksheet|sst)\b")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*?\bref=[\"']([^\"']*)[\"']")
_TEXT = re.compile(rb"<(?:\w+:)?[tv](?:\s[^>]*)?>([^<]*)<")
_CELL_REF_IN = re.compile(rb"\br=[\"']([A-Z]{0,4}[0-9]{1,9})[\"']")
#: A cell's saved value (group 1: its text), and a formula's text (group 1; none when the
#: element is empty, as in a cell that shares another's formula).
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)<)")


def _decode_head(head: bytes) -> str:
    """Decode the start of a part well enough to see its prolog (UTF-8, UTF-16, or ASCII-like)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        enc = (
            "utf-16"
            if head[:2] in (b"\xff\xfe", b"\xfe\xff")
            else ("utf-16-le" if head[:1] == b"<" else "utf-16-be")
        )
        return head.decode(enc, errors="replace")
    return head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def prolog_problem(head: bytes, *, complete: bool) -> str | None:
    """Why this part's prolog is refused (a DTD or entity declaration), or ``None`` if it is fine.

    ``head`` is the first bytes of the part; ``complete`` says whether that is the whole part.
    Non-XML parts (images, binaries) are not XML and pass.
    """
    text = _decode_head(head)
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if pos >= n:
            return None if complete or pos == 0 else "the XML prolog is too long to check"
        if text[pos] != "<":
            return None  # not an XML part
        if text.startswith("<?", pos):
            stop = "?>"
        elif text.startswith("<!--", pos):
            stop = "-->"
        elif text.startswith("<!", pos):
            word = text[pos + 2 : pos + 9].upper()
            return f"it declares a {'DTD' if word.startswith('DOCTYPE') else 'markup declaration'}"
        else:
            return None  # the root element starts: no DTD before it
        end = text.find(stop, pos)
        if end < 0:
            return None if complete else "the XML prolog is too long to check"
        pos = end + len(stop)


class CellTooLarge(Exception):
    """A cell's text (or its markup) is over the bound; carries where and how big."""

    def __init__(self, ref: str | None, size: int, unit: str, index: int | None = None) -> None:
        super().__init__(ref)
        self.ref, self.size, self.unit, self.index = ref, size, unit, index


@dataclass(slots=True, kw_only=True)
class PartScan:
    """What the streaming scan of one sheet (or the shared strings) found."""

    max_row: int = 0
    max_col: int = 0
    cells: int = 0
    dimension: str | None = None
    prefix: bytes = b""  # namespace prefix of the part's elements, e.g. b"x:" (usually none)
    first_over: str | None = None  # first cell reference beyond the row/column bounds
    dtd_in_body: bool = False
    error_cells: dict[str, str] = field(default_factory=dict)
    #: cells holding a formula that was never calculated (no value saved): ref → its formula
    #: ("" for a cell that shares another's formula)
    formula_cells: dict[str, str] = field(default_factory=dict)
    items: int = 0  # shared strings: <si> count
    too_long: list[tuple[int, int]] = field(default_factory=list)  # shared strings: (index, chars)
    bad_reference: str | None = None  # a cell or row reference no spreadsheet program writes


def _text_chars(piece: bytes) -> int:
    """Characters of text in a cell or shared-string item (entities count as one character)."""
    total = 0
    for raw in _TEXT.findall(piece):
        total += len(html.unescape(raw.decode("utf-8", errors="replace")))
    return total


def _complete_upto(data: bytes, opens: tuple[bytes, bytes], end: bytes) -> int:
    """Index before which ``data`` holds only whole tags and whole items (cells or <si>)."""
    cut = data.rfind(b"<")
    if cut <= 0:
        return 0
    start = max(data.rfind(opens[0]), data.rfind(opens[1]))
    if start >= 0:
        tag_end = data.find(b">", start)
        closed = tag_end >= 0 and (data[tag_end - 1] == 0x2F or data.find(end, tag_end) >= 0)
        if not closed:
            cut = min(cut, start)
    return cut


def _chunks(
    read: Callable[[int], bytes], prefix_of: Callable[[bytes], None]
) -> Iterator[tuple[bytes, bool]]:
    """Yield (chunk, last) pairs; ``prefix_of`` sees the first chunk (to learn the ns prefix)."""
    first = read(CHUNK)
    prefix_of(first)
    nxt = read(CHUNK) if first else b""
    cur = first
    while cur:
        yield cur, not nxt
        cur, nxt = nxt, (read(CHUNK) if nxt else b"")


def _stream(
    read: Callable[[int], bytes],
    element: bytes,
    markup_cap: int,
    handle: Callable[[bytes, bytes], None],
    out: PartScan,
) -> None:
    """Feed ``handle(prefix, complete_bytes)`` whole items; note a DTD in the body on ``out``."""
    prefix = b""

    def learn(first: bytes) -> None:
        nonlocal prefix
        m = _PREFIX.search(first[:4096])
        prefix = out.prefix = (m.group(1) or b"") if m else b""

    carry = b""
    for chunk, last in _chunks(read, learn):
        data = carry + chunk
        if _DTD_IN_BODY.search(data):
            out.dtd_in_body = True
            return
        opens = (b"<" + prefix + element + b" ", b"<" + prefix + element + b">")
        cut = len(data) if last else _complete_upto(data, opens, b"</" + prefix + element + b">")
        handle(prefix, data[:cut])
        carry = data[cut:]
        if len(carry) > markup_cap:
            m = _CELL_REF_IN.search(carry, 0, 512)
            raise CellTooLarge(m.group(1).decode() if m else None, len(carry), "bytes")


class _Stop(Exception):
    """The scan has seen enough to refuse the part."""


def scan_sheet(
    read: Callable[[int], bytes],
    *,
    max_cell_chars: int,
    max_rows: int,
    max_cols: int,
    max_cells: int,
) -> PartScan:
    """Stream a worksheet: used range, error cells, over-long cells, DTD.

    ``cells`` is the area of the used range (rows × columns): what a reader allocates.
    Stops early (with ``first_over`` set) once the sheet is known to be over a bound.
    """
    out = PartScan()
    cap = max_cell_chars * 10 + 65_536
    state = {"first": True}
    pos = CellPositions()

    def handle(prefix: bytes, data: bytes) -> None:
        if state.pop("first", False):
            m = _DIMENSION.search(data, 0, 65_536)
            out.dimension = m.group(1).decode("ascii", "replace") if m else None
            corner = split_ref((out.dimension or "").rpartition(":")[2])
            if corner and (corner[0] > max_rows or corner[1] > max_cols):
                out.first_over = (out.dimension or "").rpartition(":")[2]
                raise _Stop
        pos.update(prefix, data)
        if pos.bad_reference is not None:
            out.bad_reference = pos.bad_reference
            raise _Stop
        out.max_row, out.max_col = pos.max_row, pos.max_col
        out.cells = out.max_row * out.max_col
        if out.max_row > max_rows or out.max_col > max_cols:
            out.first_over = pos.first_beyond(prefix, data, max_rows, max_cols)
            raise _Stop
        if out.cells > max_cells:
            raise _Stop
        end = b"</" + prefix + b"c>"
        if _may_hold_longer(data, end, max_cell_chars):
            for piece in data.split(end):
                if len(piece) > max_cell_chars and (n := _text_chars(piece)) > max_cell_chars:
                    refs = _CELL_REF_IN.findall(piece)
                    raise CellTooLarge(refs[-1].decode() if refs else None, n, "characters")
        # Cells the fast path saw are all written t="…"; otherwise look for both quotes.
        if b't="e"' in data or (not pos.canonical and b"t='e'" in data):
            _error_cells(out, prefix, data)
        # A plain search first: ~0.1 ms a sheet cheaper than the finditer when, as usual,
        # there is no formula (measured on the merge benchmark's sheets).
        if _formula_start(prefix).search(data):
            _uncomputed_formulas(out, prefix, data)

    with contextlib.suppress(_Stop):
        _stream(read, b"c", cap, handle, out)
    return out


def _may_hold_longer(data: bytes, end: bytes, limit: int) -> bool:
    """False when no stretch of ``data`` between two ``end`` markers exceeds ``limit`` bytes.

    A stretch longer than ``limit`` contains a whole aligned block of ``limit // 2`` bytes
    with no marker in it, so a few bounded ``find`` calls (in C) rule long cells out; only a
    True answer costs the exact split.
    """
    if len(data) <= limit:
        return False
    last = data.rfind(end)
    if last < 0 or len(data) - last - len(end) > limit:
        return True
    step = max(1, limit // 2)
    find = data.find
    return any(find(end, at, at + step) < 0 for at in range(0, last, step))


def _error_cells(out: PartScan, prefix: bytes, data: bytes) -> None:
    """Record cells typed as Excel errors (t="e") with their value, e.g. K14 → '#REF!'."""
    p = re.escape(prefix)
    starts = re.finditer(rb"<" + p + rb"c\s([^>]*?\bt=[\"']e[\"'][^>]*)>", data)
    end = b"</" + prefix + b"c>"
    for m in starts:
        ref = _CELL_REF_IN.search(m.group(1))
        if not ref or m.group(1).endswith(b"/"):
            continue
        stop = data.find(end, m.end())
        value = _VALUE.search(data, m.end(), stop if stop >= 0 else len(data))
        out.error_cells[ref.group(1).decode()] = (
            value.group(1).decode("utf-8", "replace") if value else "#VALUE!"
        )


@functools.lru_cache(maxsize=16)
def _formula_start(prefix: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<" + re.escape(prefix) + rb"f[\s>/]")


def _uncomputed_formulas(out: PartScan, prefix: bytes, data: bytes) -> None:
    """Record cells with a formula but no saved value, e.g. J5 → '"Joint "&"plan"'.

    Excel and LibreOffice save each formula's last value with it, and a reader reads that
    value; a program that writes formulas without calculating them (openpyxl, a script)
    leaves the value out, and the cell would read as blank. A formula whose saved value is
    the empty text (``t="str"`` and an empty ``<v>``) was calculated and is not recorded.
    """
    start, end = b"<" + prefix + b"c ", b"</" + prefix + b"c>"
    for m in _formula_start(prefix).finditer(data):
        cell = data.rfind(start, 0, m.start())
        if cell < 0 or data.rfind(end, 0, m.start()) > cell:
            continue  # not inside a cell
        tag = TAG_REST.match(data, cell + len(start))
        close = data.find(end, m.start())
        if close < 0:  # the cell's end tag opens the next chunk (a chunk is whole tags)
            close = len(data)
        if tag is None or tag.end() > m.start():
            continue
        body = data[tag.end() : close]
        attributes = {
            a.group(1).rpartition(b":")[2]: a.group(2) if a.group(2) is not None else a.group(3)
            for a in ATTRIBUTE.finditer(tag.group(1))
        }
        ref = attributes.get(b"r")
        value = _VALUE.search(body)
        saved = value is not None and bool(value.group(1) or attributes.get(b"t") == b"str")
        if ref is None or saved:
            continue  # no place to name, or a saved value (the empty text counts)
        formula = _FORMULA_TEXT.match(data, m.start())
        text = (formula.group(1) if formula is not None else None) or b""
        out.formula_cells[ref.decode("ascii", "replace").upper()] = html.unescape(
            text.decode("utf-8", "replace")
        )


def scan_shared_strings(read: Callable[[int], bytes], *, max_cell_chars: int) -> PartScan:
    """Stream the shared-strings table: item count and the indexes of over-long strings."""
    out = PartScan()
    cap = max_cell_chars * 10 + 65_536

    def handle(prefix: bytes, data: bytes) -> None:
        end = b"</" + prefix + b"si>"
        pieces = data.split(end)
        if max(map(len, pieces)) > max_cell_chars:
            base = out.items
            for i, piece in enumerate(pieces[:-1]):
                if len(piece) > max_cell_chars and (n := _text_chars(piece)) > max_cell_chars:
                    empties = sum(p.count(b"<" + prefix + b"si/>") for p in pieces[: i + 1])
                    out.too_long.append((base + i + empties, n))
        out.items += len(pieces) - 1 + data.count(b"<" + prefix + b"si/>")

    try:
        _stream(read, b"si", cap, handle, out)
    except CellTooLarge as exc:
        raise CellTooLarge(None, exc.size, exc.unit, index=out.items) from None
    return out


def cells_using_strings(
    read: Callable[[int], bytes], indexes: set[int], prefix: bytes
) -> list[str]:
    """Cell references of a sheet whose shared-string index is one of ``indexes`` (rare path)."""
    found: list[str] = []
    p = re.escape(prefix)
    pattern = re.compile(
        rb"<" + p + rb"c\s([^>]*?\bt=[\"']s[\"'][^>]*)>\s*<" + p + rb"v>\s*([0-9]+)\s*<"
    )
    end = b"</" + prefix + b"c>"

    def scan(data: bytes) -> None:
        for m in pattern.finditer(data):
            if int(m.group(2)) in indexes and (ref := _CELL_REF_IN.search(m.group(1))):
                found.append(ref.group(1).decode())

    carry = b""
    while chunk := read(CHUNK):
        data = carry + chunk
        cut = data.rfind(end)
        if cut < 0:
            carry = data[-65_536:]
            continue
        scan(data[: cut + len(end)])
        carry = data[cut + len(end) :]
    scan(carry)
    return found
