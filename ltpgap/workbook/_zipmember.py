"""Zip members read straight from a workbook's bytes, checked the way zipfile checks them.

The gate holds the whole file in memory. Reading a part through ``zipfile`` costs a file
object, a decompressor fed in small slices and a separate CRC pass, all in the stdlib's zlib;
here a part is inflated in one call with :mod:`ltpgap._zlib` (zlib-ng when installed, about
3x faster) and its CRC-32 computed in one call. The checks are zipfile's: the local header's
signature and name, no patched or strongly encrypted data, then the size and CRC-32 the zip
directory declares, and a deflate stream that ends where it should. Any mismatch raises
``zipfile.BadZipFile`` (or ``NotImplementedError``), which the gate reports as a damaged part.

Output is always bounded by the size the directory declares (plus one byte, to see a lie), so
a member never expands further than the gate's size checks allowed.
"""

from __future__ import annotations

import struct
import zipfile

from ltpgap._zlib import crc32, decompressobj

__all__ = ["UTF8_NAMES", "member", "member_head"]

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_SIGNATURE = b"PK\x03\x04"
UTF8_NAMES = 0x800  # general-purpose flag: the name is UTF-8


def _compressed(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The member's compressed bytes, after a local header that matches the directory."""
    at = info.header_offset
    head = data[at : at + _LOCAL.size]
    if len(head) != _LOCAL.size:
        raise zipfile.BadZipFile("Truncated file header")
    fields = _LOCAL.unpack(head)
    if fields[0] != _SIGNATURE:
        raise zipfile.BadZipFile("Bad magic number for file header")
    if info.flag_bits & 0x20:
        raise NotImplementedError("compressed patched data (flag bit 5)")
    if info.flag_bits & 0x40 or info.flag_bits & 0x1:
        raise NotImplementedError("encrypted data")
    name_len, extra_len = fields[10], fields[11]
    raw_name = data[at + _LOCAL.size : at + _LOCAL.size + name_len]
    name = raw_name.decode("utf-8" if fields[3] & UTF8_NAMES else "cp437")
    if name != info.orig_filename:
        raise zipfile.BadZipFile(
            f"File name in directory {info.orig_filename!r} and header {raw_name!r} differ."
        )
    start = at + _LOCAL.size + name_len + extra_len
    if start + info.compress_size > len(data):
        raise EOFError(f"the archive ends inside part {info.filename}")
    return memoryview(data)[start : start + info.compress_size]


def member(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The whole decompressed member ``info`` of the zip ``data``, size and CRC-32 checked."""
    raw = _compressed(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        body = bytes(raw)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflate = decompressobj(-15)
        body = inflate.decompress(raw, info.file_size + 1)
        # Short of the limit, zlib stops only where the input ends: it must end the stream.
        if len(body) <= info.file_size and not inflate.eof:
            raise EOFError("Compressed file ended before the end-of-stream marker was reached")
    else:
        raise NotImplementedError(f"compression method {info.compress_type}")
    if len(body) != info.file_size:
        raise zipfile.BadZipFile(
            f"part {info.filename} holds {len(body):,}+ bytes, not the {info.file_size:,} "
            "its directory entry declares"
        )
    if crc32(body) != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
    return body


def member_head(data: bytes, info: zipfile.ZipInfo, size: int) -> bytes:
    """The first ``size`` decompressed bytes of member ``info``; checked as :func:`member` when
    that is the whole member (as zipfile does when a read reaches the declared end)."""
    if size >= info.file_size:
        return member(data, info)
    raw = _compressed(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        return bytes(raw[:size])
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise NotImplementedError(f"compression method {info.compress_type}")
    return decompressobj(-15).decompress(raw, size)
