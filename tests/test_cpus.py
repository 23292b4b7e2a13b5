"""Worker pools are sized by the CPUs this process may use, not the machine's count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ltpgap import _cpus
from ltpgap._cpus import usable_cpus
from ltpgap.merge import _collect

ROOT = Path(__file__).resolve().parents[1]


def test_usable_cpus_is_at_least_one_and_at_most_the_machine() -> None:
    assert 1 <= usable_cpus() <= (os.cpu_count() or 1)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs CPU affinity (Linux)")
def test_one_allowed_cpu_means_no_reading_pool() -> None:
    """Under `taskset -c N` (or a one-CPU cpuset) a many-file merge reads in one process."""
    first = min(os.sched_getaffinity(0))
    code = (
        f"import os; os.sched_setaffinity(0, {{{first}}});"
        "from ltpgap._cpus import usable_cpus; from ltpgap.merge._collect import pool_size;"
        "print(usable_cpus(), pool_size(200, None), os.cpu_count())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    cpus, workers, machine = (int(x) for x in done.stdout.split())
    assert (cpus, workers) == (1, 0)
    assert machine >= 1


@pytest.mark.parametrize(("allowed", "files", "expected"), [(1, 200, 0), (3, 200, 3), (8, 30, 8)])
def test_pool_size_follows_usable_cpus(
    monkeypatch: pytest.MonkeyPatch, allowed: int, files: int, expected: int
) -> None:
    monkeypatch.setattr(_collect, "usable_cpus", lambda: allowed)
    monkeypatch.setattr(_collect.sys, "platform", "linux")
    assert _collect.pool_size(files, None) == expected
    assert _collect.pool_size(files, 2) == 2  # an explicit --jobs wins


def test_falls_back_to_affinity_then_cpu_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(_cpus.os, "process_cpu_count", raising=False)
    monkeypatch.setattr(_cpus.os, "sched_getaffinity", lambda pid: {0, 5}, raising=False)
    assert usable_cpus() == 2
    monkeypatch.delattr(_cpus.os, "sched_getaffinity")
    monkeypatch.setattr(_cpus.os, "cpu_count", lambda: None)
    assert usable_cpus() == 1
