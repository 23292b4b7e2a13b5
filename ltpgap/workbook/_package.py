"""The structure of an .xlsx package: sheets, their parts and visibility, tables, shared strings.

Read straight from the zip (workbook.xml, relationships, table parts), after the gate has
refused DTDs, so ElementTree only ever sees small, entity-free XML. Namespaces are matched
by local name, which covers both transitional and strict OOXML.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from ltpgap.workbook._xmlpos import split_ref

__all__ = ["Package", "SheetPart", "TablePart", "read_package"]

_MAX_STRUCTURE_BYTES = 16 * 1024 * 1024  # workbook.xml, .rels and table parts are small


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetPart:
    """A worksheet as listed in workbook.xml: name, visibility and its part in the zip."""

    name: str
    state: str  # "visible", "hidden" or "veryHidden"
    part: str | None  # None for chart sheets and dangling references


@dataclass(frozen=True, slots=True, kw_only=True)
class TablePart:
    """An Excel Table: its name, the sheet it is on and its range (e.g. 'A1:U500')."""

    name: str
    sheet: str
    ref: str
    totals_rows: int = 0  # Excel's Total Row (Table Design › Total Row): the ref's last row

    @property
    def corner(self) -> tuple[int, int] | None:
        """(row, column) of the range's first cell, 1-based; None when the ref is not one."""
        return split_ref(self.ref.split(":", 1)[0])

    @property
    def end(self) -> tuple[int, int] | None:
        """(row, column) of the range's last cell (the Total Row's, when shown), 1-based."""
        return split_ref(self.ref.rpartition(":")[2])


@dataclass(frozen=True, slots=True, kw_only=True)
class Package:
    """The parts of a workbook the gate and reader need."""

    workbook: str
    sheets: tuple[SheetPart, ...]
    shared_strings: str | None
    styles: str | None
    tables: tuple[TablePart, ...]


class PackageError(Exception):
    """The package structure is missing or malformed; the message says which part."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(message)
        self.part = part


class NotAWorkbookError(PackageError):
    """The package's main part is another Office document's (a presentation, a document)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(zf: zipfile.ZipFile, part: str) -> ET.Element:
    info = zf.getinfo(part)
    if info.file_size > _MAX_STRUCTURE_BYTES:
        raise PackageError(part, f"part {part} is {info.file_size:,} bytes; too large to be real")
    try:
        return ET.fromstring(zf.read(part))
    except ET.ParseError as exc:
        raise PackageError(part, f"part {part} is not well-formed XML ({exc})") from None


def _rels(zf: zipfile.ZipFile, names: set[str], source: str) -> dict[str, tuple[str, str]]:
    """Relationships of ``source``: id → (type suffix, target part)."""
    folder, base = posixpath.split(source)
    rels_part = posixpath.join(folder, "_rels", base + ".rels")
    if rels_part not in names:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in _xml(zf, rels_part):
        if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = (
            rel.get("Type", "").rsplit("/", 1)[-1],
            posixpath.normpath(part),
        )
    return out


def _rid(el: ET.Element) -> str:
    for key, value in el.attrib.items():
        if _local(key) == "id" and "relationships" in key:
            return value
    return ""


def workbook_part(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The main workbook part named by the package relationships (usually xl/workbook.xml)."""
    for kind, target in _rels(zf, names, "").values():
        if kind == "officeDocument" and target in names:
            return target
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def _count(text: str | None) -> int:
    """A small count attribute ('1'), 0 when absent or not a number."""
    return int(text) if text and text.isdigit() and len(text) < 4 else 0


def read_package(zf: zipfile.ZipFile, names: set[str], workbook: str) -> Package:
    """Sheets (in workbook order), tables, shared strings and styles of a gated package."""
    root = _xml(zf, workbook)
    if _local(root.tag) != "workbook":
        raise NotAWorkbookError(
            workbook, f"the main part {workbook} holds a <{_local(root.tag)}>, not a <workbook>"
        )
    rels = _rels(zf, names, workbook)
    sheets: list[SheetPart] = []
    for el in root.iter():
        if _local(el.tag) != "sheet":
            continue
        kind, target = rels.get(_rid(el), ("", ""))
        sheets.append(
            SheetPart(
                name=el.get("name", ""),
                state=el.get("state", "visible"),
                part=target if kind == "worksheet" and target in names else None,
            )
        )
    by_kind = {kind: target for kind, target in rels.values() if target in names}
    tables: list[TablePart] = []
    for sheet in sheets:
        if sheet.part is None:
            continue
        for kind, target in _rels(zf, names, sheet.part).values():
            if kind == "table" and target in names:
                root = _xml(zf, target)
                tables.append(
                    TablePart(
                        name=root.get("displayName") or root.get("name") or "",
                        sheet=sheet.name,
                        ref=root.get("ref", ""),
                        totals_rows=_count(root.get("totalsRowCount")),
                    )
                )
    return Package(
        workbook=workbook,
        sheets=tuple(sheets),
        shared_strings=by_kind.get("sharedStrings"),
        styles=by_kind.get("styles"),
        tables=tuple(tables),
    )
