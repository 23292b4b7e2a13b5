"""An independent program opens the ICS workbook: LibreOffice headless reads every sheet."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from lokit import CSV_ALL_SHEETS, soffice, soffice_convert
from mergekit import copy_books, sheet_rows, type_inputs

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.merge import merge_workbooks, read_ics_workbook

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed"),
]


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_libreoffice_reads_every_sheet(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(
        books["luton"],
        {
            "1.8": {"initiatives": "=1+1", "status": "None", "lead": "Dr Åsa Ó'Brien"},
            "2.9": {"status": "In progress", "coverage": "Full", "expected_delivery": "2023/24"},
        },
    )
    type_inputs(books["bedford"], {"1.8": {"status": "In place", "coverage": "Full"}})
    out = tmp_path / "ICS.xlsx"
    merge_workbooks(list(books.values()), out=out, catalogue=cat1, ics=ics)
    written = soffice_convert([out], CSV_ALL_SHEETS, tmp_path / "csv", tmp_path / "lo-profile")
    files = {p.stem.removeprefix("ICS-"): p for p in written}
    assert {"ICS matrix", "Gaps", "Snapshot", "Checks", "Place data", "Read me"} <= set(files)
    matrix = _csv(files["ICS matrix"])
    header = matrix[0]
    ours = sheet_rows(out, "ICS matrix")
    assert [r[0] for r in matrix[1:]] == [r["Para"] for r in ours]
    column = header.index("ICS RAG")
    assert [r[column] for r in matrix[1:]] == [r["ICS RAG"] for r in ours]
    data = _csv(files["Place data"])
    initiatives = data[0].index("Initiatives")
    assert "=1+1" in [r[initiatives] for r in data[1:]]  # text, not a formula worth 2
    assert "Dr Åsa Ó'Brien" in [r[data[0].index("Lead")] for r in data[1:]]
    snapshot = _csv(files["Snapshot"])
    assert snapshot[0][0] == "NHS Long Term Plan" and snapshot[1][0] == "Starting Well"
    assert any("para 3.10" in cell for row in snapshot for cell in row)
    assert len(_csv(files["Checks"])) == len(sheet_rows(out, "Checks")) + 1


def test_merging_again_into_an_ics_workbook_resaved_by_libreoffice(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """The ICS lead opens the ICS workbook, saves it from the spreadsheet program, and merges
    a new submission into it next week: the places kept from before keep every input, and
    nothing is reported as changed that was not."""
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], {"1.8": {"status": "None", "lead": "Dr Åsa Ó'Brien"}})
    type_inputs(
        books["bedford"],
        {"2.9": {"status": "In progress", "expected_delivery": "2023/24", "evidence": "=1+1"}},
    )
    first = tmp_path / "first" / "ICS.xlsx"
    merge_workbooks(list(books.values()), out=first, catalogue=cat1, ics=ics)
    (resaved,) = soffice_convert([first], "xlsx", tmp_path / "resaved", tmp_path / "lo-profile")
    original, lo = read_ics_workbook(first), read_ics_workbook(resaved)
    assert lo.additions == ()  # nothing there taken for a hand edit
    for table in ("matrix", "gaps", "checks"):  # read to the end of each Excel Table, as saved
        assert len(getattr(original, table)) > 0, table
        assert getattr(lo, table).equals(getattr(original, table)), table
    plain = Path(shutil.copy(first, tmp_path / "plain.xlsx"))
    type_inputs(books["luton"], {"1.8": {"status": "In place", "coverage": "Full"}})
    after = {
        name: merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
        for name, out in (("resaved", resaved), ("plain", plain))
    }
    assert [(i.code, i.where.cell) for i in after["resaved"].changes] == [
        (i.code, i.where.cell) for i in after["plain"].changes
    ]
    assert len(after["plain"].changes) == 2  # Luton's Status changed, its Coverage filled
    for result in after.values():  # no warning, no copy kept, nothing refused or taken for
        assert {"ics-workbook-additions", "kept-data-damaged", "place-data-edited"}.isdisjoint(
            i.code for i in result.issues
        )  # an edit by hand (Excel re-saved dates, numbers and text the same)
    assert not list(tmp_path.rglob("*.bak.xlsx"))
    again = {name: read_ics_workbook(r.out) for name, r in after.items()}
    assert again["resaved"].matrix.equals(again["plain"].matrix)
    kept = {
        name: wb.place_data[wb.place_data["place"] == "bedford"].fillna("").astype(str)
        for name, wb in again.items()
    }
    assert kept["resaved"].reset_index(drop=True).equals(kept["plain"].reset_index(drop=True))
    assert "=1+1" in kept["resaved"]["evidence"].tolist()
