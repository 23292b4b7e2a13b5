"""Text written into workbooks never becomes a formula; files appear whole or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from ltpgap.catalogue import load_catalogue
from ltpgap.workbook import build_workbook, escape_formula
from ltpgap.workbook._atomic import atomic_save
from ltpgap.workbook._cells import clean_text, put_text
from ltpgap.workbook._heights import lines_needed


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1582", "'+44 1582"),
        ("-2 beds", "'-2 beds"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rx", "'\rx"),
        ("In place", "In place"),
        ("a=b", "a=b"),
        ("'already quoted", "'already quoted"),
    ],
)
def test_escape_formula(text: str, written: str) -> None:
    assert escape_formula(text) == written


@given(st.text(max_size=60))
def test_put_text_is_always_a_plain_string(text: str) -> None:
    cell = Workbook().active["A1"]
    put_text(cell, text)
    if not text:
        assert cell.value is None
    else:
        assert (cell.value, cell.data_type) == (escape_formula(clean_text(text)), "s")
        assert not str(cell.value).startswith(("=", "+", "-", "@"))


def test_control_characters_are_replaced_not_fatal() -> None:
    cell = Workbook().active["A1"]
    put_text(cell, "bad\x1fbyte")
    assert cell.value == "bad\ufffdbyte"


@given(st.text(max_size=300), st.text(max_size=300), st.integers(min_value=4, max_value=60))
def test_longer_text_never_needs_fewer_lines(a: str, b: str, width: int) -> None:
    assert lines_needed(a + b, width) >= lines_needed(a, width) >= 1


HOSTILE = """catalogue: {id: hostile, version: 1.0.0, title: Hostile, source: tests}
programme_areas:
  - {id: prevention, name: "=HYPERLINK(\\"http://example.invalid\\")"}
life_course: [starting_well, living_well, ageing_well]
headline_metrics: []
commitments:
  - id: "2.9"
    chapter: 2
    section: "+Smoking"
    programme_area: prevention
    title: "=1+1"
    commitment: "@SUM(A1:A9) smokers offered treatment"
    deadline: "2023/24"
    must_do: false
    level: place
    provenance: {para_verified: false, source: tests}
"""


def test_catalogue_text_is_never_written_as_a_formula(tmp_path: Path) -> None:
    source = tmp_path / "commitments.yaml"
    source.write_text(HOSTILE, encoding="utf-8")
    path = build_workbook(load_catalogue(source), None, None, out_path=tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    formulas = [
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []
    gap = wb["Gap analysis"]
    assert (gap["C2"].value, gap["E2"].value, gap["F2"].value) == (
        '\'=HYPERLINK("http://example.invalid")',
        "'=1+1",
        "'@SUM(A1:A9) smokers offered treatment",
    )


def test_atomic_save_gives_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "new.xlsx"
    atomic_save(Workbook(), target)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o640)
    atomic_save(Workbook(), target)  # replacing keeps the file's own mode
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.xlsx"]
