"""`ltpgap rollup`: ICS workbooks → region → national, SPEC §6 upward (checked independently)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lockkit import excel_lock_file
from mergekit import V2, blank_books, printed_rows, sheet_rows, type_inputs
from oracle import ics_rag
from typer.testing import CliRunner

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.cli import app
from ltpgap.ics import IcsConfig, Place, Rules
from ltpgap.issues import LtpgapError
from ltpgap.merge import merge_workbooks, read_ics_workbook, rollup_workbooks
from ltpgap.merge._typed_over import gaps_edited, typed_over
from ltpgap.schema import RAG_VALUES, cell_text

HERTS = IcsConfig(
    id="herts",
    name="Hertfordshire and West Essex",
    places=(
        Place(id="east_north", name="East and North Herts", population=560_000),
        Place(id="west_essex", name="West Essex", population=310_000),
    ),
)


@pytest.fixture(scope="module")
def two_ics(
    tmp_path_factory: pytest.TempPathFactory, cat1: Catalogue, ics: IcsConfig
) -> dict[str, Path]:
    """ICS workbooks of BLMK and of a second ICS, from varied inputs."""
    root = tmp_path_factory.mktemp("rollup")
    out = {}
    plans: dict[str, tuple[IcsConfig, dict[str, dict[str, dict[str, Any]]]]] = {
        "blmk": (
            ics,
            {
                "luton": {
                    "1.8": {"status": "None"},
                    "2.9": {"status": "In place", "coverage": "Full"},
                },
                "bedford": {
                    "1.8": {"status": "In place", "coverage": "Full"},
                    "2.9": {"status": "Planned", "expected_delivery": "2021/22"},
                },
                "blmk": {"1.52": {"status": "In place", "coverage": "Full"}},
            },
        ),
        "herts": (
            HERTS,
            {
                "east_north": {
                    "1.8": {"status": "In place", "coverage": "Full"},
                    "2.9": {"status": "None"},
                },
                "west_essex": {"2.9": {"status": "In place", "coverage": "Full"}},
                "herts": {"1.52": {"status": "None"}},
            },
        ),
    }
    for key, (config, typed) in plans.items():
        books = blank_books(root / key, cat1, config)
        for unit, values in typed.items():
            type_inputs(books[unit], values)
        out[key] = merge_workbooks(
            list(books.values()), out=root / f"{key}-ICS.xlsx", catalogue=cat1, ics=config
        ).out
    return out


def test_region_rollup_equals_independent_spec(
    two_ics: dict[str, Path], cat1: Catalogue, tmp_path: Path
) -> None:
    out = tmp_path / "EAST.xlsx"
    result = rollup_workbooks(
        list(two_ics.values()), out=out, level="region", name="East of England", catalogue=cat1
    )
    wb = read_ics_workbook(out)
    assert (wb.scope, wb.unit_id, wb.unit_name) == ("region", "east_of_england", "East of England")
    assert [p.id for p in wb.places] == ["blmk", "herts"]
    pops = {p.id: p.population for p in wb.places}
    assert pops == {"blmk": 944_449, "herts": 870_000}
    ics_rags = {
        k: read_ics_workbook(p).matrix.set_index("para")["ics_rag"] for k, p in two_ics.items()
    }
    rows = sheet_rows(out, "ICS matrix")
    assert list(rows[0])[7:10] == [
        "Bedfordshire, Luton and Milton Keynes",
        "Hertfordshire and West Essex",
        "Region RAG",
    ]
    for row in rows:
        c = cat1.by_id[row["Para"]]
        units = {k: str(v[c.id]) for k, v in ics_rags.items()}
        level = c.level if c.level != "ics" else "place"  # ICS-level rolls up like place-level
        expected = ics_rag(_as(c, level), units, pops, None, Rules())
        assert row["Region RAG"] == expected, c.id
        assert row["Bedfordshire, Luton and Milton Keynes"] == units["blmk"]
    assert "Place data" not in openpyxl.load_workbook(out).sheetnames
    assert result.rollup.units == ("blmk", "herts")
    for book in (wb, *(read_ics_workbook(p) for p in two_ics.values())):
        assert typed_over(book, cat1) == [], book.path  # every result agrees with its row
        assert gaps_edited(book, cat1) == [], book.path  # and Gaps with the matrix's Reds
    checks = sheet_rows(out, "Checks")
    assert any(r["Workbook"].startswith("blmk-ICS.xlsx › ") for r in checks)


def _as(c: Any, level: str) -> Any:
    from dataclasses import replace

    return replace(c, level=level)


def test_national_from_regions_and_cli(two_ics: dict[str, Path], tmp_path: Path) -> None:
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    runner = CliRunner()
    region = tmp_path / "EAST.xlsx"
    done = runner.invoke(
        app,
        [
            "rollup",
            *map(str, two_ics.values()),
            "--out",
            str(region),
            "--name",
            "East of England",
            "--catalogue",
            cat,
        ],
    )
    assert done.exit_code == 0, done.output
    assert "East of England (rolled up)" in printed_rows(done.output, 8)  # may wrap on 80
    nation = tmp_path / "ENGLAND.xlsx"
    done = runner.invoke(
        app,
        [
            "rollup",
            str(region),
            "--out",
            str(nation),
            "--level",
            "national",
            "--catalogue",
            cat,
            "--quiet",
        ],
    )
    assert done.exit_code == 0, done.output
    wb = read_ics_workbook(nation)
    assert wb.scope == "national" and wb.unit_name == "England"
    assert wb.additions == ()  # as written: nothing on Snapshot or Read me taken for a note
    assert [p.id for p in wb.places] == ["east_of_england"]
    region_rag = read_ics_workbook(region).matrix["ics_rag"].tolist()
    assert wb.matrix["ics_rag"].tolist() == region_rag  # one unit: the same RAGs
    summary = runner.invoke(app, ["summary", str(nation), "--format", "json", "--catalogue", cat])
    assert '"level": "national"' in summary.output


def test_rollup_names_every_problem(
    two_ics: dict[str, Path], cat1: Catalogue, tmp_path: Path
) -> None:
    region = tmp_path / "R.xlsx"
    rollup_workbooks([two_ics["blmk"]], out=region, catalogue=cat1)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("nope")
    with pytest.raises(LtpgapError) as caught:
        rollup_workbooks(
            [two_ics["blmk"], two_ics["blmk"], region, bad], out=tmp_path / "X.xlsx", catalogue=cat1
        )
    codes = {i.code for i in caught.value.issues}
    assert {"duplicate-place", "wrong-level", "gate-not-xlsx"} <= codes
    with pytest.raises(LtpgapError) as caught:
        rollup_workbooks([two_ics["blmk"]], out=tmp_path / "Y.xlsx", catalogue=load_catalogue(V2))
    assert {i.code for i in caught.value.issues} == {"catalogue-mismatch"}
    assert not (tmp_path / "X.xlsx").exists() and not (tmp_path / "Y.xlsx").exists()


def test_a_folder_among_the_ics_workbooks_is_named_like_a_missing_file(
    two_ics: dict[str, Path], tmp_path: Path
) -> None:
    """As in a merge: a problem with a code and exit 1, not a usage error (exit 2)."""
    folder = tmp_path / "archive.xlsx"
    folder.mkdir()
    out = tmp_path / "REGION.xlsx"
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    args = [str(two_ics["blmk"]), str(folder), "--out", str(out), "--catalogue", cat, "-q"]
    done = CliRunner().invoke(app, ["rollup", *args])
    said = " ".join(done.output.split())
    assert done.exit_code == 1, done.output
    assert "archive.xlsx: this is a folder, not a workbook file" in said
    assert "(gate-not-xlsx)" in said and not out.exists()


@pytest.mark.parametrize(
    ("unit", "what"),
    [
        ("luton", "the place workbook of Luton (one place's inputs)"),
        (
            "blmk",
            "the ICS team's workbook of Bedfordshire, Luton and Milton Keynes (its ICS-level "
            "commitments)",
        ),
    ],
)
def test_a_workbook_of_one_unit_is_named_for_what_it_is(
    blanks: dict[str, Path], cat1: Catalogue, unit: str, what: str, tmp_path: Path
) -> None:
    """Given to a roll-up, a place or ICS-team workbook is refused as such, not as unreadable."""
    with pytest.raises(LtpgapError) as caught:
        rollup_workbooks([blanks[unit]], out=tmp_path / "R.xlsx", catalogue=cat1)
    (issue,) = caught.value.issues
    assert (issue.code, issue.where.file) == ("wrong-level", str(blanks[unit]))
    assert issue.message == (
        f"this is {what}, not an ICS workbook written by `ltpgap merge` or `ltpgap rollup`."
    )
    assert not (tmp_path / "R.xlsx").exists()


def test_summary_of_an_ics_workbook(two_ics: dict[str, Path]) -> None:
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    done = CliRunner().invoke(
        app, ["summary", str(two_ics["blmk"]), "--format", "json", "--catalogue", cat]
    )
    assert done.exit_code == 0, done.output
    import json

    data = json.loads(done.output)
    assert data["level"] == "ics"
    first = next(c for c in data["commitments"] if c["id"] == "1.8")
    assert first["places"] == {
        "bedford": "Green",
        "central_beds": "Not assessed",
        "luton": "Red",
        "milton_keynes": "Not assessed",
    }
    assert first["rag"] == "Not assessed"  # places assessed hold 41% of the population
    table = CliRunner().invoke(
        app, ["summary", str(two_ics["blmk"]), "--by", "chapter", "--catalogue", cat]
    )
    assert table.exit_code == 0 and "Bedfordshire" in table.output


def test_summary_of_an_ics_workbook_through_the_real_entry_point(
    two_ics: dict[str, Path],
) -> None:
    """A fresh process (nothing imported beforehand) still recognises the ICS workbook."""
    import json
    import subprocess
    import sys

    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ltpgap",
            "summary",
            str(two_ics["blmk"]),
            "--format",
            "json",
            "--catalogue",
            cat,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["level"] == "ics"
    assert set(next(c for c in data["commitments"] if c["id"] == "1.8")["places"]) == {
        "bedford",
        "central_beds",
        "luton",
        "milton_keynes",
    }


def test_check_of_an_ics_workbook_lists_its_checks_sheet(two_ics: dict[str, Path]) -> None:
    """`ltpgap check ICS.xlsx` reports the merge's Checks sheet, not the Place data as a table."""
    import json

    from ltpgap.merge import read_ics_workbook

    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    done = CliRunner().invoke(
        app, ["check", str(two_ics["blmk"]), "--format", "json", "--catalogue", cat]
    )
    found = json.loads(done.output)
    codes = [i["code"] for i in found]
    assert codes[0] == "ics-workbook-checks"
    assert "duplicate-para" not in codes
    assert len(found) == 1 + len(read_ics_workbook(two_ics["blmk"]).checks)


