"""Look of the workbooks ltpgap writes: NHS identity colours, fonts, fills and borders.

One place for every style, so the Gap analysis, Summary and Read me sheets look like one
NHS template and the builder code stays about layout, not colours.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from copy import copy
from typing import TYPE_CHECKING, Any, Literal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle

from ltpgap.schema import RAG_COLOURS

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# NHS identity colours (https://www.england.nhs.uk/nhsidentity/identity-guidelines/colours/).
NHS_BLUE = "005EB8"
NHS_DARK_BLUE = "003087"
NHS_DARK_GREY = "425563"
NHS_MID_GREY = "768692"
NHS_PALE_GREY = "E8EDEE"
NHS_WARM_YELLOW = "FFB81C"
WHITE = "FFFFFF"
BLACK = "000000"

FONT_NAME = "Arial"


def font(
    *, bold: bool = False, size: float = 10, colour: str = BLACK, italic: bool = False
) -> Font:
    """The house font (Arial, as NHS templates use where Frutiger is unavailable)."""
    return Font(name=FONT_NAME, bold=bold, size=size, color=colour, italic=italic)


def solid(colour: str) -> PatternFill:
    """A solid fill."""
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


BODY = font()
BOLD = font(bold=True)
TITLE = font(bold=True, size=16, colour=NHS_BLUE)
HEADING = font(bold=True, size=12, colour=NHS_DARK_BLUE)
NOTE = font(italic=True, colour=NHS_DARK_GREY)
HEADER_FONT = font(bold=True, colour=WHITE)
NOTICE_FONT = font(bold=True, size=11, colour=BLACK)

#: Header fill for each column group: catalogue (dark blue), input (NHS blue), computed (grey).
HEADER_FILLS = {
    "catalogue": solid(NHS_DARK_BLUE),
    "input": solid(NHS_BLUE),
    "computed": solid(NHS_DARK_GREY),
}
LOCKED_FILL = solid(NHS_PALE_GREY)  # cells ltpgap writes
INPUT_FILL = solid(WHITE)  # cells the place team fills in
NOTICE_FILL = solid(NHS_WARM_YELLOW)

_THIN = Side(style="thin", color="B7C3C8")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
CENTRE_TOP = Alignment(wrap_text=True, vertical="top", horizontal="center")

LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)


def rag_style(rag: str) -> DifferentialStyle:
    """Conditional-format style for one RAG value: NHS fill, readable text (dark on Amber)."""
    fill_colour, text_colour = RAG_COLOURS[rag]
    return DifferentialStyle(
        font=Font(color=text_colour, bold=rag in ("Red", "Amber", "Green")),
        fill=PatternFill(fill_type="solid", fgColor=fill_colour, bgColor=fill_colour),
    )


class StyleCache:
    """Style many cells alike quickly.

    Assigning font, fill, border… to an openpyxl cell hashes and looks up each style object,
    which dominates building a 4,000-cell sheet. The first cell of each kind is styled the
    normal way; later ones copy its style indexes (openpyxl's `_style` array).
    """

    def __init__(self) -> None:
        self._done: dict[Hashable, StyleArray] = {}

    def apply(self, cell: Any, kind: Hashable, style: Callable[[Any], None]) -> None:
        """Style `cell` with `style(cell)`, or copy the result from an earlier cell of `kind`."""
        known = self._done.get(kind)
        if known is not None:
            cell._style = copy(known)
            return
        style(cell)
        self._done[kind] = copy(cell._style)


def fit_to_a4(ws: Worksheet, orientation: Literal["portrait", "landscape"]) -> None:
    """Print on A4 in this orientation, one page wide and as many pages long as it takes."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
