"""The ICS workbook's `History` sheet (SPEC §7, §9): movement, counts by chapter, % green trend.

Laid out top to bottom so it reads like a board paper: what is compared with what, the trend
of % green at every snapshot (a table and a line chart), movement counts by LTP chapter, then
every commitment and place with its RAG before and after. Each block is an Excel Table, so it
can be filtered and sorted; the movement is always an arrow *and* a word (colour and shape are
never the only signal).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.drawing.spreadsheet_drawing import OneCellAnchor
from openpyxl.drawing.xdr import XDRPositiveSize2D
from openpyxl.formatting.rule import CellIsRule
from openpyxl.utils import get_column_letter
from openpyxl.utils.units import cm_to_EMU
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue
from ltpgap.layout import CHAPTER_TITLES, HISTORY_SHEET
from ltpgap.merge._history_view import ICS_LABEL, HistoryView
from ltpgap.rag.movement import ARROWS, MOVEMENTS
from ltpgap.schema import RAG_VALUES
from ltpgap.workbook import _styles as st
from ltpgap.workbook._cells import put_text

if TYPE_CHECKING:
    from ltpgap.merge.model import IcsContent
    from ltpgap.store import Snapshot

__all__ = [
    "CHART_LINES",
    "COUNT_HEADERS",
    "HISTORY",
    "MOVEMENT_HEADERS",
    "TABLE_NAMES",
    "add_history_sheet",
    "movement_label",
    "write_history_sheet",
]

HISTORY = HISTORY_SHEET
#: Excel Table names on the sheet: the trend, the counts by chapter, the movement.
TABLE_NAMES = ("HistoryTrend", "HistoryByChapter", "HistoryMovement")
MOVEMENT_HEADERS = ("Place", "Para", "Title", "Before", "After", "Movement", "Compared with")
COUNT_HEADERS = (
    "Place",
    "Chapter",
    "Chapter title",
    *(f"{ARROWS[m]} {m}".strip() for m in MOVEMENTS),
    "Total",
)
#: Column widths: the three tables share columns, so each width suits all three
#: (A: snapshot / place; B: taken at / chapter / para; C: merged by / chapter title / title).
_WIDTHS = (40, 16, 46, 13, 13, 16, 16, 14, 12)
#: Marker and dash of each chart line in turn, so lines differ without colour.
_SYMBOLS = ("circle", "square", "triangle", "diamond", "x", "star", "plus", "dash")
_DASHES = ("solid", "dash", "sysDot", "lgDash", "dashDot", "sysDash")
_CHART_TITLE = "% green at each snapshot"
#: Most lines the trend chart draws; with more units it draws the ICS RAG alone.
CHART_LINES = 12


def movement_label(word: str) -> str:
    """``▲ improved``, ``▶ no change``, ``▼ worse``, ``new``, ``not comparable``."""
    arrow = ARROWS[word]
    return f"{arrow} {word}" if arrow else word


def _when(moment: datetime) -> str:
    return f"{moment:%d %B %Y %H:%M} UTC".lstrip("0")


def _shot(which: Snapshot) -> str:
    who = f" by {which.who}" if which.who else ""
    return f"snapshot {which.seq} ({_when(which.taken_at)}{who})"


class _Cursor:
    """Writes the sheet row by row; ``row`` is the next free row."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws, self.row = ws, 1

    def line(self, text: str, font: Any, *, height: float | None = None) -> None:
        cell = self.ws.cell(row=self.row, column=1)
        put_text(cell, text)
        cell.font = font
        if height:
            cell.alignment = st.WRAP_TOP
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=7)
            self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def table(
        self,
        name: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        formats: Mapping[int, str] | None = None,
        header_height: float = 30,
    ) -> tuple[int, int]:
        """An Excel Table at column A from the current row; returns (header row, last row)."""
        ws, top = self.ws, self.row
        for j, header in enumerate(headers, start=1):
            cell = ws.cell(row=top, column=j)
            put_text(cell, header)
            cell.font, cell.fill = st.HEADER_FONT, st.HEADER_FILLS["catalogue"]
            cell.alignment, cell.border = st.HEADER_ALIGN, st.GRID
        ws.row_dimensions[top].height = header_height
        for i, values in enumerate(rows, start=top + 1):
            for j, value in enumerate(values, start=1):
                cell = ws.cell(row=i, column=j)
                if isinstance(value, str):
                    put_text(cell, value)
                elif value is not None:
                    cell.value = value
                    cell.number_format = (formats or {}).get(j, "General")
        last = top + max(len(rows), 1)
        ref = f"A{top}:{get_column_letter(len(headers))}{last}"
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        ws.add_table(table)
        self.row = last + 2
        return top, last


def _names(names: Mapping[str, str], ics_name: str) -> dict[str, str]:
    out = dict(names)
    out[ICS_LABEL] = f"{ics_name} (ICS RAG)"
    return out


