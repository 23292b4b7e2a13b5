"""Helpers for the merge tests: small workbooks to merge, and reading results independently.

Workbooks are built by the real builder from the small test catalogue (tests/data); inputs are
typed in with openpyxl as a planner would. Results are read back with openpyxl (not the
calamine reader under test), so a test checks what a spreadsheet program would show.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.ics import IcsConfig, load_ics
from ltpgap.schema import COLUMNS, INPUT_KEYS
from ltpgap.workbook import init_workbooks

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
V1 = DATA / "catalogue-v1.yaml"
V2 = DATA / "catalogue-v2.yaml"
HEADER = {c.key: c.header for c in COLUMNS}
KEY = {c.header: c.key for c in COLUMNS}

_FIGURE = re.compile(r"^(?:\d+%?|–)$")
_RULES = str.maketrans("│┃", "  ")  # column rules of a boxed table

Inputs = Mapping[str, Mapping[str, Mapping[str, object]]]  # unit → para → key → value


def catalogue_v1() -> Catalogue:
    """The small test catalogue (20 commitments, every level)."""
    return load_catalogue(V1)


def blmk() -> IcsConfig:
    """The embedded BLMK configuration."""
    return load_ics()


def blank_books(folder: Path, catalogue: Catalogue, ics: IcsConfig) -> dict[str, Path]:
    """One blank workbook per place and the ICS team's, in ``folder``: unit id → path."""
    paths = init_workbooks(catalogue, ics, folder, force=True, generated_at="2024-01-01T00:00:00Z")
    return {p.stem: p for p in paths}


def copy_books(books: Mapping[str, Path], folder: Path) -> dict[str, Path]:
    """Copies of the blank workbooks in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return {unit: Path(shutil.copy(path, folder / path.name)) for unit, path in books.items()}


def _sheet(wb: Any) -> Any:
    return wb["Gap analysis"]


def type_inputs(
    path: Path,
    values: Mapping[str, Mapping[str, object]],
    *,
    shuffle: random.Random | None = None,
    extra: tuple[str, Mapping[str, object]] | None = None,
) -> None:
    """Type input values into a workbook by Para, verbatim (openpyxl, no escaping).

    With ``shuffle`` the data rows are first put in a random order (a planner sorting the
    table); with ``extra`` = (header, para → value) a column of the planner's own is added.
    """
    wb = openpyxl.load_workbook(path)
    ws = _sheet(wb)
    headers = [c.value for c in ws[1]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    if shuffle is not None:
        shuffle.shuffle(rows)
    col = {KEY[h]: j for j, h in enumerate(headers) if h in KEY}
    extra_col = len(headers)
    if extra is not None:
        ws.cell(row=1, column=extra_col + 1, value=extra[0])
    for r, row in enumerate(rows, start=2):
        para = str(row[col["para"]])
        for j, value in enumerate(row):
            ws.cell(row=r, column=j + 1).value = value
        for key, value in values.get(para, {}).items():
            cell = ws.cell(row=r, column=col[key] + 1)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # typed text, never a formula
        if extra is not None and para in extra[1]:
            cell = ws.cell(row=r, column=extra_col + 1, value=extra[1][para])
            if isinstance(extra[1][para], str):
                cell.data_type = "s"
    wb.save(path)


def sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A table sheet of the ICS workbook as dicts by header (openpyxl, blank rows dropped)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    grid = [[c.value for c in row] for row in ws.iter_rows()]
    header = grid[0]
    return [
        dict(zip(header, row, strict=False)) for row in grid[1:] if any(v is not None for v in row)
    ]


def input_cells(path: Path) -> list[tuple[str, int, str, Any]]:
    """Every non-blank input cell of a place workbook: (para, row, header, value), by openpyxl."""
    wb = openpyxl.load_workbook(path)
    ws = _sheet(wb)
    headers = [c.value for c in ws[1]]
    inputs = {HEADER[k] for k in INPUT_KEYS}
    found = []
    for r, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        para = str(row[headers.index("Para")])
        for header, value in zip(headers, row, strict=False):
            keep = header in inputs or header not in KEY
            if keep and value is not None and value != "":  # spaces typed count: kept as typed
                found.append((para, r, str(header), value))
    return found


def printed_rows(text: str, figures: int) -> dict[str, list[str]]:
    """Label → figures of each row of the count tables printed in ``text``.

    A row starts on the line that ends in ``figures`` figures (``12``, ``45%``, ``–``); the
    lines after it that hold no figures carry on its label, which may wrap.
    """
    rows: dict[str, list[str]] = {}
    label: list[str] = []
    current: list[str] | None = None
    for line in text.translate(_RULES).splitlines():
        words = line.split()
        tail = 0
        while tail < len(words) and _FIGURE.match(words[len(words) - 1 - tail]):
            tail += 1
        if tail >= figures:
            if current is not None:
                rows[" ".join(label)] = current
            label, current = words[: len(words) - figures], words[len(words) - figures :]
        elif current is not None and words:
            label += words
        elif current is not None:
            rows[" ".join(label)] = current
            label, current = [], None
    if current is not None:
        rows[" ".join(label)] = current
    return rows
