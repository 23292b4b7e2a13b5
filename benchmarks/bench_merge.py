"""ICS merge benchmark (issue 5): 200 place workbooks of 500 commitments each, merged.

Model: one merge of 200 places under a synthetic ICS file of 200 places. Real ICSs have ~5
places, but the per-file work (gate, read, assess) is the same however the files are grouped,
and one merge of 200 is the hardest case for the writer and for memory: one workbook whose
Place data sheet holds ~85 000 rows of text and whose matrix has 200 place columns.

Generation (not timed): the real builder writes one place workbook from a synthetic
500-commitment catalogue; each of the 200 files is that package with its own identity in the
hidden metadata (checksum recomputed) and its own inputs in the input cells of the Gap
analysis table (85% of place-level rows filled; Initiatives and Evidence 100-400 characters),
written straight into the sheet XML so generating 200 files takes seconds, not minutes.

Timed, medians over rounds in which every run takes its turn (so a host that slows down for a
while slows them all alike): ``SHORT_ROUNDS`` for (a) and (b), ``REPEATS`` for (c); wall clock
and CPU (this process + its workers):
(a) ``merge_workbooks`` of all 200 into one ICS workbook (gate, read, assess, roll-up, write);
(a') the same without writing the workbook; (a'') the same with the files read in one
process (no reading workers: how reading scales with CPUs; the writer's row workers still
run); (b) fastexcel reading the same 200 files into
pandas DataFrames, one after another (the floor), and (b2) the same with the merge's worker
pool; (c) the same merge done through openpyxl: read with openpyxl
(``load_workbook(read_only=True, data_only=True)``) behind the same gate, and the ICS workbook
written by openpyxl cell by cell (the same sheets, values and cell styles; no direct XML);
(c') only the reader swapped for openpyxl (the write stays ltpgap's). Peak memory: the merge
run once in a fresh subprocess: the main process's own high-water mark (``VmHWM``) and
``ru_maxrss`` of its workers.
"""

from __future__ import annotations

import json
import logging
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import fastexcel
import openpyxl

from benchmarks.bench_rollup import synthetic_catalogue
from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig, Place
from ltpgap.issues import LtpgapError
from ltpgap.layout import (
    GAPS_SHEET,
    LISTS_SHEET,
    MATRIX_SHEET,
    META_KEYS,
    META_SHEET,
    PLACE_DATA_SHEET,
    meta_checksum,
)
from ltpgap.merge import ics_writer, merge_workbooks
from ltpgap.merge._collect import pool_size
from ltpgap.merge._fastrows import KINDS
from ltpgap.workbook import PlaceWorkbook
from ltpgap.workbook._layout import find_layout
from ltpgap.workbook._metadata import read_identity
from ltpgap.workbook._rows import read_rows
from ltpgap.workbook.builder import DATA_SHEET, build_workbook
from ltpgap.workbook.gate import inspect_workbook

N_PLACES, N_COMMITMENTS, REPEATS = 200, 500, 3
#: Rounds for the runs that take seconds, not half a minute (see ``_timed``).
SHORT_ROUNDS = 7
SEED = 20190107
_VOCABULARY = (
    "primary care network community hospital integrated team pathway digital outreach "
    "prevention screening clinic pilot funding recurrent workforce recruitment training "
    "practice patients population health management social prescribing link workers "
    "mental health crisis home first discharge frailty care homes maternity continuity "
    "smoking cessation alcohol diabetes obesity cancer diagnosis early stage rapid access "
    "virtual ward remote monitoring outpatient transformation estates partnership council"
)
_WORDS = _VOCABULARY.split()
_INPUT_LETTERS = {
    "J": "initiatives",
    "K": "status",
    "L": "coverage",
    "M": "expected_delivery",
    "N": "lead",
    "O": "evidence",
}
_LEADS = (
    "Head of Primary Care",
    "Director of Nursing",
    "Public Health Consultant",
    "Programme Manager",
    "Clinical Lead, Dr A. Patel",
    "ICS Digital Lead",
)