def test_a_rollup_never_overwrites_what_is_not_a_rollup(
    two_ics: dict[str, Path], blanks: dict[str, Path], cat1: Catalogue, tmp_path: Path
) -> None:
    """--out naming a place workbook or an ICS workbook is refused before anything is read,
    and the file is left as it was; an earlier roll-up is replaced (run it again); an --out
    that is also among the inputs is left out of them, as `ltpgap merge` does."""
    place = Path(shutil.copy(blanks["luton"], tmp_path / "luton.xlsx"))
    ics_book = Path(shutil.copy(two_ics["blmk"], tmp_path / "blmk-ICS.xlsx"))
    for target, said in (
        (place, "this is the place workbook of Luton"),
        (
            ics_book,
            "an existing ICS workbook (Bedfordshire, Luton and Milton Keynes), not a roll-up",
        ),
    ):
        before = target.read_bytes()
        with pytest.raises(LtpgapError) as caught:
            rollup_workbooks([two_ics["herts"]], out=target, catalogue=cat1)
        [issue] = caught.value.issues
        assert issue.code == "file-exists" and said in issue.message
        assert target.read_bytes() == before
    region = tmp_path / "R.xlsx"
    rollup_workbooks([two_ics["blmk"]], out=region, catalogue=cat1)
    again = rollup_workbooks(
        [two_ics["blmk"], two_ics["herts"], region], out=region, catalogue=cat1
    )
    assert [u.id for u in again.units] == ["blmk", "herts"]


