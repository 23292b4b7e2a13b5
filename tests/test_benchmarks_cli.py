"""Every benchmark module answers ``--help`` (and refuses an unknown flag) without running.

A full run of the merge benchmark takes minutes; before, any argument it did not know,
``--help`` included, started one.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules([str(ROOT / "benchmarks")])
    if info.name.startswith("bench_")
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_every_benchmark_is_covered() -> None:
    assert {"bench_merge", "bench_rollup", "bench_read_workbook", "bench_addin"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_help_prints_usage_and_runs_nothing(module: str) -> None:
    done = _run("-m", f"benchmarks.{module}", "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: python -m benchmarks.{module} [-h] [--quick]")
    assert "--quick" in done.stdout
    # the help ends with its epilog: no figure was printed after it, so nothing ran
    assert done.stdout.rstrip().endswith("writes out/bench.json."), done.stdout[-300:]
    assert done.stderr == ""


@pytest.mark.parametrize("module", MODULES)
def test_unknown_flag_is_refused(module: str) -> None:
    done = _run("-m", f"benchmarks.{module}", "--places", "3")
    assert done.returncode == 2
    assert "unrecognized arguments: --places 3" in done.stderr
    assert done.stdout == ""