def _text(rng: random.Random, low: int, high: int) -> str:
    size = rng.randint(low, high)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < size:
        words.append(rng.choice(_WORDS))
    sentence = " ".join(words)[:size].rstrip()
    return sentence[0].upper() + sentence[1:] + "."


def _row_values(rng: random.Random) -> dict[str, str]:
    return {
        "initiatives": _text(rng, 100, 400),
        "status": rng.choice(("In place", "In progress", "Planned", "None")),
        "coverage": rng.choice(("Full", "Partial", "Full")),
        "expected_delivery": rng.choice(
            ("2020/21", "2021/22", "2023/24", "Q4 23/24", "March 2022")
        ),
        "lead": rng.choice(_LEADS),
        "evidence": _text(rng, 100, 400),
    }


def _cell(ref: str, style: str, text: str) -> str:
    return (
        f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
        f"{escape(text)}</t></is></c>"
    )


def _fill_sheet(xml: str, rows: dict[int, dict[str, str]]) -> str:
    def put(m: re.Match[str]) -> str:
        letter, row, style = m.group(1), int(m.group(2)), m.group(3)
        values = rows.get(row)
        return _cell(f"{letter}{row}", style, values[_INPUT_LETTERS[letter]]) if values else m[0]

    return re.sub(r'<c r="([J-O])(\d+)" s="(\d+)"(?: t="n")?(?:/>|></c>)', put, xml)


def _set_meta(xml: str, values: dict[str, str]) -> str:
    for row, key in enumerate(META_KEYS, start=1):
        text = escape(values[key])
        xml = re.sub(
            rf'(<c r="B{row}" s="\d+" t="inlineStr"><is><t>)[^<]*(</t>)',
            lambda m: m.group(1) + text + m.group(2),  # noqa: B023 (used at once, in this turn)
            xml,
        )
    return xml


def generate(folder: Path, catalogue: Catalogue, ics: IcsConfig) -> list[Path]:
    """The 200 place workbooks (see the module docstring)."""
    template = build_workbook(catalogue, ics, ics.places[0].id, out_path=folder / "_tmpl.xlsx")
    meta = {
        str(r[0].value): str(r[1].value or "")
        for r in openpyxl.load_workbook(template)[META_SHEET].iter_rows()
    }
    with zipfile.ZipFile(template) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    data_part, meta_part = "xl/worksheets/sheet2.xml", "xl/worksheets/sheet5.xml"
    assert b"GapAnalysis" in parts["xl/tables/table1.xml"] and b"checksum" in parts[meta_part]
    place_rows = [i for i, c in enumerate(catalogue, start=2) if c.level == "place"]
    rng = random.Random(SEED)
    paths = []
    for place in ics.places:
        rows = {r: _row_values(rng) for r in place_rows if rng.random() < 0.85}
        values = dict(meta) | {"unit_id": place.id, "unit_name": place.name}
        values["checksum"] = meta_checksum(values)
        path = folder / f"{place.id}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in parts.items():
                if name == data_part:
                    data = _fill_sheet(data.decode(), rows).encode()
                elif name == meta_part:
                    data = _set_meta(data.decode(), values).encode()
                out.writestr(name, data)
        paths.append(path)
    template.unlink()
    return paths


def bench_system(n_places: int = N_PLACES) -> tuple[Catalogue, IcsConfig]:
    """The synthetic catalogue and an ICS file of ``n_places`` places."""
    catalogue = synthetic_catalogue(N_COMMITMENTS)
    rng = random.Random(SEED)
    places = tuple(
        Place(id=f"p{i:03d}", name=f"Place {i:03d}", population=rng.randint(80_000, 600_000))
        for i in range(n_places)
    )
    return catalogue, IcsConfig(id="bench", name="Benchmark ICS", places=places)


