"""Zip members read from a workbook's bytes (the gate's fast path) agree with zipfile.

Same bytes for every sound member; a refusal wherever zipfile refuses: a damaged byte, sizes
that lie, a stream cut short, a local header that does not match the directory.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ltpgap.workbook._gatecheck import READ_ERRORS
from ltpgap.workbook._zipmember import member, member_head

_LOCAL_SIZE = 30


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def _both(data: bytes, name: str) -> tuple[object, object]:
    """(zipfile's result, member's result): the bytes, or the kind of failure."""
    results: list[object] = []
    for read in (
        lambda zf, info: zf.read(info),
        lambda zf, info: member(data, info),
    ):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                results.append(read(zf, zf.getinfo(name)))
        except READ_ERRORS:
            results.append("refused")
    return results[0], results[1]


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
@pytest.mark.parametrize(
    "body",
    [b"", b"<a/>", b"x" * 100_000, bytes(range(256)) * 3000],
    ids=["empty", "tiny", "repetitive", "binary"],
)
def test_sound_members_read_as_zipfile_reads_them(method: int, body: bytes) -> None:
    data = _zip({"xl/worksheets/sheet1.xml": body, "caf\u00e9.xml": b"<b/>"}, method)
    assert _both(data, "xl/worksheets/sheet1.xml") == (body, body)
    assert _both(data, "caf\u00e9.xml") == (b"<b/>", b"<b/>")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    assert member_head(data, info, 10) == body[:10]
    assert member_head(data, info, 10**9) == body


def _with_directory(data: bytes, *, crc: int | None = None, size: int | None = None) -> bytes:
    """``data`` with the first central-directory entry's CRC or full size rewritten."""
    at = data.index(b"PK\x01\x02")
    entry = bytearray(data[at : at + 46])
    if crc is not None:
        entry[16:20] = struct.pack("<L", crc)
    if size is not None:
        entry[24:28] = struct.pack("<L", size)
    return data[:at] + bytes(entry) + data[at + 46 :]


BODY = b"<worksheet>" + b"<row/>" * 5000 + b"</worksheet>"
DAMAGE = {
    "wrong CRC": lambda d: _with_directory(d, crc=zlib.crc32(BODY) ^ 1),
    "declares less than it holds": lambda d: _with_directory(d, size=len(BODY) - 1),
    "local header signature": lambda d: b"PX" + d[2:],
    "local name differs": lambda d: d[:_LOCAL_SIZE] + b"X" + d[_LOCAL_SIZE + 1 :],
    "archive cut inside the member": lambda d: d[:60] + d[d.index(b"PK\x01\x02") :],
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_members_are_refused_as_zipfile_refuses_them(damage: object) -> None:
    data = damage(_zip({"sheet.xml": BODY}))  # type: ignore[operator]
    theirs, ours = _both(data, "sheet.xml")
    assert ours == "refused"
    assert theirs == "refused"


def test_a_member_shorter_than_declared_is_refused_though_zipfile_reads_it() -> None:
    """zipfile stops at the end of the stream and checks only the CRC; a directory that
    declares more than the part holds is not something Excel writes, so it is refused."""
    data = _with_directory(_zip({"sheet.xml": BODY}), size=len(BODY) + 10)
    assert _both(data, "sheet.xml") == (BODY, "refused")


def test_a_stream_cut_short_is_refused() -> None:
    """The deflate stream ends early but the directory's compressed size agrees with it."""
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    cut = (deflate.compress(BODY) + deflate.flush())[:-40]
    name = b"sheet.xml"
    crc, size = zlib.crc32(BODY), len(BODY)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 33, crc, len(cut), size, 9, 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 33, crc, len(cut), size, 9, 0, 0, 0, 0, 0, 0
    )
    body = local + name + cut
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + 9, len(body), 0)
    data = body + central + name + end
    assert _both(data, "sheet.xml") == ("refused", "refused")


@settings(max_examples=150, deadline=None)
@given(
    body=st.binary(min_size=1, max_size=3000) | st.sampled_from([BODY]),
    stored=st.booleans(),
    at=st.floats(0, 1, exclude_max=True),
    flip=st.integers(1, 255),
)
def test_a_flipped_byte_never_reads_differently_from_zipfile(
    body: bytes, stored: bool, at: float, flip: int
) -> None:
    """Whatever byte of the member's local header or data is damaged: when both read it, they
    read the same bytes; and member never accepts what zipfile refuses."""
    data = bytearray(_zip({"s.xml": body}, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED))
    end = data.index(b"PK\x01\x02")
    i = int(at * end)
    data[i] ^= flip
    theirs, ours = _both(bytes(data), "s.xml")
    if ours != "refused":
        assert theirs == ours
