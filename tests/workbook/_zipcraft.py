"""Low-level writers for hostile test files: a zip written by hand and a minimal OLE container.

Hand-written so a test can make parts that inflate to hundreds of megabytes from a few hundred
kilobytes on disk, without ever holding the inflated bytes: a deflate segment ending in a full
flush is self-contained, so repeating it N times is a valid stream of the block repeated N
times.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Entry", "cfb", "deflated", "read_entries", "stored", "write_zip"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One zip member: name, compressed payload, CRC and sizes as the directory will state."""

    name: str
    payload: bytes
    crc: int
    size: int  # uncompressed size written in the headers
    method: int = 8


def deflated(name: str, parts: Sequence[tuple[bytes, int]], *, declare: int | None = None) -> Entry:
    """Deflate ``parts`` (block, times) as one member; ``declare`` overrides the stated size."""
    out, crc, size = bytearray(), 0, 0
    for block, times in parts:
        co = zlib.compressobj(6, zlib.DEFLATED, -15)
        segment = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
        out += segment * times
        for _ in range(times):
            crc = zlib.crc32(block, crc)
        size += len(block) * times
    out += zlib.compressobj(6, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return Entry(name, bytes(out), crc, size if declare is None else declare)


def stored(name: str, data: bytes) -> Entry:
    """A member kept uncompressed."""
    return Entry(name, data, zlib.crc32(data), len(data), method=0)


def read_entries(path: Path) -> dict[str, bytes]:
    """Every member of an existing zip, in order."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_zip(path: Path, entries: Iterable[Entry]) -> Path:
    """Write members with exactly the CRCs and sizes given (no zip64: keep them under 4 GB)."""
    central = bytearray()
    count = 0
    with path.open("wb") as fh:
        for e in entries:
            name = e.name.encode()
            offset = fh.tell()
            head = struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                e.method,
                0,
                0x21,
                e.crc,
                len(e.payload),
                e.size,
                len(name),
                0,
            )
            fh.write(head + name + e.payload)
            central += (
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    e.method,
                    0,
                    0x21,
                    e.crc,
                    len(e.payload),
                    e.size,
                    len(name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + name
            )
            count += 1
        start = fh.tell()
        fh.write(central)
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0))
    return path


def cfb(streams: Sequence[str]) -> bytes:
    """A minimal OLE compound file (version 3) whose directory names ``streams`` (all empty).

    Enough structure for any reader to see the signature and the stream names: that is how an
    encrypted workbook (EncryptionInfo, EncryptedPackage) and a legacy .xls (Workbook) look.
    """
    free, end, fat_sect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, free)
    fat = struct.pack("<II", fat_sect, end) + struct.pack("<I", free) * 126
    entries = [("Root Entry", 5)] + [(s, 2) for s in streams]
    directory = bytearray()
    for i, (name, kind) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entry = bytearray(128)
        entry[: len(raw)] = raw
        child = 1 if kind == 5 and len(entries) > 1 else free
        right = i + 1 if kind == 2 and i + 1 < len(entries) else free
        struct.pack_into("<HBB III", entry, 64, len(raw), kind, 1, free, right, child)
        struct.pack_into("<II", entry, 116, end, 0)
        directory += entry
    directory += bytes(128) * (-len(entries) % 4)
    return bytes(header) + fat + bytes(directory)