@pytest.mark.parametrize("command", ["merge", "rollup"])
def test_out_must_end_in_xlsx(
    two_ics: dict[str, Path], blanks: dict[str, Path], command: str, tmp_path: Path
) -> None:
    """Excel goes by the extension: a workbook called ICS.csv (or ICS) would not open."""
    given, extra = (blanks["luton"], ["--no-db"]) if command == "merge" else (two_ics["blmk"], [])
    for name in ("ICS.csv", "ICS"):
        out = tmp_path / name
        done = CliRunner().invoke(app, [command, str(given), "--out", str(out), "-q", *extra])
        assert done.exit_code == 1, done.output
        said = " ".join(done.output.split())
        assert "bad-output-name" in said and f"'{out.stem}.xlsx'" in said
        assert not out.exists()


def test_two_units_of_one_name_are_refused(
    two_ics: dict[str, Path], cat1: Catalogue, tmp_path: Path
) -> None:
    """Each unit heads a column of the roll-up's matrix (an Excel Table, whose columns must
    differ): two regions both called 'East' cannot be rolled up together."""
    first, second = tmp_path / "east-1.xlsx", tmp_path / "east-2.xlsx"
    rollup_workbooks([two_ics["blmk"]], out=first, name="East", unit_id="east_a", catalogue=cat1)
    rollup_workbooks([two_ics["herts"]], out=second, name="East", unit_id="east_b", catalogue=cat1)
    with pytest.raises(LtpgapError) as caught:
        rollup_workbooks([first, second], out=tmp_path / "E.xlsx", level="national", catalogue=cat1)
    [issue] = caught.value.issues
    assert (issue.code, issue.where.file) == ("duplicate-name", str(second))
    assert "'east_b' and 'east_a'" in issue.message and "--name" in issue.message
    assert not (tmp_path / "E.xlsx").exists()


def test_lock_files_and_a_report_found_with_the_ics_workbooks_are_left_out(
    two_ics: dict[str, Path], cat1: Catalogue, tmp_path: Path
) -> None:
    """`ltpgap rollup icss/*.xlsx` picks up a report's summary workbook and Excel's lock file of
    an open ICS workbook: the roll-up goes on without them, says so on the screen and on
    Checks, and still counts each given file on the progress bar."""
    from ltpgap.reports import load_report_data, write_xlsx

    folder = tmp_path / "icss"
    folder.mkdir()
    books = [Path(shutil.copy(p, folder / p.name)) for p in two_ics.values()]
    report = write_xlsx(load_report_data(books[0], catalogue=cat1), folder / "report.xlsx")
    lock = excel_lock_file(folder, books[1].name, "Sam Patel")
    given = sorted(folder.glob("*.xlsx"))
    assert set(given) == {*books, report, lock}
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    done = CliRunner().invoke(
        app, ["rollup", *map(str, given), "--out", str(tmp_path / "EAST.xlsx"), "--catalogue", cat]
    )
    said = " ".join(done.output.split())
    assert done.exit_code == 0, said
    assert "2 problem(s) to act on" in said and "2 unit(s) rolled up" in said
    assert (
        f"while {books[1].name} is open (by Sam Patel), not a workbook, so it was left out of "
        f"the roll-up. {books[1].name} was rolled up as last saved" in said
    )
    assert "report.xlsx: this is a summary workbook written by `ltpgap report`" in said
    checks = sheet_rows(tmp_path / "EAST.xlsx", "Checks")
    assert {
        (r["Code"], r["Severity"]) for r in checks if r["Workbook"] in (lock.name, "report.xlsx")
    } == {
        ("excel-lock-file", "warning"),
        ("report-workbook", "warning"),
    }
    progress = [line for line in done.output.splitlines() if line.startswith("reading ")]
    assert len(progress) == len(given)
    excel_lock_file(tmp_path, "EAST.xlsx", "Region Lead")  # the roll-up itself, open in Excel
    again = CliRunner().invoke(
        app, ["rollup", *map(str, books), "--out", str(tmp_path / "EAST.xlsx"), "--catalogue", cat]
    )
    said = " ".join(again.output.split())
    assert again.exit_code == 0, said
    assert (
        "EAST.xlsx is open in Excel (by Region Lead): this roll-up writes it: close it in Excel "
        "without saving (saving it would overwrite this roll-up) and open it again." in said
    )


def test_a_rollup_keeps_what_was_added_by_hand_in_a_copy(
    two_ics: dict[str, Path], cat1: Catalogue, tmp_path: Path
) -> None:
    region = tmp_path / "EAST.xlsx"
    rollup_workbooks(list(two_ics.values()), out=region, catalogue=cat1)
    for written in (region, *two_ics.values()):  # as written: nothing taken for a hand edit
        assert read_ics_workbook(written).additions == (), written
    wb = openpyxl.load_workbook(region)
    wb.create_sheet("Regional notes")["B2"] = "Herts to present"
    wb.save(region)
    before = region.read_bytes()
    result = rollup_workbooks(list(two_ics.values()), out=region, catalogue=cat1)
    (note,) = [i for i in result.issues if i.code == "ics-workbook-additions"]
    (copy,) = tmp_path.glob("EAST.*.bak.xlsx")
    assert copy.read_bytes() == before
    assert "sheet 'Regional notes'" in note.message and "A roll-up writes every" in note.message
    assert "Regional notes" not in openpyxl.load_workbook(region).sheetnames
    checks = sheet_rows(region, "Checks")
    assert [r["Code"] for r in checks].count("ics-workbook-additions") == 1


