"""Recompute of the merged ICS workbook (the one `ltpgap merge` writes), inside Excel."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from addinkit import Client, bearer
from officejs import ExcelStandIn, as_python, payload_from_xlsx, text_columns
from openpyxl.utils import get_column_letter

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig, Place
from ltpgap.issues import LtpgapError
from ltpgap.merge import merge_workbooks
from ltpgap.merge.ics_data import IcsWorkbook
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
    # Read by `ltpgap check` or `report`: before Recompute, Luton's column does not show what
    # its rows now give (a report would show stale results); after it, the matrix holds.
    from ltpgap.merge._typed_over import typed_over

    before = [i.message for i in typed_over(_read_back(ExcelStandIn(payload)), catalogue)]
    assert [m.split(":")[0] for m in before] == [
        "Luton's column on the ICS matrix does not show what its rows on Place data give"
    ]
    assert typed_over(_read_back(excel), catalogue) == []


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


def _moved(ics: IcsConfig) -> IcsConfig:
    return replace(ics, places=(*ics.places[1:], ics.places[0]))


def _renamed(ics: IcsConfig) -> IcsConfig:
    first = replace(ics.places[0], name="Bedford")
    return replace(ics, places=(first, *ics.places[1:]))


def _added(ics: IcsConfig) -> IcsConfig:
    return replace(ics, places=(*ics.places, Place(id="newtown", name="Newtown", population=9)))


CHANGED_FILES = {
    "a place taken out": (
        lambda ics: replace(ics, places=tuple(p for p in ics.places if p.id != "bedford")),
        "Bedford Borough ('bedford') is in the workbook but not in the ICS file",
    ),
    "a place added": (_added, "Newtown ('newtown') is new in the ICS file"),
    "a place renamed": (_renamed, "'Bedford Borough' ('bedford') is named 'Bedford'"),
    "places reordered": (_moved, "lists the places in another order (Central Bedfordshire, "),
    "the ICS renamed": (
        lambda ics: replace(ics, name="BLMK"),
        "the ICS is named 'BLMK' in the ICS file ('Bedfordshire, Luton and Milton Keynes'",
    ),
    "other rules": (
        lambda ics: replace(ics, rules=replace(ics.rules, min_assessed_share=0.6)),
        "the rule min_assessed_share is 0.6 in the ICS file (0.5 in the workbook)",
    ),
}


@pytest.mark.parametrize("change", list(CHANGED_FILES))
def test_an_ics_file_that_would_move_columns_is_refused(
    change: str, merged: Path, catalogue: Catalogue, blmk: IcsConfig
) -> None:
    """Recompute writes under the matrix's headers and leaves Read me: an ICS file with other
    places (taken out, added, renamed, reordered), another ICS name or other rules would put
    RAGs under other places' names, or leave Read me wrong. It stops, writes nothing, and
    says what differs (``ics-file-changed``)."""
    import xlwings as xw

    from ltpgap.xl.operations import recompute

    make, said = CHANGED_FILES[change]
    book = xw.Book(json=payload_from_xlsx(merged, include=RECOMPUTE_SHEETS))
    with pytest.raises(LtpgapError) as raised:
        recompute(book, catalogue=catalogue, ics=make(blmk))
    [issue] = raised.value.issues
    assert issue.code == "ics-file-changed" and said in issue.message, issue.message
    assert "--out ICS.xlsx" in issue.message and issue.where.file == blmk.path
    assert book.json()["actions"] == []


def test_rules_the_workbook_was_not_merged_with_are_refused_by_the_server(
    client: Client, merged: Path
) -> None:
    """Through the server: a workbook merged under other rules than the server's ICS file."""
    payload = payload_from_xlsx(merged, include=RECOMPUTE_SHEETS)
    meta = next(s for s in payload["sheets"] if s["name"] == "_ltpgap")
    for row in meta["values"]:
        if row[0] == "rules":
            row[1] = row[1].replace('"green_threshold":0.8', '"green_threshold":0.9')
    reply = client.post(SCRIPT, json=payload, headers=bearer("ics"))
    assert reply.status_code == 422
    assert "the rule green_threshold is 0.8 in the ICS file (0.9" in reply.json()["detail"]


def _read_back(excel: ExcelStandIn) -> IcsWorkbook:
    """The ICS workbook as the command line reads it, from the cells the add-in left."""
    import xlwings as xw

    from ltpgap.merge.ics_data import ics_workbook
    from ltpgap.xl._sheet import read_grid, read_meta
    from ltpgap.xl.ics import _table_frame

    book = xw.Book(json=excel.payload)
    tables = {
        name: _table_frame(read_grid(book.sheets[name]))
        for name in (LAYOUT.matrix, LAYOUT.gaps, LAYOUT.place_data)
    }
    return ics_workbook(read_meta(book), tables, path="ICS.xlsx")


def test_new_populations_are_used_and_recorded(
    merged: Path,
    books: dict[str, Path],
    catalogue: Catalogue,
    blmk: IcsConfig,
    tmp_path: Path,
) -> None:
    """New population estimates in the ICS file: Recompute weighs by them, as a merge with
    that file does, and records them in the hidden metadata, so that `ltpgap check`,
    `report` and a roll-up weigh the same way: no result reads as typed over by hand
    (``matrix-result-edited``; 112 rows without the record), and the metadata's checksum
    still holds."""
    import xlwings as xw

    from ltpgap.merge._typed_over import typed_over
    from ltpgap.xl.operations import recompute

    grown = tuple(
        replace(p, population=p.population * 9) if p.id == "luton" else p for p in blmk.places
    )
    now = replace(blmk, places=grown)
    payload = payload_from_xlsx(merged, include=RECOMPUTE_SHEETS)
    book = xw.Book(json=payload)
    recompute(book, catalogue=catalogue, ics=now)
    excel = ExcelStandIn(payload, text_columns(merged)).apply(book.json()["actions"])
    assert excel.coerced == []
    again = tmp_path / "ICS.xlsx"
    merge_workbooks(
        [books["luton"], books["bedford"], books["blmk"]], out=again, catalogue=catalogue, ics=now
    )
    assert _norm(excel.values(LAYOUT.matrix)) == _sheet(again, LAYOUT.matrix)
    assert _norm(excel.values(LAYOUT.matrix)) != _sheet(merged, LAYOUT.matrix)  # RAGs moved
    read = _read_back(excel)
    assert read.intact and not read.issues
    assert {p.id: p.population for p in read.places} == {p.id: p.population for p in now.places}
    assert read.team is not None and read.team.population == now.population
    assert typed_over(read, catalogue) == []
    before = _read_back(ExcelStandIn(payload))
    assert before.intact  # the metadata as the remote engine reads it: its checksum holds
    assert {p.id: p.rows for p in read.places} == {p.id: p.rows for p in before.places}
    assert {p.id: p.crc for p in read.places} == {p.id: p.crc for p in before.places}


def test_the_same_populations_leave_the_metadata_alone(
    merged: Path, catalogue: Catalogue, blmk: IcsConfig
) -> None:
    import xlwings as xw

    from ltpgap.xl.operations import recompute

    book = xw.Book(json=payload_from_xlsx(merged, include=RECOMPUTE_SHEETS))
    recompute(book, catalogue=catalogue, ics=blmk)
    names = [s.name for s in book.sheets]
    written = {names[a["sheet_position"]] for a in book.json()["actions"]}
    assert LAYOUT.matrix in written and "_ltpgap" not in written
