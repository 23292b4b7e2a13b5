"""The count tables `merge`, `rollup` and `summary` print: every figure whole on 80 columns.

Output that is not a terminal (a pipe, a log, CI) is laid out at 80 columns; long place
names and "(kept)" labels must wrap, never push a figure out of the table or cut it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from mergekit import V1, copy_books, printed_rows, type_inputs

from ltpgap.catalogue import load_catalogue
from ltpgap.rag import summarise
from ltpgap.schema import RAG_VALUES
from ltpgap.workbook import summarise_workbook

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

INPUTS = {
    "luton": {
        "1.8": {"status": "None"},
        "2.9": {"status": "In place", "coverage": "Full"},
    },
    "central_beds": {
        "1.8": {"status": "In place", "coverage": "Full"},
        "2.9": {"status": "Planned", "expected_delivery": "2021/22"},
    },
    "bedford": {"1.8": {"status": "In progress", "coverage": "Partial"}},
    "blmk": {"1.52": {"status": "In place", "coverage": "Full"}},
}


def ltpgap(folder: Path, *args: str, table: bool = True) -> str:
    """Run the real command with its output piped, as in a log: stdout without colour codes.

    A table printed must fit 80 columns with nothing cut short, headers included.
    """
    env = {**os.environ, "COLUMNS": "80"}
    for forced in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(forced, None)
    done = subprocess.run(
        [sys.executable, "-m", "ltpgap", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    text = _ANSI.sub("", done.stdout)
    if table:
        assert all(len(line) <= 80 for line in text.splitlines()), text
        assert "…" not in text, text
    return text


def pct(value: float) -> str:
    return "–" if value != value else f"{value:.0%}"


def expected_row(frame: pd.DataFrame) -> list[str]:
    """A row of the table as `ltpgap.rag.summarise` counts it: the figures printed."""
    row = summarise(frame).iloc[0]
    counts = [str(int(row[r])) for r in RAG_VALUES]
    return [*counts, pct(row["pct_green"]), pct(row["pct_assessed"]), str(int(row["must_do_red"]))]


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory, blanks: dict[str, Path]) -> Path:
    """The five BLMK workbooks, some inputs typed in: a folder to merge in."""
    folder = tmp_path_factory.mktemp("narrow")
    books = copy_books(blanks, folder)
    for unit, values in INPUTS.items():
        type_inputs(books[unit], values)
    return folder


NAMES = {
    "bedford": "Bedford Borough",
    "central_beds": "Central Bedfordshire",
    "luton": "Luton",
    "milton_keynes": "Milton Keynes",
}


def test_merge_and_remerge_print_every_figure_whole(merged: Path) -> None:
    cat = str(V1)
    books = [f"{u}.xlsx" for u in [*NAMES, "blmk"]]
    first = ltpgap(merged, "merge", *books, "--out", "ICS.xlsx", "--no-db", "--catalogue", cat)
    catalogue = load_catalogue(V1)
    places = {
        name: expected_row(summarise_workbook(merged / f"{u}.xlsx", catalogue=catalogue).frame)
        for u, name in NAMES.items()
    }
    ics = expected_row(summarise_workbook(merged / "ICS.xlsx", catalogue=catalogue).frame)
    assert printed_rows(first, 8) == {**places, "ICS RAG": ics}
    again = ltpgap(
        merged, "merge", "luton.xlsx", "--out", "ICS.xlsx", "--no-db", "--catalogue", cat
    )
    kept = {n if n == "Luton" else f"{n} (kept)": row for n, row in places.items()}
    assert printed_rows(again, 8) == {**kept, "ICS RAG": ics}


def test_rollup_prints_every_figure_whole(merged: Path) -> None:
    cat = str(V1)
    catalogue = load_catalogue(V1)
    books = [f"{u}.xlsx" for u in [*NAMES, "blmk"]]
    ltpgap(merged, "merge", *books, "--out", "BLMK.xlsx", "--no-db", "--catalogue", cat)
    name = "East of England and the Bedfordshire Borders"
    shown = ltpgap(
        merged, "rollup", "BLMK.xlsx", "--out", "REGION.xlsx", "--name", name, "--catalogue", cat
    )
    ics = expected_row(summarise_workbook(merged / "BLMK.xlsx", catalogue=catalogue).frame)
    region = expected_row(summarise_workbook(merged / "REGION.xlsx", catalogue=catalogue).frame)
    assert printed_rows(shown, 8) == {
        "Bedfordshire, Luton and Milton Keynes": ics,
        f"{name} (rolled up)": region,
    }


@pytest.mark.parametrize("by", ["chapter", "programme_area"])
def test_summary_prints_every_figure_whole(merged: Path, by: str) -> None:
    cat = str(V1)
    shown = ltpgap(merged, "summary", "central_beds.xlsx", "--by", by, "--catalogue", cat)
    book = ("summary", "central_beds.xlsx", "--format", "csv", "--catalogue", cat)
    overall = ltpgap(merged, *book, table=False)
    as_csv = ltpgap(merged, *book, "--by", by, table=False)
    want = []
    for row in [*csv.DictReader(io.StringIO(overall)), *csv.DictReader(io.StringIO(as_csv))]:
        shares = [pct(float(row[k] or "nan")) for k in ("pct_green", "pct_assessed")]
        want.append([*(row[k] for k in (*RAG_VALUES, "total")), *shares, row["must_do_red"]])
    assert list(printed_rows(shown, 9).values()) == want