def _type_over(path: Path, level: str = "place") -> tuple[str, str]:
    """Type 'Green' over the level RAG of the first row of that level not already Green, as
    someone might before a board; returns (para, the RAG that was there)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["ICS matrix"]
    heads = [c.value for c in ws[1]]
    rag = next(j for j, h in enumerate(heads) if str(h).endswith(" RAG") and j > 8)
    row = next(
        r for r in ws.iter_rows(min_row=2) if r[heads.index("Level")].value == level.title()
        and r[rag].value != "Green"
    )  # fmt: skip
    para, was = str(row[0].value), str(row[rag].value)
    row[rag].value = "Green"
    wb.save(path)
    return para, was


@pytest.mark.parametrize("command", ["check", "summary", "report", "rollup"])
def test_a_result_typed_over_is_named_by_every_reader(
    two_ics: dict[str, Path], tmp_path: Path, command: str
) -> None:
    """An ICS RAG typed over by hand would reach a board report or a region's roll-up without
    a word: each reader of the results names it (and reads it as it is)."""
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    book = Path(shutil.copy(two_ics["blmk"], tmp_path / "blmk-ICS.xlsx"))
    para, was = _type_over(book)
    args = {
        "check": ["check", book, "--format", "json"],
        "summary": ["summary", book],
        "report": ["report", book, "--out", tmp_path / "report", "--format", "xlsx", "--no-db"],
        "rollup": ["rollup", book, "--out", tmp_path / "R.xlsx"],
    }[command]
    done = CliRunner().invoke(app, [*map(str, args), "--catalogue", cat])
    said = " ".join(done.output.split())
    assert done.exit_code == 0, said
    if command == "summary":  # counted there; `ltpgap check` lists it
        assert "1 problem(s) noted in blmk-ICS.xlsx; run `ltpgap check" in said
        return
    if command == "check":
        found = [i for i in json.loads(done.output) if i["code"] == "matrix-result-edited"]
        said = " ".join(i["message"] for i in found)
    else:
        assert "matrix-result-edited" in said
    assert (
        f"the ICS RAG of {para} is 'Green' on the ICS matrix, but the places' RAGs on its row "
        f"give '{was}' under the rules in force (typed over by hand?). It is read as it is."
    ) in said


def test_a_merge_or_rollup_into_a_workbook_with_a_result_typed_over_puts_it_back(
    two_ics: dict[str, Path], tmp_path: Path, cat1: Catalogue, ics: IcsConfig
) -> None:
    book = Path(shutil.copy(two_ics["blmk"], tmp_path / "blmk-ICS.xlsx"))
    para, was = _type_over(book)
    result = merge_workbooks([], out=book, catalogue=cat1, ics=ics)  # nothing new: all kept
    (note,) = [i for i in result.issues if i.code == "matrix-result-edited"]
    assert note.commitment == para and "This merge works every result out again" in note.message
    assert read_ics_workbook(book).matrix.set_index("para")["ics_rag"][para] == was
    region = tmp_path / "EAST.xlsx"
    rollup_workbooks(list(two_ics.values()), out=region, catalogue=cat1)
    para, was = _type_over(region)
    nation = tmp_path / "ENGLAND.xlsx"
    done = rollup_workbooks([region], out=nation, level="national", catalogue=cat1)
    (note,) = [i for i in done.issues if i.code == "matrix-result-edited"]
    assert note.message.startswith(
        f"the Region RAG of {para} is 'Green' on the ICS matrix, but the ICSs' RAGs on its row "
        f"give '{was}'"
    )
    again = rollup_workbooks(list(two_ics.values()), out=region, catalogue=cat1)
    (note,) = [i for i in again.issues if i.code == "matrix-result-edited"]
    assert "This roll-up works every result out again" in note.message
    assert read_ics_workbook(region).matrix.set_index("para")["ics_rag"][para] == was


def _gaps_cut_and_padded(path: Path) -> tuple[list[object], list[object]]:
    """Delete the first row of Gaps (a gap hidden before a board) and add, under the table, a
    row for a Para no place has at Red; returns (the row deleted, the row added)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Gaps"]
    first = [c.value for c in ws[2]]
    ws.delete_rows(2)
    added = ["Luton", "3.10", "A gap typed in", "No", "", "", ""]
    ws.append(added)
    wb.save(path)
    return first, added


def test_gaps_that_do_not_match_the_matrix_are_named_before_a_report(
    two_ics: dict[str, Path], tmp_path: Path, cat1: Catalogue
) -> None:
    """The report lists the gaps on Gaps: a row deleted there (a gap hidden before a board) or
    typed in would change the board paper without a word. `check` and `report` name both."""
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    book = Path(shutil.copy(two_ics["blmk"], tmp_path / "blmk-ICS.xlsx"))
    assert gaps_edited(read_ics_workbook(book), cat1) == []
    first, _ = _gaps_cut_and_padded(book)
    done = CliRunner().invoke(app, ["check", str(book), "--format", "json", "--catalogue", cat])
    said = [i["message"] for i in json.loads(done.output) if i["code"] == "gaps-edited"]
    assert said == [
        f"the Gaps sheet leaves out 1 Red(s) of the ICS matrix ({first[0]} {first[1]}): rows "
        "deleted by hand? A report lists the gaps on Gaps, so it would leave them out. Merge "
        "again into this workbook to write every gap back.",
        "the Gaps sheet lists 1 gap(s) that the ICS matrix does not show at Red (Luton 3.10): "
        "added, or left after a RAG was typed over, by hand? A report lists the gaps on Gaps. "
        "Merge again into this workbook to write them afresh.",
    ]
    args = ["report", str(book), "--out", str(tmp_path / "r"), "--format", "xlsx", "--no-db"]
    done = CliRunner().invoke(app, [*args, "--catalogue", cat])
    assert done.exit_code == 0 and " ".join(done.output.split()).count("(gaps-edited)") == 2