def openpyxl_reader(path: Path, catalogue: Catalogue) -> PlaceWorkbook:
    """(c): the same gate, then openpyxl (read-only, values) instead of python-calamine."""
    file = str(path)
    inspection = inspect_workbook(path)
    if not inspection.passed:
        raise LtpgapError(list(inspection.issues))
    assert inspection.package is not None
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    grids: dict[str, list[list[object]]] = {}

    def grid(name: str) -> list[list[object]]:
        if name not in grids:
            grids[name] = [list(r) for r in wb[name].iter_rows(values_only=True)]
        return grids[name]

    names = [(s.name, s.state) for s in inspection.package.sheets if s.part]
    identity = read_identity(file, names, grid)
    layout, issues = find_layout(
        file, [n for n, _ in names], inspection.package.tables, grid, skip={META_SHEET, LISTS_SHEET}
    )
    assert layout is not None
    rows = read_rows(
        file=file,
        grid=grid(layout.sheet),
        layout=layout,
        errors={},
        catalogue=catalogue,
        decimals_of=lambda refs: {},
    )
    wb.close()
    letters = {k: v for k in layout.columns if (v := layout.letter(k))}
    return PlaceWorkbook(
        path=file,
        meta=identity.meta,
        unit_id=identity.unit_id,
        scope=identity.scope or "place",
        sheet=layout.sheet,
        header_row=layout.header_row,
        columns=letters,
        input_columns=rows.columns,
        extra_headers=tuple(n for _, n in layout.extras),
        issues=(*identity.issues, *issues, *rows.issues),
    )


def openpyxl_save(package: Any, target: Path) -> None:
    """(c): the ICS workbook written by openpyxl alone: every row as cells, styled like the
    template row of its kind (what ltpgap's writer streams as XML instead)."""
    from copy import copy
    from datetime import date, datetime, time

    wb = package.wb
    for bulk in package.bulks:
        ws = wb[bulk.sheet]
        templates = {
            kind: [copy(ws.cell(row=2 + k, column=j + 1)._style) for j in range(bulk.width)]
            for k, kind in enumerate(KINDS)
        }
        ws.delete_rows(2, len(KINDS))
        if bulk.columns is not None:
            rows: Any = zip(*bulk.columns, strict=True)
        else:
            rows = bulk.rows
        for r, row in enumerate(rows, start=2):
            for j, value in enumerate(row):
                if value is None or value == "":
                    continue
                kind = (
                    "number"
                    if isinstance(value, (int, float))
                    else "datetime"
                    if isinstance(value, datetime)
                    else "date"
                    if isinstance(value, date)
                    else "time"
                    if isinstance(value, time)
                    else "quoted"
                    if str(value)[:1] in "=+-@"
                    else "text"
                )
                cell = ws.cell(row=r, column=j + 1, value=value)
                if kind == "quoted":
                    cell.data_type = "s"
                cell._style = copy(templates[kind][j])
    wb.save(target)


# fastexcel logs a line per text column whose type it has to guess: not news here.
logging.getLogger("fastexcel").setLevel(logging.ERROR)


def _fastexcel_one(path: Path) -> int:
    frame = fastexcel.read_excel(str(path)).load_sheet_by_name(DATA_SHEET).to_pandas()
    return len(frame)


def _fastexcel(paths: list[Path], workers: int) -> None:
    if workers:
        with ProcessPoolExecutor(workers) as pool:
            assert all(n > 0 for n in pool.map(_fastexcel_one, paths))
    else:
        assert all(_fastexcel_one(p) > 0 for p in paths)


def _cpu() -> float:
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(
    runs: dict[str, Callable[[], object]], repeats: int, *, slow: Collection[str] = ()
) -> tuple[dict[str, tuple[float, float]], dict[str, list[float]]]:
    """Each run's (median wall seconds, median CPU seconds incl. workers), and its wall times
    round by round (for ratios taken within a round).

    The runs take turns (a, b, c, a, b, c …) rather than each repeating on its own, so a
    machine that slows down for a while (a shared CI host) slows every run alike and the
    ratios between them hold. The ``slow`` runs (openpyxl's: half a minute each) take part
    in the first ``repeats`` rounds; the others in ``SHORT_ROUNDS`` rounds, for steadier
    medians.
    """
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    rounds = max(repeats, SHORT_ROUNDS) if repeats > 1 else repeats
    for round_ in range(rounds):
        for name, run in runs.items():
            if name in slow and round_ >= repeats:
                continue
            wall, cpu = time.perf_counter(), _cpu()
            run()
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(_cpu() - cpu)
    medians = {
        name: (round(statistics.median(walls[name]), 2), round(statistics.median(cpus[name]), 2))
        for name in runs
    }
    return medians, walls


