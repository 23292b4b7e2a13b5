"""Recompute of the merged ICS workbook (the one `ltpgap merge` writes), inside Excel."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from addinkit import Client, bearer
from officejs import ExcelStandIn, as_python, payload_from_xlsx
from openpyxl.utils import get_column_letter

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.merge import merge_workbooks
from ltpgap.xl.ics import LAYOUT
from ltpgap.xl.scripts import RECOMPUTE_SHEETS

SCRIPT = "/xlwings/custom-scripts-call/recompute"


@pytest.fixture(scope="module")
def merged(
    books: dict[str, Path],
    catalogue: Catalogue,
    blmk: IcsConfig,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """`ltpgap merge` of the filled Luton and Bedford workbooks and the ICS team's."""
    out = tmp_path_factory.mktemp("ics") / "ICS.xlsx"
    merge_workbooks(
        [books["luton"], books["bedford"], books["blmk"]], out=out, catalogue=catalogue, ics=blmk
    )
    return out


def _sheet(path: Path, name: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)[name]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return _norm(rows)


def _norm(rows: list[list[Any]]) -> list[list[object]]:
    out = []
    for row in rows:
        cells = [as_python(v) for v in row]
        cells = [round(v, 9) if isinstance(v, float) else v for v in cells]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


def _stale(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with every output sheet's body overwritten, as if out of date."""
    for sheet in payload["sheets"]:
        if sheet["name"] in LAYOUT.outputs:
            for row in sheet["values"][1:]:
                row[:] = ["stale"] * len(row)
    return payload


def test_recompute_equals_the_merge(client: Client, merged: Path) -> None:
    """From Place data alone, Recompute writes exactly what `ltpgap merge` wrote."""
    payload = _stale(payload_from_xlsx(merged, include=RECOMPUTE_SHEETS))
    reply = client.post(SCRIPT, json=payload, headers=bearer("ics"))
    assert reply.status_code == 200, reply.text
    excel = ExcelStandIn(payload).apply(reply.json()["actions"])
    assert excel.coerced == []
    for name in LAYOUT.outputs:
        assert _norm(excel.values(name)) == _sheet(merged, name), name


def test_recompute_follows_place_data(
    client: Client,
    merged: Path,
    tmp_path: Path,
    books: dict[str, Path],
    catalogue: Catalogue,
    blmk: IcsConfig,
) -> None:
    """Change a place's inputs on Place data: the matrix follows, as a re-merge would."""
    from ltpgap.workbook import fill_inputs

    payload = payload_from_xlsx(merged, include=RECOMPUTE_SHEETS)
    data = next(s for s in payload["sheets"] if s["name"] == LAYOUT.place_data)
    header = data["values"][0]
    place, para, status = header.index("Place"), header.index("Para"), header.index("Status")
    luton_rows = [r for r in data["values"][1:] if r[place] == "Luton"]
    target = luton_rows[0]
    target[status] = "None"
    reply = client.post(SCRIPT, json=payload, headers=bearer("ics"))
    excel = ExcelStandIn(payload).apply(reply.json()["actions"])
    # The same change made in Luton's workbook and merged again:
    changed = tmp_path / "luton.xlsx"
    changed.write_bytes(books["luton"].read_bytes())
    fill_inputs(changed, {str(target[para]): {"status": "None"}})
    again = tmp_path / "ICS.xlsx"
    merge_workbooks(
        [changed, books["bedford"], books["blmk"]], out=again, catalogue=catalogue, ics=blmk
    )
    assert _norm(excel.values(LAYOUT.matrix)) == _sheet(again, LAYOUT.matrix)
    assert _norm(excel.values(LAYOUT.gaps)) == _sheet(again, LAYOUT.gaps)


def test_long_metadata_continued_in_further_columns_is_joined(client: Client, merged: Path) -> None:
    """A big ICS's places list is longer than a cell holds, so the merge continues it in
    columns C, D …; the add-in reads the value whole, as the command line does."""
    payload = _stale(payload_from_xlsx(merged, include=RECOMPUTE_SHEETS))
    meta = next(s for s in payload["sheets"] if s["name"] == "_ltpgap")
    rows = meta["values"]
    for row in rows:
        if row[0] in ("places", "ics_team"):
            text = row[1]
            assert len(text) > 80
            row[1:] = [text[i : i + 40] for i in range(0, len(text), 40)]
    width = max(len(r) for r in rows)
    for row in rows:
        row.extend([""] * (width - len(row)))
    meta["used_range_column_count"] = width
    meta["used_range_address"] = f"A1:{get_column_letter(width)}{len(rows)}"
    reply = client.post(SCRIPT, json=payload, headers=bearer("ics"))
    assert reply.status_code == 200, reply.text
    excel = ExcelStandIn(payload).apply(reply.json()["actions"])
    for name in LAYOUT.outputs:
        assert _norm(excel.values(name)) == _sheet(merged, name), name


def test_ics_workbook_needs_the_ics_role(client: Client, merged: Path) -> None:
    payload = payload_from_xlsx(merged, include=RECOMPUTE_SHEETS)
    assert client.post(SCRIPT, json=payload, headers=bearer("luton")).status_code == 403
    assert client.post(SCRIPT, json=payload, headers=bearer("ics")).status_code == 200


def test_another_ics_is_refused(client: Client, merged: Path) -> None:
    payload = payload_from_xlsx(merged, include=RECOMPUTE_SHEETS)
    meta = next(s for s in payload["sheets"] if s["name"] == "_ltpgap")
    for row in meta["values"]:
        if row[0] == "unit_id":
            row[1] = "another_ics"
    reply = client.post(SCRIPT, json=payload, headers=bearer("ics"))
    assert reply.status_code == 422
    assert "another_ics" in reply.json()["detail"]


def test_layout_matches_the_merge() -> None:
    from ltpgap.merge import _sheets as merge_sheets

    assert LAYOUT.place_data == merge_sheets.PLACE_DATA
    assert (LAYOUT.matrix, LAYOUT.by_chapter, LAYOUT.by_area, LAYOUT.gaps, LAYOUT.snapshot) == (
        merge_sheets.MATRIX,
        merge_sheets.BY_CHAPTER,
        merge_sheets.BY_AREA,
        merge_sheets.GAPS,
        merge_sheets.SNAPSHOT,
    )
    assert dict(LAYOUT.tables) == {
        k: v for k, v in merge_sheets.TABLES.items() if k in dict(LAYOUT.tables)
    }


def test_recompute_builds_no_assessment_or_rollup_frame(
    client: Client, merged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside Excel every millisecond counts (issue 7's 3 × floor): Recompute reads the
    assessments' and the roll-up's columns and never builds their DataFrames. Were a change
    to ask for ``.frame`` again, this fails (and the add-in benchmark would show it)."""
    from ltpgap.rag import IcsRollup, PlaceAssessment

    def refuse(self: object) -> None:
        raise AssertionError(f"{type(self).__name__} frame built during Recompute")

    for cls, names in ((PlaceAssessment, ("frame",)), (IcsRollup, ("frame", "matrix"))):
        for name in names:
            monkeypatch.setattr(cls, name, property(refuse))
    payload = _stale(payload_from_xlsx(merged, include=RECOMPUTE_SHEETS))
    reply = client.post(SCRIPT, json=payload, headers=bearer("ics"))
    assert reply.status_code == 200, reply.text
    excel = ExcelStandIn(payload).apply(reply.json()["actions"])
    monkeypatch.undo()
    for name in LAYOUT.outputs:
        assert _norm(excel.values(name)) == _sheet(merged, name), name


def test_a_place_no_longer_in_the_ics_file_is_named(
    merged: Path, catalogue: Catalogue, blmk: IcsConfig
) -> None:
    """Place data holds Bedford, but the server's ICS file no longer lists it: Recompute
    leaves it out of the figures and says so (``place-not-in-ics``), as a re-merge does."""
    import xlwings as xw

    from ltpgap.xl.ics import compute_ics

    now = replace(blmk, places=tuple(p for p in blmk.places if p.id != "bedford"))
    book = xw.Book(json=payload_from_xlsx(merged, include=RECOMPUTE_SHEETS))
    result = compute_ics(book, catalogue, now)
    [issue] = [i for i in result.issues if i.code == "place-not-in-ics"]
    assert "Bedford Borough ('bedford')" in issue.message and issue.where.sheet == "Place data"
    counted = " ".join(map(str, result.rollup.column("places_counted")))
    assert "bedford" not in counted and "luton" in counted
    before = compute_ics(
        xw.Book(json=payload_from_xlsx(merged, include=RECOMPUTE_SHEETS)), catalogue, blmk
    )
    assert "bedford" in " ".join(map(str, before.rollup.column("places_counted")))
