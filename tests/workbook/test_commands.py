"""`ltpgap init`, `template`, `check`, `summary` and `recompute` through the command line."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from bookkit import ltpgap_command, meta_values
from typer.testing import CliRunner

from ltpgap.catalogue import Catalogue
from ltpgap.cli import app
from ltpgap.schema import RAG_VALUES
from ltpgap.workbook import fill_inputs

runner = CliRunner()
PLACES = ["bedford", "central_beds", "luton", "milton_keynes"]


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder `ltpgap init` wrote, with Luton partly filled in."""
    out = tmp_path_factory.mktemp("init") / "blmk"
    result = invoke("init", "--out", str(out))
    assert result.exit_code == 0, result.output
    fill_inputs(
        out / "luton.xlsx",
        {
            "2.9": {
                "initiatives": "Smokefree L&D pilot",
                "status": "In progress",
                "coverage": "Partial",
                "expected_delivery": "Q4 23/24",
            },
            "1.9": {"initiatives": "Five PCNs", "status": "In place", "coverage": "Full"},
            "1.41": {"status": "None"},
            "3.56": {"not_applicable": "Yes"},
        },
    )
    return out


@pytest.fixture
def luton(books: Path, tmp_path: Path) -> Path:
    """A private copy of the filled Luton workbook."""
    return Path(shutil.copy(books / "luton.xlsx", tmp_path / "luton.xlsx"))


def test_init_writes_one_workbook_per_place_and_the_ics(books: Path) -> None:
    assert sorted(p.name for p in books.glob("*.xlsx")) == sorted(
        f"{u}.xlsx" for u in [*PLACES, "blmk"]
    )
    assert {meta_values(books / f"{p}.xlsx")["unit_id"] for p in PLACES} == set(PLACES)


def test_init_refuses_to_overwrite(books: Path) -> None:
    before = (books / "bedford.xlsx").read_bytes()
    result = invoke("init", "--out", str(books))
    assert result.exit_code == 1
    assert "file-exists" in result.output and "--force" in result.output
    assert (books / "bedford.xlsx").read_bytes() == before


@pytest.mark.parametrize("command", ["init", "template", "recompute", "check", "summary"])
def test_no_arguments_shows_help(command: str) -> None:
    result = runner.invoke(app, [command])
    assert "Usage" in result.output and "--help" in result.output


def test_template_command(tmp_path: Path, luton: Path, catalogue: Catalogue) -> None:
    target = tmp_path / "templates" / "place.xlsx"
    assert invoke("template", "--out", str(target)).exit_code == 0
    assert meta_values(target)["unit_id"] == ""
    assert invoke("template", "--out", str(target)).exit_code == 0  # a template may be refreshed
    before = luton.read_bytes()
    refused = invoke("template", "--out", str(luton))
    assert refused.exit_code == 1 and "file-exists" in refused.output
    assert luton.read_bytes() == before
    assert invoke("template", "--out", str(luton), "--force").exit_code == 0
    assert meta_values(luton)["unit_id"] == ""


def test_check_a_clean_workbook(books: Path) -> None:
    result = invoke("check", str(books / "bedford.xlsx"))
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_check_lists_problems_with_locations(luton: Path) -> None:
    fill_inputs(luton, {"1.15": {"status": "Sort of", "rag_override": "Green"}})
    result = invoke("check", "--format", "json", str(luton))
    issues = json.loads(result.stdout)
    by_code = {i["code"]: i for i in issues}
    assert {"unrecognised-value", "override-without-reason"} <= set(by_code)
    assert by_code["unrecognised-value"]["where"].startswith(f"{luton} › Gap analysis › K")
    assert by_code["unrecognised-value"]["commitment"] == "1.15"
    assert result.exit_code == 0  # warnings only
    table = invoke("check", str(luton))
    assert "unrecognised-value" in table.output and "Sort of" in table.output


def test_check_exits_1_on_errors_and_checks_every_file(books: Path, tmp_path: Path) -> None:
    bad = tmp_path / "not-a-workbook.xlsx"
    bad.write_text("Para,Status\n2.9,In place\n")
    dup = Path(shutil.copy(books / "milton_keynes.xlsx", tmp_path / "milton_keynes.xlsx"))
    wb = openpyxl.load_workbook(dup)
    wb["Gap analysis"]["A3"].value = wb["Gap analysis"]["A2"].value  # duplicate a Para
    wb.save(dup)
    result = invoke("check", "--format", "json", str(bad), str(dup), str(books / "bedford.xlsx"))
    assert result.exit_code == 1
    codes = {(Path(i["where"].split(" › ")[0]).name, i["code"]) for i in json.loads(result.stdout)}
    assert ("not-a-workbook.xlsx", "gate-not-xlsx") in codes
    assert ("milton_keynes.xlsx", "duplicate-para") in codes


