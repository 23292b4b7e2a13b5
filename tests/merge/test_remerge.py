"""Merging again into an existing ICS workbook: replace, keep, and list every change."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from mergekit import V1, V2, catalogue_v1, copy_books, sheet_rows, type_inputs
from typer.testing import CliRunner

import ltpgap
from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.cli import app
from ltpgap.ics import IcsConfig, load_ics
from ltpgap.issues import LtpgapError
from ltpgap.merge import merge_workbooks, read_ics_workbook
from ltpgap.merge._sheets import GAPS_HEADERS, ics_checksum
from ltpgap.merge.ics_data import ics_workbook
from ltpgap.workbook import build_workbook

FIRST = {
    "luton": {
        "1.8": {
            "initiatives": "Five PCNs",
            "status": "In progress",
            "coverage": "Full",
            "expected_delivery": "2019/20",
            "lead": "Ann",
        },
        "2.9": {"status": "None", "evidence": "No funding yet"},
        "5.10": {"status": "Planned"},
    },
    "bedford": {"1.8": {"status": "In place", "coverage": "Full", "lead": "Bob"}},
    "blmk": {"1.52": {"status": "Planned", "lead": "ICS PMO"}},
}


@pytest.fixture
def merged(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> tuple[dict[str, Path], Path]:
    """Three workbooks merged once into ICS.xlsx."""
    books = copy_books(blanks, tmp_path / "books")
    for unit, values in FIRST.items():
        type_inputs(books[unit], values)
    out = tmp_path / "ICS.xlsx"
    merge_workbooks(
        [books[u] for u in FIRST], out=out, catalogue=cat1, ics=ics, now=datetime(2024, 1, 1)
    )
    return books, out


def test_remerge_lists_every_changed_and_cleared_cell(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books, out = merged
    type_inputs(
        books["luton"],
        {
            "1.8": {"status": "In place", "lead": None},  # changed, cleared
            "2.9": {"evidence": "No funding yet"},  # unchanged
            "3.10": {"initiatives": "New hub"},  # newly filled
        },
    )
    result = merge_workbooks(
        [books["luton"]], out=out, catalogue=cat1, ics=ics, now=datetime(2024, 2, 1)
    )
    rows = [r for r in sheet_rows(out, "Checks") if r["Code"] == "input-changed"]
    found = {(r["Para"], r["Cell"], r["Message"].split(" since")[0]) for r in rows}
    row = {c.id: i for i, c in enumerate(cat1, start=2)}
    assert found == {
        ("1.8", f"K{row['1.8']}", "Luton, 1.8, Status changed"),
        ("1.8", f"N{row['1.8']}", "Luton, 1.8, Lead cleared"),
        ("3.10", f"J{row['3.10']}", "Luton, 3.10, Initiatives changed"),
    }
    status = next(r for r in rows if "Status" in r["Message"])
    assert "'In progress' → 'In place'" in status["Message"]
    assert all(r["Workbook"] == "luton.xlsx" and r["Severity"] == "info" for r in rows)
    assert len(result.changes) == 3


def test_places_not_resubmitted_keep_their_data(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books, out = merged
    type_inputs(books["luton"], {"1.8": {"status": "None"}})
    merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics, now=datetime(2024, 2, 1))
    wb = read_ics_workbook(out)
    status = {p.id: p.status for p in wb.places}
    assert status == {
        "bedford": "kept",
        "central_beds": "missing",
        "luton": "submitted",
        "milton_keynes": "missing",
    }
    assert wb.team is not None and wb.team.status == "kept"
    assert wb.team.merged_at == "2024-01-01T00:00:00Z"
    data = wb.place_data.set_index(["place", "para"])
    assert data.loc[("bedford", "1.8"), "lead"] == "Bob"
    assert data.loc[("blmk", "1.52"), "lead"] == "ICS PMO"
    row = wb.matrix.set_index("para").loc["1.8"]
    assert (row["bedford"], row["luton"]) == ("Green", "Red")
    assert wb.matrix.set_index("para").loc["1.52", "ics_rag"] == "Amber"
    readme = " ".join(str(r) for r in sheet_rows(out, "Read me"))
    assert "keep the data they had" in readme and "kept from the previous merge" in readme


def test_a_remerge_assesses_each_kept_place_once(
    merged: tuple[dict[str, Path], Path],
    cat1: Catalogue,
    ics: IcsConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Merging again checks the workbook it replaces against its inputs (results typed over)
    and carries forward the places not sent again: the places kept are assessed from Place
    data once, for both."""
    from ltpgap.merge import _carry

    books, out = merged
    assessed: list[str] = []
    real = _carry.assess_units

    def counted(catalogue: Catalogue, units: Any) -> Any:
        assessed.extend(u.unit_id for u in units)
        return real(catalogue, units)

    monkeypatch.setattr(_carry, "assess_units", counted)
    merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics, now=datetime(2024, 2, 1))
    assert sorted(assessed) == ["bedford", "blmk", "luton"]  # the workbook replaced, once


