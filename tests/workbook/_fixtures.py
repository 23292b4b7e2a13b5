"""Fixture generators: each writes one workbook named after what it reproduces, into a folder.

Place workbooks start from what `ltpgap init` writes (``build_workbook``), filled with
:data:`SAMPLE`, then changed the way people change them (openpyxl) or made hostile at the
zip/XML level (``_zipcraft``). Nothing big is committed: everything is generated in tmp_path.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
from _zipcraft import Entry, cfb, deflated, read_entries, write_zip
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.layout import TABLE_NAME
from ltpgap.schema import COLUMNS, INPUT_KEYS
from ltpgap.workbook.builder import DATA_SHEET, build_workbook

Inputs = dict[str, dict[str, object]]
_HEADER = {c.key: c.header for c in COLUMNS}
_SHEET_PART = "xl/worksheets/sheet2.xml"  # the builder's Gap analysis sheet (2nd sheet)

#: What a place team typed: varied, realistic, including the free-text dates of SPEC §5.
SAMPLE: Inputs = {
    "1.8": {
        "initiatives": "Tobacco dependence service on every ward",
        "status": "In place",
        "coverage": "Full",
        "expected_delivery": dt.datetime(2020, 3, 31),
        "lead": "Dr A Patel",
        "evidence": "Board paper, Dec 2020",
    },
    "1.10": {
        "initiatives": "Alcohol care team",
        "status": "In progress",
        "coverage": "Partial",
        "expected_delivery": "31/03/2024",
    },
    "2.10": {
        "initiatives": "Perinatal mental health hub",
        "status": "Planned",
        "expected_delivery": "2023/24",
        "lead": "J Smith",
    },
    "3.10": {
        "initiatives": "Community diagnostic centre",
        "status": " in progress ",
        "expected_delivery": "Q4 23/24",
    },
    "3.9": {
        "status": "In progress",
        "rag_override": "Amber",
        "override_reason": "Workforce gaps in two practices",
    },
    "3.90": {"initiatives": "Virtual wards", "status": "In place", "coverage": "Full"},
    "5.10": {"not_applicable": "Yes", "evidence": "Delivered ICS-wide"},
    "6.10": {"evidence": "#N/A", "lead": "Finance team"},
}


def build_place(folder: Path, catalogue: Catalogue, ics: IcsConfig, unit: str = "bedford") -> Path:
    """A fresh place workbook exactly as `ltpgap init` writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    return build_workbook(
        catalogue, ics, unit, out_path=folder / f"{unit}.xlsx", generated_at="2024-01-01T00:00:00Z"
    )


def header_columns(ws: Worksheet, row: int = 1) -> dict[str, int]:
    """Header text → 1-based column of a header row."""
    return {str(c.value): c.column for c in ws[row] if c.value is not None}


def para_rows(ws: Worksheet, para_col: int = 1, first: int = 2) -> dict[str, int]:
    """Para text → 1-based row, for the data rows of the Gap analysis sheet."""
    return {
        str(ws.cell(r, para_col).value): r
        for r in range(first, ws.max_row + 1)
        if ws.cell(r, para_col).value is not None
    }


def fill(path: Path, inputs: Inputs) -> Path:
    """Type ``inputs`` into the workbook's input cells (text stays text: '#N/A' included)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    cols, rows = header_columns(ws), para_rows(ws)
    for para, values in inputs.items():
        for key, value in values.items():
            cell = ws.cell(rows[para], cols[_HEADER[key]], value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would turn '#N/A' into an error value
    wb.save(path)
    return path


def _copy(base: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or base.name)
    shutil.copyfile(base, target)
    return target


def _edit(
    base: Path, folder: Path, change: Callable[[openpyxl.Workbook], None], name: str | None = None
) -> Path:
    target = _copy(base, folder, name)
    wb = openpyxl.load_workbook(target)
    change(wb)
    wb.save(target)
    return target


# --- people at work ------------------------------------------------------------------------
def place_reordered_rows(base: Path, folder: Path) -> Path:
    """Rows sorted by Title, Z to A (as a filter-and-sort leaves them)."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        rows = [[(c.value, c.data_type) for c in r] for r in ws.iter_rows(min_row=2)]
        title = header_columns(ws)["Title"] - 1
        rows.sort(key=lambda r: str(r[title][0]), reverse=True)
        for i, values in enumerate(rows, start=2):
            for j, (value, kind) in enumerate(values, start=1):
                cell = ws.cell(i, j)
                cell.value, cell.data_type = value, kind

    return _edit(base, folder, change)