def _paired(top: list[float], bottom: list[float]) -> str:
    """Ratios of two runs taken within each round: "median (min–max)".

    Within a round the two runs are seconds apart, so a host whose speed drifts over the
    minutes of the benchmark moves both alike; the spread shows how far one round can be off.
    """
    ratios = sorted(t / b for t, b in zip(top, bottom, strict=False))
    return f"{statistics.median(ratios):.2f} ({ratios[0]:.2f}–{ratios[-1]:.2f})"


def _per_file(paths: list[Path], catalogue: Catalogue) -> dict[str, float]:
    """Median CPU milliseconds per file of each stage, in this process (explains the ratios)."""
    from ltpgap.rag import assess_place
    from ltpgap.workbook import cell_locator, read_workbook
    from ltpgap.workbook.gate import gate_workbook

    sample = paths[:20]
    books = [read_workbook(p, catalogue=catalogue) for p in sample]
    stages: dict[str, Callable[[int], object]] = {
        "gate": lambda i: gate_workbook(sample[i]),
        "read_incl_gate": lambda i: read_workbook(sample[i], catalogue=catalogue),
        "assess": lambda i: assess_place(  # from the columns, as the merge's workers do
            catalogue,
            books[i].input_columns,
            unit_id=books[i].unit_id,
            locate=cell_locator(books[i]),
        ),
        "fastexcel": lambda i: _fastexcel_one(sample[i]),
        "openpyxl_read_incl_gate": lambda i: openpyxl_reader(sample[i], catalogue),
    }
    out = {}
    for name, run in stages.items():
        times = []
        for i in range(len(sample)):
            start = time.process_time()
            run(i)
            times.append(time.process_time() - start)
        out[f"per_file_{name}_cpu_ms"] = round(statistics.median(times) * 1000, 1)
    return out


def _check_same_content(path: Path, result: Any) -> None:
    """The openpyxl-written workbook holds the rows ltpgap's writer writes (sheet by sheet)."""
    merge_workbooks(
        sorted(path.parent.parent.glob("p*.xlsx")),
        out=path.with_name("fast.xlsx"),
        catalogue=result.catalogue,
        ics=result.ics,
    )
    slow, fast = (
        openpyxl.load_workbook(p, read_only=True) for p in (path, path.with_name("fast.xlsx"))
    )

    def rows(book: Any, name: str) -> list[tuple[object, ...]]:
        # openpyxl writes floats to 16 significant digits, ltpgap's writer with repr()
        return [
            tuple(round(v, 12) if isinstance(v, float) else v for v in r)
            for r in book[name].iter_rows(values_only=True)
            if any(v is not None for v in r)
        ]

    for name in (MATRIX_SHEET, GAPS_SHEET, PLACE_DATA_SHEET):
        assert rows(slow, name) == rows(fast, name), name
    path.with_name("fast.xlsx").unlink()


def _peak(folder: Path, n_places: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_merge", "--child", str(folder), str(n_places)],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
        cwd=Path(__file__).resolve().parents[1],
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child(folder: Path, n_places: int) -> None:
    catalogue, ics = bench_system(n_places)
    paths = sorted(folder.glob("p*.xlsx"))
    merge_workbooks(paths, out=folder / "peak" / "ICS.xlsx", catalogue=catalogue, ics=ics)
    own = _high_water_mb()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"main_mb": round(own), "worker_mb": round(kids)}))