def test_summary_json(luton: Path, catalogue: Catalogue) -> None:
    result = invoke("summary", "--format", "json", str(luton))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["workbook", "level", "catalogue", "counts", "commitments"]
    assert (data["workbook"], data["level"]) == (str(luton), "place")
    assert data["catalogue"] == {"id": catalogue.info.id, "version": catalogue.info.version}
    assert list(data["counts"]) == list(RAG_VALUES)
    assert sum(data["counts"].values()) == len(catalogue) == len(data["commitments"])
    rows = {c["id"]: c for c in data["commitments"]}
    assert [c["id"] for c in data["commitments"]] == list(catalogue.ids)
    assert (rows["1.9"]["rag"], rows["1.41"]["rag"], rows["3.56"]["rag"]) == ("Green", "Red", "N/A")
    assert rows["2.9"]["rag"] == "Amber" and rows["2.9"]["reason"]
    assert set(rows["2.9"]) == {"id", "rag", "reason"}


@pytest.mark.parametrize("by", ["chapter", "programme_area"])
def test_summary_by(luton: Path, by: str, catalogue: Catalogue) -> None:
    data = json.loads(invoke("summary", "--format", "json", "--by", by, str(luton)).stdout)
    rows = data["by"][by]
    assert sum(r["total"] for r in rows) == len(catalogue)
    assert {k: sum(r[k] for r in rows) for k in RAG_VALUES} == data["counts"]
    keys = [r[by] for r in rows]
    expected = (
        sorted({c.chapter for c in catalogue})
        if by == "chapter"
        else [
            a.id
            for a in catalogue.programme_areas
            if any(c.programme_area == a.id for c in catalogue)
        ]
    )
    assert keys == expected
    table = invoke("summary", "--by", by, str(luton))
    assert table.exit_code == 0 and "Luton" in table.output


def test_summary_csv(luton: Path, catalogue: Catalogue) -> None:
    rows = list(
        csv.DictReader(io.StringIO(invoke("summary", "--format", "csv", str(luton)).stdout))
    )
    assert len(rows) == 1 and int(rows[0]["total"]) == len(catalogue)
    by = invoke("summary", "--format", "csv", "--by", "chapter", str(luton)).stdout
    assert [r["chapter"] for r in csv.DictReader(io.StringIO(by))] == [
        str(c) for c in sorted({c.chapter for c in catalogue})
    ]


def test_summary_of_the_ics_team_workbook(books: Path, catalogue: Catalogue) -> None:
    data = json.loads(invoke("summary", "--format", "json", str(books / "blmk.xlsx")).stdout)
    assert data["level"] == "ics"
    assert [c["id"] for c in data["commitments"]] == [c.id for c in catalogue if c.level == "ics"]
    assert all(c["places"] == {} for c in data["commitments"])


def test_summary_rejects_bad_options(luton: Path) -> None:
    assert invoke("summary", "--by", "place", str(luton)).exit_code != 0
    assert invoke("summary", "--format", "xml", str(luton)).exit_code != 0


def test_recompute_command(luton: Path) -> None:
    result = invoke("recompute", str(luton))
    assert result.exit_code == 0, result.output
    assert "Recomputed" in result.output
    backups = list(luton.parent.glob("luton.*.bak.xlsx"))
    assert len(backups) == 1
    ws = openpyxl.load_workbook(luton)["Gap analysis"]
    rag = {ws[f"A{r}"].value: ws[f"S{r}"].value for r in range(2, ws.max_row + 1)}
    assert (rag["1.9"], rag["1.41"], rag["2.9"], rag["3.56"]) == ("Green", "Red", "Amber", "N/A")


def test_missing_file_is_a_located_error(tmp_path: Path) -> None:
    result = invoke("recompute", str(tmp_path / "nowhere.xlsx"))
    assert result.exit_code == 1
    assert "nowhere.xlsx" in result.output and "Traceback" not in result.output


def test_real_entry_point(tmp_path: Path) -> None:
    """The installed script, as a planner runs it (a real subprocess, no test runner)."""
    cmd = ltpgap_command()
    out = tmp_path / "wb"
    done = subprocess.run(
        [*cmd, "init", "--out", str(out)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    summary = subprocess.run(
        [*cmd, "summary", "--format", "json", str(out / "luton.xlsx")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert summary.returncode == 0, summary.stderr
    assert json.loads(summary.stdout)["counts"]["Green"] == 0
