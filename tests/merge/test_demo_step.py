"""`make demo` step 6: the demo's workbooks merged into ICS.xlsx and the ICS summary printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.demo.__main__ import step_fill, step_init, step_merge
from ltpgap.ics import IcsConfig
from ltpgap.merge import read_ics_workbook


def test_demo_merges_into_ics_xlsx(
    tmp_path: Path, catalogue: Catalogue, blmk: IcsConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = step_init(catalogue, blmk, tmp_path)
    step_fill(paths)
    target = step_merge(paths, catalogue, blmk, tmp_path)
    assert target == tmp_path / "ICS.xlsx"
    wb = read_ics_workbook(target)
    assert [p.status for p in wb.places] == ["submitted"] * 4
    assert wb.team is not None and wb.team.status == "submitted"
    printed = " ".join(capsys.readouterr().out.split())
    assert "ICS RAG" in printed and "Wrote" in printed and "5 workbook(s) merged" in printed
    # a second run starts afresh rather than re-merging
    step_merge(paths, catalogue, blmk, tmp_path)
    assert "0 kept from before" in " ".join(capsys.readouterr().out.split())
