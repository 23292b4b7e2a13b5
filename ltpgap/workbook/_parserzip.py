"""The copy of a gated workbook that python-calamine parses: uncompressed, merged-cell list first.

The gate decompresses every worksheet to scan it; handing python-calamine the original file
makes it inflate them all again. And python-calamine's ``get_sheet_by_name`` reads a sheet
twice: once for its cells and once more, to the end, looking for its list of merged cells
(which Excel writes after the rows). On a 500-row place workbook that second pass is a third
of the reading time.

So the reader parses this instead: the same package, every part as the gate checked it (the
worksheets and shared strings from the gate's own decompressed bytes), stored without
compression. A worksheet that has no merged cells gets an empty ``<mergeCells>`` element just
before its rows, so the merged-cell pass stops there; values and merged ranges come out exactly
as from the original (a test compares both on every workbook the suite builds). A worksheet
that does have merged cells is passed on unchanged.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Collection, Mapping

from ltpgap._zlib import crc32
from ltpgap.workbook._zipmember import UTF8_NAMES, member

__all__ = ["KEEP_BYTES", "parser_package"]

#: Most decompressed XML the gate keeps for this (a place workbook has ~1 MB); past it the
#: reader parses the original file instead, so memory stays bounded whatever a file holds.
KEEP_BYTES = 64 * 1024 * 1024

_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData[\s>/]")
_DOS_DATE = 1 << 5 | 1  # 1980-01-01 (time 00:00 is 0)
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header, before the name
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # central directory entry, before the name
_END = struct.Struct("<4s4H2LH")  # end of central directory

Piece = bytes | memoryview
_Member = tuple[str, list[Piece], int, int]  # name, pieces, CRC-32, size


def _merge_cells_first(xml: bytes) -> list[Piece] | None:
    """The worksheet, in pieces, with an empty merged-cell list before its rows; ``None`` to
    leave it as it is (it has merged cells, or mentions them, or has no rows)."""
    if b"mergeCell" in xml:
        return None
    m = _SHEET_DATA.search(xml)
    if m is None:
        return None
    prefix = m.group(1) or b""
    view = memoryview(xml)
    return [
        view[: m.start()],
        b"<" + prefix + b"mergeCells></" + prefix + b"mergeCells>",
        view[m.start() :],
    ]


def _stored(members: list[_Member]) -> bytes:
    """A zip of ``(name, pieces, crc, size)`` members, all stored (no compression).

    Written here rather than by zipfile, which computes every CRC again and copies each
    member: 1.0 ms a place workbook here against 1.8–2.6 ms through ``ZipFile.writestr``.
    """
    out: list[Piece] = []
    central: list[bytes] = []
    offset = 0
    for name, pieces, crc, size in members:
        raw = name.encode("utf-8")
        # flags, method (0: stored), time, date, CRC-32, compressed and full size, name length
        common = (0 if raw.isascii() else UTF8_NAMES, 0, 0, _DOS_DATE, crc, size, size, len(raw))
        head = _LOCAL.pack(b"PK\x03\x04", 20, *common, 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, *common, 0, 0, 0, 0, 0, offset) + raw)
        out += [head, raw, *pieces]
        offset += len(head) + len(raw) + size
    directory = b"".join(central)
    n = len(members)
    out += [directory, _END.pack(b"PK\x05\x06", 0, 0, n, n, len(directory), offset, 0)]
    return b"".join(out)


def parser_package(data: bytes, parts: Mapping[str, bytes], worksheets: Collection[str]) -> bytes:
    """``data`` (a gated .xlsx) re-packed uncompressed.

    ``parts`` maps part names to the bytes the gate decompressed (worksheets, shared strings);
    they are used instead of inflating those parts again (the gate inflated each whole and
    checked it against its CRC-32, :func:`~ltpgap.workbook._zipmember.member`). ``worksheets``
    names the worksheet parts, which get their empty merged-cell list. Falls back to ``data``
    itself if the copy would be too big for a plain (not ZIP64) archive.
    """
    members: list[_Member] = []
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        for info in src.infolist():
            if info.is_dir():
                continue
            if info.filename not in parts and info.file_size > KEEP_BYTES:
                return data  # a big part nobody scanned (a picture?): parse the file itself
            body = parts[info.filename] if info.filename in parts else member(data, info)
            crc = info.CRC
            pieces = _merge_cells_first(body) if info.filename in worksheets else None
            if pieces is None:
                members.append((info.filename, [body], crc, len(body)))
                total += len(body)
                continue
            size, crc = 0, 0
            for piece in pieces:
                size, crc = size + len(piece), crc32(piece, crc)
            members.append((info.filename, pieces, crc, size))
            total += size
    if total > 0x7FFF0000 or len(members) > 0xFFFF:
        return data
    return _stored(members)
