"""Row heights for wrapped text.

LibreOffice (and Excel for rows it has not laid out) shows a row at its stored height, so
wrapped text would be cut off. ltpgap estimates the lines each cell needs from its column
width and sets the row height; `recompute` refreshes them as the text grows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["LINE_HEIGHT", "fit_rows", "lines_needed"]

LINE_HEIGHT = 12.75  # points per line of 10 pt Arial
_CHARS_PER_WIDTH = 1.2  # Arial 10 fits a little more than one character per width unit


def lines_needed(value: object, width: float) -> int:
    """How many wrapped lines a value needs in a column `width` characters wide."""
    if value is None:
        return 1
    per_line = max(1, int(width * _CHARS_PER_WIDTH) - 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n"))


def fit_rows(
    ws: Worksheet, rows: Iterable[int], widths: Mapping[str, float], *, max_lines: int = 30
) -> None:
    """Set each row's height to fit its tallest wrapped cell (at most `max_lines` lines)."""
    for row in rows:
        lines = 1
        for letter, width in widths.items():
            lines = max(lines, lines_needed(ws[f"{letter}{row}"].value, width))
        ws.row_dimensions[row].height = round(LINE_HEIGHT * min(lines, max_lines) + 3, 2)
