"""Can ltpgap rewrite this workbook with openpyxl without losing anything? (SPEC §12)

openpyxl silently drops charts, pictures, shapes, macros, pivot tables, slicers, form controls
and the Excel 2010+ (x14) extensions of data validation and conditional formatting. Before
`recompute` loads a workbook, look at its zip part names and stream its sheet XML for those
parts, so a workbook holding any of them is refused instead of quietly damaged.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

__all__ = ["unsafe_content"]

_PARTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), what)
    for pattern, what in (
        (r"^xl/vbaProject\.bin$", "macros (a VBA project)"),
        (r"^xl/(macrosheets|dialogsheets)/", "Excel 4 macro or dialog sheets"),
        (r"^xl/charts/", "charts"),
        (r"^xl/chartsheets/", "chart sheets"),
        (r"^xl/drawings/drawing\d*\.xml$", "drawings (pictures, shapes, text boxes or charts)"),
        (r"^xl/media/", "pictures"),
        (r"^xl/embeddings/", "embedded objects"),
        (r"^xl/pivot(Tables|Cache)/", "pivot tables"),
        (r"^xl/externalLinks/", "links to other workbooks"),
        (r"^xl/(slicers|slicerCaches)/", "slicers"),
        (r"^xl/(timelines|timelineCaches)/", "timelines"),
        (r"^xl/(activeX|ctrlProps)/", "form controls"),
        (r"^xl/threadedComments/", "threaded comments"),
        (r"^xl/model/", "a data model (Power Pivot)"),
    )
)
_MACRO_TYPE = b"macroEnabled"
_XML_MARKERS: tuple[tuple[bytes, str], ...] = (
    (b"x14:dataValidation", "extended data validations (Excel 2010+ lists from other sheets)"),
    (b"x14:conditionalFormatting", "extended conditional formats (data bars or icon sets)"),
    (b"x14:sparklineGroup", "sparklines"),
    (b"x14:slicerList", "slicers"),
)
_CHUNK = 1 << 20
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)


def _scan(zf: zipfile.ZipFile, name: str) -> set[str]:
    found: set[str] = set()
    tail = b""
    with zf.open(name) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            found |= {what for marker, what in _XML_MARKERS if marker in window}
            tail = window[-64:]
    return found


def unsafe_content(path: str | Path) -> list[tuple[str, str]]:
    """(what, zip part) for everything openpyxl would drop; empty when safe to rewrite.

    Call it only on a file that passed the gate (`ltpgap.workbook.gate`), which bounds the
    sizes this streams through.
    """
    path = Path(path)
    found: dict[str, str] = {}
    if path.suffix.lower() in (".xlsm", ".xltm", ".xlam"):
        found["macros (a macro-enabled file type)"] = path.name
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        for name in names:
            for pattern, what in _PARTS:
                if pattern.search(name):
                    found.setdefault(what, name)
        if "[Content_Types].xml" in names and _MACRO_TYPE in zf.read("[Content_Types].xml"):
            found.setdefault("macros (a macro-enabled workbook)", "[Content_Types].xml")
        for name in names:
            if _SHEET.match(name):
                for what in _scan(zf, name):
                    found.setdefault(what, name)
    return sorted(found.items())
