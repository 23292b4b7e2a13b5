"""Office.js payloads and an Excel stand-in for the add-in tests.

:func:`payload_from_xlsx` builds the JSON body the xlwings Server task pane sends (see
``getBookData`` in xlwings-server's ``static/js/custom-scripts/index.js``): ``client``,
``version``, ``book`` {name, active_sheet_index, selection, calculation}, ``names`` and, per
sheet, name, visibility, used range, ``values`` from A1 (dates as ISO strings, blanks as
""), tables, pictures, shapes, charts, notes and pivot tables; sheets left out by ``include``
keep their metadata but send ``values`` ``[[]]`` and no tables.

:class:`ExcelStandIn` applies the actions the server returns to such a payload, the way Excel
would, so a test can read the workbook "after the button" and send it again. It is strict
about text: a string written to a cell that is not formatted as text and that Excel would turn
into a formula, number, date or boolean is recorded in :attr:`ExcelStandIn.coerced`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

XLWINGS_VERSION = __import__("importlib.metadata").metadata.version("xlwings")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")
# A number needs a digit: Excel keeps '.' or ',' alone as text.
_COERCIBLE = re.compile(
    r"^\s*[-+=@]|^\s*[.,]*\d[\d.,]*%?\s*$|^\s*\d+[/\-]\d+|^\s*(true|false)\s*$", re.IGNORECASE
)


def envelope(book_name: str, *, names: list[Any], sheets: list[Any]) -> dict[str, Any]:
    """The outer shape of every Office.js request body: client, version, book, names, sheets."""
    return {
        "client": "Office.js",
        "version": XLWINGS_VERSION,
        "book": {
            "name": book_name,
            "active_sheet_index": 0,
            "selection": "A1",
            "calculation": "Automatic",
        },
        "names": names,
        "sheets": sheets,
    }


def _iso(value: datetime | date) -> str:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _cell_json(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return _iso(value)
    if isinstance(value, time):
        return value.isoformat()
    return value


_VISIBILITY = {"visible": "Visible", "hidden": "Hidden", "veryHidden": "VeryHidden"}


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _parts(path: str | Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Sheets (name, state, tables) and defined names, straight from the package XML."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(path) as zf:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
        sheets = []
        for sheet in book.findall("m:sheets/m:sheet", _NS):
            target = targets[sheet.get(f"{{{_NS['r']}}}id")].lstrip("/").removeprefix("xl/")
            part = f"xl/{target}"
            rel = posixpath.join(
                posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"
            )
            tables = []
            if rel in zf.namelist():
                for r in ET.fromstring(zf.read(rel)).findall("p:Relationship", _NS):
                    if r.get("Type", "").endswith("/table"):
                        target = r.get("Target") or ""
                        t = (
                            target.lstrip("/")
                            if target.startswith("/")
                            else posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
                        )
                        node = ET.fromstring(zf.read(t))
                        tables.append(
                            (
                                node.get("displayName") or node.get("name"),
                                node.get("ref"),
                                int(node.get("totalsRowCount") or 0),
                            )
                        )
            sheets.append(
                {
                    "name": sheet.get("name"),
                    "state": sheet.get("state", "visible"),
                    "tables": tables,
                }
            )
        names = [
            (d.get("name"), d.text or "")
            for d in book.findall("m:definedNames/m:definedName", _NS)
            if not d.get("name", "").startswith("_xlnm")
        ]
    return sheets, names


def _table_meta(name: str, ref: str, header: list[object], totals: int = 0) -> dict[str, Any]:
    """A table as Office.js describes it: its range includes the Total Row when shown."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    first, last = get_column_letter(min_col), get_column_letter(max_col)
    body_end = max_row - (1 if totals else 0)
    return {
        "name": name,
        "range_address": f"{first}{min_row}:{last}{max_row}",
        "row_count": max_row - min_row + 1,
        "column_count": max_col - min_col + 1,
        "columns": [str(h) for h in header[min_col - 1 : max_col]],
        "header_row_range_address": f"{first}{min_row}:{last}{min_row}",
        "data_body_range_address": f"{first}{min_row + 1}:{last}{body_end}",
        "total_row_range_address": f"{first}{max_row}:{last}{max_row}" if totals else None,
        "show_headers": True,
        "show_totals": bool(totals),
        "table_style": "TableStyleLight1",
        "show_autofilter": True,
        "show_table_style_first_column": False,
        "show_table_style_last_column": False,
        "show_table_style_row_stripes": False,
        "show_table_style_column_stripes": False,
    }


