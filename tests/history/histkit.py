"""Helpers for the history tests: place workbooks with chosen RAGs, the merge command, and
independent readers of the ICS workbook's History sheet (openpyxl and the raw package XML)."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import CliRunner

from ltpgap.cli import app
from ltpgap.schema import INPUT_KEYS

ROOT = Path(__file__).resolve().parents[2]
V1 = ROOT / "tests" / "data" / "catalogue-v1.yaml"
V2 = ROOT / "tests" / "data" / "catalogue-v2.yaml"

#: Inputs that give each RAG under SPEC §5 (rules 4, 5 and 8).
INPUTS: dict[str, dict[str, object]] = {
    "Red": {"status": "None", "initiatives": "Nothing yet"},
    "Amber": {"status": "Planned", "coverage": "Partial", "initiatives": "Business case"},
    "Green": {"status": "In place", "coverage": "Full", "initiatives": "Live"},
}
ARROW_WORD = {
    ("Red", "Amber"): "▲ improved",
    ("Red", "Green"): "▲ improved",
    ("Amber", "Green"): "▲ improved",
    ("Green", "Red"): "▼ worse",
    ("Green", "Amber"): "▼ worse",
    ("Amber", "Red"): "▼ worse",
}

runner = CliRunner()


def movement_word(before: str, after: str) -> str:
    """The label the History sheet must show for a place-level RAG change."""
    return "▶ no change" if before == after else ARROW_WORD[(before, after)]


def copy_books(blanks: Mapping[str, Path], folder: Path) -> dict[str, Path]:
    """Copies of the blank workbooks (unit id → path) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return {u: Path(shutil.copy(p, folder / p.name)) for u, p in blanks.items()}


def set_rags(path: Path, rags: Mapping[str, str]) -> None:
    """Type inputs giving each Para its RAG (other input cells of those rows cleared)."""
    from ltpgap.workbook import fill_inputs

    fill_inputs(path, {p: {k: INPUTS[r].get(k) for k in INPUT_KEYS} for p, r in rags.items()})


def merge(*args: str | Path) -> Any:
    """`ltpgap merge …` in-process; returns the CliRunner result (output = stdout + stderr)."""
    result = runner.invoke(app, ["merge", *(str(a) for a in args)], catch_exceptions=False)
    return result


def table_rows(path: Path, table: str) -> list[dict[str, object]]:
    """The rows of a named Excel Table, read with openpyxl, as header → value dicts."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if table in ws.tables:
            grid = [[c.value for c in row] for row in ws[ws.tables[table].ref]]
            return [dict(zip(grid[0], row, strict=True)) for row in grid[1:]]
    raise KeyError(table)


def sheet_text(path: Path, sheet: str) -> str:
    """Every text cell of a sheet, joined (for messages)."""
    ws = openpyxl.load_workbook(path)[sheet]
    return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v)


def chart_xml(path: Path) -> tuple[str, str]:
    """(drawing XML, chart XML) of the History sheet's one chart."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        drawings = [n for n in names if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]
        charts = [n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(drawings) == 1 and len(charts) == 1, names
        return zf.read(drawings[0]).decode(), zf.read(charts[0]).decode()


def chart_texts(xml: str) -> list[str]:
    """The text runs of a chart (its title and axis titles), in document order."""
    return re.findall(r"<a:t>([^<]*)</a:t>", xml)


def moved(rows: Sequence[Mapping[str, object]]) -> dict[tuple[str, str], str]:
    """(place, para) → movement label, from the HistoryMovement table."""
    return {(str(r["Place"]), str(r["Para"])): str(r["Movement"]) for r in rows}


#: Round 1 of the two-round history used by several tests: unit → para → RAG.
ROUND1: dict[str, dict[str, str]] = {
    "bedford": {"1.8": "Green", "1.24": "Amber", "2.9": "Red"},
    "central_beds": {"1.8": "Red", "1.24": "Red", "2.9": "Red"},
    "luton": {"1.8": "Red", "1.24": "Amber", "2.9": "Green"},
    "milton_keynes": {"1.8": "Amber", "1.24": "Amber", "2.9": "Amber"},
    "blmk": {"1.52": "Amber"},
}
#: Round 2: Bedford, Luton and the ICS team send new workbooks; the other two are kept.
ROUND2: dict[str, dict[str, str]] = {
    "bedford": {"1.8": "Red", "1.24": "Green"},
    "luton": {"1.8": "Green", "2.9": "Amber", "3.10": "Green"},
    "blmk": {"1.52": "Green"},
}


@dataclass(frozen=True)
class TwoRounds:
    """Two merges into one store: the ICS workbook, the store, what each merge printed, and a
    copy of the ICS workbook as round 1 left it."""

    out: Path
    db: str
    printed: tuple[str, str]
    round1: Path


def two_rounds(folder: Path, blanks: Mapping[str, Path], db: str) -> TwoRounds:
    """Merge :data:`ROUND1` then :data:`ROUND2` with `ltpgap merge --db` (ann, then bob)."""
    books = copy_books(blanks, folder / "returns")
    for unit, rags in ROUND1.items():
        set_rags(books[unit], rags)
    out = folder / "ICS.xlsx"
    first = merge(*books.values(), "--out", out, "--catalogue", V1, "--db", db, "--who", "ann")
    assert first.exit_code == 0, first.output
    kept = Path(shutil.copy(out, folder / "round1.xlsx"))
    for unit, rags in ROUND2.items():
        set_rags(books[unit], rags)
    again = [books[u] for u in ROUND2]
    second = merge(*again, "--out", out, "--catalogue", V1, "--db", db, "--who", "bob")
    assert second.exit_code == 0, second.output
    return TwoRounds(out=out, db=db, printed=(first.output, second.output), round1=kept)