CELLS = st.one_of(
    st.sampled_from(["Green", "Amber", "Red", "N/A", "Not assessed", "green", "", "#N/A"]),
    st.none(),
    st.just(float("nan")),
    st.integers(-3, 3),
    st.text(max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whatever_is_typed_over_the_matrix_or_gaps_is_named_never_a_crash(
    two_ics: dict[str, Path], cat1: Catalogue, data: Any
) -> None:
    """Any cell of the matrix or Gaps typed over (blank, a number, an error, any text), rows
    copied or deleted, a population that cannot weigh: the checks give warnings, never an
    exception, and a blanked ICS RAG is named as blank."""
    book = read_ics_workbook(two_ics["blmk"])
    matrix, gaps = book.matrix.astype(object).copy(), book.gaps.astype(object).copy()
    for _ in range(data.draw(st.integers(1, 5))):
        row = data.draw(st.integers(0, len(matrix) - 1))
        column = data.draw(st.sampled_from(list(matrix.columns)))
        matrix.iat[row, matrix.columns.get_loc(column)] = data.draw(CELLS)
    if data.draw(st.booleans()):
        matrix = pd.concat([matrix, matrix.iloc[:2]], ignore_index=True)
    gaps_changed = False
    if len(gaps) and data.draw(st.booleans()):
        column = data.draw(st.integers(0, len(gaps.columns) - 1))
        was = gaps.iat[0, column]
        gaps.iat[0, column] = value = data.draw(CELLS)
        gaps_changed = gaps.columns[column] != "must_do" and cell_text(value) != cell_text(was)
    places = book.places
    if data.draw(st.booleans()):
        places = tuple(replace(p, population=data.draw(st.integers(-1, 3))) for p in places)
    edited = replace(book, matrix=matrix, gaps=gaps, places=places)
    issues = [*typed_over(edited, cat1), *gaps_edited(edited, cat1)]
    assert all(i.severity.value == "warning" and i.message for i in issues)
    if any(p.population <= 0 for p in places):
        return  # nothing to weigh by: the results cannot be worked out again
    if gaps_changed:  # a gap's place, Para or words changed: Gaps is named
        assert any(i.code == "gaps-edited" for i in issues)
    named = {i.commitment for i in issues}
    results = ["ics_rag", *(p.id for p in places)]
    paras = [None if v is None or v != v else str(v) for v in matrix["para"]]
    for row, para in enumerate(paras):
        if para not in cat1.by_id or paras.index(para) != row or row >= len(book.matrix):
            continue  # not a commitment's row, or a copy of one
        if para != book.matrix.iat[row, 0]:
            continue  # its Para typed over: another commitment's row now
        for column in results:
            value = matrix.iat[row, matrix.columns.get_loc(column)]
            if value not in RAG_VALUES:  # anything but a RAG word is named
                assert para in named, (para, column, value)
            # Every unit's inputs are on Place data as merged: any result changed is named.
            if value != book.matrix.iat[row, book.matrix.columns.get_loc(column)]:
                assert para in named, (para, column, value)


def test_a_blanked_result_is_named_as_blank(two_ics: dict[str, Path], cat1: Catalogue) -> None:
    book = read_ics_workbook(two_ics["blmk"])
    matrix = book.matrix.astype(object).copy()
    matrix.iat[0, matrix.columns.get_loc("ics_rag")] = None
    (issue,) = typed_over(replace(book, matrix=matrix), cat1)
    assert issue.message.startswith(
        f"the ICS RAG of {matrix.iat[0, 0]} is blank on the ICS matrix, which is not a RAG"
    )


def _typed(book: Any, **cells: tuple[str, object]) -> Any:
    """The workbook as read, with these cells of the matrix typed over (column=(para, value))."""
    matrix = book.matrix.astype(object).copy()
    for column, (para, value) in cells.items():
        row = matrix.index[matrix["para"] == para][0]
        matrix.at[row, column] = value
    return replace(book, matrix=matrix)


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        (  # the ICS RAG stays Not assessed (too few places assessed): only Luton's inputs show it
            {"luton": ("1.8", "Amber")},
            "Luton's RAG of 1.8 is 'Amber' on the ICS matrix, but Luton's inputs on Place data "
            "give 'Red' (typed over by hand?). It is read as it is. Merge again into this "
            "workbook to put back 'Red'; to change a result",
        ),
        (  # an ICS-level commitment: nothing beside it, the ICS team's inputs
            {"ics_rag": ("1.52", "Red")},
            "the ICS RAG of 1.52 is 'Red' on the ICS matrix, but the ICS team's inputs on Place "
            "data give 'Green' (typed over by hand?).",
        ),
    ],
)
def test_a_result_typed_over_is_named_against_the_inputs(
    two_ics: dict[str, Path], cat1: Catalogue, cells: dict[str, tuple[str, str]], said: str
) -> None:
    """Each unit's inputs on Place data, assessed again, give what the matrix should show:
    a result that is not that is named, and only that one (Luton's Amber does not also make
    the ICS RAG read as typed over)."""
    book = read_ics_workbook(two_ics["blmk"])
    assert typed_over(book, cat1) == []
    (issue,) = typed_over(_typed(book, **cells), cat1)
    assert issue.message.startswith(said) and issue.where.sheet == "ICS matrix"
    assert issue.commitment == next(iter(cells.values()))[0]
    (merge,) = typed_over(_typed(book, **cells), cat1, replaced_by="merge")
    assert "This merge works every result out again, so the value typed is not kept" in (
        merge.message
    )