def payload_from_xlsx(
    path: str | Path, *, include: Sequence[str] = (), name: str | None = None
) -> dict[str, Any]:
    """The Office.js request body for this workbook, as the task pane would send it."""
    from python_calamine import CalamineWorkbook

    from ltpgap.workbook.gate import inspect_workbook

    sheets, names = _parts(path)
    keep = set(include)
    book = CalamineWorkbook.from_path(str(path))
    facts = inspect_workbook(path)
    out = []
    for info in sheets:
        excluded = bool(keep) and info["name"] not in keep
        grid = (
            []
            if excluded
            else book.get_sheet_by_name(info["name"]).to_python(skip_empty_area=False)
        )
        # Office.js gives an error cell's value as its text ('#N/A'); python-calamine, as ''.
        sheet_facts = None if excluded else facts.sheet(info["name"])
        for ref, error in (sheet_facts.error_cells if sheet_facts else {}).items():
            min_col, min_row, _, _ = range_boundaries(ref)
            if min_row <= len(grid) and min_col <= len(grid[min_row - 1]):
                grid[min_row - 1][min_col - 1] = error
        rows = [i for i, r in enumerate(grid) if any(v not in ("", None) for v in r)]
        cols = [j for r in grid for j, v in enumerate(r) if v not in ("", None)]
        n_rows, n_cols = (rows[-1] + 1, max(cols) + 1) if rows else (0, 0)
        values = (
            [[_cell_json(v) for v in (list(r) + [""] * n_cols)[:n_cols]] for r in grid[:n_rows]]
            if n_rows
            else [[""]]
        )
        out.append(
            {
                "name": info["name"],
                "visibility": _VISIBILITY.get(info["state"], "Visible"),
                "show_gridlines": True,
                "print_area": None,
                "notes": [],
                "notes_supported": True,
                "used_range_address": None
                if excluded or not n_rows
                else f"A1:{get_column_letter(n_cols)}{n_rows}",
                "used_range_row_count": 0 if excluded else n_rows,
                "used_range_column_count": 0 if excluded else n_cols,
                "values": [[]] if excluded else values,
                "pictures": [],
                "shapes": [],
                "charts": [],
                "tables": []
                if excluded
                else [
                    _table_meta(t, ref, list(grid[range_boundaries(ref)[1] - 1]), totals)
                    for t, ref, totals in info["tables"]
                ],
                "pivot_tables": [],
            }
        )
    sheet_names = [s["name"] for s in sheets]
    return envelope(
        name or Path(path).name,
        names=[_name_json(n, ref, sheet_names) for n, ref in names],
        sheets=out,
    )


def _name_json(name: str, ref: str, sheets: list[str]) -> dict[str, Any]:
    sheet, _, address = ref.rpartition("!")
    sheet = sheet.strip("'")
    return {
        "name": name,
        "refers_to": f"={ref}",
        "type": "Range",
        "sheet_index": sheets.index(sheet) if sheet in sheets else None,
        "address": address.replace("$", "") or None,
        "scope_sheet_name": None,
        "scope_sheet_index": None,
        "book_scope": True,
    }


