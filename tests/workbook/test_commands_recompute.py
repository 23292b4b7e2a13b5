"""`recompute` writes results by Para, atomically, with a backup, and refuses unsafe files."""

from __future__ import annotations

import os
import random
import shutil
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image as XlImage
from typer.testing import CliRunner

from ltpgap.catalogue import Catalogue
from ltpgap.cli import app
from ltpgap.issues import LtpgapError
from ltpgap.rag import assess_place
from ltpgap.schema import INPUT_KEYS
from ltpgap.workbook import build_workbook, escape_formula, fill_inputs, recompute_workbook

INPUTS: dict[str, dict[str, object]] = {
    "1.8": {
        "initiatives": "Rapid response",
        "status": "In progress",
        "coverage": "Full",
        "expected_delivery": "Q4 22/23",
    },
    "1.9": {"initiatives": "Five PCNs", "status": "in place", "coverage": "FULL"},
    "1.15": {
        "initiatives": "Care homes pilot",
        "status": "Planned",
        "coverage": "Partial",
        "expected_delivery": "2030/31",
    },
    "1.20": {"initiatives": "Memory clinic", "status": "In progress"},
    "1.41": {"status": "None"},
    "2.9": {
        "initiatives": "Smokefree L&D",
        "status": "In progress",
        "coverage": "Full",
        "expected_delivery": date(2024, 3, 31),
    },
    "2.10": {"not_applicable": "Yes", "evidence": "No maternity unit"},
    "2.15": {
        "initiatives": "NDPP",
        "status": "In place",
        "coverage": "Partial",
        "rag_override": "Green",
        "override_reason": "Covers all practices that refer",
    },
    "2.16": {"initiatives": "=1+1", "status": '=HYPERLINK("http://x")'},
    "3.10": {"initiatives": "SBLv2", "status": "In place", "coverage": "Full"},
}


