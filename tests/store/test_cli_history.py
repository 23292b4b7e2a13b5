"""`ltpgap history` through the real Typer app (CliRunner) and the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from storekit import later, merge, submission
from typer.testing import CliRunner

from ltpgap.cli import app
from ltpgap.store import open_store

runner = CliRunner()


@pytest.fixture
def db(db_url: str) -> str:
    with open_store(db_url) as store:
        store.record_snapshot(
            merge(
                submission("luton", {"2.9": "Red", "3.10": "Amber"}),
                submission("bedford", {"2.9": "Green"}),
            )
        )
        store.record_snapshot(
            merge(submission("luton", {"2.9": "Amber", "3.10": "Amber"}, at=later(30)))
        )
    return db_url


def test_history_as_json(db: str) -> None:
    result = runner.invoke(
        app, ["history", "--db", db, "--place", "luton", "--commitment", "2.9", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [(r["snapshot"], r["place"], r["para"], r["rag"]) for r in records] == [
        (1, "luton", "2.9", "Red"),
        (2, "luton", "2.9", "Amber"),
    ]
    assert records[0]["file"] == "Luton.xlsx" and records[0]["taken_at"].startswith(
        "2024-04-01T09:00"
    )


def test_history_table(db: str) -> None:
    result = runner.invoke(app, ["history", "--db", db, "--ics", "blmk"])
    assert result.exit_code == 0, result.output
    assert "5 assessment(s) in 2 snapshot(s)" in result.stdout
    for word in ("luton", "bedford", "Amber", "Green", "Luton.xlsx"):
        assert word in result.stdout


def test_history_carry_forward(db: str) -> None:
    args = ["history", "--db", db, "--commitment", "2.9", "--carry-forward", "--format", "json"]
    records = json.loads(runner.invoke(app, args).stdout)
    assert [(r["snapshot"], r["place"], r["recorded_in"]) for r in records] == [
        (1, "bedford", 1),
        (1, "luton", 1),
        (2, "bedford", 1),
        (2, "luton", 2),
    ]


def test_history_with_nothing_matching(db: str) -> None:
    result = runner.invoke(app, ["history", "--db", db, "--place", "nowhere"])
    assert result.exit_code == 0 and "No history recorded" in result.stdout
    as_json = runner.invoke(app, ["history", "--db", db, "--place", "nowhere", "--format", "json"])
    assert json.loads(as_json.stdout) == []


def test_history_lists_predecessors_of_a_split_commitment(tmp_path: Path) -> None:
    catalogue = Path(__file__).resolve().parents[1] / "data" / "catalogue-v2.yaml"
    db = str(tmp_path / "h.sqlite")
    with open_store(db) as store:
        store.record_snapshot(merge(submission("luton", {"3.52": "Red", "2.9": "Red"})))
        store.record_snapshot(
            merge(submission("luton", {"3.52a": "Green"}, at=later(9), version="2.0.0"))
        )
    args = ["history", "--db", db, "--commitment", "3.52a", "--catalogue", str(catalogue)]
    records = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert [(r["snapshot"], r["para"], r["rag"]) for r in records] == [
        (1, "3.52", "Red"),
        (2, "3.52a", "Green"),
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--db", "missing.sqlite"], "No history store at 'missing.sqlite'"),
        (["--db", "mysql://x@y/z"], "not supported"),
        (["--format", "xml"], "--format"),
    ],
)
def test_history_errors_exit_non_zero_without_traceback(
    args: list[str], words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["history", *args])
    assert result.exit_code != 0
    assert words in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "missing.sqlite").exists()  # reading never creates a store


def test_default_db_is_ltpgap_sqlite_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("ltpgap.sqlite") as store:
        store.record_snapshot(merge(submission("luton", {"2.9": "Red"})))
    records = json.loads(runner.invoke(app, ["history", "--format", "json"]).stdout)
    assert [r["rag"] for r in records] == ["Red"]


def test_history_through_the_real_entry_point(tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite")
    with open_store(db) as store:
        store.record_snapshot(merge(submission("luton", {"2.9": "Red"})))
    proc = subprocess.run(
        [sys.executable, "-m", "ltpgap", "history", "--db", db, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["para"] == "2.9"
