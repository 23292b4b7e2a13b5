"""Read the submitted workbooks: gate, reader and assessment, one file at a time or in a pool.

Each file is hashed, gated and read by :func:`ltpgap.workbook.read_workbook` (python-calamine
only ever sees gated input) and, when it was built from the merge's catalogue, assessed. With
many files the work is spread over worker processes (forked, so the catalogue is not copied
per file); results come back in the order the files were given.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ltpgap._cpus import worker_count
from ltpgap.catalogue import Catalogue
from ltpgap.issues import Issue, LtpgapError, Where, make_issue
from ltpgap.rag import PlaceAssessment, assess_place
from ltpgap.workbook import PlaceWorkbook, cell_locator, gate_workbook, read_workbook

__all__ = [
    "NONE_GIVEN",
    "BookReader",
    "FileRead",
    "default_reader",
    "file_sha256",
    "pool_size",
    "read_files",
]

BookReader = Callable[[Path, Catalogue], PlaceWorkbook]
#: ``no-workbooks``: nothing to merge or roll up ({what}: "place workbook", "ICS workbook").
NONE_GIVEN = (
    "no {what} was given to read: the --out file is never read as one, even when it is "
    "listed among them. List the {what}s before --out."
)
#: Below this many files a pool costs more than it saves.
POOL_THRESHOLD = 8


@dataclass(frozen=True, kw_only=True, eq=False)
class FileRead:
    """One file as read: its hash and time, the workbook and assessment, or why it failed."""

    path: Path
    sha256: str = ""
    modified: str = ""  # file modification time, ISO 8601 UTC
    book: PlaceWorkbook | None = None
    assessment: PlaceAssessment | None = None  # None unless built from the merge's catalogue
    failure: tuple[Issue, ...] = ()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _os_failure(path: Path, exc: OSError) -> Issue:
    code = "file-not-found" if isinstance(exc, FileNotFoundError) else "unreadable-workbook"
    return make_issue(
        code,
        f"the workbook cannot be opened ({exc.strerror or exc}); check the path and that the "
        "file is not locked by another program, then merge again.",
        where=Where(file=str(path)),
    )


def _unexpected(path: Path, exc: Exception) -> Issue:
    """A file the reader failed on in a way it does not foresee: named like any unusable file
    (so --keep-going merges the others), with what went wrong for a bug report."""
    return make_issue(
        "unreadable-workbook",
        f"the workbook could not be read ({type(exc).__name__}: {exc}). Open it in Excel and "
        "save it again; if it still fails, report this message to the ltpgap team with the "
        "file. --keep-going merges the other workbooks.",
        where=Where(file=str(path)),
    )


def default_reader(path: Path, catalogue: Catalogue) -> PlaceWorkbook:
    """The gate and reader of place workbooks (:func:`ltpgap.workbook.read_workbook`)."""
    return read_workbook(path, catalogue=catalogue)


def read_one(path: Path, catalogue: Catalogue, reader: BookReader = default_reader) -> FileRead:
    """Hash, gate, read and (same catalogue) assess one workbook; never raises on bad input."""
    if path.is_dir():  # picked up by a wildcard: the gate names it for what it is
        return FileRead(path=path, failure=tuple(gate_workbook(path)))
    try:
        sha = file_sha256(path)
        stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OSError as exc:
        return FileRead(path=path, failure=(_os_failure(path, exc),))
    try:
        book = reader(path, catalogue)
    except LtpgapError as exc:
        return FileRead(path=path, sha256=sha, modified=stamp, failure=exc.issues)
    except OSError as exc:
        return FileRead(path=path, sha256=sha, modified=stamp, failure=(_os_failure(path, exc),))
    except Exception as exc:  # one odd file must not stop a merge of many
        return FileRead(path=path, sha256=sha, modified=stamp, failure=(_unexpected(path, exc),))
    assessment = None
    if book.meta is not None and book.meta.catalogue_hash == catalogue.content_hash:
        assessment = assess_place(
            catalogue,
            book.input_columns,
            unit_id=book.unit_id,
            scope=book.scope,
            locate=cell_locator(book),
        )
    return FileRead(path=path, sha256=sha, modified=stamp, book=book, assessment=assessment)


_WORKER: dict[str, object] = {}


def _init(catalogue: Catalogue, reader: BookReader) -> None:
    _WORKER["catalogue"], _WORKER["reader"] = catalogue, reader


def _work(path: Path) -> FileRead:
    catalogue = _WORKER["catalogue"]
    reader = _WORKER["reader"]
    assert isinstance(catalogue, Catalogue) and callable(reader)
    return read_one(path, catalogue, reader)


def pool_size(n_files: int, jobs: int | None) -> int:
    """Worker processes to use: ``jobs`` if given, else one per CPU for many files, else 0."""
    if jobs is not None:
        return 0 if jobs <= 1 else min(jobs, n_files)
    if n_files < POOL_THRESHOLD or sys.platform != "linux":
        return 0
    return worker_count(n_files)


def read_files(
    paths: Sequence[Path],
    catalogue: Catalogue,
    *,
    jobs: int | None = None,
    reader: BookReader = default_reader,
) -> Iterator[FileRead]:
    """Read every file, yielding results in the order given (a pool for many files)."""
    workers = pool_size(len(paths), jobs)
    if workers == 0 or "fork" not in multiprocessing.get_all_start_methods():
        for path in paths:
            yield read_one(path, catalogue, reader)
        return
    # Forked workers inherit the catalogue; only paths go out and results come back.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init, initargs=(catalogue, reader)
    ) as pool:
        yield from pool.map(_work, paths, chunksize=1)
