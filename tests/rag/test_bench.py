"""The roll-up benchmark runs (quick sizes) and reports what it measured."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_rollup_quick_run() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    bench = importlib.import_module("benchmarks.bench_rollup")
    figures = bench.main(quick=True)
    assert figures["commitments"] == 500
    assert figures["place_rags"] == figures["ics"] * 5 * 500
    assert 0 < figures["min_s"] <= figures["median_s"]
    counts = dict(part.rsplit(" ", 1) for part in str(figures["national_counts"]).split(", "))
    assert sum(int(v) for v in counts.values()) == 500


def test_synthetic_catalogue_is_valid() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    bench = importlib.import_module("benchmarks.bench_rollup")
    catalogue = bench.synthetic_catalogue()
    assert len(set(catalogue.ids)) == 500
    assert {c.level for c in catalogue} == {"place", "ics", "region", "national"}
