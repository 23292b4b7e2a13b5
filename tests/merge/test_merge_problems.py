"""Every problem named: duplicates, strangers, conflicts, other catalogues, bad files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lockkit import excel_lock_file
from mergekit import V1, V2, copy_books, sheet_rows, type_inputs
from typer.testing import CliRunner

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.cli import app
from ltpgap.ics import IcsConfig, Place
from ltpgap.issues import LtpgapError
from ltpgap.merge import merge_workbooks
from ltpgap.workbook import build_workbook

runner = CliRunner()


def invoke(*args: object) -> Any:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def books(tmp_path: Path, blanks: dict[str, Path]) -> dict[str, Path]:
    """Fresh copies of the five blank workbooks, Luton and Bedford with a little typed in."""
    books = copy_books(blanks, tmp_path / "books")
    type_inputs(books["luton"], {"1.8": {"status": "In place", "coverage": "Full"}})
    type_inputs(books["bedford"], {"1.8": {"status": "None"}})
    return books


def _codes(exc: LtpgapError) -> set[tuple[str, str]]:
    return {(i.code, Path(i.where.file or "").name) for i in exc.issues}


def _dtd_copy(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "b">]>' + data
            zout.writestr(info, data)
    return dst


def test_the_same_place_twice(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    """Neither is merged, and each message gives both files' saved times: the ICS lead has to
    pick one."""
    again = tmp_path / "luton-v2.xlsx"
    shutil.copy(books["luton"], again)
    type_inputs(again, {"2.9": {"status": "Planned"}})
    os.utime(books["luton"], (1_704_067_200, 1_704_067_200))  # 2024-01-01 00:00 UTC
    os.utime(again, (1_704_445_920, 1_704_445_920))  # 2024-01-05 09:12 UTC
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks(
            [books["luton"], again, books["bedford"]],
            out=tmp_path / "ICS.xlsx",
            catalogue=cat1,
            ics=ics,
        )
    assert {("duplicate-place", "luton.xlsx"), ("duplicate-place", "luton-v2.xlsx")} <= _codes(
        caught.value
    )
    assert not (tmp_path / "ICS.xlsx").exists()
    said = {
        Path(i.where.file or "").name: i.message
        for i in caught.value.issues
        if i.code == "duplicate-place"
    }
    assert "this one (saved 2024-01-01 00:00 UTC)" in said["luton.xlsx"]
    assert "luton-v2.xlsx (saved 2024-01-05 09:12 UTC)" in said["luton.xlsx"]
    assert "this one (saved 2024-01-05 09:12 UTC)" in said["luton-v2.xlsx"]
    assert "usually the one saved last" in said["luton-v2.xlsx"]


def test_the_same_file_twice_is_read_once(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    copy = Path(shutil.copy(books["luton"], tmp_path / "luton (copy).xlsx"))
    result = merge_workbooks(
        [books["luton"], copy], out=tmp_path / "ICS.xlsx", catalogue=cat1, ics=ics
    )
    notes = [i for i in result.issues if i.code == "duplicate-place"]
    assert len(notes) == 1 and notes[0].severity.value == "warning"
    assert [s.unit_id for s in result.submitted()] == ["luton"]


def test_a_place_not_in_the_ics(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    bigger = IcsConfig(
        id="blmk",
        name=ics.name,
        places=(*ics.places, Place(id="dunstable", name="Dunstable", population=40_000)),
    )
    stranger = build_workbook(cat1, bigger, "dunstable", out_path=tmp_path / "dunstable.xlsx")
    other = IcsConfig(
        id="herts", name="Herts", places=(Place(id="luton", name="Luton", population=1),)
    )
    foreign = build_workbook(cat1, other, "luton", out_path=tmp_path / "x" / "luton.xlsx")
    team = build_workbook(cat1, other, "herts", scope="ics", out_path=tmp_path / "herts.xlsx")
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks(
            [books["bedford"], stranger, foreign, team],
            out=tmp_path / "ICS.xlsx",
            catalogue=cat1,
            ics=ics,
        )
    codes = _codes(caught.value)
    assert {
        ("place-not-in-ics", "dunstable.xlsx"),
        ("place-not-in-ics", "luton.xlsx"),
        ("place-not-in-ics", "herts.xlsx"),
    } <= codes
    messages = " ".join(i.message for i in caught.value.issues)
    assert "not a place of Bedfordshire" in messages and "made for ICS 'herts'" in messages


def test_metadata_and_file_name_conflict(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    misnamed = Path(shutil.copy(books["luton"], tmp_path / "milton_keynes.xlsx"))
    out = tmp_path / "ICS.xlsx"
    merge_workbooks([misnamed, books["bedford"]], out=out, catalogue=cat1, ics=ics)
    checks = sheet_rows(out, "Checks")
    conflict = [r for r in checks if r["Code"] == "place-name-conflict"]
    assert conflict and conflict[0]["Workbook"] == "milton_keynes.xlsx"
    assert "luton" in conflict[0]["Message"]
    row = next(r for r in sheet_rows(out, "ICS matrix") if r["Para"] == "1.8")
    assert (row["Luton"], row["Milton Keynes"]) == ("Green", "Not assessed")  # metadata wins


def test_a_workbook_without_metadata_is_refused_in_one_account(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    """The reader's warning says the place was taken from the file name, but the merge takes
    no place from a file name: only the merge's error is given, never both."""
    bare = tmp_path / "bare" / "luton.xlsx"
    bare.parent.mkdir()
    wb = openpyxl.load_workbook(books["luton"])
    del wb["_ltpgap"]
    wb.save(bare)
    result = merge_workbooks(
        [bare, books["bedford"]],
        out=tmp_path / "ICS.xlsx",
        catalogue=cat1,
        ics=ics,
        keep_going=True,
    )
    said = [i for i in result.issues if i.code == "no-metadata"]
    assert [(i.severity.value, i.where.file) for i in said] == [("error", str(bare))]
    assert "will not guess it from the file name" in said[0].message
    checks = [r for r in sheet_rows(tmp_path / "ICS.xlsx", "Checks") if r["Code"] == "no-metadata"]
    assert [r["Message"] for r in checks] == [said[0].message]


