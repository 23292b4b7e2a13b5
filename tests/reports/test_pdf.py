"""The PDF, read back by poppler (pdfinfo, pdftotext): tagged, titled, en-GB, A4, complete."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportkit import INJECTIONS

from ltpgap.reports import ReportData
from ltpgap.reports import _tables as tables
from ltpgap.reports._css import css_string
from ltpgap.reports._html import table_html
from ltpgap.reports.pdf import local_only_fetcher, render_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo, pdftotext) not installed"
)


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    """pdfinfo's fields."""
    pairs = (line.split(":", 1) for line in _run("pdfinfo", str(path)).splitlines() if ":" in line)
    return {k.strip(): v.strip() for k, v in pairs}


def pages_text(path: Path) -> list[str]:
    """pdftotext, one string per page."""
    return _run("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def streams(path: Path) -> bytes:
    """Every compressed stream of the file, inflated (object streams hold the catalogue)."""
    data, out = path.read_bytes(), []
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            out.append(zlib.decompress(data[match.end() : end]))
        except zlib.error:
            continue
    return b"".join(out)


@pytest.fixture(scope="module")
def pdf(rendered: dict[str, Path]) -> Path:
    return rendered["pdf"]


def test_pdfinfo_says_tagged_with_title_and_author(pdf: Path, ics_data: ReportData) -> None:
    info = pdfinfo(pdf)
    assert info["Tagged"] == "yes"
    assert info["Title"] == ics_data.title
    assert info["Author"] == ics_data.cover.organisation
    assert info["Page size"].startswith("595.276 x 841.89")  # A4


def test_language_is_en_gb_and_figures_have_alt_text(pdf: Path, ics_data: ReportData) -> None:
    inflated = streams(pdf)
    assert b"/Lang (en-GB)" in inflated
    assert inflated.count(b"/Alt (Stacked bar chart of") == len(ics_data.units)
    assert b"/DisplayDocTitle true" in inflated


def test_structure_has_real_table_headers_and_figures(pdf: Path) -> None:
    tree = _run("pdfinfo", "-struct", str(pdf))
    assert "Table" in tree and "TH" in tree and "Figure" in tree and "H2" in tree
    assert "/Headers" in tree  # data cells point at their header cells


def test_every_page_is_a4_and_numbered_with_source_and_date(
    pdf: Path, ics_data: ReportData
) -> None:
    pages = pages_text(pdf)
    total = len(pages)
    sizes = _run("pdfinfo", "-f", "1", "-l", str(total), str(pdf))
    for size in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", sizes):
        assert sorted(round(float(v)) for v in size) == [595, 842]
    for n, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert f"Page {n} of {total}" in flat
        assert "As at 1 July 2019" in flat and "ICS.xlsx" in flat


def test_text_holds_places_paragraphs_and_date(pdf: Path, ics_data: ReportData) -> None:
    text = " ".join(" ".join(pages_text(pdf)).split())
    for place in ics_data.places:
        assert place.name in text
    for row in ics_data.snapshot.cells:
        for cell in row:
            for item in cell:
                assert f"para {item.para}" in text
    assert "1 July 2019" in text
    squeezed = "".join(_run("pdftotext", str(pdf), "-").split())  # cells wrap mid-text
    for value in INJECTIONS:
        assert "".join(value.split()) in squeezed


def test_nothing_is_fetched_from_outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the renderer tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    html = (
        '<html lang="en-GB"><head><title>t</title>'
        f'<link rel="stylesheet" href="file://{secret}">'
        '<link rel="stylesheet" href="https://example.invalid/x.css"></head><body>'
        '<img src="http://example.invalid/logo.png" alt="logo">'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUl'
        'EQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" alt="dot"><p>hello</p></body></html>'
    )
    fetcher = local_only_fetcher()
    render_pdf(html, tmp_path / "t.pdf", fetcher)
    assert sorted(fetcher.refused) == sorted(
        [f"file://{secret}", "https://example.invalid/x.css", "http://example.invalid/logo.png"]
    )
    assert "hello" in _run("pdftotext", str(tmp_path / "t.pdf"), "-")


def test_html_escapes_workbook_text(ics_data: ReportData) -> None:
    html = table_html(tables.gaps_table(ics_data))
    assert '=HYPERLINK("http' not in html  # quotes escaped: the text stays text
    assert "=HYPERLINK(&quot;http://example.invalid/x&quot;" in html
    assert '<th scope="col">Lead</th>' in html and '<th scope="row">1</th>' in html


@given(st.text(max_size=60))
def test_css_strings_cannot_escape(text: str) -> None:
    quoted = css_string(text)
    inner = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"'
    assert not set(inner) & set("\"'<>\n\r\\{};") - {"\\", ";"}
    assert "</" not in inner and '"' not in inner
    decoded = re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == text


def test_movement_section_of_the_pdf(moved: ReportData, ics_data: ReportData) -> None:
    from ltpgap.reports._html import _movement

    assert "No previous report is on record" in _movement(ics_data)
    html = _movement(moved)
    assert "▲ improved" in html and "▼ worse" in html and "1 April 2019" in html
    assert "Movement of the ICS RAG by LTP chapter" in html
