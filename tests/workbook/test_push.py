"""`ltpgap push`: a new catalogue into live workbooks, matched by Para, nothing lost (SPEC §8)."""

from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from typer.testing import CliRunner

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.catalogue.migration import format_value, is_blank
from ltpgap.cli import app
from ltpgap.ics import IcsConfig
from ltpgap.issues import LtpgapError
from ltpgap.schema import COLUMNS
from ltpgap.workbook import build_workbook, fill_inputs, read_workbook
from ltpgap.workbook.migrate import push_catalogue

DATA = Path(__file__).resolve().parents[1] / "data"
V1_FILE, V2_FILE = DATA / "catalogue-v1.yaml", DATA / "catalogue-v2.yaml"
HEADER = {c.key: c.header for c in COLUMNS}
NOW = dt.datetime(2025, 4, 1, 9, 30)

TYPED: dict[str, dict[str, object]] = {
    "1.8": {"initiatives": "PCNs live", "status": "In place", "coverage": "Full"},
    "2.9": {
        "initiatives": "Smoke-free wards",
        "status": "In progress",
        "expected_delivery": dt.datetime(2024, 3, 31),
        "lead": "Dr A Patel",
    },
    "2.15": {"initiatives": "NDPP", "status": "In place", "lead": "Ann"},
    "2.16": {"initiatives": "Digital DPP", "status": "Planned", "lead": "Ann"},
    "3.10": {"status": "In progress", "expected_delivery": "Q4 20/21", "evidence": "Audit"},
    "3.52": {"initiatives": "MHST wave 1", "coverage": "Partial", "override_reason": "Staff"},
    "4.1": {"evidence": "Plan published", "not_applicable": "Yes"},
}
EXTRA = "Local lead"
#: What the place typed in a column of its own; "=1+1" and "-" were typed as text.
EXTRA_VALUES = {
    "2.9": "Public health",
    "3.52": "CAMHS",
    "4.1": "HR",
    "2.16": "Digital",
    "3.10": "=1+1",
    "1.8": "-",
}


@pytest.fixture(scope="module")
def v1() -> Catalogue:
    return load_catalogue(V1_FILE)


@pytest.fixture(scope="module")
def v2() -> Catalogue:
    return load_catalogue(V2_FILE)


def _shuffle_and_add_column(path: Path, seed: int) -> None:
    """Sort the rows into a random order and add a column of the place's own, as users do."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Gap analysis"]
    rows = [[(c.value, c.data_type) for c in r] for r in ws.iter_rows(min_row=2)]
    random.Random(seed).shuffle(rows)
    extra = ws.max_column + 1
    ws.cell(1, extra, EXTRA)
    for i, values in enumerate(rows, start=2):
        for j, (value, kind) in enumerate(values, start=1):
            cell = ws.cell(i, j)
            cell.value, cell.data_type = value, kind
        cell = ws.cell(i, extra, EXTRA_VALUES.get(str(values[0][0])))
        cell.data_type = "s" if cell.value is not None else cell.data_type
    wb.save(path)


@pytest.fixture
def luton(tmp_path: Path, v1: Catalogue, blmk: IcsConfig) -> Path:
    """Luton's v1 workbook, filled in, rows shuffled, with an extra column."""
    path = build_workbook(v1, blmk, "luton", out_path=tmp_path / "luton.xlsx")
    fill_inputs(path, TYPED)
    _shuffle_and_add_column(path, seed=3)
    return path


def _inputs(path: Path, catalogue: Catalogue) -> dict[str, dict[str, object]]:
    frame = read_workbook(path, catalogue=catalogue).inputs
    return {
        str(r["para"]): {k: v for k, v in r.items() if k not in ("para", "row") and not is_blank(v)}
        for r in frame.to_dict("records")
    }


