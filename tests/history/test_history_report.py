"""`ltpgap report` shows movement since the last snapshot: from the store beside the ICS
workbook by default, or --db; read back from the PDF with pdftotext (an independent reader)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from histkit import V1, two_rounds
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from typer.testing import CliRunner

from ltpgap.cli import app

pytest.importorskip("weasyprint", reason="the reports extra is not installed")
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
runner = CliRunner()


def _report(workbook: Path, out: Path, *extra: str) -> str:
    args = ["report", str(workbook), "--out", str(out), "--catalogue", str(V1), *extra]
    done = runner.invoke(app, args, catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return " ".join(done.output.split())


@needs_pdftotext
def test_report_shows_movement_from_the_store_beside_the_workbook(
    tmp_path: Path, blanks: dict[str, Path]
) -> None:
    folder = tmp_path / "board"
    folder.mkdir()
    rounds = two_rounds(folder, blanks, str(folder / "ltpgap.sqlite"))
    printed = _report(rounds.out, tmp_path / "report")
    assert "movement: since snapshot 1" in printed
    assert "board/ltpgap.sqlite." in printed.replace(" ", "")  # (a long path may wrap)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "report" / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Movement since the last report" in text
    assert "▲ improved" in text and "▼ worse" in text  # arrow and word, never colour alone
    assert "% green at each report" in text  # the trend
    deck = Presentation(str(tmp_path / "report" / "report.pptx"))
    charts = [
        shape.chart.chart_type
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart and "green at each report" in shape.chart.chart_title.text_frame.text
    ]
    assert charts == [XL_CHART_TYPE.LINE_MARKERS]  # the trend as a native line chart
    quiet = _report(rounds.out, tmp_path / "plain", "--format", "xlsx", "--no-db")
    assert "movement: none" in quiet


def test_report_without_a_store_says_there_is_no_movement(
    tmp_path: Path, blanks: dict[str, Path]
) -> None:
    from histkit import copy_books, merge

    books = copy_books(blanks, tmp_path / "returns")
    out = tmp_path / "ICS.xlsx"
    assert merge(*books.values(), "--out", out, "--catalogue", V1, "--no-db").exit_code == 0
    printed = _report(out, tmp_path / "report", "--format", "xlsx")
    assert "movement: none (no history store" in printed
