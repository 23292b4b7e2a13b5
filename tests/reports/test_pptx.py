"""The deck, read back by python-pptx (charts as charts, with their data) and by LibreOffice."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lokit import soffice, soffice_convert
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from reportkit import INJECTIONS

from ltpgap.reports import ReportData, write_pptx
from ltpgap.reports.model import CHAPTER_SHORT, CHART_RAGS
from ltpgap.schema import RAG_COLOURS


def _texts(shape: Any) -> Iterator[str]:
    if shape.has_text_frame:
        yield shape.text_frame.text
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                yield cell.text_frame.text


def slide_text(slide: Any) -> str:
    """Every text on a slide: text boxes, titles and table cells."""
    return "\n".join(t for shape in slide.shapes for t in _texts(shape))


@pytest.fixture(scope="module")
def deck(rendered: dict[str, Path]) -> Any:
    return Presentation(str(rendered["pptx"]))


def test_slide_titles(deck: Any, ics_data: ReportData) -> None:
    titles = [s.shapes.title.text for s in deck.slides]
    grid = [t for t in titles if t.startswith("Where are we starting from? – A snapshot")]
    assert titles[:5] == [
        "NHS Long Term Plan: gap analysis",
        "ICS matrix highlights",
        f"RAG by LTP chapter: {ics_data.subject.name}",
        "RAG by LTP chapter: places",
        "Where places differ",
    ]
    assert titles[5 : 5 + len(grid)] == grid and len(grid) >= 1
    assert titles[5 + len(grid) :] == [
        "National must-dos at Red",
        "Top gaps and their leads",
        "Movement since the last report",
        "The rules in force",
    ]


def test_cover_says_what_the_paper_is(deck: Any, ics_data: ReportData) -> None:
    text = slide_text(deck.slides[0])
    for label, value in ics_data.cover.rows():
        assert label in text and value in text
    assert ics_data.subject.name in text and "1 July 2019" in text


def test_every_slide_has_data_source_as_at_and_number(deck: Any, ics_data: ReportData) -> None:
    total = len(deck.slides)
    for n, slide in enumerate(deck.slides, start=1):
        text = slide_text(slide)
        assert ics_data.footer in text, f"slide {n} has no footer"
        assert f"{n} / {total}" in text


def _charts(deck: Any) -> list[Any]:
    return [shape for s in deck.slides for shape in s.shapes if shape.has_chart]


def test_charts_are_native_stacked_bars_with_their_data(deck: Any, ics_data: ReportData) -> None:
    charts = _charts(deck)
    assert [c.chart.chart_title.text_frame.text for c in charts] == [
        ics_data.subject.name,
        *[p.name for p in ics_data.places],
    ]
    for frame, unit in zip(charts, [ics_data.subject, *ics_data.places], strict=True):
        chart = frame.chart
        assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED
        plot = chart.plots[0]
        part = ics_data.by_chapter[ics_data.by_chapter["unit"] == unit.id]
        assert list(plot.categories) == [CHAPTER_SHORT[c] for c in part["chapter"]]
        assert [s.name for s in plot.series] == list(CHART_RAGS)
        for series in plot.series:
            assert list(series.values) == [float(v) for v in part[series.name]]
            assert str(series.format.fill.fore_color.rgb) == RAG_COLOURS[series.name][0]
            assert series.data_labels.show_value  # numbers on the bars, not colour alone
        assert chart.has_legend


def test_every_chart_and_table_has_alt_text(deck: Any) -> None:
    frames = [sh for s in deck.slides for sh in s.shapes if sh.has_chart or sh.has_table]
    assert len(frames) >= 8
    for shape in frames:
        descr = shape._element.find(".//" + qn("p:cNvPr")).get("descr")
        assert descr and len(descr) > 20, shape.name
    chart = _charts(deck)[0]
    assert "chapter 1 New service model: Green" in chart._element.find(".//" + qn("p:cNvPr")).get(
        "descr"
    )


def test_chart_workbooks_hold_text_as_text(deck: Any) -> None:
    for frame in _charts(deck):
        blob = frame.chart.part.chart_workbook.xlsx_part.blob
        ws = openpyxl.load_workbook(io.BytesIO(blob)).active
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_snapshot_slides_show_every_item_with_its_rag_word(deck: Any, ics_data: ReportData) -> None:
    grid = [s for s in deck.slides if s.shapes.title.text.startswith("Where are we starting")]
    text = "\n".join(slide_text(s) for s in grid)
    for row in ics_data.snapshot.cells:
        for cell in row:
            for item in cell:
                assert f"{item.label} — {item.rag}" in text
    for area in ics_data.snapshot.columns:
        assert area in slide_text(grid[0])


def test_gap_leads_with_formula_text_stay_text(deck: Any) -> None:
    gaps = next(s for s in deck.slides if s.shapes.title.text == "Top gaps and their leads")
    text = slide_text(gaps)
    for value in INJECTIONS:
        assert value in text


def test_no_history_says_so(deck: Any) -> None:
    slide = next(s for s in deck.slides if s.shapes.title.text.startswith("Movement"))
    assert "No previous report is on record" in slide_text(slide)


def test_movement_when_history_exists(tmp_path: Path, moved: ReportData) -> None:
    data = moved
    deck = Presentation(str(write_pptx(data, tmp_path / "m.pptx")))
    titles = [s.shapes.title.text for s in deck.slides]
    moved = deck.slides[titles.index("Movement since the last report")]
    text = slide_text(moved)
    assert "▲ improved" in text and "▼ worse" in text and "1 April 2019" in text
    lines = [sh for sh in moved.shapes if sh.has_chart]
    assert lines and lines[0].chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert [list(s.values) for s in lines[0].chart.plots[0].series] == [[0.1, 0.15], [0.2, 0.25]]
    chapters = slide_text(deck.slides[titles.index("Movement by LTP chapter")])
    assert "1 New service model" in chapters and "ICS RAG" in chapters
    what = slide_text(deck.slides[titles.index("What moved since the last report")])
    assert what.index("▼ worse") < what.index("▲ improved")


def test_document_properties_name_the_organisation(rendered: dict[str, Path]) -> None:
    deck = Presentation(str(rendered["pptx"]))
    props = deck.core_properties
    assert (
        props.author == props.last_modified_by == "NHS Bedfordshire, Luton and Milton Keynes CCGs"
    )
    assert "python-pptx" not in f"{props.author}{props.comments}{props.last_modified_by}"
    import zipfile

    with zipfile.ZipFile(rendered["pptx"]) as z:
        app = z.read("docProps/app.xml").decode()
    assert "<Company>NHS Bedfordshire, Luton and Milton Keynes CCGs</Company>" in app


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_the_deck(rendered: dict[str, Path], tmp_path: Path) -> None:
    (pdf,) = soffice_convert([rendered["pptx"]], "pdf", tmp_path, tmp_path / "profile")
    assert pdf == tmp_path / "report.pdf" and pdf.exists()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "ICS matrix highlights" in text and "The rules in force" in text
