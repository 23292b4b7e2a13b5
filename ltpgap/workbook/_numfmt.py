"""How many decimals a numeric cell shows: recovers "3.10" from a Para cell holding 3.1.

Only used on the rare path (a Para typed as a number the catalogue cannot settle alone). Reads
the cell's style index from the sheet XML and its number format from styles.xml, both from the
bytes the gate checked (the file on disk is not opened again: it could have been swapped).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree as ET

__all__ = ["shown_decimals"]

#: Built-in number formats that fix the decimals shown (ECMA-376 §18.8.30).
_BUILTIN: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    49: "@",
}
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _decimals(code: str) -> int | None:
    """Decimals a format code shows for positive numbers: '0.00' → 2, 'General' → None."""
    first = _QUOTED.sub("", code.split(";", 1)[0])
    if first.strip().lower() in {"general", "@", ""}:
        return None
    if "." not in first:
        return 0 if any(ch in first for ch in "0#?") else None
    return sum(1 for ch in first.split(".", 1)[1] if ch in "0#?")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _formats(zf: zipfile.ZipFile, styles: str) -> list[int | None]:
    """Decimals shown by each cell style (cellXfs index)."""
    root = ET.fromstring(zf.read(styles))
    custom: dict[int, str] = {}
    xfs: list[int] = []
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "numFmt":
            custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "General")
        elif tag == "cellXfs":
            xfs = [int(xf.get("numFmtId", "0")) for xf in el if _local(xf.tag) == "xf"]
    return [_decimals(custom.get(i) or _BUILTIN.get(i, "General")) for i in xfs]


def shown_decimals(
    source: bytes | str | Path, sheet_part: str, styles: str | None, refs: Iterable[str]
) -> dict[str, int | None]:
    """Cell reference → decimals its number format shows (None: General or unknown).

    ``source`` is the workbook's gated bytes (what the reader uses) or, for tools, a path.
    """
    wanted = set(refs)
    out: dict[str, int | None] = dict.fromkeys(wanted)
    if not wanted or styles is None:
        return out
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            formats = _formats(zf, styles)
            xml = zf.read(sheet_part)
    except (ET.ParseError, ValueError, KeyError, OSError, zipfile.BadZipFile):
        return out  # damaged styles: the decimals are unknown, the Para is reported as such
    for m in re.finditer(rb"<(?:\w+:)?c\s([^>]*)>", xml):
        attrs = m.group(1)
        ref = re.search(rb"\br=[\"']([A-Z]+[0-9]+)[\"']", attrs)
        if not ref or ref.group(1).decode() not in wanted:
            continue
        style = re.search(rb"\bs=[\"']([0-9]+)[\"']", attrs)
        index = int(style.group(1)) if style else 0
        out[ref.group(1).decode()] = formats[index] if index < len(formats) else None
    return out
