"""`python -m ltpgap.demo` (what `make demo` runs) and its illustrative inputs."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.demo.__main__ import main
from ltpgap.demo.illustrative import ILLUSTRATIVE, NOTICE, parse_table
from ltpgap.ics import IcsConfig
from ltpgap.schema import INPUT_KEYS
from ltpgap.workbook import summarise_workbook


def test_illustrative_inputs_fit_the_catalogue(catalogue: Catalogue, blmk: IcsConfig) -> None:
    assert sorted(ILLUSTRATIVE) == sorted([*blmk.place_ids, blmk.id])
    for unit, rows in ILLUSTRATIVE.items():
        level = "ics" if unit == blmk.id else "place"
        assert len(rows) >= 10
        for para, values in rows.items():
            commitment = catalogue.get(para)
            assert commitment is not None and commitment.level == level, (unit, para)
            assert values and set(values) <= set(INPUT_KEYS), (unit, para)
    # Each place differs: no two places share the same set of commitments filled in.
    places = [frozenset(ILLUSTRATIVE[p]) for p in blmk.place_ids]
    assert len(set(places)) == len(places)


def test_parse_table_continuations_and_dates() -> None:
    rows = parse_table(
        """
2.9 | Smokefree pilot | In progress | Partial | date 2024-03-31 | Public
    Health Consultant
3.56 |  |  |  |  |  | Not a site | Yes
"""
    )
    assert rows["2.9"]["lead"] == "Public Health Consultant"
    assert str(rows["2.9"]["expected_delivery"]) == "2024-03-31"
    assert rows["3.56"] == {"evidence": "Not a site", "not_applicable": "Yes"}


def test_demo_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["--out", str(out)]) == 0
    printed = capsys.readouterr().out
    units = ["bedford", "blmk", "central_beds", "luton", "milton_keynes"]
    assert {f"{u}.xlsx" for u in units} <= {p.name for p in out.glob("*.xlsx")}
    assert not list(out.glob("*.bak.xlsx"))
    assert "ILLUSTRATIVE" in printed and "luton" in printed
    readme = openpyxl.load_workbook(out / "luton.xlsx")["Read me"]
    assert readme["A2"].value == NOTICE
    counts = {
        u: summarise_workbook(out / f"{u}.xlsx").frame["rag"].value_counts().to_dict()
        for u in units
    }
    for unit, rag in counts.items():
        assert rag.get("Green", 0) and rag.get("Amber", 0) and rag.get("Red", 0), unit
    assert len({tuple(sorted(c.items())) for c in counts.values()}) == len(counts)  # all differ
    ws = openpyxl.load_workbook(out / "luton.xlsx")["Gap analysis"]
    row = next(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == "3.60")
    assert (ws[f"Q{row}"].value, ws[f"S{row}"].value) == ("Red", "Red")  # override with reason