def text_columns(path: str | Path) -> dict[str, set[int]]:
    """Columns formatted as text ('@') in row 2 of each sheet (Para, the metadata values)."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, set[int]] = {}
    for ws in wb.worksheets:
        out[ws.title] = (
            {c.column for c in ws[2] if c.number_format == "@"} if ws.max_row > 1 else set()
        )
    return out


class ExcelStandIn:
    """Apply xlwings actions to a payload the way Excel would, for a second request."""

    def __init__(self, payload: Mapping[str, Any], text_cols: Mapping[str, set[int]] | None = None):
        self.payload = copy.deepcopy(dict(payload))
        self.text_cols = {k: set(v) for k, v in (text_cols or {}).items()}
        self.coerced: list[tuple[str, str, object]] = []
        self.calls: list[tuple[str, Any]] = []

    def sheet(self, name: str) -> dict[str, Any]:
        """The sheet's payload entry."""
        for s in self.payload["sheets"]:
            if s["name"] == name:
                return s
        raise KeyError(name)

    def values(self, name: str) -> list[list[object]]:
        """A sheet's values (Office.js form: "" for blanks)."""
        return self.sheet(name)["values"]

    def _grow(self, sheet: dict[str, Any], rows: int, cols: int) -> None:
        values = sheet["values"]
        if values == [[]]:
            values[:] = [[""]]
        width = max(cols, *(len(r) for r in values))
        for r in values:
            r.extend([""] * (width - len(r)))
        while len(values) < rows:
            values.append([""] * width)

    def _store(self, sheet: dict[str, Any], r: int, c: int, value: object) -> None:
        if isinstance(value, str) and value.startswith("'"):
            value = value[1:]  # Excel keeps the text, not the apostrophe
        elif isinstance(value, str) and _ISO_DATE.match(value):
            # How xlwings sends a Python date or datetime: Excel stores a date, and the next
            # payload carries it the Office.js way.
            value = _iso(datetime.fromisoformat(value))
        elif (
            isinstance(value, str)
            and c + 1 not in self.text_cols.get(sheet["name"], set())
            and _COERCIBLE.search(value)
        ):
            self.coerced.append((sheet["name"], f"{get_column_letter(c + 1)}{r + 1}", value))
        sheet["values"][r][c] = "" if value is None else value

    def apply(self, actions: Iterable[Mapping[str, Any]]) -> ExcelStandIn:
        """Apply every action in order; unknown structural ones are only recorded."""
        for action in actions:
            func = action["func"]
            self.calls.append((func, action.get("args")))
            handler = getattr(self, f"_do_{func}", None)
            if handler is not None:
                handler(action)
        self._refresh_used()
        return self

    def _target(self, action: Mapping[str, Any]) -> dict[str, Any]:
        return self.payload["sheets"][action["sheet_position"]]

    def _do_setValues(self, action: Mapping[str, Any]) -> None:
        sheet = self._target(action)
        r0, c0 = action["start_row"], action["start_column"]
        values = action["values"]
        self._grow(sheet, r0 + len(values), c0 + max(len(r) for r in values))
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                self._store(sheet, r0 + i, c0 + j, value)

    def _do_setNumberFormat(self, action: Mapping[str, Any]) -> None:
        if action["args"] and action["args"][0] == "@":
            sheet = self._target(action)
            cols = range(
                action["start_column"] + 1, action["start_column"] + action["column_count"] + 1
            )
            self.text_cols.setdefault(sheet["name"], set()).update(cols)

    def _do_addSheet(self, action: Mapping[str, Any]) -> None:
        index, name = action["args"]
        self.payload["sheets"].insert(
            index,
            {
                "name": name,
                "visibility": "Visible",
                "values": [[""]],
                "tables": [],
                "pictures": [],
                "shapes": [],
                "charts": [],
                "notes": [],
                "pivot_tables": [],
                "print_area": None,
                "show_gridlines": True,
                "used_range_address": None,
                "used_range_row_count": 0,
                "used_range_column_count": 0,
                "notes_supported": True,
            },
        )

    def _do_resizeTable(self, action: Mapping[str, Any]) -> None:
        index, address = action["args"]
        table = self._target(action)["tables"][index]
        min_col, min_row, max_col, max_row = range_boundaries(address.replace("$", ""))
        first, last = get_column_letter(min_col), get_column_letter(max_col)
        table["range_address"] = f"{first}{min_row}:{last}{max_row}"
        table["data_body_range_address"] = f"{first}{min_row + 1}:{last}{max_row}"
        table["row_count"] = max_row - min_row + 1

    def _do_addTable(self, action: Mapping[str, Any]) -> None:
        address, _headers, _style, name = action["args"]
        min_col, min_row, max_col, max_row = range_boundaries(address.replace("$", ""))
        first, last = get_column_letter(min_col), get_column_letter(max_col)
        self._target(action)["tables"].append(
            {
                "name": name,
                "range_address": f"{first}{min_row}:{last}{max_row}",
                "data_body_range_address": f"{first}{min_row + 1}:{last}{max_row}",
                "header_row_range_address": f"{first}{min_row}:{last}{min_row}",
                "total_row_range_address": None,
                "row_count": max_row - min_row + 1,
                "column_count": max_col - min_col + 1,
                "columns": [],
                "show_headers": True,
                "show_totals": False,
                "table_style": "",
                "show_autofilter": True,
                "show_table_style_first_column": False,
                "show_table_style_last_column": False,
                "show_table_style_row_stripes": True,
                "show_table_style_column_stripes": False,
            }
        )

    def _do_setSheetVisibility(self, action: Mapping[str, Any]) -> None:
        self._target(action)["visibility"] = action["args"][0]

    def _refresh_used(self) -> None:
        for sheet in self.payload["sheets"]:
            values = sheet["values"]
            rows = [i for i, r in enumerate(values) if any(v not in ("", None) for v in r)]
            if not rows or values == [[]]:
                continue
            cols = max(j for r in values for j, v in enumerate(r) if v not in ("", None))
            sheet["used_range_address"] = f"A1:{get_column_letter(cols + 1)}{rows[-1] + 1}"
            sheet["used_range_row_count"] = rows[-1] + 1
            sheet["used_range_column_count"] = cols + 1


