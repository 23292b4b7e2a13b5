"""Deflate, inflate and CRC-32: zlib-ng's drop-in module when installed, else the stdlib's zlib.

zlib-ng (``pip install zlib-ng``, in the ``fast`` extra) writes and reads the same deflate
format as zlib, so files are interchangeable; on this project's merge it inflates about 3x
faster, deflates about 1.8x faster at level 2 (with output a little smaller than zlib's level 1)
and computes CRC-32 about 10x faster. Like zlib it releases the GIL while it works, so the
writer's two deflate threads still run beside the thread that makes the XML. Without it (for
example under xlwings Lite), everything works the same, more slowly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = [
    "DEFLATED",
    "FAST",
    "WRITE_LEVEL",
    "Z_SYNC_FLUSH",
    "compressobj",
    "crc32",
    "decompressobj",
    "error",
]

if TYPE_CHECKING:
    from zlib import DEFLATED, Z_SYNC_FLUSH, compressobj, crc32, decompressobj, error

    FAST: bool
else:
    try:
        from zlib_ng.zlib_ng import (
            DEFLATED,
            Z_SYNC_FLUSH,
            compressobj,
            crc32,
            decompressobj,
            error,
        )

        FAST = True
    except ImportError:  # pragma: no cover - the fast extra is installed by `make`
        from zlib import DEFLATED, Z_SYNC_FLUSH, compressobj, crc32, decompressobj, error

        FAST = False

#: Level for the big sheets the merge writes: zlib-ng's 2 is faster than zlib's 1 and
#: compresses a little better; with zlib, 1 (3.4x faster than the default 6, for a file about
#: a fifth larger).
WRITE_LEVEL = 2 if FAST else 1
