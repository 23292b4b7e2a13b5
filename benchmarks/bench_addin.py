"""Excel add-in benchmark (issue 7): server-side time of Recompute on a 4-place ICS workbook.

The workbook is the ICS workbook `ltpgap merge` writes for BLMK's four places and the ICS
team over a 500-commitment synthetic catalogue (every place's inputs on ``Place data``), sent
as the Office.js task pane sends it (only the sheets the script declares). Timed, from the
parsed request body:

- recompute: ``xw.Book(json=…)``, :func:`ltpgap.xl.operations.recompute` (rebuild each unit
  from Place data and assess it, roll up, build matrix, summaries, gaps and snapshot grid)
  and ``book.json()``;
- floor: ``xw.Book(json=…)`` plus reading every sheet's values (what any script pays);
- rag core: ``ltpgap.rag.assess_units`` for the five units and ``rollup_ics`` alone, on the
  same inputs: the part of recompute that is the RAG rules themselves.

Like a running server (``ltpgap serve`` calls :func:`ltpgap.xl.runtime.settle` once started), the
process settles its garbage collector after warming up, before anything is timed.

Target: recompute ≤ 3 × floor. A 500-commitment place workbook is timed the same way. The
remote engine is xlwings PRO: this runs it under the PolyForm Noncommercial key when no key is
set (README.md, "Licensing: which parts need which licence").
"""

from __future__ import annotations

import copy
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "xl"))

import xlwings as xw
from officejs import (
    merged_workbook,
    payload_from_xlsx,
    place_payload,
    synthetic_catalogue,
    unit_inputs,
)

from ltpgap.ics import load_ics
from ltpgap.rag import UnitInputs, assess_units, rollup_ics
from ltpgap.xl import operations
from ltpgap.xl.protection import OfficeJsProtection
from ltpgap.xl.runtime import settle
from ltpgap.xl.scripts import RECOMPUTE_SHEETS

N_COMMITMENTS = 500


def _floor(payload: dict[str, Any]) -> int:
    book = xw.Book(json=payload)
    cells = 0
    for sheet in book.sheets:
        values = sheet.used_range.options(ndim=2).value
        cells += sum(len(r) for r in values)
    book.close()
    return cells


def _recompute(payload: dict[str, Any], **kwargs: Any) -> int:
    book = xw.Book(json=payload)
    operations.recompute(book, protection=OfficeJsProtection(), **kwargs)
    actions = len(book.json()["actions"])
    book.close()
    return actions


@dataclass(frozen=True, slots=True, kw_only=True)
class Timing:
    """Median wall-clock and CPU (this process) milliseconds of one timed step."""

    wall_ms: float
    cpu_ms: float
    result: int


def _median_ms(
    run: Callable[[dict[str, Any]], int], payload: dict[str, Any], repeats: int
) -> Timing:
    # CPU time as well as wall time: on a shared machine other jobs inflate the wall clock.
    walls, cpus, result = [], [], 0
    for _ in range(repeats):
        body = copy.deepcopy(payload)  # a fresh request body each time (not timed)
        wall, cpu = time.perf_counter(), time.process_time()
        result = run(body)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return Timing(
        wall_ms=statistics.median(walls) * 1000,
        cpu_ms=statistics.median(cpus) * 1000,
        result=result,
    )


def main(quick: bool = False) -> dict[str, float | str]:
    """Median server-side times (ms) of recompute and of the floor, and their ratio."""
    repeats = 3 if quick else 9
    catalogue = synthetic_catalogue(N_COMMITMENTS)
    ics_config = load_ics()
    with tempfile.TemporaryDirectory() as folder:
        path = merged_workbook(catalogue, ics_config, Path(folder) / "ICS.xlsx")
        ics_body = payload_from_xlsx(path, include=RECOMPUTE_SHEETS)
    place_body = place_payload(catalogue)
    _recompute(copy.deepcopy(ics_body), catalogue=catalogue, ics=ics_config)  # warm caches
    _recompute(copy.deepcopy(place_body), catalogue=catalogue)
    settle()  # as `ltpgap serve` does once started (ltpgap.xl.runtime.settle)
    ics = _median_ms(
        lambda b: _recompute(b, catalogue=catalogue, ics=ics_config), ics_body, repeats
    )
    ics_floor = _median_ms(_floor, ics_body, repeats)
    place = _median_ms(lambda b: _recompute(b, catalogue=catalogue), place_body, repeats)
    place_floor = _median_ms(_floor, place_body, repeats)
    units = unit_inputs(catalogue, ics_config)

    def core(_: dict[str, Any]) -> int:
        assessed = assess_units(
            catalogue,
            [UnitInputs(unit_id=u, inputs=f, scope=s) for u, (s, f) in units.items()],
        )
        by_unit = {a.unit_id: a for a in assessed}
        rags: dict[str, list[object]] = {"place": [], "para": [], "rag": []}
        for p in ics_config.places:  # the long columns, as the ICS content hands them over
            rags["place"] += [p.id] * len(by_unit[p.id])
            rags["para"] += by_unit[p.id].column("para")
            rags["rag"] += by_unit[p.id].column("rag")
        team = by_unit[ics_config.id].columns("para", "rag")
        rollup_ics(catalogue, rags, ics=ics_config, ics_rags=team)
        return len(by_unit)

    core_timing = _median_ms(core, {}, repeats)
    ratio = ics.wall_ms / ics_floor.wall_ms
    return {
        "ics_workbook": f"{len(ics_config.places)} places x {N_COMMITMENTS} commitments, "
        f"{ics_floor.result} cells",
        "ics_recompute_median_ms": round(ics.wall_ms, 1),
        "ics_floor_median_ms": round(ics_floor.wall_ms, 1),
        "ics_ratio": round(ratio, 2),
        "ics_recompute_cpu_median_ms": round(ics.cpu_ms, 1),
        "ics_floor_cpu_median_ms": round(ics_floor.cpu_ms, 1),
        "ics_cpu_ratio": round(ics.cpu_ms / ics_floor.cpu_ms, 2),
        "ics_rag_core_median_ms": round(core_timing.wall_ms, 1),
        "ics_rag_core_cpu_median_ms": round(core_timing.cpu_ms, 1),
        "ics_actions": ics.result,
        "place_recompute_median_ms": round(place.wall_ms, 1),
        "place_floor_median_ms": round(place_floor.wall_ms, 1),
        "place_ratio": round(place.wall_ms / place_floor.wall_ms, 2),
        "place_recompute_cpu_median_ms": round(place.cpu_ms, 1),
        "place_floor_cpu_median_ms": round(place_floor.cpu_ms, 1),
        "place_cpu_ratio": round(place.cpu_ms / place_floor.cpu_ms, 2),
        "place_actions": place.result,
        "target": "ics_ratio <= 3.0",
        "met": "yes" if ratio <= 3.0 else "NO",
        "repeats": repeats,
    }


if __name__ == "__main__":
    from benchmarks._cli import run

    raise SystemExit(run(main, __doc__, "bench_addin"))
