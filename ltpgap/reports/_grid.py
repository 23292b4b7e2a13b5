"""Lay the snapshot grid (seed 002 Appendix A) out over as many slides as its text needs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pptx.enum.text import MSO_ANCHOR
from pptx.util import Inches

from ltpgap.reports._slides import (
    DARK_BLUE,
    FULL,
    GREY,
    LEFT,
    PALE,
    TOP,
    Box,
    Run,
    fill_frame,
    rgb,
    set_alt,
    text_lines,
)
from ltpgap.reports.model import ReportData, Snapshot, SnapshotItem
from ltpgap.schema import RAG_COLOURS

__all__ = ["GridGeometry", "GridRow", "grid_table", "item_text", "paginate_grid"]

_MARKER = {"Not assessed": "768692", "N/A": "B0B8BC"}
#: The RAG word's colour on white: the NHS colour where it reads (≥ 4.5:1), else a dark tint.
_WORD = {"Green": "006747", "Amber": "8A5100", "Red": "C0211A", "Not assessed": "425563"}

Cell = tuple[SnapshotItem, ...]


def item_text(item: SnapshotItem) -> str:
    """``■ para 2.10 Smoke-free pregnancy pathway — Amber`` (the marker is coloured)."""
    return f"■ {item.label} — {item.rag}"


@dataclass(frozen=True, slots=True, kw_only=True)
class GridRow:
    """One life-course row (or the continuation of one) on one slide."""

    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GridGeometry:
    """Sizes in inches and points that the estimate and the slide share."""

    column: float  # width of each programme-area column
    label: float  # width of the life-course column
    size: float  # item font size, points
    header_size: float
    capacity: float  # height available for the whole table

    def line(self, size: float | None = None) -> float:
        """Line height in inches."""
        return (size or self.size) * 1.17 / 72

    def item_height(self, item: SnapshotItem) -> float:
        """Estimated height of one item: its lines (the first taller for the 10 pt marker) and
        the paragraph spacing after it."""
        lines = text_lines(item_text(item), self.column - 0.18, self.size)
        return lines * self.line() + (10 - self.size) * 1.2 / 72 + 0.03

    def cell_height(self, cell: Cell) -> float:
        """Estimated height of a cell's items plus its margins."""
        return sum(self.item_height(i) for i in cell) + 0.14

    def row_height(self, row: GridRow) -> float:
        """Estimated height of a grid row."""
        label = text_lines(row.label, self.label - 0.18, self.header_size) * self.line(10) + 0.14
        return max([label, *(self.cell_height(c) for c in row.cells)])

    def header_height(self, columns: tuple[str, ...]) -> float:
        """Estimated height of the header row of programme-area names."""
        lines = max(text_lines(c, self.column - 0.18, self.header_size) for c in columns)
        return lines * self.line(self.header_size) + 0.14


def _balanced(cell: Cell, k: int, geo: GridGeometry) -> list[Cell]:
    """A cell's items in ``k`` consecutive groups of about equal height."""
    heights = [geo.item_height(i) for i in cell]
    total = sum(heights) or 1.0
    groups: list[list[SnapshotItem]] = [[] for _ in range(k)]
    done = 0.0
    for item, height in zip(cell, heights, strict=True):
        groups[min(k - 1, int((done + height / 2) / total * k))].append(item)
        done += height
    return [tuple(g) for g in groups]


def _split(row: GridRow, room: float, geo: GridGeometry) -> list[GridRow]:
    """A row too tall for one slide as the fewest balanced parts that each fit ``room``."""
    k = max(2, math.ceil(max(geo.cell_height(c) for c in row.cells) / room))
    while True:
        columns = [_balanced(cell, k, geo) for cell in row.cells]
        parts = [tuple(col[j] for col in columns) for j in range(k)]
        parts = [p for p in parts if any(p)]
        rows = [
            GridRow(label=row.label if i == 0 else f"{row.label} (continued)", cells=p)
            for i, p in enumerate(parts)
        ]
        if all(geo.row_height(r) <= room for r in rows) or k >= 4 * len(parts) + 8:
            return rows  # the last case: single items taller than a slide
        k += 1


def paginate_grid(snapshot: Snapshot, geo: GridGeometry) -> list[list[GridRow]]:
    """Slides of grid rows: whole rows where they fit, long rows split into balanced parts."""
    header = geo.header_height(snapshot.columns)
    room = geo.capacity - header
    pages: list[list[GridRow]] = [[]]
    used = 0.0
    for label, cells in zip(snapshot.rows, snapshot.cells, strict=True):
        row = GridRow(label=label, cells=cells)
        parts = [row] if geo.row_height(row) <= room else _split(row, room, geo)
        for part in parts:
            height = geo.row_height(part)
            if pages[-1] and used + height > room:
                pages.append([])
                used = 0.0
            pages[-1].append(part)
            used += height
    return [p for p in pages if p]


def grid_table(slide: Any, data: ReportData, rows: list[GridRow], geo: GridGeometry) -> None:
    """The snapshot grid as a native table: coloured markers, RAG words, alt text."""
    snap = data.snapshot
    widths = (geo.label, *([geo.column] * len(snap.columns)))
    shape = slide.shapes.add_table(len(rows) + 1, len(widths), *Box(LEFT, TOP, FULL, 1).emu())
    grid = shape.table
    grid.first_row, grid.first_col, grid.horz_banding = True, True, False
    for j, w in enumerate(widths):
        grid.columns[j].width = Inches(w)
    heads = ("NHS Long Term Plan", *snap.columns)
    for j, head in enumerate(heads):
        _grid_cell(grid.cell(0, j), [[Run(head, bold=True, colour="FFFFFF")]], DARK_BLUE, 9)
    # Rows start small and grow to their text (PowerPoint and LibreOffice both do this): the
    # estimates, which run tall, decide only where the grid is split.
    grid.rows[0].height = Inches(0.3)
    for r, row in enumerate(rows, start=1):
        _grid_cell(grid.cell(r, 0), [[Run(row.label, bold=True, colour=DARK_BLUE)]], PALE, 10)
        for j, cell in enumerate(row.cells, start=1):
            paras = [_item_runs(item) for item in cell] or [[Run("—", colour=GREY)]]
            _grid_cell(grid.cell(r, j), paras, "FFFFFF", geo.size)
        grid.rows[r].height = Inches(0.3)
    lines = "; ".join(
        f"{row.label}: " + ", ".join(f"{i.para} {i.rag}" for c in row.cells for i in c)
        for row in rows
    )
    set_alt(
        shape,
        f"Snapshot grid, programme areas by life-course stage, with the "
        f"{snap.rag_label} of each commitment. {lines}",
    )


def _item_runs(item: Any) -> list[Run]:
    marker = RAG_COLOURS.get(item.rag, ("B0B8BC", ""))[0]
    marker = _MARKER.get(item.rag, marker)
    text = item_text(item)
    body = text[2 : -len(item.rag)]
    word = _WORD.get(item.rag, GREY)
    return [Run("■ ", colour=marker, size=10), Run(body), Run(item.rag, bold=True, colour=word)]


def _grid_cell(cell: Any, paras: list[list[Run]], fill: str, size: float) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = rgb(fill)
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.margin_top = cell.margin_bottom = Inches(0.05)
    cell.vertical_anchor = MSO_ANCHOR.TOP
    fill_frame(cell.text_frame, paras, size=size, space_after=2)