def as_python(value: object) -> object:
    """An Office.js cell value as a Python value (blank → None, ISO date → datetime)."""
    if value == "" or value is None:
        return None
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", value):
        return datetime.fromisoformat(value[:19])
    return value


# --- synthetic workbooks of any size (the workbook contract's layout, without a file) ------


def synthetic_catalogue(n: int) -> Any:
    """A valid catalogue of ``n`` commitments over seven chapters, every level and area."""
    from ltpgap.catalogue import Catalogue, CatalogueInfo, Commitment, Provenance, load_catalogue

    shipped = load_catalogue()
    levels = ["place"] * 7 + ["ics", "region", "national"]
    deadlines = [
        ("2020/21", date(2021, 3, 31)),
        ("2023/24", date(2024, 3, 31)),
        ("2028/29", date(2029, 3, 31)),
    ]
    commitments = []
    for i in range(n):
        chapter = i % 7 + 1
        deadline, due = deadlines[i % 3]
        commitments.append(
            Commitment(
                id=f"{chapter}.{i // 7 + 1}",
                chapter=chapter,
                section="Synthetic",
                programme_area=shipped.programme_areas[i % len(shipped.programme_areas)].id,
                life_course=shipped.life_course[i % 3],
                title=f"Synthetic commitment {i}",
                commitment="A commitment of realistic length for the benchmark and budget tests.",
                deadline=deadline,
                due=due,
                must_do=i % 5 == 0,
                level=levels[i % 10],  # type: ignore[arg-type]
                provenance=Provenance(para_verified=False, source="synthetic"),
            )
        )
    return Catalogue(
        info=CatalogueInfo(id="synthetic", version="1.0.0", title="Synthetic", source="test"),
        programme_areas=shipped.programme_areas,
        life_course=shipped.life_course,
        headline_metrics=(),
        commitments=tuple(commitments),
        content_hash=f"synthetic-{n}",
    )


_CHOICES = [
    {"initiatives": "Service in place", "status": "In place", "coverage": "Full", "lead": "A Lead"},
    {
        "initiatives": "Pilot",
        "status": "In progress",
        "coverage": "Partial",
        "expected_delivery": "2021/22",
    },
    {"status": "None"},
    {"initiatives": "Planned", "status": "Planned", "expected_delivery": "Q4 30/31"},
    {"not_applicable": "Yes"},
    {},
]