def place_deleted_row(base: Path, folder: Path, para: str = "3.10") -> Path:
    """The row of ``para`` deleted (inputs and all)."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        ws.delete_rows(para_rows(ws)[para])

    return _edit(base, folder, change)


def place_inserted_row(base: Path, folder: Path) -> Path:
    """A row inserted above 2.10 with inputs typed but no Para."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        row = para_rows(ws)["2.10"]
        ws.insert_rows(row)
        cols = header_columns(ws)
        ws.cell(row, cols["Initiatives"], "New social prescribing link workers")
        ws.cell(row, cols["Lead"], "K Jones")

    return _edit(base, folder, change)


def place_extra_column(base: Path, folder: Path) -> Path:
    """A column inserted before Status, one added after Checks, and values with no header."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        status = header_columns(ws)["Status"]
        ws.insert_cols(status)
        ws.cell(1, status, "Local RAG (draft)")
        rows = para_rows(ws)
        ws.cell(rows["1.8"], status, "G")
        last = ws.max_column + 1
        ws.cell(1, last, "Notes from ICS")
        ws.cell(rows["3.10"], last, "Check with the CDC team")
        ws.cell(rows["2.10"], last + 2, "stray note")

    return _edit(base, folder, change)


def place_total_row(base: Path, folder: Path) -> Path:
    """Table Design › Total Row ticked: a last table row labelled 'Total', Excel's count."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        table = ws.tables[TABLE_NAME]
        last = ws.max_row + 1
        ws.cell(last, 1, "Total")
        initiatives = header_columns(ws)["Initiatives"]
        ws.cell(last, initiatives, 7)  # as Excel saves =SUBTOTAL(103,GapAnalysis[Initiatives])
        start, _, end = table.ref.partition(":")
        table.ref = f"{start}:{end.rstrip('0123456789')}{last}"
        table.totalsRowCount = 1

    return _edit(base, folder, change)


