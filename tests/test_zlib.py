"""ltpgap._zlib: zlib-ng when installed (as `make` installs it), the stdlib's zlib otherwise.

Both must write and read the same deflate format, so a workbook written with one reads with
the other; the merge's writer and the gate's part reader work the same without zlib-ng.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zlib

from ltpgap import _zlib
from ltpgap.merge._zipwriter import _LAST_BLOCK, deflate_run

TEXT = b"<row r='1'><c r='A1' t='inlineStr'><is><t>Place data</t></is></c></row>" * 2000


def test_the_fast_codec_is_what_the_project_installs() -> None:
    assert _zlib.FAST  # the `fast` extra; CI would otherwise time the slow path
    assert _zlib.WRITE_LEVEL == 2


def test_writer_runs_read_back_with_the_stdlib() -> None:
    """Sync-flushed runs, joined and closed with an empty last block, inflate with plain zlib."""
    runs = [deflate_run(TEXT[i : i + 50_000]) for i in range(0, len(TEXT), 50_000)]
    assert zlib.decompress(b"".join(runs) + _LAST_BLOCK, -15) == TEXT
    assert _zlib.crc32(TEXT) == zlib.crc32(TEXT)


def test_without_zlib_ng_the_stdlib_does_the_same_work() -> None:
    probe = textwrap.dedent(
        """
        import io, sys, zipfile, zlib
        sys.modules["zlib_ng"] = None  # as if it were not installed
        from ltpgap import _zlib
        from ltpgap.merge._zipwriter import _LAST_BLOCK, deflate_run
        from ltpgap.workbook._zipmember import member
        assert not _zlib.FAST and _zlib.WRITE_LEVEL == 1 and _zlib.compressobj is zlib.compressobj
        text = b"<a>" + b"x" * 100000 + b"</a>"
        assert zlib.decompress(deflate_run(text) + _LAST_BLOCK, -15) == text
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("a.xml", text)
        data = buf.getvalue()
        assert member(data, zipfile.ZipFile(io.BytesIO(data)).getinfo("a.xml")) == text
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
