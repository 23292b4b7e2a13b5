"""The pre-parse gate: refuse hostile or wrong files before any spreadsheet parser sees them.

Stdlib only and bounded: the file's signature, the zip's declared entries and sizes, the prolog
of every XML part (no DTD, no entities), and one streaming pass over each worksheet and the
shared strings (used range, cell count, longest cell). Files that pass are safe to hand to
python-calamine or openpyxl; the facts gathered on the way (sheets, tables, error cells) spare
the reader a second look.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ltpgap._sniff import sniff, zip_entry_count
from ltpgap.issues import Issue, has_errors
from ltpgap.workbook._gatecheck import MB as _MB
from ltpgap.workbook._gatecheck import READ_ERRORS, Checker, mb
from ltpgap.workbook._package import (
    NotAWorkbookError,
    Package,
    PackageError,
    read_package,
    workbook_part,
)
from ltpgap.workbook._parserzip import KEEP_BYTES, parser_package

__all__ = ["GateLimits", "Inspection", "SheetFacts", "gate_workbook", "inspect_workbook"]


@dataclass(frozen=True, slots=True, kw_only=True)
class GateLimits:
    """Bounds a workbook must respect to be read at all (sizes in bytes; MB = 1024² bytes)."""

    max_file_bytes: int = 50 * _MB
    max_zip_entries: int = 10_000
    max_uncompressed_bytes: int = 500 * _MB
    max_compression_ratio: float = 100.0
    max_rows: int = 100_000
    max_columns: int = 200
    max_cell_chars: int = 32_767
    max_cells: int = 2_000_000
    max_sheets: int = 255
    #: parts smaller than this are not held to the compression ratio (tiny XML compresses well)
    ratio_grace_bytes: int = 1 * _MB
    #: how far into each XML part the prolog (where a DTD would sit) is read
    max_prolog_bytes: int = 64 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetFacts:
    """One worksheet as the gate saw it."""

    name: str
    state: str  # "visible", "hidden" or "veryHidden"
    part: str | None
    max_row: int = 0
    max_col: int = 0
    cells: int = 0
    error_cells: dict[str, str] = field(default_factory=dict)  # "K14" → "#REF!"
    #: cells with a formula never calculated (no saved value): "J5" → its formula, no "="
    formula_cells: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Inspection:
    """The gate's verdict on one file: issues (errors = refuse) and what it learnt on the way."""

    path: str
    issues: tuple[Issue, ...]
    sheets: tuple[SheetFacts, ...] = ()
    package: Package | None = None
    #: The bytes the gate checked: a reader parses these, never the file again (which could
    #: have been swapped since).
    data: bytes | None = field(default=None, repr=False, compare=False)
    #: Parts the gate decompressed while scanning them (worksheets, shared strings), kept when
    #: ``inspect_workbook(..., keep_parts=True)`` asked for them: the reader need not inflate
    #: them again.
    parts: Mapping[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        """True when nothing stops the file from being parsed."""
        return not has_errors(self.issues)

    def parser_bytes(self) -> bytes | None:
        """The bytes a parser reads: the package re-made for python-calamine from what the gate
        checked (:mod:`ltpgap.workbook._parserzip`) when every worksheet was kept, else the
        checked bytes as they are (``None`` when the gate kept nothing)."""
        if self.data is None or not self.passed:
            return None
        worksheets = {s.part for s in self.sheets if s.part}
        if not self.parts or not worksheets <= self.parts.keys():
            return self.data
        return parser_package(self.data, self.parts, worksheets)

    def sheet(self, name: str) -> SheetFacts | None:
        """Facts about the sheet called ``name``."""
        return next((s for s in self.sheets if s.name == name), None)


#: The code a file that is not a zip is refused with, by what it is (else gate-not-xlsx).
_KIND_CODES = {"encrypted": "gate-encrypted", "lock": "excel-lock-file"}


def _not_xlsx_kind(names: set[str]) -> str:
    if "xl/workbook.bin" in names:
        return (
            "it is an Excel binary workbook (.xlsb). Open it in Excel and save it as Excel "
            "Workbook (*.xlsx)"
        )
    if "mimetype" in names or "content.xml" in names:
        return (
            "it is an OpenDocument spreadsheet (.ods). Open it in LibreOffice or Excel and "
            "save it as Excel Workbook (*.xlsx)"
        )
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        return (
            "it is a Word or PowerPoint document, not a workbook. Check you picked the right file"
        )
    return (
        "it is a zip archive but not an Excel workbook (no xl/workbook.xml). Check you picked "
        "the right file"
    )


def _inspect_zip(zf: zipfile.ZipFile, gate: Checker) -> Inspection:
    infos = zf.infolist()
    gate.check_entries(infos)
    names = {i.filename for i in infos}
    if gate.issues:
        return Inspection(path=gate.file, issues=tuple(gate.issues))
    gate.check_prologs(infos)  # before any XML is parsed, even the relationships
    if gate.issues:
        return Inspection(path=gate.file, issues=tuple(gate.issues))
    pkg = None
    try:
        wb_part = workbook_part(zf, names)
        if wb_part is None:
            gate.add("gate-not-xlsx", f"the file cannot be read: {_not_xlsx_kind(names)}.")
        else:
            pkg = read_package(zf, names, wb_part)
    except NotAWorkbookError:  # a .pptx or .docx: its main part is not a workbook
        gate.add("gate-not-xlsx", f"the file cannot be read: {_not_xlsx_kind(names)}.")
    except PackageError as exc:
        gate.add(
            "unreadable-workbook",
            f"{exc}; open the workbook in Excel and save it again.",
            exc.part,
        )
    if pkg is not None:
        gate.part_sheet = {s.part: s.name for s in pkg.sheets if s.part}
    gate.check_sizes(infos)
    if gate.issues or pkg is None:
        return Inspection(path=gate.file, issues=tuple(gate.issues), package=pkg)
    if len(pkg.sheets) > gate.limits.max_sheets:
        gate.add(
            "gate-too-many-sheets",
            f"the workbook has {len(pkg.sheets)} sheets; at most "
            f"{gate.limits.max_sheets} are read. Delete unused sheets and save again.",
        )
        return Inspection(path=gate.file, issues=tuple(gate.issues), package=pkg)
    sheets = tuple(
        SheetFacts(
            name=sp.name,
            state=sp.state,
            part=sp.part,
            max_row=scan.max_row,
            max_col=scan.max_col,
            cells=scan.cells,
            error_cells=scan.error_cells,
            formula_cells=scan.formula_cells,
        )
        for sp, scan in gate.scan_sheets(zf, pkg)
    )
    if pkg.shared_strings and not gate.issues:
        gate.scan_shared_strings(zf, pkg.shared_strings)
    return Inspection(
        path=gate.file, issues=tuple(gate.issues), sheets=sheets, package=pkg, parts=gate.kept
    )


def inspect_workbook(
    path: str | Path, limits: GateLimits | None = None, *, keep_parts: bool = False
) -> Inspection:
    """Run the gate and keep what it learnt; ``Inspection.passed`` says whether to go on.

    With ``keep_parts`` the decompressed worksheets and shared strings are kept too (up to
    :data:`~ltpgap.workbook._parserzip.KEEP_BYTES` in all), for :meth:`Inspection.parser_bytes`.
    """
    lim = limits or GateLimits()
    gate = Checker(str(path), lim)
    gate.keep = KEEP_BYTES if keep_parts else 0
    file = Path(path)
    if not file.is_file():
        code = "file-not-found" if not file.exists() else "gate-not-xlsx"
        gate.add(
            code,
            f"no workbook at {path}; check the path and the file name."
            if code == "file-not-found"
            else "this is a folder, not a workbook file: give the workbooks in it (e.g. "
            f"'{file / '*.xlsx'}') or leave it out.",
        )
        return Inspection(path=gate.file, issues=tuple(gate.issues))
    size = file.stat().st_size
    if size > lim.max_file_bytes:
        gate.add(
            "gate-file-too-large",
            f"the file is {mb(size)}; workbooks over "
            f"{mb(lim.max_file_bytes)} are refused (a place workbook is well under 1 MB). "
            "Remove pasted pictures or unused sheets and save again.",
        )
        return Inspection(path=gate.file, issues=tuple(gate.issues))
    try:
        with file.open("rb") as f:
            data = f.read(lim.max_file_bytes + 1)  # read once; all checks run on these bytes
        if len(data) > lim.max_file_bytes:
            raise OSError("the file grew while it was being read")
        with io.BytesIO(data) as fh:
            kind = sniff(fh, file.name)
            if kind.kind != "zip":
                code = _KIND_CODES.get(kind.kind, "gate-not-xlsx")
                gate.add(code, f"the file cannot be read: {kind.advice}.")
                return Inspection(path=gate.file, issues=tuple(gate.issues))
            count = zip_entry_count(fh, len(data))
            if count is None or count > lim.max_zip_entries:
                gate.add(*_entry_count_problem(count, lim))
                return Inspection(path=gate.file, issues=tuple(gate.issues))
            with zipfile.ZipFile(fh) as zf:
                gate.data = data
                return replace(_inspect_zip(zf, gate), data=data)
    except READ_ERRORS as exc:
        gate.add(
            "unreadable-workbook",
            f"the file could not be read as a workbook ({exc}); it "
            "may be damaged or still being copied. Open it in Excel and save it again.",
        )
        return Inspection(path=gate.file, issues=tuple(gate.issues))


def _entry_count_problem(count: int | None, lim: GateLimits) -> tuple[str, str]:
    if count is None:
        return (
            "gate-not-xlsx",
            "the file starts like a zip (.xlsx) but has no zip directory "
            "at its end: it is truncated or damaged. Save it again from Excel.",
        )
    return (
        "gate-zip-bomb",
        f"the archive's directory holds up to {count:,} parts; at most "
        f"{lim.max_zip_entries:,} are allowed (a workbook has a few dozen). It was not opened.",
    )


def gate_workbook(path: str | Path, limits: GateLimits | None = None) -> list[Issue]:
    """Check a file before any parser sees it; errors in the list mean: refuse the file."""
    return list(inspect_workbook(path, limits).issues)
