"""The output zip of the ICS workbook, written by one thread, its big parts deflated on two.

:mod:`ltpgap.merge._fastrows` generates the sheets' XML and sends it here; compressing it is
the other half of the work, and zlib releases the GIL, so this runs beside the generation.
"""

from __future__ import annotations

import queue
import sys
import threading
import zipfile
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO

from ltpgap._zlib import (
    DEFLATED,
    WRITE_LEVEL,
    Z_SYNC_FLUSH,
    compressobj,
    crc32,
    crc32_combine,
    decompressobj,
)

__all__ = ["LEVEL", "Writer", "deflate_run"]

#: Deflate level for the big sheets (see :mod:`ltpgap._zlib`): on a 200-place merge (116 MB of
#: sheet XML) zlib's level 1 is 3.4x faster than its default 6 for a file a fifth larger;
#: zlib-ng's level 2 is faster still and a little smaller than zlib's 1.
LEVEL = WRITE_LEVEL


def deflate_run(chunk: bytes) -> bytes:
    """One chunk as a self-contained run of deflate blocks (not final, byte-aligned)."""
    c = compressobj(LEVEL, DEFLATED, -15)
    return c.compress(chunk) + c.flush(Z_SYNC_FLUSH)


class _Deflated:
    """Stands in for zipfile's compressor when the data arrive already deflated."""

    def compress(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return _LAST_BLOCK


#: An empty final deflate block: ends a stream made of sync-flushed runs.
_LAST_BLOCK = compressobj(1, DEFLATED, -15).flush()
#: zipfile's member writer keeps these; without them (another Python), compress in one thread.
_WRITER_FIELDS = ("_compressor", "_file_size", "_crc")


class Writer:
    """The only user of the output zip: a thread that writes (so compresses) what it is sent.

    The caller generates XML and sends it: a member to begin, its chunks, a whole member.
    Chunks are deflated on two threads at once, each as a self-contained run of blocks (as
    pigz does), and written in order; zlib releases the GIL, so on two cores compressing
    overlaps with generating the next rows. The queues are bounded, so memory stays a few
    chunks whatever the workbook's size. Between chunks a thread needs the GIL back for a
    moment; at Python's default 5 ms switch interval it waits longer than it compresses, so
    the interval is shortened while writing.
    """

    _SWITCH = 0.0005

    def __init__(self, out: zipfile.ZipFile) -> None:
        self.out = out
        self.member: IO[bytes] | None = None
        self.queue: queue.Queue[tuple[str, object] | None] = queue.Queue(maxsize=8)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.pool = ThreadPoolExecutor(2, thread_name_prefix="deflate")
        self.pending: deque[Future[bytes]] = deque()
        self.crc = self.size = 0

    def _do(self, op: str, arg: object) -> None:
        if op == "data":
            assert self.member is not None and isinstance(arg, bytes)
            if not isinstance(getattr(self.member, "_compressor", None), _Deflated):
                self.member.write(arg)
                return
            self.crc, self.size = crc32(arg, self.crc), self.size + len(arg)
            self.pending.append(self.pool.submit(deflate_run, arg))
            while len(self.pending) > 2:
                self.member.write(self.pending.popleft().result())
        elif op == "deflated":  # (run of deflate blocks, CRC-32 and length of its data)
            assert self.member is not None and isinstance(arg, tuple)
            run, crc, size = arg
            while self.pending:
                self.member.write(self.pending.popleft().result())
            if isinstance(getattr(self.member, "_compressor", None), _Deflated):
                self.member.write(run)
                self.crc, self.size = crc32_combine(self.crc, crc, size), self.size + size
            else:  # zipfile compresses for itself: give it the data
                self.member.write(decompressobj(-15).decompress(run))
        elif op == "begin":
            assert isinstance(arg, zipfile.ZipInfo)
            self.member = self.out.open(arg, "w", force_zip64=True)
            self.crc = self.size = 0
            if all(hasattr(self.member, k) for k in _WRITER_FIELDS):
                self.member._compressor = _Deflated()  # type: ignore[attr-defined]
        elif op == "end":
            assert self.member is not None
            while self.pending:
                self.member.write(self.pending.popleft().result())
            if isinstance(getattr(self.member, "_compressor", None), _Deflated):
                # what zipfile counted was the deflated bytes: give it the real ones
                self.member._crc, self.member._file_size = self.crc, self.size  # type: ignore[attr-defined]
            self.member.close()
            self.member = None
        else:  # "whole": (ZipInfo, bytes)
            assert isinstance(arg, tuple)
            self.out.writestr(*arg)

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self._do(*item)
                except BaseException as exc:  # re-raised in the caller's thread
                    self.error = exc

    def send(self, op: str, arg: object = None) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((op, arg))

    def __enter__(self) -> Writer:
        self.switch = sys.getswitchinterval()
        sys.setswitchinterval(min(self.switch, self._SWITCH))
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.queue.put(None)
            self.thread.join()
        finally:
            sys.setswitchinterval(self.switch)
            self.pool.shutdown(cancel_futures=True)
            if self.member is not None:
                self.member.close()
        if self.error is not None and exc[0] is None:
            raise self.error