@pytest.fixture(scope="module")
def filled(catalogue: Catalogue, blmk, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Luton's workbook with a varied set of inputs."""
    path = build_workbook(
        catalogue, blmk, "luton", out_path=tmp_path_factory.mktemp("filled") / "luton.xlsx"
    )
    fill_inputs(path, INPUTS)
    return path


@pytest.fixture
def luton(filled: Path, tmp_path: Path) -> Path:
    """A private copy to recompute."""
    return Path(shutil.copy(filled, tmp_path / "luton.xlsx"))


def expected(catalogue: Catalogue) -> pd.DataFrame:
    """The RAG core's answer for INPUTS, independent of any workbook."""
    written = {
        p: {k: escape_formula(v) if isinstance(v, str) else v for k, v in values.items()}
        for p, values in INPUTS.items()
    }  # as fill_inputs stores them
    frame = pd.DataFrame([{"para": p, **v} for p, v in written.items()])
    return assess_place(catalogue, frame, unit_id="luton").frame.set_index("para")


def results_by_para(path: Path) -> dict[str, tuple[object, ...]]:
    """Para → (RAG, Reason, Checks) as written in the sheet, wherever the row is."""
    ws = openpyxl.load_workbook(path)["Gap analysis"]
    return {
        str(ws[f"A{r}"].value): (ws[f"S{r}"].value, ws[f"T{r}"].value, ws[f"U{r}"].value)
        for r in range(2, ws.max_row + 1)
        if ws[f"A{r}"].value is not None
    }


def inputs_by_para(path: Path) -> dict[str, tuple[object, ...]]:
    """Para → every input cell, wherever the row is."""
    ws = openpyxl.load_workbook(path)["Gap analysis"]
    return {
        str(ws[f"A{r}"].value): tuple(ws.cell(row=r, column=c).value for c in range(10, 19))
        for r in range(2, ws.max_row + 1)
    }


def shuffle_rows(path: Path, seed: int) -> None:
    """Reorder the table's rows as a user sorting or dragging rows would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    rows = [[c.value for c in ws[r]] for r in range(2, ws.max_row + 1)]
    random.Random(seed).shuffle(rows)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value
    wb.save(path)


@pytest.mark.parametrize("seed", [1, 2])
def test_results_follow_para_after_shuffling(luton: Path, catalogue: Catalogue, seed: int) -> None:
    shuffle_rows(luton, seed)
    before = inputs_by_para(luton)
    recompute_workbook(luton, catalogue=catalogue, backup=False)
    truth = expected(catalogue)
    written = results_by_para(luton)
    assert set(written) == set(catalogue.ids)
    for para, (rag, reason, checks) in written.items():
        assert (rag, reason, checks or "") == tuple(truth.loc[para, ["rag", "reason", "checks"]]), (
            para
        )
    assert inputs_by_para(luton) == before  # nothing typed is touched


def test_rag_values_for_the_inputs(luton: Path, catalogue: Catalogue) -> None:
    recompute_workbook(luton, catalogue=catalogue, backup=False)
    rag = {p: v[0] for p, v in results_by_para(luton).items()}
    assert {p: rag[p] for p in INPUTS} == {
        "1.8": "Green",
        "1.9": "Green",
        "1.15": "Red",
        "1.20": "Amber",
        "1.41": "Red",
        "2.9": "Green",
        "2.10": "N/A",
        "2.15": "Green",
        "2.16": "Amber",
        "3.10": "Green",
    }


def test_text_never_becomes_a_formula(luton: Path, catalogue: Catalogue) -> None:
    recompute_workbook(luton, catalogue=catalogue, backup=False)
    wb = openpyxl.load_workbook(luton)
    formulas = [
        c.coordinate
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []
    checks = results_by_para(luton)["2.16"][2]
    assert "HYPERLINK" in str(checks)


def test_deleted_and_inserted_rows(luton: Path, catalogue: Catalogue) -> None:
    wb = openpyxl.load_workbook(luton)
    ws = wb["Gap analysis"]
    rows = {str(ws[f"A{r}"].value): r for r in range(2, ws.max_row + 1)}
    ws.delete_rows(rows["1.20"])  # a deleted row
    row = rows["1.9"]  # (before the deleted row, so its number is unchanged)
    ws.insert_rows(row + 1)  # an inserted row without Para, but with inputs
    ws.cell(row=row + 1, column=10).value = "An initiative typed on a new row"
    wb.save(luton)
    done = recompute_workbook(luton, catalogue=catalogue, backup=False)
    codes = {i.code for i in done.result.issues}
    assert {"missing-para", "blank-para"} <= codes
    written = results_by_para(luton)
    assert written["1.9"][0] == "Green" and "1.20" not in written
    ws = openpyxl.load_workbook(luton)["Gap analysis"]
    assert ws.cell(row=row + 1, column=10).value == "An initiative typed on a new row"
    assert ws.cell(row=row + 1, column=21).value  # Checks explains the row without a Para


def test_backup_is_the_previous_file(luton: Path, catalogue: Catalogue) -> None:
    before = luton.read_bytes()
    done = recompute_workbook(luton, catalogue=catalogue)
    assert done.backup is not None and done.backup.parent == luton.parent
    assert done.backup.name.startswith("luton.") and done.backup.name.endswith(".bak.xlsx")
    assert done.backup.read_bytes() == before
    again = recompute_workbook(luton, catalogue=catalogue)  # same second: a distinct name
    assert again.backup != done.backup and again.backup.exists()


def test_failure_before_replace_leaves_the_original(
    luton: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = luton.read_bytes()

    def boom(src: object, dst: object) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="simulated"):
        recompute_workbook(luton, catalogue=catalogue, backup=False)
    assert luton.read_bytes() == before
    assert sorted(p.name for p in luton.parent.iterdir()) == ["luton.xlsx"]  # no temp left


def _with_image(path: Path) -> None:
    from PIL import Image

    png = path.with_suffix(".png")
    Image.new("RGB", (4, 4), "red").save(png)
    wb = openpyxl.load_workbook(path)
    wb["Summary"].add_image(XlImage(str(png)), "M2")
    wb.save(path)
    png.unlink()


def _with_chart(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Summary"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=5, max_col=4, max_row=6), titles_from_data=True)
    ws.add_chart(chart, "M2")
    wb.save(path)


def _with_part(path: Path, name: str, data: bytes) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(name, data)
    tmp.replace(path)


def _with_x14_validation(path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    ext = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14='
        b'"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations '
        b'count="0"/></ext></extLst></worksheet>'
    )
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</worksheet>", ext)
            dst.writestr(item, data)
    tmp.replace(path)


UNSAFE = {
    "picture": (_with_image, "pictures"),
    "chart": (_with_chart, "charts"),
    "macros": (lambda p: _with_part(p, "xl/vbaProject.bin", b"\0" * 64), "macros"),
    "pivot": (lambda p: _with_part(p, "xl/pivotTables/pivotTable1.xml", b"<x/>"), "pivot"),
    "x14": (_with_x14_validation, "extended data validations"),
}


@pytest.mark.parametrize("kind", list(UNSAFE))
def test_unsafe_workbook_is_refused(luton: Path, catalogue: Catalogue, kind: str) -> None:
    add, words = UNSAFE[kind]
    add(luton)
    before = luton.read_bytes()
    with pytest.raises(LtpgapError) as err:
        recompute_workbook(luton, catalogue=catalogue)
    issue = err.value.issues[0]
    assert issue.code == "unsafe-to-rewrite"
    assert words in issue.message and "add-in" in issue.message and "Recompute" in issue.message
    assert luton.read_bytes() == before
    assert sorted(p.name for p in luton.parent.iterdir() if p.suffix == ".xlsx") == ["luton.xlsx"]
    result = CliRunner().invoke(app, ["recompute", str(luton)])
    assert result.exit_code == 1 and "unsafe-to-rewrite" in result.output


def test_recompute_twice_is_stable(luton: Path, catalogue: Catalogue) -> None:
    recompute_workbook(luton, catalogue=catalogue, backup=False)
    first = results_by_para(luton), inputs_by_para(luton)
    recompute_workbook(luton, catalogue=catalogue, backup=False)
    assert (results_by_para(luton), inputs_by_para(luton)) == first
    wb = openpyxl.load_workbook(luton)
    assert wb.sheetnames == ["Read me", "Gap analysis", "Summary", "Lists", "_ltpgap"]
    assert [ws.sheet_state for ws in wb.worksheets][-2:] == ["hidden", "hidden"]
    assert len(wb["Gap analysis"].data_validations.dataValidation) == len(INPUT_KEYS)
    assert wb["Gap analysis"].tables["GapAnalysis"].ref.startswith("A1:U")