def test_another_catalogue_version(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    v2 = load_catalogue(V2)
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks([books["luton"]], out=tmp_path / "ICS.xlsx", catalogue=v2, ics=ics)
    assert ("catalogue-mismatch", "luton.xlsx") in _codes(caught.value)
    mismatch = next(i for i in caught.value.issues if i.code == "catalogue-mismatch")
    assert "--from" in mismatch.message
    assert not any(i.code == "missing-para" for i in caught.value.issues)
    result = merge_workbooks(
        [books["luton"], books["bedford"]],
        out=tmp_path / "ICS.xlsx",
        catalogue=v2,
        ics=ics,
        from_catalogues=[cat1],
    )
    migrated = [i for i in result.issues if i.code == "catalogue-migrated"]
    assert {Path(i.where.file or "").name for i in migrated} == {"luton.xlsx", "bedford.xlsx"}
    assert result.rollup.frame["para"].tolist() == list(v2.ids)
    luton = next(s for s in result.submissions if s.unit_id == "luton")
    assert luton.migrated_from == "ltp-test 1.0.0" and luton.ref.catalogue_version == "1.0.0"


def test_migration_flags_in_a_merge_say_what_the_merge_did(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    """Merging a 1.0.0 workbook with catalogue 2.0.0 changes no file and writes no Retired
    sheet: the flags say where the inputs are (Place data), that `ltpgap push` makes the change
    in the place's workbook, and point at the row of the place's workbook they come from."""
    type_inputs(
        books["luton"],
        {
            "4.1": {"status": "In place", "lead": "Retired lead"},
            "3.52": {"status": "Planned"},
            "2.15": {"status": "In place"},
            "2.16": {"status": "None"},
        },
    )
    before = books["luton"].read_bytes()
    out = tmp_path / "ICS.xlsx"
    result = merge_workbooks(
        [books["luton"]], out=out, catalogue=load_catalogue(V2), ics=ics, from_catalogues=[cat1]
    )
    assert books["luton"].read_bytes() == before
    row = {c.id: i for i, c in enumerate(cat1, start=2)}
    flags = {(i.code, i.commitment): i for i in result.issues if i.code.startswith("migration-")}
    assert {k: (i.where.sheet, i.where.cell) for k, i in flags.items()} == {
        ("migration-retired", "4.1"): ("Gap analysis", f"A{row['4.1']}"),
        ("migration-split", "3.52a"): ("Gap analysis", f"A{row['3.52']}"),
        ("migration-split", "3.52b"): ("Gap analysis", f"A{row['3.52']}"),
        ("migration-merged", "2.15"): ("Gap analysis", f"A{row['2.15']}"),
    }
    for issue in flags.values():
        assert Path(issue.where.file or "").name == "luton.xlsx"
        assert "moved to the Retired" not in issue.message and "were copied" not in issue.message
        assert "`ltpgap push`" in issue.message, issue.message
    assert "Place data" in flags[("migration-retired", "4.1")].message
    kept = [r for r in sheet_rows(out, "Place data") if r["Para"] == "4.1"]
    assert [r["Lead"] for r in kept] == ["Retired lead"]  # where the message says it is
    assert "Retired" not in openpyxl.load_workbook(out).sheetnames


@pytest.mark.parametrize("given", [True, False], ids=["with-from", "without-from"])
def test_a_different_catalogue_is_not_migrated(
    books: dict[str, Path], ics: IcsConfig, tmp_path: Path, catalogue: Catalogue, given: bool
) -> None:
    """The metadata names the catalogue (ltp-test, not ltp-2019), so the first message says
    they differ, with or without --from: advice to pass --from would only lead to this one."""
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks(
            [books["luton"]],
            out=tmp_path / "ICS.xlsx",
            catalogue=catalogue,
            ics=ics,
            from_catalogues=[load_catalogue(V1)] if given else [],
        )
    issue = next(i for i in caught.value.issues if i.code == "catalogue-mismatch")
    assert "'ltp-test' and 'ltp-2019' are different catalogues" in issue.message
    assert "--from" not in issue.message and "not known here" not in issue.message


@pytest.mark.parametrize("kind", ["text", "dtd", "empty", "missing"])
def test_a_file_that_fails_the_gate(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / "central_beds.xlsx"
    if kind == "text":
        bad.write_text("Para,Initiatives\n1.8,stuff\n")
    elif kind == "dtd":
        _dtd_copy(books["central_beds"], bad)
    elif kind == "empty":
        bad.write_bytes(b"")
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks([books["luton"], bad], out=tmp_path / "ICS.xlsx", catalogue=cat1, ics=ics)
    expected = {
        "text": "gate-not-xlsx",
        "dtd": "gate-dtd",
        "empty": "gate-not-xlsx",
        "missing": "file-not-found",
    }[kind]
    assert any(
        code.startswith(expected.split("-")[0]) and name == "central_beds.xlsx"
        for code, name in _codes(caught.value)
    ), _codes(caught.value)
    assert not (tmp_path / "ICS.xlsx").exists()


def test_unreadable_file_among_good_ones_cli(books: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "milton_keynes.xlsx"
    bad.write_bytes(b"\x00\x01 not a workbook at all")
    out = tmp_path / "ICS.xlsx"
    files = [books["luton"], books["bedford"], bad, books["blmk"]]
    cat = ("--catalogue", str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml"))
    refused = invoke("merge", *files, "--out", out, *cat)
    assert refused.exit_code == 1
    assert "milton_keynes.xlsx" in refused.output and "nothing was written" in refused.output
    assert not out.exists()
    merged = invoke("merge", *files, "--out", out, *cat, "--keep-going")
    assert merged.exit_code == 1, merged.output  # a workbook was unusable, as above
    assert "Wrote" in merged.output and "1 skipped" in merged.output
    checks = sheet_rows(out, "Checks")
    skipped = [r for r in checks if r["Code"] == "place-skipped"]
    assert [r["Workbook"] for r in skipped] == ["milton_keynes.xlsx"]
    assert skipped[0]["Severity"] == "error"
    gate = [r for r in checks if r["Code"].startswith("gate-")]
    assert [r["Workbook"] for r in gate] == ["milton_keynes.xlsx"]
    # the skipped row points at the file's own errors by code instead of repeating them
    assert f"({gate[0]['Code']})" in skipped[0]["Message"]
    assert gate[0]["Message"] not in skipped[0]["Message"]
    assert "milton_keynes.xlsx" not in gate[0]["Message"]  # the location names the file
    row = next(r for r in sheet_rows(out, "ICS matrix") if r["Para"] == "1.8")
    assert (row["Luton"], row["Bedford Borough"], row["Milton Keynes"]) == (
        "Green",
        "Red",
        "Not assessed",
    )
    assert "place-skipped" in merged.output


@pytest.mark.parametrize("keep_going", [False, True])
def test_a_folder_among_the_workbooks_is_one_more_unusable_input(
    books: dict[str, Path], tmp_path: Path, keep_going: bool
) -> None:
    """`returns/*` can pick up a sub-folder: it is named like a missing file (a problem with a
    code, exit 1), not a usage error (exit 2) that stops --keep-going merging the others."""
    folder = tmp_path / "old versions.xlsx"
    folder.mkdir()
    out = tmp_path / "ICS.xlsx"
    cat = ("--catalogue", str(V1))
    flags = ("--keep-going",) if keep_going else ()
    done = invoke("merge", books["luton"], folder, books["bedford"], "--out", out, *cat, *flags)
    said = " ".join(done.output.split())
    assert done.exit_code == 1, done.output
    assert "old versions.xlsx: this is a folder, not a workbook file" in said
    assert "(gate-not-xlsx)" in said
    assert out.exists() is keep_going
    if keep_going:
        assert "2 workbook(s) merged" in said and "1 skipped" in said
        checks = [r for r in sheet_rows(out, "Checks") if r["Workbook"] == folder.name]
        assert {r["Code"] for r in checks} == {"gate-not-xlsx", "place-skipped"}
        readme = {
            r[0]: r[1] for r in openpyxl.load_workbook(out)["Read me"].iter_rows(values_only=True)
        }
        assert readme["Milton Keynes"] == "not submitted: counts as Not assessed."  # no one's


def test_an_error_inside_a_merged_workbook_is_written_and_exits_1(
    books: dict[str, Path], tmp_path: Path
) -> None:
    """Luton renamed its Initiatives header: the workbook is still merged (its values are
    kept on Place data, under that header), but its RAGs read Initiatives as blank, so the
    error is listed, counted on the last line, and the exit code is 1 for a script to see.
    Without errors the same merge exits 0."""
    cat = ("--catalogue", str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml"))
    out = tmp_path / "ICS.xlsx"
    clean = invoke("merge", books["luton"], books["bedford"], "--out", out, *cat, "--no-db")
    assert clean.exit_code == 0, clean.output
    type_inputs(books["luton"], {"2.9": {"initiatives": "Smoke-free wards"}})
    wb = openpyxl.load_workbook(books["luton"])
    header = next(c for c in wb["Gap analysis"][1] if c.value == "Initiatives")
    header.value = "Initiatives (current or planned)"
    wb.save(books["luton"])
    done = invoke("merge", books["luton"], books["bedford"], "--out", out, *cat, "--no-db")
    assert done.exit_code == 1, done.output
    said = " ".join(done.output.split())
    assert "missing-column" in said and "1 of them error(s)" in said and "Wrote" in said
    data = sheet_rows(out, "Place data")
    assert "Smoke-free wards" in [r.get("Initiatives (current or planned)") for r in data]


def test_ics_option_takes_the_ics_file_the_team_workbook_or_both(
    books: dict[str, Path], ics: IcsConfig, tmp_path: Path
) -> None:
    type_inputs(books["blmk"], {"5.26": {"status": "In place", "coverage": "Full"}})
    assert ics.path is not None
    renamed = tmp_path / "renamed.yaml"
    text = Path(ics.path).read_text(encoding="utf-8")
    assert f'name: "{ics.name}"' in text
    renamed.write_text(text.replace(f'name: "{ics.name}"', "name: Renamed ICS", 1), "utf-8")
    places = [books[u] for u in ("bedford", "central_beds", "luton", "milton_keynes")]
    common = ("--catalogue", V1, "--no-db")
    runs = {
        "listed": ("merge", *places, books["blmk"]),
        "option": ("merge", *places, "--ics", books["blmk"]),
        "both": ("merge", *places, "--ics", renamed, "--ics", books["blmk"]),
        # known by its content whatever its name
        "unnamed": ("merge", *places, "--ics", shutil.copy(books["blmk"], tmp_path / "team")),
    }
    matrices = {}
    for name, args in runs.items():
        out = tmp_path / f"{name}.xlsx"
        result = invoke(*args, "--out", out, *common)
        assert result.exit_code == 0, result.output
        assert "5 workbook(s) merged" in " ".join(result.output.split())
        matrices[name] = sheet_rows(out, "ICS matrix")
    assert matrices["listed"] == matrices["option"] == matrices["both"] == matrices["unnamed"]
    row = next(r for r in matrices["option"] if r["Para"] == "5.26")
    assert row["ICS RAG"] == "Green"  # assessed once, in the ICS team's workbook
    again = invoke(*runs["both"], "--out", tmp_path / "again.xlsx", *common)
    assert "Renamed ICS: RAG per place" in " ".join(again.output.split())
    two = invoke(
        "merge", *places, "--ics", ics.path, "--ics", renamed, "--out", tmp_path / "x.xlsx"
    )
    assert two.exit_code == 2 and "give one ICS file" in " ".join(two.output.split())
    assert not (tmp_path / "x.xlsx").exists()


def test_a_workbook_given_for_a_yaml_file_is_named(books: dict[str, Path], tmp_path: Path) -> None:
    result = invoke(
        "merge", books["luton"], "--catalogue", books["blmk"], "--out", tmp_path / "x.xlsx"
    )
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "blmk.xlsx: this is an Excel workbook" in said and "(not-yaml)" in said


def test_an_ics_workbook_is_not_a_place_workbook(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    first = tmp_path / "first.xlsx"
    merge_workbooks([books["luton"]], out=first, catalogue=cat1, ics=ics)
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks(
            [books["bedford"], first], out=tmp_path / "ICS.xlsx", catalogue=cat1, ics=ics
        )
    assert ("not-a-place-workbook", "first.xlsx") in _codes(caught.value)


def test_out_must_be_an_ics_workbook_of_this_ics(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    target = Path(shutil.copy(books["bedford"], tmp_path / "ICS.xlsx"))
    before = target.read_bytes()
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks([books["luton"]], out=target, catalogue=cat1, ics=ics)
    refusal = caught.value.issues[0]
    assert refusal.code == "file-exists"
    assert refusal.message == (
        "--out names an existing file that ltpgap cannot update: this is the place workbook of "
        "Bedford Borough (one place's inputs), not an ICS workbook written by `ltpgap merge` or "
        "`ltpgap rollup`. Choose another --out, or move the file away."
    )
    assert target.read_bytes() == before


def test_the_output_among_the_inputs_is_left_out(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    out = books["luton"].parent / "ICS.xlsx"
    merge_workbooks(list(books.values()), out=out, catalogue=cat1, ics=ics)
    again = merge_workbooks([*books.values(), out], out=out, catalogue=cat1, ics=ics)
    assert len(again.submitted()) == 5 and not again.skipped


def test_missing_places_are_named(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    result = merge_workbooks([books["luton"]], out=tmp_path / "ICS.xlsx", catalogue=cat1, ics=ics)
    missing = {
        i.message.split(" ('")[0].removeprefix("no workbook was given for ")
        for i in result.issues
        if i.code == "place-missing"
    }
    assert missing == {"Bedford Borough", "Central Bedfordshire", "Milton Keynes", ics.name}
    # each one points at the line of the ICS file that lists that place (or the ics: block)
    assert ics.path is not None
    lines = Path(ics.path).read_text(encoding="utf-8").splitlines()
    for issue in (i for i in result.issues if i.code == "place-missing"):
        unit = issue.message.split(" ('")[1].split("')")[0]
        assert issue.where.file == ics.path and issue.where.line is not None
        listed = lines[issue.where.line - 1]
        assert f"id: {unit}," in listed, (unit, listed)
        assert f"{ics.path}:{issue.where.line}: " in str(issue)


def test_real_entry_point(books: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "ICS.xlsx"
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    command = [
        sys.executable,
        "-m",
        "ltpgap",
        "merge",
        *map(str, books.values()),
        "--out",
        str(out),
        "--catalogue",
        cat,
    ]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Wrote" in proc.stdout and "ICS RAG" in proc.stdout
    # plain progress lines when not a terminal, each whole however long the path (no wrapping)
    assert proc.stderr.count("reading ") == 5
    lines = proc.stderr.splitlines()
    assert all(f"reading {path}: ok" in lines for path in books.values()), lines
    quiet = subprocess.run([*command, "--quiet"], capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0 and "reading" not in quiet.stderr and "ICS RAG" not in quiet.stdout


@pytest.mark.parametrize("jobs", ["0", "-2"])
def test_jobs_below_one_is_refused(books: dict[str, Path], tmp_path: Path, jobs: str) -> None:
    done = runner.invoke(
        app, ["merge", str(books["luton"]), "--out", str(tmp_path / "I.xlsx"), "--jobs", jobs]
    )
    assert done.exit_code == 2 and "--jobs" in done.output
    assert not (tmp_path / "I.xlsx").exists()


def test_an_ics_workbook_open_in_excel_is_named_with_what_to_do(
    books: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows, replacing a workbook Excel has open fails with 'permission denied': the
    message names the workbook and says to close it, and the earlier merge is left whole."""
    out = tmp_path / "ICS.xlsx"
    common = ("--catalogue", V1, "--no-db", "-q", "--out", out)
    assert invoke("merge", books["luton"], *common).exit_code == 0
    before = out.read_bytes()

    def locked(src: Any, dst: Any, **_: Any) -> None:
        raise PermissionError(13, "Permission denied", str(src), None, str(dst))

    monkeypatch.setattr(os, "replace", locked)
    result = invoke("merge", books["luton"], books["bedford"], *common)
    assert str(out) in result.output  # whole, however long the path: never wrapped
    said = " ".join(result.output.split())
    assert result.exit_code == 1
    assert f"ltpgap: {out} cannot be opened or replaced (permission denied)" in said
    assert "open in Excel" in said and "close it" in said
    assert out.read_bytes() == before
    assert not list(tmp_path.glob(".*"))  # no temporary file left beside it


def test_excel_lock_files_picked_up_with_the_workbooks_are_left_out(
    books: dict[str, Path], tmp_path: Path
) -> None:
    """`ltpgap merge places/*.xlsx` while Luton's workbook (and the ICS workbook) are open in
    Excel picks up Excel's '~$' lock files: the merge goes on without them and says, for each,
    whose open workbook it is and what that means for this merge."""
    folder = books["luton"].parent
    out = folder / "ICS.xlsx"
    locks = [
        excel_lock_file(folder, "luton.xlsx"),
        excel_lock_file(folder, "ICS.xlsx", "A. N. Lead"),
    ]
    stray = excel_lock_file(folder, "old plan.xlsx", "")
    result = invoke(
        "merge", books["luton"], books["bedford"], *locks, stray,
        "--catalogue", V1, "--no-db", "--out", out,
    )  # fmt: skip
    said = " ".join(result.output.split())
    assert result.exit_code == 0, said
    assert "2 workbook(s) merged" in said and "0 skipped" in said
    assert (
        "~$luton.xlsx: this is the lock file Excel keeps while luton.xlsx is open (by Jane "
        "Smith), not a workbook, so it was left out of the merge. luton.xlsx was merged as last "
        "saved" in said
    )
    assert "while ICS.xlsx is open (by A. N. Lead)" in said and "close it in Excel" in said
    assert "while old plan.xlsx is open, not a workbook, so it was left out of the merge. (" in said
    checks = [r for r in sheet_rows(out, "Checks") if r["Code"] == "excel-lock-file"]
    assert sorted(r["Workbook"] for r in checks) == sorted(p.name for p in [*locks, stray])
    assert {r["Severity"] for r in checks} == {"warning"}
    reading = [line for line in result.output.splitlines() if line.startswith("reading ")]
    assert len(reading) == 5  # every file given counts on the progress bar


def test_workbooks_open_in_excel_are_named_when_their_lock_files_were_not_given(
    books: dict[str, Path], tmp_path: Path
) -> None:
    """Given by name (no glob to pick up the lock files), the workbooks Excel has open are
    still found, by the lock file beside each: Luton's is merged as last saved, and the ICS
    workbook, replaced where the system allows it (not Windows), must be closed without saving."""
    folder = books["luton"].parent
    out = folder / "ICS.xlsx"
    common = ("--catalogue", V1, "--no-db", "--out", out)
    assert invoke("merge", books["bedford"], *common).exit_code == 0
    excel_lock_file(folder, "luton.xlsx")
    excel_lock_file(folder, "ICS.xlsx", "A. N. Lead")
    result = invoke("merge", books["luton"], books["bedford"], *common)
    said = " ".join(result.output.split())
    assert result.exit_code == 0, said
    assert (
        "luton.xlsx is open in Excel (by Jane Smith): it was merged as last saved; changes not "
        "yet saved in Excel are not in this merge." in said
    )
    assert (
        "ICS.xlsx is open in Excel (by A. N. Lead): this merge writes it: close it in Excel "
        "without saving (saving it would overwrite this merge) and open it again." in said
    )
    checks = [r for r in sheet_rows(out, "Checks") if r["Code"] == "workbook-open"]
    assert sorted(r["Workbook"] for r in checks) == ["ICS.xlsx", "luton.xlsx"]
    assert {r["Severity"] for r in checks} == {"warning"}
    (folder / "~$luton.xlsx").unlink()
    (folder / "~$ICS.xlsx").unlink()
    again = invoke("merge", books["luton"], books["bedford"], *common)
    assert again.exit_code == 0 and "workbook-open" not in again.output


@pytest.mark.parametrize("command", ["recompute", "push"])
def test_a_place_workbook_open_in_excel_is_rewritten_with_a_warning(
    books: dict[str, Path], command: str
) -> None:
    """Where Excel does not stop the file being replaced, the planner is told to close it
    without saving: saving it from Excel would put back what was there before."""
    path = books["luton"]
    before = path.read_bytes()
    excel_lock_file(path.parent, path.name)
    args = ["--catalogue", V2, "--from", V1] if command == "push" else []  # rewritten
    result = invoke(command, path, *args, "--no-backup")
    said = " ".join(result.output.split())
    assert result.exit_code == 0, said
    assert "luton.xlsx is open in Excel (by Jane Smith): close it there without saving" in said
    assert "workbook-open" in said
    (path.parent / f"~${path.name}").unlink()
    path.write_bytes(before)  # rewritten again, now closed (a second push would change nothing)
    again = invoke(command, path, *args, "--no-backup")
    assert again.exit_code == 0 and "workbook-open" not in again.output


def test_check_passes_over_a_lock_file_with_a_warning(tmp_path: Path) -> None:
    lock = excel_lock_file(tmp_path, "bedford.xlsx")
    result = invoke("check", lock)
    said = " ".join(result.output.split())
    assert result.exit_code == 0, said
    assert "excel-lock-file" in said and "while bedford.xlsx is open (by Jane Smith)" in said


@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "workers"])
def test_a_reader_failure_nobody_foresaw_is_one_unusable_file(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path, jobs: int
) -> None:
    """An exception the reader does not foresee, on one file of many, is that file's
    problem (unreadable-workbook, with what went wrong), not a traceback that stops the
    merge: without --keep-going nothing is written; with it the others are merged."""
    from ltpgap.merge._collect import default_reader

    def reader(path: Path, catalogue: Catalogue) -> Any:
        if path.name == "bedford.xlsx":
            raise RuntimeError("a case nobody foresaw")
        return default_reader(path, catalogue)

    paths = [books["luton"], books["bedford"]]
    out = tmp_path / "ICS.xlsx"
    options: dict[str, Any] = {"catalogue": cat1, "ics": ics, "jobs": jobs, "reader": reader}
    with pytest.raises(LtpgapError) as caught:
        merge_workbooks(paths, out=out, **options)
    (issue,) = caught.value.issues
    assert issue.code == "unreadable-workbook" and issue.where.file == str(books["bedford"])
    assert "(RuntimeError: a case nobody foresaw)" in issue.message and not out.exists()
    result = merge_workbooks(paths, out=out, keep_going=True, **options)
    assert [s.unit_id for s in result.submitted()] == ["luton"]
    assert result.skipped == (books["bedford"],)


def test_a_migrating_merge_names_a_para_typed_twice_or_unknown_once(
    books: dict[str, Path], cat1: Catalogue, ics: IcsConfig, tmp_path: Path
) -> None:
    """The reader names such a row at its cell; the migration, which leaves it out, used to
    list the same row again on Checks, without a cell."""
    type_inputs(books["luton"], {"2.9": {"status": "In place"}})
    wb = openpyxl.load_workbook(books["luton"])
    ws = wb["Gap analysis"]
    initiatives = next(c.column_letter for c in ws[1] if c.value == "Initiatives")
    for para in ("2.9", "9.99"):
        row = ws.max_row + 1
        ws[f"A{row}"], ws[f"{initiatives}{row}"] = para, f"typed under {para}"
    wb.save(books["luton"])
    result = merge_workbooks(
        [books["luton"]],
        out=tmp_path / "ICS.xlsx",
        catalogue=load_catalogue(V2),
        ics=ics,
        from_catalogues=[cat1],
        keep_going=True,
    )
    named = [
        (i.code, i.commitment)
        for i in result.issues
        if i.code in ("duplicate-para", "unknown-para") and i.commitment in ("2.9", "9.99")
    ]
    assert sorted(named) == [("duplicate-para", "2.9"), ("unknown-para", "9.99")]
    rows = [r for r in sheet_rows(tmp_path / "ICS.xlsx", "Checks") if r["Para"] in ("2.9", "9.99")]
    assert sorted(r["Code"] for r in rows if r["Code"] in ("duplicate-para", "unknown-para")) == [
        "duplicate-para",
        "unknown-para",
    ]


def test_a_folder_skipped_in_a_re_merge_is_not_said_to_be_a_places(
    books: dict[str, Path], tmp_path: Path
) -> None:
    """A folder is no place's file: its place-skipped note says what to do with a folder, and
    not that 'its place' keeps the data of the previous merge."""
    out = tmp_path / "ICS.xlsx"
    cat = ("--catalogue", str(V1))
    assert invoke("merge", books["luton"], "--out", out, *cat, "--no-db").exit_code == 0
    folder = tmp_path / "old versions"
    folder.mkdir()
    done = invoke("merge", books["luton"], folder, "--out", out, *cat, "--no-db", "--keep-going")
    assert done.exit_code == 1, done.output
    (note,) = [r for r in sheet_rows(out, "Checks") if r["Code"] == "place-skipped"]
    assert note["Message"] == (
        "old versions was not merged because of 1 error(s) listed for it (gate-not-xlsx); give "
        "the workbooks in it, or leave it out and merge again."
    )
