"""Excel's lock file, as Excel writes it beside a workbook someone has open."""

from __future__ import annotations

from pathlib import Path


def excel_lock_file(folder: Path, workbook: str, owner: str = "Jane Smith") -> Path:
    """'~$<workbook>': 165 bytes, the user's name first (a length byte, the name padded to 54
    bytes, then its length and the name again in UTF-16); no name when ``owner`` is ''."""
    head = (bytes([len(owner)]) + owner.encode("cp1252")).ljust(54, b" ")
    data = head + bytes([len(owner), 0]) + owner.encode("utf-16-le")
    path = folder / f"~${workbook}"
    path.write_bytes(data.ljust(165, b"\0"))
    return path
