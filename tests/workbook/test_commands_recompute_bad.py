"""`recompute` on workbooks people have been at (issue 4, "Bad input"): nothing typed is lost."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from ltpgap.catalogue import Catalogue
from ltpgap.workbook import build_workbook, fill_inputs, read_workbook, recompute_workbook

FILLED = {
    "1.9": {"initiatives": "Five PCNs", "status": "In place", "coverage": "Full"},
    "2.9": {"initiatives": "Smokefree L&D", "status": "Planned", "expected_delivery": "2023/24"},
    "3.10": {"initiatives": "SBL v2", "status": "In place", "coverage": "Full"},
    "1.41": {"status": "None", "evidence": "No funding"},
}
EXPECTED = {"1.9": "Green", "2.9": "Amber", "3.10": "Green", "1.41": "Red"}


@pytest.fixture(scope="module")
def original(catalogue: Catalogue, blmk, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Luton, filled in, as ltpgap made it."""
    path = build_workbook(
        catalogue, blmk, "luton", out_path=tmp_path_factory.mktemp("bad") / "luton.xlsx"
    )
    fill_inputs(path, FILLED)
    return path


def _row(ws: Worksheet, para: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if str(ws[f"A{r}"].value) == para)


def renamed_sheet(ws: Worksheet) -> None:
    ws.title = "Luton LTP"


def extra_column(ws: Worksheet) -> None:
    ws["V1"] = "Local priority"
    ws[f"V{_row(ws, '2.9')}"] = "Tobacco control plan 2023"


def sorted_by_status(ws: Worksheet) -> None:
    rows = [[c.value for c in ws[r]] for r in range(2, ws.max_row + 1)]
    rows.sort(key=lambda r: (str(r[10] or "~"), str(r[0])))
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value


def merged_inputs(ws: Worksheet) -> None:
    row = _row(ws, "1.41")
    ws.merge_cells(f"N{row}:O{row}")  # Lead and Evidence merged by hand


def merged_results(ws: Worksheet) -> None:
    row = _row(ws, "1.9")
    ws.merge_cells(f"S{row}:U{row}")  # someone merged RAG, Reason and Checks


def para_as_number(ws: Worksheet) -> None:
    ws[f"A{_row(ws, '3.10')}"].value = 3.1  # '3.10' typed as a number: Excel shows 3.1


def error_cells(ws: Worksheet) -> None:
    row = _row(ws, "2.9")
    ws[f"N{row}"].value = "#N/A"
    ws[f"O{row}"].value = "#REF!"


MUTATIONS: dict[str, Callable[[Worksheet], None]] = {
    "renamed-sheet": renamed_sheet,
    "extra-column": extra_column,
    "sorted-rows": sorted_by_status,
    "merged-input-cells": merged_inputs,
    "merged-result-cells": merged_results,
    "para-as-number": para_as_number,
    "error-cells": error_cells,
}


def typed(path: Path) -> dict[tuple[str, str], object]:
    """Every non-blank input and extra cell, keyed by (Para, header)."""
    book = read_workbook(path)
    keys = [c for c in book.inputs.columns if c not in ("para", "row")]
    return {
        (str(rec["para"]), key): rec[key]
        for rec in book.inputs.to_dict("records")
        for key in keys
        if rec[key] is not None and str(rec[key]) != "nan"
    }


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_recompute_after_people_have_been_at_it(
    original: Path, tmp_path: Path, catalogue: Catalogue, mutation: str
) -> None:
    path = Path(shutil.copy(original, tmp_path / "luton.xlsx"))
    wb = openpyxl.load_workbook(path)
    MUTATIONS[mutation](wb["Gap analysis"])
    wb.save(path)
    before = typed(path)
    done = recompute_workbook(path, catalogue=catalogue, backup=False)
    assert typed(path) == before  # nothing typed is lost or changed
    frame = done.result.assessment.frame.set_index("para")
    assert {p: frame.at[p, "rag"] for p in EXPECTED} == EXPECTED
    book = read_workbook(path, catalogue=catalogue)
    ws = openpyxl.load_workbook(path)[book.sheet]
    rag_col = book.columns["rag"]
    rows = dict(zip(book.inputs["para"], book.inputs["row"], strict=True))
    for para, rag in EXPECTED.items():
        if mutation == "merged-result-cells" and para == "1.9":
            continue  # RAG is the first cell of the merged range; see below
        assert ws[f"{rag_col}{rows[para]}"].value == rag, para
    if mutation == "merged-result-cells":
        assert ws[f"{rag_col}{rows['1.9']}"].value == "Green"