def _retired(path: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path)["Retired"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_push_carries_every_input_by_para(luton: Path, v1: Catalogue, v2: Catalogue) -> None:
    before = _inputs(luton, v1)
    original = luton.read_bytes()
    done = push_catalogue(luton, v2, old=v1, now=NOW)
    assert done.written and done.backup is not None
    assert done.backup.read_bytes() == original
    after = _inputs(luton, v2)

    book = read_workbook(luton, catalogue=v2)
    assert list(book.inputs["para"]) == list(v2.ids)  # catalogue order again
    assert book.meta is not None and book.meta.intact
    assert (book.meta.catalogue_version, book.meta.catalogue_hash) == ("2.0.0", v2.content_hash)
    assert book.extra_headers == (EXTRA,)
    assert not [i for i in book.issues if i.severity.value == "error"]

    assert after["1.8"] == before["1.8"]  # unchanged
    assert after["2.9"] == before["2.9"]  # reworded: inputs kept, extra column too
    assert after["3.11"] == before["3.10"]  # renumbered: inputs moved
    assert after["3.52a"] == after["3.52b"] == before["3.52"]  # split: copied
    assert after["2.15"]["initiatives"] == "[2.15] NDPP; [2.16] Digital DPP"  # merged
    assert (after["2.15"]["status"], after["2.15"]["lead"]) == ("Planned", "Ann")
    assert after["2.15"][EXTRA] == "Digital"
    assert after["1.13"] == {} and "4.1" not in after  # added (blank) and retired
    # text typed as text comes back exactly, and is never turned into a formula
    assert (after["3.11"][EXTRA], after["1.8"][EXTRA]) == ("=1+1", "-")
    ws = openpyxl.load_workbook(luton)["Gap analysis"]
    assert {c.data_type for c in ws["V"][1:] if c.value is not None} == {"s"}

    [retired] = _retired(luton)
    assert retired["Para"] == "4.1" and retired["Title"] == "Workforce implementation plan"
    assert (retired["Evidence and notes"], retired["Not applicable"], retired[EXTRA]) == (
        "Plan published",
        "Yes",
        "HR",
    )
    assert retired["Catalogue it came from"] == "ltp-test 1.0.0"


def test_nothing_typed_is_lost(luton: Path, v1: Catalogue, v2: Catalogue) -> None:
    """Every non-blank input cell before the push is in its row, or in Retired, after it."""
    before = _inputs(luton, v1)
    plan = push_catalogue(luton, v2, old=v1, now=NOW).plan
    after, retired = _inputs(luton, v2), _retired(luton)
    for para, values in before.items():
        heirs = plan.successors[para]
        for key, value in values.items():
            header = HEADER.get(key, key)
            if not heirs:
                assert any(r["Para"] == para and r[header] == value for r in retired), (para, key)
            for heir in heirs:
                kept = after[heir].get(key)
                shown = format_value(value)
                assert shown in format_value(kept) or shown in str(after[heir].get("evidence"))


def test_split_and_merged_rows_are_flagged_in_checks(
    luton: Path, v1: Catalogue, v2: Catalogue
) -> None:
    push_catalogue(luton, v2, old=v1, now=NOW)
    wb = openpyxl.load_workbook(luton)
    ws = wb["Gap analysis"]
    checks = {r[0]: r[20] or "" for r in ws.iter_rows(min_row=2, values_only=True)}
    assert "3.52 was split into 3.52a, 3.52b" in checks["3.52a"]
    assert "3.52 was split into 3.52a, 3.52b" in checks["3.52b"]
    assert "merges 2.15, 2.16" in checks["2.15"]
    assert "split" not in checks["2.9"] and "merges" not in checks["2.9"]
    log = list(wb["Catalogue changes"].iter_rows(min_row=2, values_only=True))
    assert [(r[3], r[4]) for r in log] == [
        ("1.13", "added"),
        ("2.9", "reworded"),
        ("2.15", "merged"),
        ("3.11", "renumbered"),
        ("3.52a", "split"),
        ("3.52b", "split"),
        ("4.1", "retired"),
    ]
    assert wb["Gap analysis"].tables["GapAnalysis"].ref == "A1:V21"  # extra column inside
    read_me = [c for row in wb["Read me"].iter_rows(values_only=True) for c in row if c]
    assert "Catalogue ltp-test version 2.0.0" in read_me


def test_dry_run_changes_nothing(luton: Path, v1: Catalogue, v2: Catalogue) -> None:
    original = luton.read_bytes()
    done = push_catalogue(luton, v2, old=v1, dry_run=True)
    assert not done.written and done.migration is not None
    assert luton.read_bytes() == original
    assert sorted(p.name for p in luton.parent.iterdir()) == ["luton.xlsx"]
    assert "1 row would be moved to the Retired sheet" in done.describe()
    assert "Dry run: nothing was written." in done.describe()


def test_failure_before_replace_leaves_the_original(
    luton: Path, v1: Catalogue, v2: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = luton.read_bytes()

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ltpgap.workbook._atomic.os.replace", fail)
    with pytest.raises(OSError, match="No space left"):
        push_catalogue(luton, v2, old=v1, now=NOW)
    assert luton.read_bytes() == original
    leftovers = sorted(p.name for p in luton.parent.iterdir())
    assert leftovers == ["luton.20250401-093000.bak.xlsx", "luton.xlsx"]  # no temp file


def _with_chart(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Summary"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=5, max_col=4, max_row=6))
    ws.add_chart(chart, "M2")
    wb.save(path)


@pytest.mark.parametrize("dry_run", [False, True])
def test_workbook_openpyxl_cannot_round_trip_is_refused(
    luton: Path, v1: Catalogue, v2: Catalogue, dry_run: bool
) -> None:
    _with_chart(luton)
    original = luton.read_bytes()
    with pytest.raises(LtpgapError) as caught:
        push_catalogue(luton, v2, old=v1, dry_run=dry_run)
    [issue] = caught.value.issues
    assert issue.code == "unsafe-to-rewrite" and "charts" in issue.message
    assert "add-in" in issue.message
    assert luton.read_bytes() == original


def test_the_old_catalogue_must_be_the_one_recorded(
    luton: Path, v1: Catalogue, v2: Catalogue
) -> None:
    original = luton.read_bytes()
    with pytest.raises(LtpgapError) as caught:  # not the shipped catalogue: --from needed
        push_catalogue(luton, v2)
    [issue] = caught.value.issues
    assert issue.code == "catalogue-mismatch" and "--from" in issue.message
    assert "ltp-test 1.0.0" in issue.message
    with pytest.raises(LtpgapError) as caught:  # --from names another catalogue
        push_catalogue(luton, v2, old=replace(v1, content_hash="sha256:other"))
    assert caught.value.issues[0].code == "catalogue-mismatch"
    assert luton.read_bytes() == original


def test_pushing_the_same_catalogue_again_is_a_no_op(
    luton: Path, v1: Catalogue, v2: Catalogue
) -> None:
    push_catalogue(luton, v2, old=v1, now=NOW)
    pushed = luton.read_bytes()
    again = push_catalogue(luton, v2, now=NOW)
    assert again.up_to_date and not again.written
    assert "already on catalogue ltp-test 2.0.0" in again.describe()
    assert luton.read_bytes() == pushed


def test_a_second_push_appends_to_retired(luton: Path, v1: Catalogue, v2: Catalogue) -> None:
    push_catalogue(luton, v2, old=v1, now=NOW)
    v3 = replace(
        v2,
        info=replace(v2.info, version="3.0.0"),
        commitments=tuple(c for c in v2 if c.id != "2.9"),
        content_hash="sha256:v3",
    )
    push_catalogue(luton, v3, old=v2, now=NOW)
    retired = _retired(luton)
    assert [(r["Para"], r["Catalogue it came from"]) for r in retired] == [
        ("4.1", "ltp-test 1.0.0"),
        ("2.9", "ltp-test 2.0.0"),
    ]
    assert retired[1]["Initiatives"] == "Smoke-free wards" and retired[1][EXTRA] == "Public health"


def test_ics_team_workbook_keeps_only_ics_rows(
    tmp_path: Path, v1: Catalogue, v2: Catalogue, blmk: IcsConfig
) -> None:
    path = build_workbook(v1, blmk, "blmk", scope="ics", out_path=tmp_path / "blmk.xlsx")
    fill_inputs(path, {"5.26": {"status": "In place", "lead": "CIO"}})
    push_catalogue(path, v2, old=v1, now=NOW)
    book = read_workbook(path, catalogue=v2)
    assert book.scope == "ics"
    assert list(book.inputs["para"]) == [c.id for c in v2 if c.level == "ics"]
    assert _inputs(path, v2)["5.26"] == {"status": "In place", "lead": "CIO"}


def test_cli_push_dry_run_then_push(luton: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    original = luton.read_bytes()
    missing = tmp_path / "nowhere.xlsx"
    args = ["push", "--catalogue", str(V2_FILE), "--from", str(V1_FILE), str(luton)]
    result = runner.invoke(app, [*args, str(missing), "--dry-run"])
    assert result.exit_code == 1  # one workbook could not be read
    assert "3.52 → 3.52a, 3.52b" in result.output
    assert "Dry run: nothing was written." in result.output
    assert "1 of 2 workbook(s) not pushed" in result.output
    assert luton.read_bytes() == original
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "previous version kept as" in result.output
    assert read_workbook(luton).meta.catalogue_version == "2.0.0"  # type: ignore[union-attr]


def test_cli_push_asks_for_from(luton: Path) -> None:
    result = CliRunner().invoke(app, ["push", "--catalogue", str(V2_FILE), str(luton)])
    assert result.exit_code == 1
    assert "catalogue-mismatch" in result.output and "--from" in result.output


def test_cli_push_has_help() -> None:
    result = CliRunner().invoke(app, ["push", "--help"])
    assert result.exit_code == 0
    for option in ("--catalogue", "--from", "--dry-run", "--no-backup"):
        assert option in result.output


def test_inputs_survive_whatever_the_row_order(
    tmp_path: Path, v1: Catalogue, v2: Catalogue, blmk: IcsConfig
) -> None:
    results = []
    for seed in (1, 2):
        folder = tmp_path / str(seed)
        folder.mkdir()
        path = build_workbook(v1, blmk, "luton", out_path=folder / "luton.xlsx")
        fill_inputs(path, TYPED)
        _shuffle_and_add_column(path, seed)
        push_catalogue(path, v2, old=v1, now=NOW, backup=False)
        results.append(_inputs(path, v2))
        assert sorted(os.listdir(folder)) == ["luton.xlsx"]
    assert results[0] == results[1]


def test_the_shipped_catalogue_is_the_default_old_one(
    tmp_path: Path, catalogue: Catalogue, blmk: IcsConfig
) -> None:
    """A workbook built from the shipped catalogue needs no --from."""
    path = build_workbook(catalogue, blmk, "bedford", out_path=tmp_path / "bedford.xlsx")
    first, second = catalogue.commitments[:2]
    fill_inputs(path, {first.id: {"initiatives": "Kept"}, second.id: {"lead": "Retired lead"}})
    newer = replace(
        catalogue,
        info=replace(catalogue.info, version="9.0.0"),
        commitments=tuple(c for c in catalogue if c.id != second.id),
        content_hash="sha256:newer",
    )
    done = push_catalogue(path, newer, now=NOW)
    assert done.plan.old is not newer and done.plan.counts["retired"] == 1
    assert _inputs(path, newer)[first.id] == {"initiatives": "Kept"}
    assert [(r["Para"], r["Lead"]) for r in _retired(path)] == [(second.id, "Retired lead")]


def test_inputs_left_on_retired_are_named_when_read_and_merged(
    luton: Path, v1: Catalogue, v2: Catalogue, blmk: IcsConfig, tmp_path: Path
) -> None:
    """4.1 left the catalogue, so its inputs moved to Retired: they count nowhere, and a merge
    does not copy them, so reading the workbook (check, merge) says so, where they are."""
    from ltpgap.merge import merge_workbooks

    assert not [i for i in read_workbook(luton, catalogue=v1).issues if i.code == "retired-inputs"]
    push_catalogue(luton, v2, old=v1, now=NOW)
    [note] = [i for i in read_workbook(luton, catalogue=v2).issues if i.code == "retired-inputs"]
    assert (note.severity.value, note.where.sheet, note.where.cell) == ("info", "Retired", "A2")
    assert note.message.startswith("1 row(s) on the Retired sheet hold inputs (Para 4.1)")
    result = merge_workbooks([luton], out=tmp_path / "ICS.xlsx", catalogue=v2, ics=blmk)
    assert note in result.issues