def test_a_place_with_no_data_merged_shows_not_assessed(
    two_ics: dict[str, Path], cat1: Catalogue
) -> None:
    book = read_ics_workbook(two_ics["blmk"])
    places = tuple(
        replace(p, status="missing") if p.id == "central_beds" else p for p in book.places
    )
    data = book.place_data[book.place_data["place"] != "central_beds"]
    nothing = replace(book, places=places, place_data=data)
    assert typed_over(nothing, cat1) == []
    (issue,) = typed_over(_typed(nothing, central_beds=("1.8", "Green")), cat1)
    assert issue.message.startswith(
        "Central Bedfordshire's RAG of 1.8 is 'Green' on the ICS matrix, but no data from Central "
        "Bedfordshire was merged, which gives 'Not assessed' (typed over by hand?)."
    )


def test_a_place_whose_place_data_was_changed_is_held_to_it_as_a_whole(
    two_ics: dict[str, Path], cat1: Catalogue
) -> None:
    """Luton's status for 1.8 changed by hand on Place data after the merge: the matrix still
    shows what the merge wrote. One warning says Luton's column was not worked out again from
    the rows as they are now (a report would show results its inputs do not give); its cells
    are not each named as typed over. Once worked out again (Recompute in Excel), nothing but
    place-data-edited, which `ltpgap check` gives, remains."""
    from ltpgap.merge._carry import edits_ahead

    book = read_ics_workbook(two_ics["blmk"])
    data = book.place_data.astype(object).copy()
    row = data.index[(data["place"] == "luton") & (data["para"] == "1.8")][0]
    data.at[row, "status"], data.at[row, "coverage"] = "In place", "Full"
    edited = replace(book, place_data=data)
    assert [i.code for i in edits_ahead(edited)] == ["place-data-edited"]
    (stale,) = typed_over(edited, cat1)
    assert stale.code == "matrix-result-edited" and stale.message.startswith(
        "Luton's column on the ICS matrix does not show what its rows on Place data give: they "
        "were changed by hand since the merge wrote them, and the results were not worked out "
        "again (1.8: 'Red' shown, 'Green' given). Press Recompute in Excel, or merge again"
    )
    assert typed_over(edited, cat1, replaced_by="merge") == []  # the merge takes them
    assert typed_over(_typed(edited, luton=("1.8", "Green")), cat1) == []  # worked out again
    (issue,) = typed_over(_typed(edited, luton=("1.8", "Purple")), cat1)  # still: not a RAG
    assert issue.message.startswith("Luton's RAG of 1.8 is 'Purple' on the ICS matrix, which is")


def test_check_names_a_place_rag_typed_over(two_ics: dict[str, Path], tmp_path: Path) -> None:
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    book = Path(shutil.copy(two_ics["blmk"], tmp_path / "blmk-ICS.xlsx"))
    wb = openpyxl.load_workbook(book)
    ws = wb["ICS matrix"]
    heads = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "1.8")
    row[heads.index("Luton")].value = "Amber"
    wb.save(book)
    done = CliRunner().invoke(app, ["check", str(book), "--format", "json", "--catalogue", cat])
    found = [i for i in json.loads(done.output) if i["code"] == "matrix-result-edited"]
    assert [i["message"][:60] for i in found] == [
        "Luton's RAG of 1.8 is 'Amber' on the ICS matrix, but Luton's"
    ]


def test_the_words_of_a_gap_changed_by_hand_are_named(
    two_ics: dict[str, Path], cat1: Catalogue
) -> None:
    """A report lists the gaps as they are on Gaps: an initiative reworded there, or the
    reason, would reach the board as if the place had written it."""
    book = read_ics_workbook(two_ics["blmk"])
    assert gaps_edited(book, cat1) == []
    gaps = book.gaps.astype(object).copy()
    gaps.at[0, "initiatives"] = "A new service, fully in place"
    gaps.at[0, "reason"] = "On track"
    (issue,) = gaps_edited(replace(book, gaps=gaps), cat1)
    assert issue.code == "gaps-edited" and issue.where.sheet == "Gaps"
    assert issue.message.startswith(
        "the words of 1 gap(s) on the Gaps sheet are not what the merge wrote from the inputs on "
        "Place data (Luton 1.8: Initiatives and Reason): edited by hand? A report lists the gaps "
        "as they are on Gaps"
    )
    spaced = book.gaps.astype(object).copy()
    spaced.at[0, "reason"] = "  " + str(spaced.at[0, "reason"]).replace(" ", "\n", 1)
    assert gaps_edited(replace(book, gaps=spaced), cat1) == []  # Excel's wrapping is not words


def test_the_ics_teams_rows_changed_and_not_worked_out_again_are_named(
    two_ics: dict[str, Path], cat1: Catalogue
) -> None:
    book = read_ics_workbook(two_ics["blmk"])
    data = book.place_data.astype(object).copy()
    row = data.index[(data["place"] == "blmk") & (data["para"] == "1.52")][0]
    data.at[row, "status"], data.at[row, "coverage"] = "None", None
    (stale,) = typed_over(replace(book, place_data=data), cat1)
    assert stale.message.startswith(
        "the ICS RAG of the ICS-level commitments on the ICS matrix does not show what the ICS "
        "team's rows on Place data give: they were changed by hand since the merge wrote them, "
        "and the results were not worked out again (1.52: 'Green' shown, 'Red' given)."
    )


def _set_matrix_cell(path: Path, para: str, header: str, value: object) -> str:
    """Type ``value`` into the ICS matrix at ``para``'s row, column ``header``; its cell."""
    wb = openpyxl.load_workbook(path)
    ws = wb["ICS matrix"]
    col = [c.value for c in ws[1]].index(header) + 1
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == para]
    ws.cell(row, col).value = value
    wb.save(path)
    return ws.cell(row, col).coordinate