def place_own_sheets(base: Path, folder: Path) -> Path:
    """Two sheets of the place's own: an action plan with values, and one only formatted."""

    def change(wb: openpyxl.Workbook) -> None:
        plan = wb.create_sheet("Action plan")
        plan.append(["Action", "Owner", "By"])
        plan.append(["Recruit two care coordinators", "PCN lead", "2024-09-30"])
        conf = wb.create_sheet("xlwings.conf")  # the desktop add-in's settings: not reported
        conf.append(["Interpreter_Win", r"C:\ltpgap\.venv\Scripts\pythonw.exe"])
        blank = wb.create_sheet("Scratch")
        blank["B2"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
        blank["C3"] = "   "

    return _edit(base, folder, change)


def place_renamed_sheet(base: Path, folder: Path) -> Path:
    """The Gap analysis sheet renamed (the Table keeps its name)."""

    def change(wb: openpyxl.Workbook) -> None:
        wb[DATA_SHEET].title = "Bedford gaps 2024"

    return _edit(base, folder, change)


def place_moved_table(base: Path, folder: Path) -> Path:
    """Table removed, the whole block moved to C4 on a renamed sheet: found by its headers."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        ws.freeze_panes = None
        for name in list(ws.tables):
            del ws.tables[name]
        ws.move_range(f"A1:U{ws.max_row}", rows=3, cols=2)
        ws["A1"] = "Bedford gap analysis, working copy"
        ws.title = "Working copy"

    return _edit(base, folder, change)


def place_para_as_number(base: Path, folder: Path) -> Path:
    """3.10 retyped as the number 3.1; 3.90 as 3.9 shown with two decimals ('0.00')."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        rows = para_rows(ws)
        ws.cell(rows["3.10"], 1).value = 3.1
        ws.cell(rows["3.10"], 1).number_format = "General"
        ws.cell(rows["3.90"], 1).value = 3.9
        ws.cell(rows["3.90"], 1).number_format = "0.00"

    return _edit(base, folder, change)


def place_retyped_paras(base: Path, folder: Path) -> Path:
    """3.10 retyped as 9.1 (no such paragraph) and 1.8b's Para overtyped with 1.9."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        rows = para_rows(ws)
        ws.cell(rows["3.10"], 1).value = "9.1"
        ws.cell(rows["1.8b"], 1).value = "1.9"

    return _edit(base, folder, change)


def place_merged_inputs(base: Path, folder: Path) -> Path:
    """Lead merged over the three rows 1.8, 1.8b, 1.9 (the value sits in the first)."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        rows, lead = para_rows(ws), header_columns(ws)["Lead"]
        ws.merge_cells(
            start_row=rows["1.8"], end_row=rows["1.9"], start_column=lead, end_column=lead
        )

    return _edit(base, folder, change)


def place_error_cells(base: Path, folder: Path) -> Path:
    """#REF! in Status of 1.10 and #N/A in Lead of 2.10 as Excel errors (6.10 has the text)."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        rows, cols = para_rows(ws), header_columns(ws)
        for para, header, error in (("1.10", "Status", "#REF!"), ("2.10", "Lead", "#N/A")):
            cell = ws.cell(rows[para], cols[header])
            cell.value, cell.data_type = error, "e"

    return _edit(base, folder, change)


def place_uncomputed_formulas(base: Path, folder: Path) -> Path:
    """Formulas in Initiatives of 1.10 and Status of 2.10, saved by openpyxl, which writes a
    formula without calculating it (no value in the file), and one in Evidence of 3.10 saved
    with its value, as Excel and LibreOffice save every formula."""
    refs: dict[str, str] = {}

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        rows, cols = para_rows(ws), header_columns(ws)
        for para, header, formula in (
            ("1.10", "Initiatives", '="Falls " & "service"'),
            ("2.10", "Status", '=IF(TRUE(),"In place","None")'),
            ("3.10", "Evidence and notes", "=1+1"),
        ):
            cell = ws.cell(rows[para], cols[header])
            cell.value, refs[para] = formula, cell.coordinate

    target = _edit(base, folder / "edited", change)
    # openpyxl cannot save a formula's value: give 3.10's one, as Excel would have.
    xml = read_entries(target)[_SHEET_PART]
    start, end = _cell_span(xml, refs["3.10"])
    cell = xml[start:end].replace(b"<v></v>", b"<v>2</v>").replace(b"<v />", b"<v>2</v>")
    assert b"<v>2</v>" in cell
    return rezip(target, folder / base.name, {_SHEET_PART: xml[:start] + cell + xml[end:]})


def place_formula_below_table(base: Path, folder: Path) -> Path:
    """A formula saved without its value in Initiatives, two rows below the last row: the
    reader's grid (cells with values) ends above it."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[DATA_SHEET]
        ws.cell(ws.max_row + 2, header_columns(ws)["Initiatives"]).value = '="Late " & "entry"'

    return _edit(base, folder, change)


def metadata_edited(base: Path, folder: Path, *, edit: bool = True) -> Path:
    """The metadata sheet unhidden and (if ``edit``) its place changed to luton."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["_ltpgap"]
        ws.sheet_state = "visible"
        if edit:
            ws["B4"] = "luton"

    return _edit(base, folder, change)


def metadata_missing(base: Path, folder: Path) -> Path:
    """The metadata sheet deleted."""

    def change(wb: openpyxl.Workbook) -> None:
        del wb["_ltpgap"]

    return _edit(base, folder, change)


def renamed_file(base: Path, folder: Path, name: str = "luton.xlsx") -> Path:
    """Bedford's workbook saved under another place's name."""
    return _copy(base, folder, name)


# --- not a workbook --------------------------------------------------------------------------
def xls_renamed(folder: Path) -> Path:
    """An Excel 97-2003 file (OLE container with a Workbook stream) named .xlsx."""
    return _write(folder / "bedford.xlsx", cfb(["Workbook", "\x05SummaryInformation"]))


def encrypted(folder: Path) -> Path:
    """A password-encrypted workbook: an OLE container holding the encrypted package."""
    return _write(
        folder / "bedford.xlsx", cfb(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])
    )


def csv_renamed(folder: Path) -> Path:
    """A CSV export renamed .xlsx."""
    return _write(folder / "bedford.xlsx", b"Para,Status,Coverage\r\n3.10,In place,Full\r\n")


def empty(folder: Path) -> Path:
    """A 0-byte file, as an interrupted copy leaves."""
    return _write(folder / "bedford.xlsx", b"")


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- hostile ---------------------------------------------------------------------------------
_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE sst [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)
_SST_REL = (
    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
)
_SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def rezip(base: Path, target: Path, parts: dict[str, bytes | Entry]) -> Path:
    """Copy ``base`` to ``target`` with some parts replaced or added (Entry: pre-made)."""
    entries = {name: deflated(name, [(data, 1)]) for name, data in read_entries(base).items()}
    for name, part in parts.items():
        entries[name] = part if isinstance(part, Entry) else deflated(name, [(part, 1)])
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_zip(target, entries.values())


def _cell_span(xml: bytes, ref: str) -> tuple[int, int]:
    """Start and end offsets of cell ``ref`` in sheet XML."""
    start = xml.index(b'<c r="%s"' % ref.encode())
    close = xml.index(b">", start)
    end = close + 1 if xml[close - 1] == 0x2F else xml.index(b"</c>", start) + 4
    return start, end


def _with_shared_strings(base: Path, sst: bytes) -> dict[str, bytes]:
    members = read_entries(base)
    rels = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", _SST_REL + b"</Relationships>"
    )
    types = members["[Content_Types].xml"].replace(b"</Types>", _SST_TYPE + b"</Types>")
    return {
        "xl/_rels/workbook.xml.rels": rels,
        "[Content_Types].xml": types,
        "xl/sharedStrings.xml": sst,
    }


def hostile_dtd(base: Path, folder: Path) -> Path:
    """Billion laughs: a DTD with nested entities in the shared strings."""
    return rezip(base, folder / base.name, _with_shared_strings(base, _LAUGHS))


def hostile_zip_bomb(base: Path, folder: Path, *, megabytes: int = 600) -> Path:
    """The Summary sheet replaced by ``megabytes`` MB of XML that deflates ~1000:1."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    row = b'<row r="1"><c r="A1"><v>1</v></c></row>'
    block = row * ((1 << 20) // len(row))
    part = deflated(
        "xl/worksheets/sheet3.xml",
        [(head, 1), (block, megabytes), (b"</sheetData></worksheet>", 1)],
    )
    return rezip(base, folder / base.name, {part.name: part})


def hostile_far_cell(base: Path, folder: Path, *, keep_dimension: bool = True) -> Path:
    """A cell at XFD1048576 (the last cell of a sheet); optionally the dimension removed."""
    target = _edit(base, folder, lambda wb: wb[DATA_SHEET].cell(1048576, 16384, "x"))
    if keep_dimension:
        return target
    xml = read_entries(target)[_SHEET_PART]
    start = xml.index(b"<dimension")
    xml = xml[:start] + xml[xml.index(b">", start) + 1 :]
    moved = folder / "no-dimension"
    return rezip(target, moved / target.name, {_SHEET_PART: xml})


def hostile_huge_cell(base: Path, folder: Path, *, megabytes: int = 64) -> Path:
    """Initiatives of the first row (J2) holding ``megabytes`` MB of text, inline."""
    xml = read_entries(base)[_SHEET_PART]
    start, end = _cell_span(xml, "J2")
    block = os.urandom(1 << 20).translate(bytes(b"ACGT"[i % 4] for i in range(256)))
    part = deflated(
        _SHEET_PART,
        [
            (xml[:start] + b'<c r="J2" t="inlineStr"><is><t>', 1),
            (block, megabytes),
            (b"</t></is></c>" + xml[end:], 1),
        ],
    )
    return rezip(base, folder / base.name, {part.name: part})


def long_shared_string(base: Path, folder: Path, *, chars: int = 40_000) -> Path:
    """A 40,000-character shared string (over Excel's 32,767) used by cell J2."""
    sst = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" count="2" uniqueCount="2"><si><t>short</t></si><si><t>'
        + b"x" * chars
        + b"</t></si></sst>"
    )
    parts = _with_shared_strings(base, sst)
    xml = read_entries(base)[_SHEET_PART]
    start, end = _cell_span(xml, "J2")
    parts[_SHEET_PART] = xml[:start] + b'<c r="J2" t="s"><v>1</v></c>' + xml[end:]
    return rezip(base, folder / base.name, parts)


def lying_sizes(base: Path, folder: Path) -> Path:
    """A part whose directory claims 1 KB but inflates to 200 MB (sizes that lie)."""
    head = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
    )
    part = deflated("xl/worksheets/sheet3.xml", [(head, 1), (b" " * (1 << 20), 200)], declare=1024)
    return rezip(base, folder / base.name, {part.name: part})