def _high_water_mb() -> float:
    """This process's peak resident memory since it started.

    Linux carries ``ru_maxrss`` over ``exec``, so a child started by a big process would
    report its parent's size; ``VmHWM`` belongs to the process's own address space.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(quick: bool = False) -> dict[str, float | str]:
    """Generate the workbooks, then time (a), (a'), (b), (b2) and (c); report ratios and memory."""
    n_places = 20 if quick else N_PLACES
    repeats = 1 if quick else REPEATS
    catalogue, ics = bench_system(n_places)
    folder = Path(tempfile.mkdtemp(prefix="ltpgap-bench-merge-"))
    try:
        start = time.perf_counter()
        paths = generate(folder, catalogue, ics)
        generated = time.perf_counter() - start
        out = folder / "out" / "ICS.xlsx"

        def merge(**kw: Any) -> Any:
            if out.exists():
                out.unlink()
            return merge_workbooks(paths, out=out, catalogue=catalogue, ics=ics, **kw)

        def merge_openpyxl() -> Any:
            fast_save = ics_writer._Package.save
            ics_writer._Package.save = openpyxl_save  # type: ignore[method-assign,assignment]
            try:
                return merge(reader=openpyxl_reader)
            finally:
                ics_writer._Package.save = fast_save  # type: ignore[method-assign]

        result = merge()
        assert not result.skipped and len(result.submitted()) == n_places
        workers = pool_size(len(paths), None)
        merge_openpyxl()
        _check_same_content(out, result)
        timed, walls = _timed(
            {
                "a": merge,
                "a_compute": lambda: merge(write=False),
                "a_serial": lambda: merge(jobs=1),  # how reading scales with CPUs
                "b": lambda: _fastexcel(paths, 0),
                "b2": lambda: _fastexcel(paths, workers),
                "c": merge_openpyxl,
                "c_reader": lambda: merge(reader=openpyxl_reader),
            },
            repeats,
            slow={"c", "c_reader"},
        )
        a, a_compute, a_serial, b, b2, c, c_reader = (
            timed[k] for k in ("a", "a_compute", "a_serial", "b", "b2", "c", "c_reader")
        )
        peak = _peak(folder, n_places)
        stages = _per_file(paths, catalogue)
        return {
            "places": n_places,
            "commitments": N_COMMITMENTS,
            "workers": workers,
            "file_kb_each": round(paths[0].stat().st_size / 1024, 1),
            "ics_workbook_mb": round(out.stat().st_size / 1024 / 1024, 1),
            "place_data_rows": sum(
                int((s.inputs[["initiatives", "status"]].notna().any(axis=1)).sum())
                for s in result.submissions
            ),
            "generate_s": round(generated, 1),
            "a_merge_s": a[0],
            "a_merge_cpu_s": a[1],
            "a_merge_no_write_s": a_compute[0],
            "a_merge_one_process_s": a_serial[0],
            "a_write_share_s": round(a[0] - a_compute[0], 2),
            "b_fastexcel_s": b[0],
            "b_fastexcel_cpu_s": b[1],
            "b2_fastexcel_pool_s": b2[0],
            "c_openpyxl_merge_s": c[0],
            "c_openpyxl_merge_cpu_s": c[1],
            "c_reader_only_openpyxl_s": c_reader[0],
            "ratio_a_over_b": round(a[0] / b[0], 2),
            "ratio_a_over_b_within_rounds": _paired(walls["a"], walls["b"]),
            "ratio_a_over_b2": round(a[0] / b2[0], 2),
            "ratio_c_over_a": round(c[0] / a[0], 2),
            "ratio_c_over_a_within_rounds": _paired(walls["c"], walls["a"]),
            "ratio_c_reader_only_over_a": round(c_reader[0] / a[0], 2),
            "ratio_cpu_a_over_b": round(a[1] / b[1], 2),
            **stages,
            "peak_main_mb": peak["main_mb"],
            "peak_worker_mb": peak["worker_mb"],
            "target_a_le_2b": "met" if a[0] <= 2 * b[0] else "MISSED",
            "target_c_ge_10a": "met" if c[0] >= 10 * a[0] else "MISSED",
            "target_peak_le_1gb": "met"
            if peak["main_mb"] + workers * peak["worker_mb"] <= 1024
            else "MISSED",
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":  # _peak's fresh process, not for users
        _child(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        from benchmarks._cli import run

        raise SystemExit(run(main, __doc__, "bench_merge"))