@pytest.mark.parametrize("command", ["check", "summary", "report", "rollup"])
@pytest.mark.parametrize(
    ("header", "value", "shown"),
    [
        ("ICS RAG", "Purple", "'Purple'"),
        ("ICS RAG", "amber", "'amber'"),
        ("ICS RAG", None, "blank"),
        ("Luton", None, "blank"),
        ("Luton", "Purple", "'Purple'"),
    ],
)
def test_a_matrix_cell_that_holds_no_rag_is_named_at_its_cell_by_every_reader(
    two_ics: dict[str, Path], tmp_path: Path, command: str, header: str, value: object, shown: str
) -> None:
    """Blanked, or other text typed in: each reader counts it as Not assessed and names the
    cell (it used to stop summary, report and rollup with a message naming no cell, and a
    blanked ICS RAG took the commitment's whole row out of a region's roll-up in silence)."""
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    book = Path(shutil.copy(two_ics["blmk"], tmp_path / "blmk-ICS.xlsx"))
    cell = _set_matrix_cell(book, "1.8", header, value)
    args = {
        "check": ["check", book, "--format", "json"],
        "summary": ["summary", book, "--format", "json"],
        "report": ["report", book, "--out", tmp_path / "report", "--format", "xlsx", "--no-db"],
        "rollup": ["rollup", book, "--out", tmp_path / "R.xlsx"],
    }[command]
    done = CliRunner().invoke(app, [*map(str, args), "--catalogue", cat], env={"COLUMNS": "400"})
    said = " ".join(done.output.split())
    assert done.exit_code == 0, said
    who = "the ICS RAG" if header == "ICS RAG" else "Luton's RAG"
    expected = f"{who} of 1.8 is {shown} on the ICS matrix, which is not a RAG"
    if command == "summary":  # counted as Not assessed; `ltpgap check` lists the warning
        (row,) = [r for r in json.loads(done.output)["commitments"] if r["id"] == "1.8"]
        assert (row["rag"] if header == "ICS RAG" else row["places"]["luton"]) == "Not assessed"
        return
    if command == "check":
        (found,) = [i for i in json.loads(done.output) if i["code"] == "matrix-result-edited"]
        assert found["where"].endswith(f"blmk-ICS.xlsx › ICS matrix › {cell}")
        assert found["message"].startswith(expected), found
        assert "It is counted as Not assessed." in found["message"]
        return
    assert f"blmk-ICS.xlsx › ICS matrix › {cell} [1.8]: {expected}" in said
    if command == "rollup":
        region = read_ics_workbook(tmp_path / "R.xlsx").matrix.set_index("para")
        ics_rag = read_ics_workbook(book).matrix.set_index("para").at["1.8", "ics_rag"]
        assert region.at["1.8", "blmk"] == ("Not assessed" if header == "ICS RAG" else ics_rag)