def _sheet(
    name: str,
    values: list[list[object]],
    tables: list[dict[str, Any]] | None = None,
    visibility: str = "Visible",
) -> dict[str, Any]:
    width = max(len(r) for r in values)
    rect = [[_cell_json(v) for v in r] + [""] * (width - len(r)) for r in values]
    return {
        "name": name,
        "visibility": visibility,
        "show_gridlines": True,
        "print_area": None,
        "notes": [],
        "notes_supported": True,
        "used_range_address": f"A1:{get_column_letter(width)}{len(rect)}",
        "used_range_row_count": len(rect),
        "used_range_column_count": width,
        "values": rect,
        "pictures": [],
        "shapes": [],
        "charts": [],
        "tables": tables or [],
        "pivot_tables": [],
    }


def _meta_sheet(catalogue: Any, unit: str, scope: str, ics_id: str) -> dict[str, Any]:
    from ltpgap.layout import META_KEYS, meta_checksum

    values = {
        "catalogue_id": catalogue.info.id,
        "catalogue_version": catalogue.info.version,
        "catalogue_hash": catalogue.content_hash,
        "unit_id": unit,
        "scope": scope,
        "unit_name": unit,
        "ics_id": ics_id,
        "template_version": "1",
        "generated_at": "2024-01-01T00:00:00Z",
        "ltpgap_version": "0.1.0",
    }
    values["checksum"] = meta_checksum(values)
    return _sheet("_ltpgap", [[k, values[k]] for k in META_KEYS], visibility="Hidden")


def _table(name: str, rows: int, cols: int) -> dict[str, Any]:
    """A table over A1 and the first ``rows`` × ``cols`` cells (columns not named)."""
    return _table_meta(name, f"A1:{get_column_letter(cols)}{rows}", [])


def place_payload(catalogue: Any, unit: str = "luton", *, scope: str = "place") -> dict[str, Any]:
    """A filled place (or ICS-team) workbook's payload, laid out as `ltpgap init` builds it."""
    from ltpgap.layout import catalogue_values
    from ltpgap.rag import assess_place
    from ltpgap.schema import COLUMNS, HEADERS
    from ltpgap.xl.summary import summary_block

    rows: list[list[object]] = [list(HEADERS)]
    in_scope = [c for c in catalogue if scope == "place" or c.level == "ics"]
    for i, c in enumerate(in_scope):
        shown = catalogue_values(c, catalogue)
        filled = _CHOICES[i % len(_CHOICES)] if c.level == "place" or scope == "ics" else {}
        rows.append([shown.get(col.key, filled.get(col.key)) for col in COLUMNS])
    import pandas as pd

    frame = assess_place(
        catalogue, pd.DataFrame({"para": [c.id for c in in_scope]}), unit_id=unit, scope=scope
    ).frame  # type: ignore[arg-type]
    summary = [["Summary: " + unit], ["note"], [], *summary_block(frame, catalogue).rows]
    return envelope(
        f"{unit}.xlsx",
        names=[],
        sheets=[
            {**_sheet("Read me", [["x"]]), "values": [[]], "used_range_address": None},
            _sheet("Gap analysis", rows, [_table("GapAnalysis", len(rows), len(HEADERS))]),
            _sheet("Summary", summary),
            {**_sheet("Lists", [["x"]]), "values": [[]], "visibility": "Hidden"},
            _meta_sheet(catalogue, unit, scope, "blmk"),
        ],
    )


