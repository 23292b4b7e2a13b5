"""Workbook reading benchmark (issue 4): gate + read of a 500-row place workbook.

A merge reads ~200 such workbooks, so each read should take a few tens of milliseconds. The
workbook is built by `build_workbook` from a synthetic 500-commitment catalogue, a third of
its rows filled in; timed: the gate alone, and the full read (gate, values, identity, table,
rows, Para checks), median over repeats, wall clock and CPU. Also timed: refusing a 600 MB
zip bomb and a 64 MB cell.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl

from benchmarks.bench_rollup import synthetic_catalogue
from ltpgap.ics import load_ics
from ltpgap.issues import LtpgapError
from ltpgap.workbook.builder import DATA_SHEET, build_workbook
from ltpgap.workbook.gate import gate_workbook
from ltpgap.workbook.reader import read_workbook

ROWS = 500


def _median_ms(run: Callable[[], object], repeats: int, clock: Callable[[], float]) -> float:
    times = []
    for _ in range(repeats):
        start = clock()
        run()
        times.append(clock() - start)
    return round(statistics.median(times) * 1000, 1)


def _fill(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    for row in range(2, ws.max_row + 1, 3):
        ws.cell(row, 10, f"Initiative for row {row}")
        ws.cell(row, 11, ("In place", "In progress", "Planned", "None")[row % 4])
        ws.cell(row, 12, "Full" if row % 2 else "Partial")
        ws.cell(row, 13, "2023/24")
        ws.cell(row, 14, "A Lead")
    wb.save(path)


def _hostile(folder: Path, base: Path) -> dict[str, float]:
    tests = Path(__file__).resolve().parents[1] / "tests" / "workbook"
    sys.path.insert(0, str(tests))
    import _fixtures as fx  # the test suite's generators

    out = {}
    for name, make in (
        ("zip_bomb_600MB", fx.hostile_zip_bomb),
        ("cell_64MB", fx.hostile_huge_cell),
    ):
        path = make(base, folder / name)

        def refuse(p: Path = path) -> None:
            try:
                read_workbook(p)
            except LtpgapError:
                return
            raise AssertionError("hostile file was not refused")

        out[f"refuse_{name}_ms"] = _median_ms(refuse, 5, time.perf_counter)
    return out


def main(quick: bool = False) -> dict[str, float | str]:
    """Build the workbook once, then time gate and read."""
    catalogue = synthetic_catalogue(ROWS)
    repeats = 7 if quick else 31
    folder = Path(tempfile.mkdtemp(prefix="ltpgap-bench-read-"))
    try:
        path = build_workbook(catalogue, load_ics(), "bedford", out_path=folder / "bedford.xlsx")
        _fill(path)
        book = read_workbook(path, catalogue=catalogue)
        assert len(book.inputs) == ROWS and not book.issues, book.issues[:3]
        figures: dict[str, float | str] = {
            "rows": ROWS,
            "file_kb": round(path.stat().st_size / 1024, 1),
            "gate_median_ms": _median_ms(lambda: gate_workbook(path), repeats, time.perf_counter),
            "read_median_ms": _median_ms(
                lambda: read_workbook(path, catalogue=catalogue), repeats, time.perf_counter
            ),
            "read_median_cpu_ms": _median_ms(
                lambda: read_workbook(path, catalogue=catalogue), repeats, time.process_time
            ),
        }
        if not quick:
            figures |= _hostile(folder, path)
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    from benchmarks._cli import run

    raise SystemExit(run(main, __doc__, "bench_read_workbook"))
