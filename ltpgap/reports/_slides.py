"""PowerPoint building blocks: slides with real titles, text, tables, native charts, alt text.

Geometry is in inches on a 16:9 slide (13.333 × 7.5). Text heights are estimated
conservatively so tables are split across slides before they could run off the page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Inches, Length, Pt
from xlsxwriter import Workbook

from ltpgap.reports._tables import Cell, Table
from ltpgap.reports._text import pct, plain
from ltpgap.schema import RAG_COLOURS

__all__ = [
    "BOTTOM",
    "FONT",
    "FULL",
    "TOP",
    "WIDTH",
    "Box",
    "Run",
    "SafeChartData",
    "add_bar_chart",
    "add_line_chart",
    "add_table",
    "add_text",
    "bullet",
    "fill_frame",
    "fit_rows",
    "rgb",
    "set_alt",
]

FONT = "Arial"
WIDTH, HEIGHT = 13.333, 7.5
LEFT, RIGHT = 0.5, 0.5
TOP, BOTTOM = 1.45, 6.85  # content area: under the title and its lede, above the footer
FULL = WIDTH - LEFT - RIGHT
TEXT, DARK_BLUE, BLUE, GREY, PALE = "212B32", "003087", "005EB8", "425563", "E8EDEE"
BAND = "F3F6F7"
_CHAR_EM = 0.48  # average character width in ems (Arial ≈ 0.42): estimates err tall


def rgb(hex_colour: str) -> RGBColor:
    """An RGBColor from ``"DA291C"``."""
    return RGBColor.from_string(hex_colour)


@dataclass(frozen=True, slots=True)
class Box:
    """Where a shape goes, in inches."""

    x: float
    y: float
    w: float
    h: float

    def emu(self) -> tuple[Length, Length, Length, Length]:
        """(left, top, width, height) in EMU."""
        return Inches(self.x), Inches(self.y), Inches(self.w), Inches(self.h)


@dataclass(frozen=True, slots=True)
class Run:
    """A run of text with its own look."""

    text: str
    bold: bool = False
    colour: str = TEXT
    size: float | None = None


Paragraph = str | Sequence[Run]


def set_alt(shape: Any, text: str) -> None:
    """Alt text (``descr`` on the shape's ``cNvPr``), read by screen readers."""
    c_nv_pr = shape._element.find(".//" + qn("p:cNvPr"))
    c_nv_pr.set("descr", text)


def _style_run(run: Any, r: Run, size: float) -> None:
    run.text = r.text
    font = run.font
    font.name = FONT
    font.size = Pt(r.size or size)
    font.bold = r.bold
    font.color.rgb = rgb(r.colour)


def bullet(paragraph: Any) -> None:
    """Make a paragraph a bulleted list item (a real bullet, not a typed character)."""
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.set("marL", str(Inches(0.25)))
    p_pr.set("indent", str(-Inches(0.25)))
    for old in p_pr.findall(qn("a:buNone")):
        p_pr.remove(old)
    char = OxmlElement("a:buChar")
    char.set("char", "•")
    p_pr.append(char)


def fill_frame(
    frame: Any,
    paragraphs: Iterable[Paragraph],
    *,
    size: float,
    bullets: bool = False,
    align: Any = None,
    space_after: float = 0,
) -> None:
    """Replace a text frame's text with paragraphs of runs."""
    frame.word_wrap = True
    frame.clear()
    first = True
    for para in paragraphs:
        p = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        runs = [Run(para)] if isinstance(para, str) else list(para)
        for r in runs:
            _style_run(p.add_run(), r, size)
        if align is not None:
            p.alignment = align
        if space_after:
            p.space_after = Pt(space_after)
        if bullets:
            bullet(p)


def add_text(
    slide: Any,
    box: Box,
    paragraphs: Iterable[Paragraph],
    *,
    size: float = 14,
    bullets: bool = False,
    align: Any = None,
    space_after: float = 4,
    anchor: Any = MSO_ANCHOR.TOP,
) -> Any:
    """A text box holding paragraphs (strings, or lists of :class:`Run`)."""
    shape = slide.shapes.add_textbox(*box.emu())
    frame = shape.text_frame
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right"):
        setattr(frame, side, Inches(0.05))
    fill_frame(frame, paragraphs, size=size, bullets=bullets, align=align, space_after=space_after)
    return shape


def text_lines(text: str, width_in: float, size: float) -> int:
    """How many lines ``text`` takes at ``size`` points in a column ``width_in`` wide."""
    per_line = max(1, int(width_in * 72 / (size * _CHAR_EM)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def row_height(cells: Sequence[str], widths: Sequence[float], size: float) -> float:
    """Estimated height in inches of a table row (cell margins 0.1 in left/right)."""
    lines = max(text_lines(t, w - 0.2, size) for t, w in zip(cells, widths, strict=True))
    return lines * size * 1.2 / 72 + 0.12


def _show(value: Cell, percent: bool) -> str:
    if percent:
        return pct(value)
    return plain(value)


def fit_rows(table: Table, widths: Sequence[float], size: float, height: float) -> int:
    """How many of the table's rows fit under its header in ``height`` inches."""
    used = row_height(table.headers, widths, size)
    for n, row in enumerate(table.rows):
        texts = [_show(v, i in table.percent) for i, v in enumerate(row)]
        used += row_height(texts, widths, size)
        if used > height:
            return n
    return len(table.rows)


def _cell(cell: Any, text: str, *, size: float, bold: bool, fill: str, colour: str) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = rgb(fill)
    cell.margin_left = cell.margin_right = Inches(0.08)
    cell.margin_top = cell.margin_bottom = Inches(0.04)
    cell.vertical_anchor = MSO_ANCHOR.TOP
    frame = cell.text_frame
    frame.word_wrap = True
    fill_frame(frame, [[Run(text, bold=bold, colour=colour)]] if text else [""], size=size)


def add_table(
    slide: Any,
    table: Table,
    box: Box,
    widths: Sequence[float],
    *,
    size: float = 11,
    alt: str = "",
    limit: int | None = None,
) -> Any:
    """A native table: header row in NHS dark blue, RAG cells coloured with the word in them."""
    rows = table.rows[:limit] if limit is not None else table.rows
    scale = box.w / sum(widths)
    shape = slide.shapes.add_table(len(rows) + 1, len(table.headers), *box.emu())
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False
    for i, w in enumerate(widths):
        grid.columns[i].width = Inches(w * scale)
    for j, head in enumerate(table.headers):
        _cell(grid.cell(0, j), head, size=size, bold=True, fill=DARK_BLUE, colour="FFFFFF")
    for r, row in enumerate(rows, start=1):
        band = BAND if r % 2 == 0 else "FFFFFF"
        for j, value in enumerate(row):
            text = _show(value, j in table.percent)
            fill, colour, bold = band, TEXT, j == 0
            if j in table.rag and text in RAG_COLOURS:
                fill, colour = RAG_COLOURS[text]
                bold = True
            _cell(grid.cell(r, j), text, size=size, bold=bold, fill=fill, colour=colour)
    for r in range(len(rows) + 1):
        grid.rows[r].height = Inches(0.3)
    set_alt(shape, alt or f"Table: {table.title}, {len(rows)} rows.")
    return shape


class _SafeWorkbookWriter(CategoryWorkbookWriter):
    """The chart's embedded sheet, where no category or series name can become a formula."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
        options = {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        }
        workbook = Workbook(xlsx_file, options)
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class SafeChartData(CategoryChartData):
    """Chart data whose embedded workbook writes every text as text."""

    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _SafeWorkbookWriter(self)


def _series_style(series: Any, rag: str, size: float) -> None:
    fill, text = RAG_COLOURS[rag]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = rgb(fill)
    series.format.line.color.rgb = rgb("768692" if rag == "Not assessed" else fill)
    series.format.line.width = Pt(0.75)
    labels = series.data_labels
    labels.show_value = True
    labels.number_format = "0;-0;;"  # a zero segment has no label
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.CENTER
    labels.font.size = Pt(size)
    labels.font.name = FONT
    labels.font.bold = True
    labels.font.color.rgb = rgb(text)


def add_bar_chart(
    slide: Any,
    box: Box,
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    alt: str,
    size: float = 10,
) -> Any:
    """A native, editable stacked bar chart: one labelled series per RAG, NHS colours."""
    data = SafeChartData()
    data.categories = list(categories)
    for name, values in series:
        data.add_series(name, list(values))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, *box.emu(), data)
    chart = frame.chart
    chart.has_title = True
    fill_frame(chart.chart_title.text_frame, [[Run(title, bold=True)]], size=size + 2)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(size)
    chart.legend.font.name = FONT
    plot = chart.plots[0]
    plot.gap_width = 40
    plot.overlap = 100
    for s, (name, _) in zip(plot.series, series, strict=True):
        _series_style(s, name, size - 1)
    cat = chart.category_axis
    cat.reverse_order = True  # chapter 1 at the top, as read
    cat.tick_labels.font.size = Pt(size)
    cat.tick_labels.font.name = FONT
    cat.format.line.color.rgb = rgb(GREY)
    val = chart.value_axis
    val.has_major_gridlines = True
    val.major_gridlines.format.line.color.rgb = rgb("D8DDE0")
    val.tick_labels.font.size = Pt(size - 1)
    val.tick_labels.font.name = FONT
    val.tick_labels.number_format = "0"
    val.tick_labels.number_format_is_linked = False
    val.format.line.fill.background()
    set_alt(frame, alt)
    return frame


#: Line colours and marker shapes for the trend chart (not RAG colours: these are places).
_LINES = (
    ("005EB8", XL_MARKER_STYLE.CIRCLE),
    ("330072", XL_MARKER_STYLE.SQUARE),
    ("00A499", XL_MARKER_STYLE.TRIANGLE),
    ("AE2573", XL_MARKER_STYLE.DIAMOND),
    ("425563", XL_MARKER_STYLE.X),
    ("ED8B00", XL_MARKER_STYLE.STAR),
)


def add_line_chart(slide: Any, box: Box, table: Table, *, size: float = 10) -> Any:
    """A native line chart of % green per snapshot, one labelled line per place."""
    data = SafeChartData(number_format="0%")
    data.categories = [str(row[0]) for row in table.rows]
    for j, name in enumerate(table.headers[1:], start=1):
        data.add_series(name, [row[j] for row in table.rows])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box.emu(), data)
    chart = frame.chart
    chart.has_title = True
    fill_frame(chart.chart_title.text_frame, [[Run(table.title, bold=True)]], size=size + 2)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.RIGHT
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(size)
    for i, series in enumerate(chart.plots[0].series):
        colour, marker = _LINES[i % len(_LINES)]
        series.format.line.color.rgb = rgb(colour)
        series.format.line.width = Pt(2.25)
        series.marker.style = marker
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = rgb(colour)
        series.smooth = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = "0%"
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.font.size = Pt(size - 1)
    plot.data_labels.position = XL_LABEL_POSITION.ABOVE
    val = chart.value_axis
    val.minimum_scale, val.maximum_scale = 0, 1
    val.tick_labels.number_format = "0%"
    val.tick_labels.number_format_is_linked = False
    points = "; ".join(
        f"{row[0]}: "
        + ", ".join(f"{h} {pct(v)}" for h, v in zip(table.headers[1:], row[1:], strict=True))
        for row in table.rows
    )
    set_alt(frame, f"Line chart: {table.title}. {points}")
    return frame