def _units_in(frame: pd.DataFrame, order: Sequence[str]) -> list[str]:
    present = list(dict.fromkeys(frame["place"].astype(str)))
    rank = {u: i for i, u in enumerate([*order, ICS_LABEL])}
    return sorted(present, key=lambda u: (rank.get(u, len(rank)), u))


def _percent(value: object) -> float | None:
    number = float(value) if isinstance(value, int | float) else math.nan
    return None if math.isnan(number) else number


def _trend_rows(view: HistoryView, units: list[str]) -> list[list[object]]:
    share = {
        (int(s), str(p)): _percent(v)
        for s, p, v in view.trend[["snapshot", "place", "pct_green"]].itertuples(index=False)
    }
    return [
        [
            shot.seq,
            shot.taken_at.replace(tzinfo=None),
            shot.who or "",
            *(share.get((shot.seq, u)) for u in units),
        ]
        for shot in view.snapshots
    ]


def _chart(ws: Worksheet, top: int, last: int, units: list[str], *, at_row: int) -> None:
    """A native line chart of the trend table (its % columns start at D), put at ``at_row``.

    One line per unit, each with its own marker and dash, so lines differ without colour;
    beyond :data:`CHART_LINES` units only the ICS RAG is drawn (the table keeps them all).
    """
    every = len(units) <= CHART_LINES or units[-1] != ICS_LABEL
    chart = LineChart()
    chart.title = _CHART_TITLE
    chart.y_axis.title = "% green"
    chart.x_axis.title = "Snapshot"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes otherwise
    chart.legend.position = "b"
    first = 4 if every else 3 + len(units)  # the ICS RAG is the last column
    data = Reference(ws, min_col=first, max_col=3 + len(units), min_row=top, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=last))
    for i, series in enumerate(chart.series):
        series.marker.symbol = _SYMBOLS[i % len(_SYMBOLS)]
        series.marker.size = 7
        series.smooth = False
        series.graphicalProperties.line.dashStyle = _DASHES[i % len(_DASHES)]
        series.graphicalProperties.line.width = 22_000  # EMU: ~1.75 pt
    chart.layout = Layout(manualLayout=ManualLayout(x=0.02, y=0.12, w=0.96, h=0.62))
    chart.width, chart.height = 24, 9  # cm
    lines = "one line per place and one for the ICS RAG" if every else "the ICS RAG"
    description = (
        f"Line chart of % green (Green over applicable commitments) at each snapshot: {lines}; "
        "the same figures are in the table above."
    )
    anchor = _DescribedAnchor(description, title=_CHART_TITLE)
    anchor._from.row, anchor._from.col = at_row - 1, 0  # zero-based
    chart.anchor = anchor
    ws.add_chart(chart)


class _DescribedAnchor(OneCellAnchor):
    """A one-cell anchor that gives its chart alt text (openpyxl writes none of its own)."""

    # openpyxl's metaclass would give a subclass empty element lists: keep the parent's.
    tagname = OneCellAnchor.tagname
    __attrs__ = OneCellAnchor.__attrs__
    __nested__ = OneCellAnchor.__nested__
    __elements__ = OneCellAnchor.__elements__

    def __init__(self, description: str, *, title: str) -> None:
        super().__init__()
        self._alt = (description, title)
        self.ext = XDRPositiveSize2D(cx=cm_to_EMU(24), cy=cm_to_EMU(9))

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "graphicFrame" and value is not None:
            props = value.nvGraphicFramePr.cNvPr
            props.descr, props.title = self._alt
        super().__setattr__(name, value)


def _chapter_of(para: str) -> int:
    """The chapter of a paragraph the catalogue no longer has: the number before the dot."""
    head = para.split(".")[0]
    return int(head) if head.isdigit() else 0


def _counts_rows(
    frame: pd.DataFrame, catalogue: Catalogue, units: list[str], names: Mapping[str, str]
) -> list[list[object]]:
    chapter = {c.id: c.chapter for c in catalogue}
    tally: dict[tuple[str, int], Counter[str]] = {}
    for unit, para, word in frame[["place", "para", "movement"]].itertuples(index=False):
        ch = chapter.get(str(para)) or _chapter_of(str(para))
        tally.setdefault((str(unit), ch), Counter())[str(word)] += 1
    rank = {u: i for i, u in enumerate(units)}
    rows = []
    for (unit, ch), count in sorted(tally.items(), key=lambda kv: (rank[kv[0][0]], kv[0][1])):
        rows.append(
            [
                names.get(unit, unit),
                ch,
                CHAPTER_TITLES.get(ch, ""),
                *(count[m] for m in MOVEMENTS),
                sum(count.values()),
            ]
        )
    return rows


