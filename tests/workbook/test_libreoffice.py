"""An independent program reads our workbooks: LibreOffice headless (`soffice --convert-to`)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from lokit import CSV_ALL_SHEETS, soffice, soffice_convert

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.rag import assess_place
from ltpgap.schema import HEADERS, INPUT_KEYS, STATUS_VALUES
from ltpgap.workbook import (
    build_workbook,
    check_rewritable,
    fill_inputs,
    init_workbooks,
    read_workbook,
    recompute_workbook,
)

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        soffice() is None,
        reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc",
    ),
]

#: Inputs of every kind a planner types: text (accents, quotes, new lines), dates, numbers.
TYPED: dict[str, dict[str, object]] = {
    "1.8": {
        "initiatives": "Rapid response — 2 hours, 7 days",
        "status": "In progress",
        "coverage": "Full",
        "expected_delivery": "Q4 23/24",
        "lead": "Dr Ngozi Adébáyọ̀",
    },
    "1.9": {
        "initiatives": "Five PCNs\nall 26 practices",
        "status": "In place",
        "coverage": "Full",
        "expected_delivery": date(2019, 7, 1),
    },
    "1.15": {
        "initiatives": 'Care homes "ward round" pilot',
        "status": "Planned",
        "coverage": "Partial",
        "expected_delivery": "31/03/2024",
        "evidence": "8 of 35",
    },
    "2.9": {
        "initiatives": "Smokefree L&D",
        "status": "in progress",
        "coverage": "partial",
        "expected_delivery": "2023/24",
        "rag_override": "Red",
        "override_reason": "Funding ends in March",
    },
    "3.10": {
        "initiatives": "Saving Babies' Lives v2",
        "status": "In place",
        "coverage": "Full",
        "expected_delivery": 2019,
    },
    "3.56": {"not_applicable": "Yes", "evidence": "Not a lung health check site"},
    "1.41": {"status": "None", "lead": "#N/A"},
}


def _plain(value: object) -> object:
    """A value as a reader sees it, whichever program saved the cell."""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _inputs(path: Path) -> dict[tuple[str, str], object]:
    book = read_workbook(path)
    return {
        (str(row["para"]), key): _plain(row[key])
        for row in book.inputs.to_dict("records")
        for key in INPUT_KEYS
    }


@pytest.fixture(scope="module")
def generated(
    catalogue: Catalogue, blmk: IcsConfig, tmp_path_factory: pytest.TempPathFactory
) -> list[Path]:
    """Every kind of workbook ltpgap generates: four places, the ICS team, the blank template."""
    out = tmp_path_factory.mktemp("lo-books")
    paths = init_workbooks(catalogue, blmk, out)
    return [*paths, build_workbook(catalogue, None, None, out_path=out / "template.xlsx")]


def test_libreoffice_renders_every_workbook_to_pdf(generated: list[Path], tmp_path: Path) -> None:
    pdfs = soffice_convert(generated, "pdf", tmp_path / "pdf", tmp_path / "lo")
    assert sorted(p.stem for p in pdfs) == sorted(p.stem for p in generated)
    if shutil.which("pdftotext") is None:
        assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
        return
    for pdf in pdfs:
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "NHS Long Term Plan gap analysis" in text  # Read me
        assert "Expected" in text and "Initiatives" in text  # Gap analysis headers
        assert "Summary" in text and "By programme area" in text


def test_libreoffice_reads_every_sheet(
    generated: list[Path], tmp_path: Path, catalogue: Catalogue
) -> None:
    files = soffice_convert(generated, CSV_ALL_SHEETS, tmp_path / "csv", tmp_path / "lo")
    names = {p.name for p in files}
    for book in generated:
        for sheet in ("Read me", "Gap analysis", "Summary", "Lists", "_ltpgap"):
            assert f"{book.stem}-{sheet}.csv" in names
        with open(tmp_path / "csv" / f"{book.stem}-Gap analysis.csv", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert tuple(rows[0]) == HEADERS
        paras = [r[0] for r in rows[1:] if r and r[0]]
        expected = [c.id for c in catalogue if book.stem != "blmk" or c.level == "ics"]
        assert paras == expected  # 3.10 stays 3.10: Para is text
        rag = {r[HEADERS.index("RAG")] for r in rows[1:] if r and r[0]}
        assert rag <= {"Not assessed", "N/A"}
        lists = (tmp_path / "csv" / f"{book.stem}-Lists.csv").read_text(encoding="utf-8")
        assert all(status in lists for status in STATUS_VALUES)


def test_filled_by_openpyxl_resaved_by_libreoffice_reads_back(
    catalogue: Catalogue, blmk: IcsConfig, tmp_path: Path
) -> None:
    ours = build_workbook(catalogue, blmk, "luton", out_path=tmp_path / "ours" / "luton.xlsx")
    fill_inputs(ours, TYPED)
    (resaved,) = soffice_convert([ours], "xlsx", tmp_path / "lo-out", tmp_path / "lo")
    before, after = _inputs(ours), _inputs(resaved)
    assert after == before  # every input intact, in every row
    for para, values in TYPED.items():
        for key, value in values.items():
            assert after[(para, key)] == _plain(value), (para, key)
    book = read_workbook(resaved)
    assert (book.unit_id, book.scope, book.meta is not None and book.meta.intact) == (
        "luton",
        "place",
        True,
    )
    assess = {
        name: assess_place(catalogue, read_workbook(p).inputs, unit_id="luton").frame
        for name, p in (("ours", ours), ("resaved", resaved))
    }
    cols = ["para", "rag", "reason", "checks"]
    assert assess["ours"][cols].equals(assess["resaved"][cols])
    # A LibreOffice-saved workbook holds nothing openpyxl would drop: recompute still works.
    assert check_rewritable(resaved) == []
    done = recompute_workbook(resaved, catalogue=catalogue, backup=False)
    assert done.counts["N/A"] >= 1 and _inputs(resaved) == before
