"""The gate's checks on an open zip: entries, sizes, prologs, and the streaming part scans.

Used by :mod:`ltpgap.workbook.gate`, which owns the limits and the verdict. Every problem is
collected as a located Issue; nothing here raises on a hostile file.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from ltpgap._zlib import error as zlib_error
from ltpgap.issues import Issue, Where, make_issue
from ltpgap.workbook._package import Package, SheetPart
from ltpgap.workbook._xmlscan import (
    CellTooLarge,
    PartScan,
    cells_using_strings,
    prolog_problem,
    scan_shared_strings,
    scan_sheet,
    split_ref,
)
from ltpgap.workbook._zipmember import member, member_head

if TYPE_CHECKING:
    from ltpgap.workbook.gate import GateLimits

__all__ = ["READ_ERRORS", "Checker", "mb"]

MB = 1024 * 1024
#: Parts up to this size are inflated whole (one call, after the size checks); bigger ones are
#: streamed through zipfile a chunk at a time.
WHOLE_PART_BYTES = 64 * MB
#: What reading a damaged or lying zip member can raise.
READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    zlib_error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


def mb(n: float) -> str:
    """Bytes as megabytes for messages: '600.0 MB'."""
    return f"{n / MB:,.1f} MB"


class Checker:
    """One inspection's checks: the file, the limits and the issues found so far."""

    def __init__(self, file: str, limits: GateLimits) -> None:
        self.file, self.limits = file, limits
        self.issues: list[Issue] = []
        self.part_sheet: dict[str, str] = {}
        self.prefixes: dict[str, bytes] = {}
        #: The file's bytes (set once read): parts are read from them (``zipfile`` only
        #: streams the parts too big to hold whole).
        self.data = b""
        #: Bytes of decompressed parts still to keep for the reader (0: keep none), and the
        #: parts kept, whole, as the scans read them.
        self.keep = 0
        self.kept: dict[str, bytes] = {}

    def where(self, part: str | None = None, cell: str | None = None) -> Where:
        sheet = self.part_sheet.get(part, part) if part else None
        return Where(file=self.file, sheet=sheet, cell=cell)

    def add(
        self, code: str, message: str, part: str | None = None, cell: str | None = None
    ) -> None:
        self.issues.append(make_issue(code, message, where=self.where(part, cell)))

    def part_label(self, part: str) -> str:
        sheet = self.part_sheet.get(part)
        return f"sheet '{sheet}' ({part})" if sheet else f"part {part}"

    # -- zip entries --------------------------------------------------------------------
    def check_entries(self, infos: list[zipfile.ZipInfo]) -> None:
        """Refuse duplicate names, encryption, odd compression; then sizes and ratios."""
        if len(infos) > self.limits.max_zip_entries:
            self.add(
                "gate-zip-bomb",
                f"the archive holds {len(infos):,} parts; at most "
                f"{self.limits.max_zip_entries:,} are allowed (a workbook has a few dozen).",
            )
            return
        seen: set[str] = set()
        for info in infos:
            if info.filename in seen:
                self.add(
                    "gate-not-xlsx",
                    f"the archive holds part {info.filename} twice, which "
                    "no spreadsheet program writes; save a fresh copy from Excel.",
                )
            seen.add(info.filename)
            if info.flag_bits & 0x1:
                self.add(
                    "gate-encrypted",
                    f"part {info.filename} is encrypted inside the zip; "
                    "remove the password in Excel and save again.",
                    info.filename,
                )
            elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                self.add(
                    "gate-not-xlsx",
                    f"part {info.filename} uses a compression method Excel "
                    "never writes; save a fresh copy from Excel.",
                    info.filename,
                )

    def check_sizes(self, infos: list[zipfile.ZipInfo]) -> None:
        lim = self.limits
        total = sum(i.file_size for i in infos)
        if total > lim.max_uncompressed_bytes:
            self.add(
                "gate-zip-bomb",
                f"the workbook would expand to {mb(total)} when opened; at "
                f"most {mb(lim.max_uncompressed_bytes)} is allowed (a place workbook "
                "expands to a few MB). It was not opened; this is how 'zip bombs' exhaust "
                "memory.",
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > lim.ratio_grace_bytes and ratio > lim.max_compression_ratio:
                self.add(
                    "gate-zip-bomb",
                    f"{self.part_label(info.filename)} would expand from "
                    f"{mb(info.compress_size)} to {mb(info.file_size)} (ratio "
                    f"{ratio:,.0f}:1; at most {lim.max_compression_ratio:g}:1 is allowed). It "
                    "was not opened; save a fresh copy from Excel.",
                    info.filename,
                )

    def check_prologs(self, infos: list[zipfile.ZipInfo]) -> None:
        """No DTD (hence no entity) before the root element of any part."""
        cap = self.limits.max_prolog_bytes
        for info in infos:
            if info.is_dir() or info.file_size == 0:
                continue
            try:
                problem = self._prolog(info, cap)
            except READ_ERRORS as exc:
                self._damaged(info.filename, exc)
                continue
            if problem:
                self.add(
                    "gate-dtd",
                    f"part {info.filename}: {problem}. A DTD can define "
                    "entities that expand to gigabytes ('billion laughs'); Excel never "
                    "writes one, so the file was refused. Save a fresh copy from Excel.",
                    info.filename,
                )

    def _prolog(self, info: zipfile.ZipInfo, cap: int) -> str | None:
        head = member_head(self.data, info, min(1024, cap))
        problem = prolog_problem(head, complete=len(head) >= info.file_size)
        if problem and len(head) < cap and len(head) < info.file_size:
            head = member_head(self.data, info, cap)  # a long prolog: look further
            problem = prolog_problem(head, complete=len(head) >= info.file_size)
        return problem

    def _damaged(self, part: str, exc: BaseException) -> None:
        self.add(
            "unreadable-workbook",
            f"{self.part_label(part)} is damaged or does not match "
            f"the zip directory ({exc}): the file was cut short, corrupted, or tampered "
            "with (sizes that lie are a zip-bomb trick). Open it in Excel, let it repair "
            "the file, and save it again.",
            part,
        )

    # -- streaming scans ----------------------------------------------------------------
    def scan_sheets(self, zf: zipfile.ZipFile, pkg: Package) -> list[tuple[SheetPart, PartScan]]:
        """Stream every worksheet; judge it against the limits; keep what was seen."""
        lim = self.limits
        found: list[tuple[SheetPart, PartScan]] = []
        for sp in pkg.sheets:
            scan = PartScan()
            if sp.part is not None:
                scan = (
                    self._scan(
                        zf,
                        sp.part,
                        lambda read: scan_sheet(
                            read,
                            max_cell_chars=lim.max_cell_chars,
                            max_rows=lim.max_rows,
                            max_cols=lim.max_columns,
                            max_cells=lim.max_cells,
                        ),
                    )
                    or scan
                )
                self._judge_sheet(sp.name, sp.part, scan)
                self.prefixes[sp.part] = scan.prefix
            found.append((sp, scan))
        return found

    def _scan(
        self, zf: zipfile.ZipFile, part: str, run: Callable[[Callable[[int], bytes]], PartScan]
    ) -> PartScan | None:
        try:
            info = zf.getinfo(part)
            if info.file_size > WHOLE_PART_BYTES:
                with zf.open(info) as fh:  # too big to hold: streamed a chunk at a time
                    return run(fh.read)
            body = member(self.data, info)
            scan = run(io.BytesIO(body).read)
            if len(body) <= self.keep:
                self.keep -= len(body)
                self.kept[part] = body
            return scan
        except CellTooLarge as exc:
            self._cell_too_large(zf, part, exc)
        except READ_ERRORS as exc:
            self._damaged(part, exc)
        return None

    def _cell_too_large(self, zf: zipfile.ZipFile, part: str, exc: CellTooLarge) -> None:
        lim = self.limits
        places: list[tuple[str, str | None]] = [(part, exc.ref)]
        if exc.index is not None:  # a shared string: name the cells that use it
            places = self._cells_using(zf, {exc.index}) or [(part, None)]
        for where_part, cell in places:
            size = (
                f"{exc.size:,} characters"
                if exc.unit == "characters"
                else f"more than {exc.size:,} bytes"
            )
            self.add(
                "gate-cell-too-large",
                f"a cell holds {size} of text; at most "
                f"{lim.max_cell_chars:,} characters (Excel's own limit) are allowed. "
                "The file was refused unread; shorten the cell or link to a document "
                "instead.",
                where_part,
                cell,
            )

    def _cells_using(self, zf: zipfile.ZipFile, indexes: set[int]) -> list[tuple[str, str | None]]:
        found: list[tuple[str, str | None]] = []
        for part in self.part_sheet:
            with zf.open(part) as fh:
                cells = cells_using_strings(fh.read, indexes, self.prefixes.get(part, b""))
            found.extend((part, c) for c in cells)
        return found

    def _judge_sheet(self, name: str, part: str, scan: PartScan) -> None:
        lim = self.limits
        if scan.dtd_in_body:
            self.add(
                "gate-dtd",
                f"{self.part_label(part)} contains a DTD or entity declaration; "
                "the file was refused. Save a fresh copy from Excel.",
                part,
            )
        if scan.bad_reference is not None:
            self.add(
                "unreadable-workbook",
                f"{self.part_label(part)} gives a cell or row the reference "
                f"'{scan.bad_reference}', which no spreadsheet program writes (a reader could "
                "place that cell anywhere); the file was refused. Save a fresh copy from Excel.",
                part,
            )
        if scan.first_over:
            cell = scan.first_over if split_ref(scan.first_over) else None
            self.add(
                "gate-too-many-cells",
                f"sheet '{name}' uses cells out to "
                f"{scan.first_over}; at most {lim.max_rows:,} rows and {lim.max_columns} "
                "columns are read. Delete the stray content far from the table (Ctrl+End "
                "in Excel shows the last used cell) and save again.",
                part,
                cell,
            )
        elif scan.cells > lim.max_cells:
            self.add(
                "gate-too-many-cells",
                f"sheet '{name}' spans {scan.max_row:,} rows × "
                f"{scan.max_col:,} columns, more than {lim.max_cells:,} cells; delete unused "
                "rows and columns (Ctrl+End shows the last used cell) and save again.",
                part,
            )

    def scan_shared_strings(self, zf: zipfile.ZipFile, part: str) -> None:
        lim = self.limits
        scan = self._scan(
            zf, part, lambda read: scan_shared_strings(read, max_cell_chars=lim.max_cell_chars)
        )
        if scan is None:
            return
        if scan.dtd_in_body:
            self.add(
                "gate-dtd",
                f"part {part} contains a DTD or entity declaration; the file "
                "was refused. Save a fresh copy from Excel.",
                part,
            )
        for index, chars in scan.too_long[:20]:
            self._cell_too_large(zf, part, CellTooLarge(None, chars, "characters", index=index))