def _movement_rows(
    frame: pd.DataFrame, catalogue: Catalogue, names: Mapping[str, str]
) -> list[list[object]]:
    titles = {c.id: c.title for c in catalogue}
    return [
        [
            names.get(str(unit), str(unit)),
            str(para),
            titles.get(str(para), ""),
            before if isinstance(before, str) else "",
            str(after),
            movement_label(str(word)),
            str(via or ""),
        ]
        for unit, para, before, after, word, via in frame[
            ["place", "para", "before", "after", "movement", "via"]
        ].itertuples(index=False)
    ]


def _formats(ws: Worksheet, top: int, last: int) -> None:
    """RAG colours on Before and After; green/red on improved/worse (the word stays)."""
    target = f"D{top + 1}:E{last}"  # Before, After
    for rag in RAG_VALUES:
        rule = CellIsRule(operator="equal", formula=[f'"{rag}"'])
        rule.dxf = st.rag_style(rag)
        ws.conditional_formatting.add(target, rule)
    for word, rag in (("improved", "Green"), ("worse", "Red")):
        rule = CellIsRule(operator="equal", formula=[f'"{movement_label(word)}"'])
        rule.dxf = st.rag_style(rag)
        ws.conditional_formatting.add(f"F{top + 1}:F{last}", rule)


def _introduction(out: _Cursor, view: HistoryView) -> None:
    out.line("History: movement since the previous snapshot", st.TITLE)
    previous = view.previous
    if previous is None:
        out.line(
            f"Only {_shot(view.latest)} is on record in the history store {view.store}; "
            "no earlier snapshot is on record, so there is no movement to show yet. The next "
            "merge recorded in this store will show here what moved since this one.",
            st.BODY,
            height=45,
        )
        return
    out.line(
        f"Every place's RAG in {_shot(view.latest)} compared with "
        f"{_shot(previous)}, from the history store {view.store}. A place that did not "
        "send a new workbook keeps its previous answers.",
        st.BODY,
        height=45,
    )
    out.line(
        "▲ improved: a better RAG than last time (Red, then Amber, then Green). ▶ no change. "
        "▼ worse. new: no RAG last time. not comparable: a change to or from Not assessed or "
        "N/A. The word is always shown. Each place lists the commitments it assesses (the ICS "
        "team the ICS-level ones); 'Compared with' names the old paragraph(s) when a catalogue "
        "change split, renumbered or merged a commitment.",
        st.NOTE,
        height=60,
    )


def write_history_sheet(
    wb: Workbook,
    view: HistoryView,
    catalogue: Catalogue,
    *,
    names: Mapping[str, str],
    units: Sequence[str],
    ics_name: str,
) -> Worksheet:
    """Add the History sheet: introduction, % green trend (table + chart), counts, movement.

    ``names`` maps unit ids to display names; ``units`` orders them (places, then the team).
    """
    ws = wb.create_sheet(HISTORY)
    labels = _names(names, ics_name)
    out = _Cursor(ws)
    _introduction(out, view)
    out.row += 1
    out.line(
        "% green at each snapshot (Green over applicable commitments; N/A left out)", st.HEADING
    )
    trend_units = _units_in(view.trend, units)
    headers = ("Snapshot", "Taken at (UTC)", "Merged by", *(labels.get(u, u) for u in trend_units))
    formats = {2: "yyyy-mm-dd hh:mm", **{j: "0%" for j in range(4, len(headers) + 1)}}
    rows = _trend_rows(view, trend_units)
    top, last = out.table(TABLE_NAMES[0], headers, rows, formats, header_height=48)
    if view.movement is not None and trend_units:
        _chart(ws, top, last, trend_units, at_row=out.row)
        out.row += 20  # the chart is 9 cm high: about 18 rows of 15 points
    if view.movement is not None:
        moved = view.movement
        moved_units = _units_in(moved, units)
        out.line("Movement by LTP chapter", st.HEADING)
        out.table(
            TABLE_NAMES[1], COUNT_HEADERS, _counts_rows(moved, catalogue, moved_units, labels)
        )
        out.line("Movement per commitment and place", st.HEADING)
        top, last = out.table(
            TABLE_NAMES[2], MOVEMENT_HEADERS, _movement_rows(moved, catalogue, labels)
        )
        _formats(ws, top, last)
    for j, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    for j in range(len(_WIDTHS) + 1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 16
    ws.sheet_view.showGridLines = False
    st.fit_to_a4(ws, "landscape")
    ws.oddFooter.center.text = "&A — page &P of &N"
    return ws


def add_history_sheet(wb: Workbook, content: IcsContent) -> Worksheet | None:
    """The History sheet of a merge whose content carries a history view (else nothing)."""
    if content.history is None:
        return None
    names = {u.id: u.name for u in content.units}
    names[content.unit_id] = f"{content.unit_name} (ICS team)"
    units = [*(u.id for u in content.units), content.unit_id]
    return write_history_sheet(
        wb,
        content.history,
        content.catalogue,
        names=names,
        units=units,
        ics_name=content.unit_name,
    )
