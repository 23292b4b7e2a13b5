"""The place Summary sheet as one block of values, in the layout `ltpgap init` builds.

The layout itself is :func:`ltpgap.layout.summary_layout`, shared with the openpyxl builder,
so the formatting the builder put there still fits; this module only makes the values safe
for Excel and writes them in one block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ltpgap.catalogue import Catalogue
from ltpgap.layout import SUMMARY_FIRST_ROW, SUMMARY_WIDTH, summary_layout
from ltpgap.rag._table import Table
from ltpgap.xl._blocks import put_block
from ltpgap.xl._cells import grid_text, keep_text, pad_grid
from ltpgap.xl._sheet import extent

if TYPE_CHECKING:
    import xlwings as xw

__all__ = ["SummaryBlock", "summary_block", "write_summary"]


@dataclass(frozen=True, kw_only=True)
class SummaryBlock:
    """Rows from :data:`~ltpgap.layout.SUMMARY_FIRST_ROW` down, and the must-do list's rows."""

    rows: list[list[object]]
    must_do_rows: tuple[int, int] | None  # first and last Excel row merged across B:K


def summary_block(frame: Table, catalogue: Catalogue) -> SummaryBlock:
    """The Summary values from row 4 for an assessment frame (or its
    :data:`~ltpgap.layout.SUMMARY_INPUTS` columns as lists), ready for the cells."""
    layout = summary_layout(frame, catalogue)
    cells: list[list[object]] = []
    for row in layout.rows:
        if row.kind == "list":  # a commitment's title is catalogue text: keep it as text
            title, reason = row.values
            cells.append([keep_text(title), grid_text(reason)])
        else:
            cells.append([grid_text(v) for v in row.values])
    return SummaryBlock(rows=pad_grid(cells, 0, SUMMARY_WIDTH), must_do_rows=layout.must_do_rows)


def write_summary(sheet: xw.Sheet, block: SummaryBlock) -> int:
    """Unmerge, write the block (padded over what was there), merge the list: ≤ 3 actions."""
    last = max(extent(sheet)[0], SUMMARY_FIRST_ROW + len(block.rows) - 1)
    values = pad_grid(block.rows, last - SUMMARY_FIRST_ROW + 1, SUMMARY_WIDTH)
    area = sheet.range((SUMMARY_FIRST_ROW, 1), (last, SUMMARY_WIDTH))
    area.unmerge()
    put_block(area, values)
    actions = 2
    if block.must_do_rows:
        first, final = block.must_do_rows
        sheet.range((first, 2), (final, SUMMARY_WIDTH)).merge(across=True)
        actions += 1
    return actions