def test_an_unchanged_resubmission_lists_nothing(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books, out = merged
    result = merge_workbooks([books[u] for u in FIRST], out=out, catalogue=cat1, ics=ics)
    assert result.changes == ()


def test_kept_place_checks_point_at_its_own_workbook(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books, out = merged
    merge_workbooks([books["bedford"]], out=out, catalogue=cat1, ics=ics)
    checks = sheet_rows(out, "Checks")
    luton = [r for r in checks if r["Workbook"] == "luton.xlsx" and r["Para"] == "5.10"]
    assert {r["Code"] for r in luton} >= {"missing-delivery-date"}
    assert all(r["Sheet"] == "Gap analysis" and r["Cell"] for r in luton)


def test_snapshot_record_for_the_history_store(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books, out = merged
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    record = result.to_record(who="tester")
    assert record.ics_id == "blmk" and record.catalogue_hash == cat1.content_hash
    units = {s.unit_id: s for s in record.submissions}
    assert set(units) == {"luton", "bedford", "blmk"}
    luton = units["luton"]
    assert luton.file_name == "luton.xlsx" and len(luton.file_hash) == 64
    assert list(luton.assessments.columns[-1:]) == ["inputs_hash"]
    hashes = dict(zip(luton.assessments["para"], luton.assessments["inputs_hash"], strict=True))
    assert hashes["1.8"] != hashes["3.10"]  # filled vs blank
    assert record.rollup is not None and len(record.rollup) == len(cat1)


TYPED = {
    "1.8": {"expected_delivery": datetime(2024, 3, 31), "evidence": 42, "lead": 0.1},
    "2.9": {"expected_delivery": datetime(2024, 3, 31, 12, 30), "evidence": True},
    "3.10": {"expected_delivery": time(9, 30), "lead": 3.0, "initiatives": 1234567.5},
}


def test_typed_values_survive_a_remerge_and_changes_read_as_typed(
    tmp_path: Path, blanks: dict[str, Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """Excel users type real dates, times, numbers and TRUE/FALSE into input cells: the
    Place data sheet keeps them as such, merging the same workbook again reports nothing,
    and a change is told in the planner's terms (a date as a date, 3.0 the same as 3)."""
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], TYPED)
    out = tmp_path / "ICS.xlsx"
    merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    data = {r["Para"]: r for r in sheet_rows(out, "Place data") if r["Place"] == "Luton"}
    assert data["1.8"]["Expected delivery"] == datetime(2024, 3, 31)
    assert data["2.9"]["Expected delivery"] == datetime(2024, 3, 31, 12, 30)
    assert data["3.10"]["Expected delivery"] == time(9, 30)
    assert (data["1.8"]["Evidence and notes"], data["2.9"]["Evidence and notes"]) == (42, True)
    assert (data["1.8"]["Lead"], data["3.10"]["Initiatives"]) == (0.1, 1234567.5)

    assert merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics).changes == ()

    type_inputs(
        books["luton"],
        {
            "1.8": {"expected_delivery": datetime(2024, 6, 30), "evidence": 43},
            "2.9": {"evidence": False},
            "3.10": {"lead": 3},  # the same number, typed without a decimal
        },
    )
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    row = {c.id: i for i, c in enumerate(cat1, start=2)}
    changed = {(i.where.cell, i.message.split(": ", 1)[1]) for i in result.changes}
    assert changed == {
        (f"M{row['1.8']}", "'2024-03-31' → '2024-06-30'."),
        (f"O{row['1.8']}", "'42' → '43'."),
        (f"O{row['2.9']}", "'TRUE' → 'FALSE'."),
    }


@pytest.fixture
def on_v2(merged: tuple[dict[str, Path], Path], ics: IcsConfig, tmp_path: Path) -> Path:
    """Luton's workbook rebuilt from catalogue version 2, with something typed in."""
    luton = build_workbook(load_catalogue(V2), ics, "luton", out_path=tmp_path / "v2" / "l.xlsx")
    type_inputs(luton, {"1.8": {"status": "In place", "coverage": "Full"}})
    return luton


def test_kept_data_of_an_unknown_catalogue_stops_the_merge(
    merged: tuple[dict[str, Path], Path], on_v2: Path, ics: IcsConfig
) -> None:
    """Merging with catalogue 2 into a workbook whose other places were recorded against
    catalogue 1 (not given with --from): their data cannot be assessed, so nothing is
    written, as when a submitted workbook is of an unknown catalogue."""
    _, out = merged
    before = out.read_bytes()
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks([on_v2], out=out, catalogue=load_catalogue(V2), ics=ics)
    stuck = {(i.code, i.where.sheet, i.message.split(" from the")[0]) for i in caught.value.issues}
    assert stuck == {
        ("catalogue-mismatch", "Place data", "the data kept for Bedford Borough"),
        (
            "catalogue-mismatch",
            "Place data",
            "the data kept for Bedfordshire, Luton and Milton Keynes",
        ),
    }
    assert "--keep-going" in str(caught.value) and "--from" in str(caught.value)
    assert out.read_bytes() == before


def test_keep_going_keeps_that_data_unassessed(
    merged: tuple[dict[str, Path], Path], on_v2: Path, ics: IcsConfig
) -> None:
    _, out = merged
    result = merge_workbooks(
        [on_v2], out=out, catalogue=load_catalogue(V2), ics=ics, keep_going=True
    )
    assert set(result.unassessed) == {"bedford", "blmk"}
    data = read_ics_workbook(out).place_data.set_index(["place", "para"])
    assert data.loc[("bedford", "1.8"), "lead"] == "Bob"  # nothing lost
    assert data.loc[("blmk", "1.52"), "lead"] == "ICS PMO"
    matrix = read_ics_workbook(out).matrix.set_index("para")
    assert (matrix.loc["1.8", "bedford"], matrix.loc["1.8", "luton"]) == ("Not assessed", "Green")
    readme = openpyxl.load_workbook(out)["Read me"]
    line = next(str(r[1].value) for r in readme.iter_rows() if r[0].value == "Bedford Borough")
    assert "not assessed" in line and "catalogue 1.0.0" in line


@pytest.mark.parametrize("keep_going", [False, True])
def test_the_command_exits_1_when_kept_data_cannot_be_assessed(
    merged: tuple[dict[str, Path], Path], on_v2: Path, keep_going: bool
) -> None:
    _, out = merged
    args = ["merge", str(on_v2), "--out", str(out), "--catalogue", str(V2), "--no-db", "-q"]
    done = CliRunner().invoke(app, args + (["--keep-going"] if keep_going else []))
    assert done.exit_code == 1, done.output
    said = " ".join(done.output.split())
    assert "catalogue-mismatch" in said
    if keep_going:
        assert "1 workbook(s) merged, 2 kept from before (2 not assessed)" in said
    else:
        assert "nothing was written" in said


def test_kept_places_take_names_and_populations_from_the_ics_file_as_it_is_now(
    merged: tuple[dict[str, Path], Path], ics: IcsConfig
) -> None:
    """New population estimates (or a renamed place) in the ICS file apply to the places kept
    from before as to those submitted again: the ICS file is the authority, and a region
    roll-up weights each ICS by the populations its workbook records."""
    books, out = merged
    places = tuple(replace(p, population=p.population * 2, name=f"{p.name} *") for p in ics.places)
    now = replace(ics, places=places)
    merge_workbooks([books["luton"]], out=out, catalogue=catalogue_v1(), ics=now)
    wb = read_ics_workbook(out)
    recorded = {p.id: (p.name, p.population, p.status) for p in wb.places}
    assert recorded == {p.id: (p.name, p.population, recorded[p.id][2]) for p in places}
    assert recorded["bedford"][2] == "kept" and recorded["luton"][2] == "submitted"
    names = {r["Place"] for r in sheet_rows(out, "Place data")}
    assert {"Bedford Borough *", "Luton *"} <= names and "Bedford Borough" not in names


@pytest.mark.parametrize("keep_going", [False, True])
def test_a_place_no_longer_in_the_ics_file_is_not_dropped_silently(
    merged: tuple[dict[str, Path], Path], ics: IcsConfig, keep_going: bool
) -> None:
    """Bedford had data in the previous merge; the ICS file no longer lists it. Without
    --keep-going nothing is written (its data would be lost); with it, it is left out, named,
    and the command's exit code says so."""
    books, out = merged
    before = out.read_bytes()
    now = replace(ics, places=tuple(p for p in ics.places if p.id != "bedford"))
    if not keep_going:
        with pytest.raises(LtpgapError) as caught:
            merge_workbooks([books["luton"]], out=out, catalogue=catalogue_v1(), ics=now)
        [issue] = caught.value.issues
        assert (issue.code, Path(issue.where.file or "").name, issue.where.sheet) == (
            "place-not-in-ics",
            "ICS.xlsx",
            "Place data",
        )
        assert "Bedford Borough ('bedford')" in issue.message and "--keep-going" in issue.message
        assert out.read_bytes() == before
        return
    result = merge_workbooks(
        [books["luton"]], out=out, catalogue=catalogue_v1(), ics=now, keep_going=True
    )
    assert result.dropped == ("bedford",)
    assert "place-not-in-ics" in {i.code for i in result.issues}
    _assert_left_out(out, now)


def _assert_left_out(out: Path, now: IcsConfig) -> None:
    """Bedford's data is gone from the new workbook; the ICS team's is carried as before."""
    wb = read_ics_workbook(out)
    assert "bedford" not in set(wb.place_data["place"])
    assert {p.id for p in wb.places} == set(now.place_ids)
    assert wb.team is not None and wb.team.status == "kept"
    assert "blmk" in set(wb.place_data["place"])


def test_the_command_exits_1_when_a_place_is_left_out(
    merged: tuple[dict[str, Path], Path], tmp_path: Path
) -> None:
    books, out = merged
    shipped = (Path(ltpgap.__file__).parent / "data" / "blmk.yaml").read_text(encoding="utf-8")
    lines = [line for line in shipped.splitlines() if "id: bedford" not in line]
    config = tmp_path / "blmk-without-bedford.yaml"
    config.write_text("\n".join(lines), encoding="utf-8")
    args = ["merge", str(books["luton"]), "--out", str(out), "--ics", str(config)]
    args += ["--catalogue", str(V1), "--no-db", "-q"]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1 and "nothing was written" in " ".join(refused.output.split())
    done = CliRunner().invoke(app, [*args, "--keep-going"])
    assert done.exit_code == 1, done.output
    assert "1 left out (no longer in the ICS file)" in " ".join(done.output.split())
    _assert_left_out(out, load_ics(config))


def _annotate(out: Path) -> None:
    """What an ICS lead adds by hand before a board: a sheet of notes, a comment column on
    the ICS matrix, and a note typed beside the Gaps and Checks tables (no header)."""
    wb = openpyxl.load_workbook(out)
    notes = wb.create_sheet("Board notes")
    notes["A1"] = "Raise 2.9 at the July board"
    wb.create_sheet("Empty")  # added and left empty: not an addition
    matrix = wb["ICS matrix"]
    matrix.cell(1, matrix.max_column + 1, "ICS lead comment")
    matrix.cell(3, matrix.max_column, "Check with Luton")
    gaps, checks = wb["Gaps"], wb["Checks"]
    gaps.cell(2, gaps.max_column + 2, "chase")
    checks.cell(checks.max_row + 3, checks.max_column + 1, "seen by JS")
    wb.save(out)


def test_a_remerge_keeps_what_was_added_by_hand_in_a_copy(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """Additions by hand to the ICS workbook do not stop a re-merge (a column beside Gaps
    once crashed it) and are not lost: the workbook being replaced is copied first, and a
    warning lists each addition and names the copy."""
    books, out = merged
    _annotate(out)
    before = out.read_bytes()
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    (note,) = [i for i in result.issues if i.code == "ics-workbook-additions"]
    (copy,) = sorted(out.parent.glob("ICS.*.bak.xlsx"))
    assert copy.read_bytes() == before
    assert note.severity.value == "warning" and note.where.file == str(out)
    for addition in (
        "sheet 'Board notes'",
        "column 'ICS lead comment' (",
        "on ICS matrix",
        "on Gaps",
        "on Checks",
        f"was kept as {copy.name}",
    ):
        assert addition in note.message, note.message
    assert "'Empty'" not in note.message
    again = read_ics_workbook(out)
    assert again.additions == () and "Board notes" not in openpyxl.load_workbook(out).sheetnames
    kept = read_ics_workbook(copy)  # the notes typed beside Gaps and Checks make no rows
    assert len(kept.gaps) == len(again.gaps) and (kept.checks["code"] != "").all()
    quiet = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    assert not [i for i in quiet.issues if i.code == "ics-workbook-additions"]
    assert sorted(out.parent.glob("ICS.*.bak.xlsx")) == [copy]


def test_a_refused_remerge_makes_no_copy(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    books, out = merged
    _annotate(out)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(LtpgapError):
        merge_workbooks([books["luton"], broken], out=out, catalogue=cat1, ics=ics)
    assert not list(out.parent.glob("ICS.*.bak.xlsx"))


def _drop_sheet(wb: openpyxl.Workbook) -> None:
    del wb["Place data"]


def _drop_bedford_rows(wb: openpyxl.Workbook) -> None:
    ws = wb["Place data"]
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, 1).value == "Bedford Borough":
            ws.delete_rows(r)


def _header(col: str, text: str | None) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["Place data"]
        j = next(c.column for c in ws[1] if c.value == col)
        if text is None:
            ws.delete_cols(j)
        else:
            ws.cell(1, j).value = text

    return edit


DAMAGE = [
    ("sheet-deleted", _drop_sheet, "Bedford Borough was kept from the previous merge, but the "
     "Place data sheet is gone"),
    ("rows-deleted", _drop_bedford_rows, "Bedford Borough was kept from the previous merge, "
     "but the Place data sheet holds no row for it"),
    ("column-deleted", _header("Lead", None), "has no 'Lead' column (renamed or deleted), so "
     "those inputs of Bedford Borough"),
    ("header-retyped", _header("Status", "State"), "has no 'Status' column"),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "said"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_kept_data_cut_by_hand_stops_the_remerge(
    merged: tuple[dict[str, Path], Path],
    cat1: Catalogue,
    ics: IcsConfig,
    edit: Callable[[openpyxl.Workbook], None],
    said: str,
) -> None:
    """Place data is where a place not submitted again keeps its inputs: a sheet, rows or a
    column of it deleted or retyped by hand would lose them without a word. The merge
    refuses (nothing written) and says what to do; --keep-going merges all the same."""
    books, out = merged
    wb = openpyxl.load_workbook(out)
    edit(wb)
    wb.save(out)
    before = out.read_bytes()
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    damaged = [i for i in caught.value.issues if i.code == "kept-data-damaged"]
    assert damaged and all(i.where.sheet == "Place data" for i in damaged)
    assert any(said in i.message for i in damaged), [i.message for i in damaged]
    assert out.read_bytes() == before
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics, keep_going=True)
    assert "kept-data-damaged" in {i.code for i in result.issues}


def test_place_data_rows_of_no_unit_are_named(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books, out = merged
    wb = openpyxl.load_workbook(out)
    ws = wb["Place data"]
    bedford = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "Bedford Borough")
    row = [c.value for c in ws[bedford]]
    ws.append(["Bedfrod Borough", *row[1:]])  # rows added by hand, under the table
    ws.append([None, *row[1:]])
    wb.save(out)
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    notes = sorted(i.message for i in result.issues if i.code == "kept-data-damaged")
    assert len(notes) == 2 and all("not carried over" in n for n in notes)
    assert notes[0].startswith("1 row(s) of the Place data sheet name 'Bedfrod Borough'")
    assert notes[1].startswith("1 row(s) of the Place data sheet name no place")


def test_an_ics_matrix_header_retyped_by_hand_does_not_stop_a_remerge(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books, out = merged
    wb = openpyxl.load_workbook(out)
    wb["ICS matrix"]["A1"] = "Paragraph"  # once a KeyError
    wb.save(out)
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    (note,) = [i for i in result.issues if i.code == "ics-workbook-additions"]
    assert "column 'Paragraph' (A) on ICS matrix" in note.message
    assert read_ics_workbook(out).matrix["para"].tolist()[:1] != [None]


def test_kept_rows_are_counted_and_a_blank_submission_loses_nothing(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """The merge records each unit's rows on Place data: one row deleted by hand is caught
    (N of M), and a place that sent a blank workbook (no rows) has nothing to lose."""
    books, out = merged
    type_inputs(books["bedford"], {"2.9": {"status": "None"}})
    merge_workbooks(
        [books["bedford"], books["central_beds"]], out=out, catalogue=cat1, ics=ics
    )  # Bedford now has two rows; Central Bedfordshire's workbook is blank
    refs = {r.id: r.rows for r in read_ics_workbook(out).places}
    assert (refs["bedford"], refs["central_beds"], refs["luton"]) == (2, 0, 3)
    wb = openpyxl.load_workbook(out)
    _drop_bedford_rows_but_one(wb["Place data"])
    wb.save(out)
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    (issue,) = caught.value.issues
    assert "Bedford Borough was kept from the previous merge, but the Place data sheet holds 1 " \
        "of the 2 rows the merge wrote for it" in issue.message  # fmt: skip
    wb = openpyxl.load_workbook(out)
    del wb["Place data"]
    wb.save(out)
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    named = " ".join(i.message for i in caught.value.issues)
    assert "Bedford Borough was kept" in named and "Central Bedfordshire" not in named


def _drop_bedford_rows_but_one(ws: Any) -> None:
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "Bedford Borough"]
    ws.delete_rows(rows[-1])


@pytest.mark.parametrize("command", ["summary", "check", "rollup", "report"])
def test_readers_of_the_results_refuse_a_matrix_whose_header_was_retyped(
    merged: tuple[dict[str, Path], Path], tmp_path: Path, command: str
) -> None:
    """The matrix holds the results that summary, check, rollup and report read: with its
    Para header retyped they once printed blanks or crashed (pandas MergeError); now each
    names the column and says how to mend it."""
    _, out = merged
    wb = openpyxl.load_workbook(out)
    wb["ICS matrix"]["A1"] = "Paragraph"
    wb.save(out)
    args = {
        "summary": ["summary", out],
        "check": ["check", out],
        "rollup": ["rollup", out, "--out", tmp_path / "R.xlsx", "--catalogue", V1],
        "report": ["report", out, "--out", tmp_path / "report", "--format", "xlsx"],
    }[command]
    done = CliRunner().invoke(app, [str(a) for a in args])
    said = " ".join(done.output.split())
    assert done.exit_code == 1, said
    assert "the ICS matrix has no 'Para' column (a header changed or deleted by hand)" in said
    assert "ics-matrix-damaged" in said


def test_an_ics_workbook_reshaped_past_reading_is_refused_not_crashed(
    merged: tuple[dict[str, Path], Path],
    cat1: Catalogue,
    ics: IcsConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever a hand edit does to the sheets, reading the --out back ends in a located
    refusal (file-exists, the file untouched), never a traceback."""
    from ltpgap.merge import ics_reader

    books, out = merged
    before = out.read_bytes()

    def reshaped(*_: object, **__: object) -> None:
        raise KeyError("row")

    monkeypatch.setattr(ics_reader, "ics_workbook", reshaped)
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    (issue,) = caught.value.issues
    assert issue.code == "file-exists" and issue.where.file == str(out)
    assert "sheets were changed in a way ltpgap cannot read back (KeyError: 'row')" in (
        issue.message
    )
    assert out.read_bytes() == before
    for args in (["summary"], ["report", "--out", str(out.parent / "report")]):
        done = CliRunner().invoke(app, [*args[:1], str(out), *args[1:]])
        said = " ".join(done.output.split())
        assert done.exit_code == 1 and "cannot read back (KeyError: 'row')" in said, said


def test_a_row_inserted_above_place_data_header_is_read_past(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    books, out = merged
    wb = openpyxl.load_workbook(out)
    wb["Place data"].insert_rows(1)  # once a KeyError
    wb.save(out)
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    assert not [i for i in result.issues if i.code == "kept-data-damaged"]
    kept = read_ics_workbook(out).place_data
    assert set(kept["place"]) == {"luton", "bedford", "blmk"}


def test_text_typed_outside_the_tables_is_an_addition(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """A note under the Gaps table or beside a summary table is the ICS lead's too: listed,
    and kept in the copy. A workbook as written (and as LibreOffice saves it again, see
    test_ics_libreoffice) has none."""
    books, out = merged
    assert read_ics_workbook(out).additions == ()
    wb = openpyxl.load_workbook(out)
    gaps, summary = wb["Gaps"], wb["Summary by chapter"]
    gaps.cell(gaps.max_row + 2, 1, "Chase these before the July board")
    summary.cell(2, summary.max_column + 2, "Compare with last year")
    below, beside = f"A{gaps.max_row}", f"{openpyxl.utils.get_column_letter(summary.max_column)}2"
    wb.save(out)
    additions = read_ics_workbook(out).additions
    assert f"text under the table on Gaps ({below})" in additions
    assert f"text beside the table on Summary by chapter ({beside})" in additions
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    (note,) = [i for i in result.issues if i.code == "ics-workbook-additions"]
    assert "text under the table on Gaps" in note.message
    assert read_ics_workbook(out).additions == ()


def _note_under(wb: openpyxl.Workbook, sheet: str, text: str, *, taken_in: bool) -> str:
    """Type ``text`` in column A under the table on ``sheet``: a row below it, or just under
    it with the table widened to take the row in (as Excel does); returns the cell."""
    ws = wb[sheet]
    (table,) = ws.tables.values()
    start, end = table.ref.split(":")
    last = openpyxl.utils.cell.coordinate_from_string(end)
    row = last[1] + (1 if taken_in else 2)
    ws.cell(row, 1, text)
    if taken_in:
        table.ref = table.autoFilter.ref = f"{start}:{last[0]}{row}"
    return f"A{row}"


@pytest.mark.parametrize("taken_in", [False, True], ids=["row-below", "taken-into-the-table"])
def test_a_note_by_a_table_is_not_read_as_its_row(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig, taken_in: bool
) -> None:
    """A note typed under the matrix, Gaps or Checks is the ICS lead's, not a commitment, gap
    or check: the report once counted it as a gap and summary warned "rag values 'None' are
    not RAG values". Read past (a note Excel took into the table, too), and listed as an
    addition so that a re-merge keeps it in the copy."""
    books, out = merged
    before = read_ics_workbook(out)
    wb = openpyxl.load_workbook(out)
    cells = {
        sheet: _note_under(wb, sheet, f"Note on {sheet}: to the July board", taken_in=taken_in)
        for sheet in ("ICS matrix", "Gaps", "Checks")
    }
    wb.save(out)
    after = read_ics_workbook(out)
    assert after.matrix.equals(before.matrix)
    assert after.gaps.equals(before.gaps) and len(after.gaps) > 0
    assert after.checks.equals(before.checks)
    nouns = {"ICS matrix": "commitment", "Gaps": "gap", "Checks": "check"}
    expected = {
        sheet: f"a row of the table on {sheet} that is not a {nouns[sheet]} ({cell})"
        if taken_in
        else f"text under the table on {sheet} ({cell})"
        for sheet, cell in cells.items()
    }
    assert set(after.additions) == set(expected.values())
    done = CliRunner().invoke(app, ["summary", str(out)])
    assert done.exit_code == 0 and "not RAG values" not in done.output, done.output
    report = CliRunner().invoke(
        app, ["report", str(out), "--out", str(out.parent / "r"), "--format", "xlsx"]
    )
    said = " ".join(report.output.split())
    assert report.exit_code == 0 and f"{len(before.gaps)} gap(s) listed" in said, said
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    (note,) = [i for i in result.issues if i.code == "ics-workbook-additions"]
    assert all(e in note.message for e in expected.values()), note.message


def test_rows_not_of_a_table_are_counted_and_located() -> None:
    """Many stray rows are one addition per table: how many and the first three cells."""
    gaps = [
        ["luton", "1.8", "Title", "Yes", None, None, "Red"],
        ["Note one", None, None, None, None, None, None],
        [None, "See the July paper", None, None, None, None, None],
        [None, None, None, None, None, None, "Chase"],
        ["Note four", None, None, None, None, None, None],
    ]
    frame = pd.DataFrame(gaps, columns=list(GAPS_HEADERS), index=[2, 3, 5, 6, 9], dtype=object)
    book = ics_workbook({"scope": "ics-merge"}, {"Gaps": frame}, path="ICS.xlsx")
    assert book.additions == ("4 rows of the table on Gaps that are not gaps (A3, B5, G6, …)",)
    assert book.gaps["para"].tolist() == ["1.8"]


_ADDITIONS = "ics-workbook-additions"


@pytest.mark.parametrize(
    ("sheet", "cell", "said"),
    [
        ("Snapshot", "A6", "text outside the grid on Snapshot (A6)"),  # under the grid
        ("Snapshot", "I2", "text outside the grid on Snapshot (I2)"),  # beside it
        ("Read me", "A40", "text typed on Read me (A40)"),  # under the list of sheets
        ("Read me", "C3", "text typed on Read me (C3)"),  # beside the text
    ],
)
def test_text_typed_on_the_snapshot_or_read_me_is_an_addition(
    merged: tuple[dict[str, Path], Path],
    cat1: Catalogue,
    ics: IcsConfig,
    sheet: str,
    cell: str,
    said: str,
) -> None:
    """Board commentary typed under the Snapshot grid (or a note on the Read me) is lost when
    a merge rewrites the sheet: it is listed, and kept in the copy, like text by a table."""
    books, out = merged
    wb = openpyxl.load_workbook(out)
    assert wb["Snapshot"].max_row < 6 and wb["Snapshot"].max_column < 9  # I2, A6: outside
    assert wb["Read me"].max_row < 40 and wb["Read me"].max_column == 2
    wb[sheet][cell] = "Board commentary: maternity first"
    wb.save(out)
    assert read_ics_workbook(out).additions == (said,)
    checked = CliRunner().invoke(app, ["check", str(out), "--format", "json"])  # said before
    (told,) = [i["message"] for i in json.loads(checked.stdout) if i["code"] == _ADDITIONS]
    assert f"({said})" in told and "first copies this workbook to ICS.<date-time>.bak" in told
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    (note,) = [i for i in result.issues if i.code == _ADDITIONS]
    assert said in note.message
    (copy,) = out.parent.glob("ICS.*.bak.xlsx")
    assert openpyxl.load_workbook(copy)[sheet][cell].value == "Board commentary: maternity first"
    assert read_ics_workbook(out).additions == ()


def _place_data_cell(wb: openpyxl.Workbook, place: str, header: str) -> Any:
    """The cell under ``header`` in the first row of ``place`` on Place data."""
    ws = wb["Place data"]
    heads = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == place)
    return ws.cell(row, heads.index(header) + 1)


def _readme_line(path: Path, unit: str) -> str:
    """What the Read me's 'Whose data' says of a unit."""
    sheet = openpyxl.load_workbook(path)["Read me"]
    return next(str(b) for a, b, *_ in sheet.iter_rows(values_only=True) if a == unit)


def _kept_label(result: Any) -> dict[str, str]:
    """Place → its name as the summary printed after a merge shows it."""
    from ltpgap.cli.merge import ics_overview

    names = [str(c) for c in ics_overview(result).columns[0].cells]
    return {n.split(" (")[0]: n for n in names}


def test_a_kept_place_whose_new_workbook_was_refused_is_not_said_unsubmitted(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """Luton sent two different new workbooks (both refused, duplicate-place): with
    --keep-going its data is kept, and Read me and the summary say its new workbook was
    refused, not that it was not submitted; Bedford, not submitted again, is as before. The
    status in the metadata stays 'kept'."""
    books, out = merged
    again = books["luton"].with_name("luton-v2.xlsx")
    again.write_bytes(books["luton"].read_bytes())
    type_inputs(again, {"2.9": {"status": "Planned"}})
    result = merge_workbooks(
        [books["luton"], again], out=out, catalogue=cat1, ics=ics, keep_going=True
    )
    assert _readme_line(out, "Luton").startswith(
        "kept from the previous merge: its new workbook was refused (see Checks); file luton.xlsx"
    )
    assert _readme_line(out, "Bedford Borough").startswith(
        "kept from the previous merge (not submitted again); file"
    )
    assert {p.id: p.status for p in read_ics_workbook(out).places}["luton"] == "kept"
    labels = _kept_label(result)
    assert (labels["Luton"], labels["Bedford Borough"]) == (
        "Luton (kept; new workbook refused)",
        "Bedford Borough (kept)",
    )


def test_a_file_that_cannot_be_read_leaves_kept_places_unsaid(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """A truncated luton-v2.xlsx cannot be read, so whose it is cannot be told: no kept or
    missing place is then said to be "not submitted", as it may have been the one."""
    books, out = merged
    cut = books["luton"].with_name("luton-v2.xlsx")
    data = books["luton"].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    merge_workbooks([cut], out=out, catalogue=cat1, ics=ics, keep_going=True)
    for place in ("Luton", "Bedford Borough"):
        assert _readme_line(out, place).startswith(
            "kept from the previous merge: no new workbook of it was merged, but it cannot be "
            "told whose 1 refused file is (see Checks); file"
        )
    assert _readme_line(out, "Milton Keynes").startswith(
        "no workbook of it was merged, but it cannot be told whose 1 refused file is (see "
        "Checks): counts as Not assessed"
    )


def _edited(issues: Any) -> list[str]:
    return [i.message for i in issues if i.code == "place-data-edited"]


def test_a_kept_place_whose_place_data_was_changed_by_hand_is_named(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """A value changed on Place data becomes the kept place's input (that is how an ICS lead
    corrects one), but never silently: the merge cannot say what the cell held, so it names
    the place and the columns changed since it wrote them, on the screen and on Checks;
    `ltpgap check` says so beforehand. Once merged, the values are its record: no more
    warning."""
    books, out = merged
    wb = openpyxl.load_workbook(out)
    _place_data_cell(wb, "Bedford Borough", "Status").value = "In progress"  # was In place
    _place_data_cell(wb, "Bedford Borough", "Evidence and notes").value = "Typed on Place data"
    wb.save(out)
    ahead = CliRunner().invoke(app, ["check", str(out), "--format", "json"])
    said = [i["message"] for i in json.loads(ahead.output) if i["code"] == "place-data-edited"]
    assert said == [
        "The 'Status' and 'Evidence and notes' columns of Bedford Borough's rows on the Place "
        "data sheet changed since the merge wrote them (edited by hand?). A merge into this "
        "workbook takes them as Bedford Borough's inputs unless its workbook is merged again; "
        "if that is not meant, take Place data from a copy of the ICS workbook."
    ]
    done = CliRunner().invoke(
        app,
        ["merge", str(books["luton"]), "--out", str(out), "--catalogue", str(V1), "--no-db"],
    )
    assert done.exit_code == 0, done.output
    shown = " ".join(done.output.split())
    assert "place-data-edited" in shown and "Bedford Borough was kept from the previous" in shown
    (row,) = [r for r in sheet_rows(out, "Checks") if r["Code"] == "place-data-edited"]
    assert (row["Severity"], row["Workbook"], row["Sheet"]) == ("warning", "ICS.xlsx", "Place data")
    assert row["Message"].startswith(
        "Bedford Borough was kept from the previous merge, but the 'Status' and 'Evidence and "
        "notes' columns of its rows on the Place data sheet changed since that merge wrote them"
    )
    assert not [r for r in sheet_rows(out, "Checks") if r["Code"] == "input-changed"]
    matrix = {r["Para"]: r for r in sheet_rows(out, "ICS matrix")}
    assert matrix["1.8"]["Bedford Borough"] == "Amber"  # In progress: the value as it now is
    assert _readme_line(out, "Bedford Borough").startswith(
        "kept from the previous merge (not submitted again); its inputs were changed by hand on "
        "Place data after the merge of 2024-01-01T00:00:00Z, so they differ from its file's;"
    )
    again = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    assert _edited(again.issues) == []  # once merged, the values are its record
    assert "changed by hand on Place data after the merge of 2024" in _readme_line(
        out, "Bedford Borough"
    )  # while it is kept, its data is still not its file's (since the first merge's edit)
    merge_workbooks([books["bedford"]], out=out, catalogue=cat1, ics=ics)
    assert _readme_line(out, "Bedford Borough").startswith("submitted in this merge; file")


def test_place_data_of_a_resubmitted_place_changed_by_hand_is_named(
    merged: tuple[dict[str, Path], Path], cat1: Catalogue, ics: IcsConfig
) -> None:
    """The changes listed for a place sent again compare its workbook with Place data: if that
    was edited by hand since, the list is against the edited values, and the merge says so."""
    books, out = merged
    wb = openpyxl.load_workbook(out)
    _place_data_cell(wb, "Luton", "Lead").value = "Corrected by the ICS"  # 1.8: was Ann
    wb.save(out)
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    assert _edited(result.issues) == [
        "The 'Lead' column of Luton's rows on the Place data sheet changed since the previous "
        "merge wrote them (edited by hand?), so the input-changed rows of Luton compare its "
        "workbook with those values, not with what it sent before."
    ]
    assert [i.message for i in result.changes] == [
        "Luton, 1.8, Lead changed since the previous merge: 'Corrected by the ICS' → 'Ann'."
    ]


def _sort_place_data(wb: openpyxl.Workbook) -> None:
    ws = wb["Place data"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    for r, values in enumerate(reversed(rows), start=2):  # sorted by hand, Z to A
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value


def _forget_crc(wb: openpyxl.Workbook) -> None:
    """The metadata as a merge from before it recorded each unit's columns wrote it."""
    ws = wb["_ltpgap"]
    cells = {r[0].value: r[1] for r in ws.iter_rows()}
    for key in ("places", "ics_team"):
        units = json.loads(cells[key].value)
        for unit in units if isinstance(units, list) else [units]:
            unit.pop("crc")
        cells[key].value = json.dumps(units, ensure_ascii=False, separators=(",", ":"))
    cells["checksum"].value = ics_checksum({k: c.value for k, c in cells.items()})


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda wb: None, id="opened-and-saved"),
        pytest.param(_sort_place_data, id="sorted-by-hand"),
        pytest.param(_forget_crc, id="written-before-columns-were-recorded"),
    ],
)
def test_place_data_as_the_merge_wrote_it_is_not_taken_for_an_edit(
    merged: tuple[dict[str, Path], Path],
    cat1: Catalogue,
    ics: IcsConfig,
    edit: Callable[[openpyxl.Workbook], None],
) -> None:
    """Saved again, or sorted, Place data holds what the merge wrote: no warning. A workbook
    from before the merge recorded its columns has nothing to compare with, so a value changed
    in it is not named (as before), and the merge records them from then on."""
    books, out = merged
    wb = openpyxl.load_workbook(out)
    edit(wb)
    if edit is _forget_crc:
        _place_data_cell(wb, "Bedford Borough", "Status").value = "In progress"
    wb.save(out)
    result = merge_workbooks([books["luton"]], out=out, catalogue=cat1, ics=ics)
    assert _edited(result.issues) == []
    assert all(r.crc for r in read_ics_workbook(out).places if r.id in ("bedford", "luton"))