def input_cells(path: Path) -> dict[tuple[str, str], object]:
    """Every non-blank input cell as openpyxl sees it: (para, header) → value.

    The para is 'row N' when blank and '#3.1' when the cell holds a number.
    """
    wb = openpyxl.load_workbook(path)
    out: dict[tuple[str, str], object] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows(max_row=min(ws.max_row, 30)):
            heads = {c.column: str(c.value) for c in row if isinstance(c.value, str)}
            if "Para" in heads.values() and "Status" in heads.values():
                header_row = row[0].row
                para_col = next(k for k, v in heads.items() if v == "Para")
                wanted = {_HEADER[k] for k in INPUT_KEYS}
                for r in ws.iter_rows(min_row=header_row + 1):
                    by_col = {c.column: c.value for c in r}
                    para = by_col.get(para_col)
                    for col, head in heads.items():
                        value = by_col.get(col)
                        if head in wanted and value is not None and str(value).strip():
                            key = (
                                f"row {r[0].row}"
                                if para is None
                                else f"#{para}"
                                if isinstance(para, float)
                                else str(para)
                            )
                            out[(key, head)] = value
                return out
    return out


# --- shared base ----------------------------------------------------------------------------
_BUILT: dict[str, Path] = {}


def filled_base_once(folder: Callable[[], Path], catalogue: Catalogue, ics: IcsConfig) -> Path:
    """Bedford's workbook from `ltpgap init`, filled with SAMPLE, built once per process.

    Treat it as read-only: generators copy it before changing anything.
    """
    if "base" not in _BUILT:
        _BUILT["base"] = fill(build_place(folder(), catalogue, ics), SAMPLE)
    return _BUILT["base"]