def _damage_rows(path: Path, how: str) -> str:
    """A commitment's row of the ICS matrix deleted, copied over the next, or its Para typed
    as a number (3.10 → 3.1); returns the cell named."""
    wb = openpyxl.load_workbook(path)
    ws = wb["ICS matrix"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    if how == "deleted":
        ws.delete_rows(rows["2.9"])
        cell = ""
    elif how == "copied":
        ws.cell(rows["2.15"], 1).value = "2.9"
        cell = f"A{rows['2.15']}"
    else:
        ws.cell(rows["3.10"], 1).value = 3.1
        cell = f"A{rows['3.10']}"
    wb.save(path)
    return cell


@pytest.mark.parametrize(
    ("how", "said"),
    [
        (
            "deleted",
            "the ICS matrix has no row for 2.9 (1 of the 20 commitments of catalogue "
            "ltp-test 1.0.0; deleted, or its Para retyped, by hand?), so its results cannot "
            "be read: a summary would leave them out.",
        ),
        ("copied", "2.9 has two rows on the ICS matrix (rows 5 and 6: copied, or another"),
        ("number", "is under Para '3.1', which is not a commitment of catalogue ltp-test 1.0.0"),
    ],
)
def test_a_commitments_row_deleted_copied_or_renumbered_on_the_matrix_stops_its_readers(
    two_ics: dict[str, Path], tmp_path: Path, cat1: Catalogue, ics: IcsConfig, how: str, said: str
) -> None:
    """A summary counted 19 of 20 commitments, or one twice, and a roll-up took the row as
    Not assessed, all without a word. Now `check` names the row and the readers of the
    results refuse it until it is put back or merged again."""
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    book = Path(shutil.copy(two_ics["blmk"], tmp_path / "blmk-ICS.xlsx"))
    cell = _damage_rows(book, how)
    done = CliRunner().invoke(app, ["check", str(book), "--format", "json", "--catalogue", cat])
    damaged = [i for i in json.loads(done.output) if i["code"] == "ics-matrix-damaged"]
    assert done.exit_code == 1 and damaged and damaged[0]["severity"] == "error"
    assert (
        said in damaged[0]["message"]
        and "merge again into this workbook" in (damaged[0]["message"])
    )
    if cell:
        assert damaged[0]["where"].endswith(f"blmk-ICS.xlsx › ICS matrix › {cell}")
    for args in (
        ["summary", book],
        ["report", book, "--out", tmp_path / "report", "--format", "xlsx", "--no-db"],
        ["rollup", book, "--out", tmp_path / "R.xlsx"],
    ):
        done = CliRunner().invoke(app, [*map(str, args), "--catalogue", cat])
        assert done.exit_code == 1 and "(ics-matrix-damaged)" in done.output, done.output
    assert not (tmp_path / "R.xlsx").exists() and not (tmp_path / "report").exists()
    merge_workbooks([], out=book, catalogue=cat1, ics=ics)  # merging again rewrites it
    assert read_ics_workbook(book).matrix["para"].tolist() == list(cat1.ids)
    done = CliRunner().invoke(app, ["summary", str(book), "--catalogue", cat])
    assert done.exit_code == 0, done.output


def test_a_catalogue_edited_without_a_new_version_is_named_as_such(
    two_ics: dict[str, Path], tmp_path: Path
) -> None:
    """'merged against catalogue ltp-test 1.0.0, but this roll-up uses ltp-test 1.0.0' named
    no difference: the message says the content differs, and by which checksums."""
    source = Path(__file__).parents[1] / "data" / "catalogue-v1.yaml"
    text = source.read_text(encoding="utf-8")
    edited = tmp_path / "catalogue.yaml"
    edited.write_text(text.replace("title:", "title: Edited", 1), encoding="utf-8")
    other = load_catalogue(edited)
    assert other.info.version == load_catalogue(source).info.version
    with pytest.raises(LtpgapError) as caught:
        rollup_workbooks([two_ics["blmk"]], out=tmp_path / "R.xlsx", catalogue=other)
    (issue,) = caught.value.issues
    made = read_ics_workbook(two_ics["blmk"]).catalogue_hash.removeprefix("sha256:")[:12]
    assert issue.code == "catalogue-mismatch"
    assert issue.message.startswith(
        f"merged against catalogue ltp-test 1.0.0 (content {made}), but this roll-up uses "
        f"ltp-test 1.0.0 with other content ({other.content_hash.removeprefix('sha256:')[:12]})"
        ": the catalogue was edited without a new version number."
    )


def test_two_regions_made_without_their_own_name_are_told_to_take_one(
    two_ics: dict[str, Path], cat1: Catalogue, tmp_path: Path
) -> None:
    """Both are 'Region' (id 'region'): refused as two of one name, not as one ICS given
    twice; the same region workbook given twice is still that."""
    north, south = tmp_path / "north.xlsx", tmp_path / "south.xlsx"
    rollup_workbooks([two_ics["blmk"]], out=north, catalogue=cat1)
    rollup_workbooks([two_ics["herts"]], out=south, catalogue=cat1)
    with pytest.raises(LtpgapError) as caught:
        rollup_workbooks([north, south], out=tmp_path / "E.xlsx", level="national", catalogue=cat1)
    (issue,) = caught.value.issues
    assert (issue.code, issue.where.file) == ("duplicate-name", str(south))
    assert issue.message.startswith(
        f"this region workbook and {north} both have the id 'region' (named 'Region'): the "
        "same region twice, or two made without their own --name. Give each region once; make "
        "each with its own --name"
    )
    copy = Path(shutil.copy(north, tmp_path / "north-copy.xlsx"))
    with pytest.raises(LtpgapError) as caught:
        rollup_workbooks([north, copy], out=tmp_path / "E.xlsx", level="national", catalogue=cat1)
    assert [i.code for i in caught.value.issues] == ["duplicate-place"]


def test_a_rollup_given_only_its_out_says_no_workbook_was_given(
    two_ics: dict[str, Path], tmp_path: Path
) -> None:
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    region = tmp_path / "R.xlsx"
    args = ["rollup", str(two_ics["blmk"]), "--out", str(region), "--catalogue", cat, "-q"]
    assert CliRunner().invoke(app, args).exit_code == 0
    done = CliRunner().invoke(
        app, ["rollup", str(region), "--out", str(region), "--catalogue", cat]
    )
    said = " ".join(done.output.split())
    assert done.exit_code == 1
    assert (
        "error: R.xlsx: no ICS workbook was given to read: the --out file is never read as one, "
        "even when it is listed among them. List the ICS workbooks before --out. (no-workbooks)"
    ) in said.replace(str(tmp_path) + "/", "")


def test_an_ics_rag_moved_by_populations_edited_in_the_metadata_points_at_them(
    two_ics: dict[str, Path], cat1: Catalogue
) -> None:
    """Populations edited in the hidden metadata are used (metadata-edited says so), so ICS
    RAGs worked out again differ from the matrix: the warning names that edit as a cause, not
    only a result typed over."""
    book = read_ics_workbook(two_ics["blmk"])
    weights = {"luton": 10_000_000, "bedford": 1, "central_beds": 1, "milton_keynes": 1}
    places = tuple(replace(p, population=weights.get(p.id, p.population)) for p in book.places)
    assert typed_over(replace(book, places=places), cat1)  # the ICS RAGs no longer follow
    said = typed_over(replace(book, places=places, intact=False), cat1)
    assert said and all(
        "Or the populations or rules in the hidden metadata were edited, which the result was "
        "worked out again with: see metadata-edited)." in i.message
        for i in said
    )


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize("ics_key", ["blmk", "herts"])
def test_sorting_the_matrix_rows_changes_no_summary(
    two_ics: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    ics_key: str,
) -> None:
    """SPEC §6: reordering rows changes nothing. Sorted in Excel (by ICS RAG, then Para,
    descending), the matrix gave its must-dos at Red and its JSON list in the sheet's order."""
    cat = str(Path(__file__).parents[1] / "data" / "catalogue-v1.yaml")
    source = Path(shutil.copy(two_ics[ics_key], tmp_path / "source.xlsx"))
    for para in ("1.8", "3.110"):  # two must-dos at Red, so their order shows
        _set_matrix_cell(source, para, "ICS RAG", "Red")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(source, tmp_path / folder / "ICS.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "b" / "ICS.xlsx")
    ws = wb["ICS matrix"]
    rag = [c.value for c in ws[1]].index("ICS RAG")
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    rows.sort(key=lambda r: (str(r[rag]), str(r[0])), reverse=True)
    for i, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            ws.cell(i, j).value = value
    wb.save(tmp_path / "b" / "ICS.xlsx")
    monkeypatch.chdir(tmp_path)
    said = []
    for folder in ("a", "b"):
        args = ["summary", f"{folder}/ICS.xlsx", "--format", fmt, "--catalogue", cat]
        done = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
        assert done.exit_code == 0, done.output
        said.append(done.output.replace(f"{folder}/ICS.xlsx", "ICS.xlsx"))
    assert said[0] == said[1]
    if fmt == "table":
        assert "Must-dos at Red: 1.8, 3.110" in said[1]