def unit_inputs(catalogue: Any, ics: Any, *, every: int = 1) -> dict[str, tuple[str, Any]]:
    """Synthetic inputs of every place (scope "place") and the ICS team (scope "ics")."""
    import pandas as pd

    from ltpgap.schema import INPUT_KEYS

    units = [(p.id, "place", k) for k, p in enumerate(ics.places)] + [(ics.id, "ics", 0)]
    out: dict[str, tuple[str, Any]] = {}
    for unit, scope, k in units:
        rows = []
        for i, c in enumerate(catalogue):
            wanted = (c.level == "place") if scope == "place" else (c.level == "ics")
            if wanted and i % every == 0:
                filled = _CHOICES[(i + k) % len(_CHOICES)]
                rows.append(
                    {
                        "para": c.id,
                        "row": len(rows) + 2,
                        **{key: filled.get(key) for key in INPUT_KEYS},
                    }
                )
        out[unit] = (scope, pd.DataFrame(rows, columns=["para", "row", *INPUT_KEYS], dtype=object))
    return out


def merged_workbook(catalogue: Any, ics: Any, path: Path, *, every: int = 1) -> Path:
    """A merged ICS workbook, written by ltpgap.merge's own writer, from synthetic inputs.

    ``every``: fill only every n-th commitment (Place data holds only filled rows).
    """
    from ltpgap.merge import PlaceRef, PlaceSubmission, write_ics_workbook
    from ltpgap.merge._content import ics_content
    from ltpgap.rag import assess_place
    from ltpgap.rag._table import table_columns

    subs = []
    people = {p.id: (p.name, p.population) for p in ics.places}
    people[ics.id] = (ics.name, ics.population)
    for unit, (scope, inputs) in unit_inputs(catalogue, ics, every=every).items():
        name, population = people[unit]
        ref = PlaceRef(
            id=unit,
            name=name,
            population=population,
            file=f"{unit}.xlsx",
            catalogue_version=catalogue.info.version,
            catalogue_hash=catalogue.content_hash,
            status="submitted",
        )
        assessment = assess_place(catalogue, inputs, unit_id=unit, scope=scope)
        subs.append(
            PlaceSubmission(
                ref=ref,
                scope=scope,
                input_columns=table_columns(inputs),
                extra_headers=(),
                assessment=assessment,
            )
        )
    content = ics_content(
        ics, catalogue, {s.unit_id: s for s in subs}, generated_at="2024-01-01T00:00:00Z"
    )
    return write_ics_workbook(content, path)


def gap_payload(
    catalogue: Any,
    rows: Sequence[Mapping[str, object]],
    extras: Sequence[str] = (),
    unit: str = "luton",
) -> dict[str, Any]:
    """A place workbook holding these rows (para + inputs + extras) in this order, then a
    blank row for every catalogue commitment they do not mention."""
    from ltpgap.layout import catalogue_values
    from ltpgap.schema import COLUMNS, HEADERS

    header = [*HEADERS, *extras]
    seen: set[str] = set()
    grid: list[list[object]] = [header]

    def line(para: object, values: Mapping[str, object]) -> list[object]:
        c = catalogue.get(str(para)) if para is not None else None
        shown = catalogue_values(c, catalogue) if c else {"para": para}
        out = [
            shown.get(col.key, values.get(col.key)) if col.group != "computed" else None
            for col in COLUMNS
        ]
        return [*out, *(values.get(e) for e in extras)]

    for row in rows:
        para = row.get("para")
        grid.append(line(para, row))
        if para is not None:
            seen.add(str(para))
    for c in catalogue:
        if c.id not in seen:
            grid.append(line(c.id, {}))
    return envelope(
        f"{unit}.xlsx",
        names=[],
        sheets=[
            _sheet("Gap analysis", grid, [_table("GapAnalysis", len(grid), len(header))]),
            _sheet("Summary", [["Summary: " + unit], ["note"]]),
            _meta_sheet(catalogue, unit, "place", "blmk"),
        ],
    )


def read_table(excel: ExcelStandIn, sheet: str) -> list[dict[str, object]]:
    """The rows under the header row of a sheet, as header → Python value."""
    values = excel.values(sheet)
    header = [str(h) for h in values[0]]
    out = []
    for row in values[1:]:
        record = {h: as_python(v) for h, v in zip(header, row, strict=False) if h}
        if any(v is not None for v in record.values()):
            out.append(record)
    return out
