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
        "print(usable_cpus(), pool_size(200, None))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    cpus, workers = (int(x) for x in done.stdout.split())
    assert (cpus, workers) == (1, 0)


@pytest.mark.parametrize(("allowed", "files", "expected"), [(1, 200, 0), (3, 200, 3), (8, 30, 8)])
def test_pool_size_follows_usable_cpus(
    monkeypatch: pytest.MonkeyPatch, allowed: int, files: int, expected: int
) -> None:
    monkeypatch.setattr(_cpus, "usable_cpus", lambda: allowed)
    monkeypatch.setattr(_collect.sys, "platform", "linux")
    assert _collect.pool_size(files, None) == expected
    assert _collect.pool_size(files, 2) == 2  # an explicit --jobs wins


def test_falls_back_to_affinity_then_cpu_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_cpus, "cgroup_cpu_limit", lambda: None)
    monkeypatch.delattr(_cpus.os, "process_cpu_count", raising=False)
    monkeypatch.setattr(_cpus.os, "sched_getaffinity", lambda pid: {0, 5}, raising=False)
    assert usable_cpus() == 2
    monkeypatch.delattr(_cpus.os, "sched_getaffinity")
    monkeypatch.setattr(_cpus.os, "cpu_count", lambda: None)
    assert usable_cpus() == 1


def _tree(tmp_path: Path, files: dict[str, str], cgroup: str) -> tuple[Path, Path]:
    """A fake ``/sys/fs/cgroup`` holding ``files`` and a fake ``/proc/self/cgroup``."""
    root = tmp_path / "sys"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    root.mkdir(exist_ok=True)
    proc = tmp_path / "cgroup"
    proc.write_text(cgroup)
    return root, proc


@pytest.mark.parametrize(
    ("files", "cgroup", "expected"),
    [
        # cgroup v2, a container's own namespace (its cgroup is the root): docker --cpus=2
        ({"cpu.max": "200000 100000\n"}, "0::/\n", 2.0),
        ({"cpu.max": "max 100000\n"}, "0::/\n", None),
        ({"cpu.max": "150000 100000\n"}, "0::/\n", 1.5),
        # v2 on a host: the process's slice, with a stricter parent
        (
            {
                "cpu.max": "max 100000",
                "work.slice/cpu.max": "50000 100000",
                "work.slice/job.scope/cpu.max": "300000 100000",
            },
            "0::/work.slice/job.scope\n",
            0.5,
        ),
        # v2: the path named in /proc is not under the mount (another namespace): the root counts
        ({"cpu.max": "400000 100000"}, "0::/docker/3f2a\n", 4.0),
        # cgroup v1 (a hybrid host like this one): cpu and cpuacct mounted together
        (
            {
                "cpu,cpuacct/cpu.cfs_quota_us": "300000\n",
                "cpu,cpuacct/cpu.cfs_period_us": "100000\n",
            },
            "12:memory:/\n4:cpu,cpuacct:/\n0::/\n",
            3.0,
        ),
        (
            {"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"},
            "1:cpu:/\n0::/\n",
            None,
        ),
        # not in the expected form, or missing: no limit, never an error
        ({"cpu.max": "lots 100000"}, "0::/\n", None),
        ({"cpu.max": "0 100000"}, "0::/\n", None),
        ({}, "0::/\n", None),
        ({"cpu.max": "200000 100000"}, "not a cgroup line\n", None),
    ],
)
def test_cgroup_cpu_limit(
    tmp_path: Path, files: dict[str, str], cgroup: str, expected: float | None
) -> None:
    root, proc = _tree(tmp_path, files, cgroup)
    assert _cpus.cgroup_cpu_limit(root, proc) == expected


def test_cgroup_cpu_limit_without_proc_file(tmp_path: Path) -> None:
    assert _cpus.cgroup_cpu_limit(tmp_path, tmp_path / "missing") is None


@pytest.mark.parametrize(
    ("limit", "expected"), [(None, 6), (2.0, 2), (1.5, 2), (0.2, 1), (32.0, 6)]
)
def test_a_cpu_quota_lowers_usable_cpus(
    monkeypatch: pytest.MonkeyPatch, limit: float | None, expected: int
) -> None:
    """docker --cpus=2 on a 6-CPU host: two readers, not six queueing for two CPUs' time."""
    monkeypatch.setattr(_cpus.os, "process_cpu_count", lambda: 6, raising=False)
    monkeypatch.setattr(_cpus, "cgroup_cpu_limit", lambda: limit)
    assert usable_cpus() == expected


def _real_cpu_group() -> Path | None:
    """A new cgroup v1 ``cpu`` group this test may put a process in (None: not on this host)."""
    mount = _cpus.CGROUP_ROOT / "cpu"
    if not (mount / "cpu.cfs_quota_us").is_file() or not os.access(mount, os.W_OK):
        return None
    group = mount / f"ltpgap-test-{os.getpid()}"
    try:
        group.mkdir()
    except OSError:
        return None
    return group


def test_a_real_cgroup_quota_of_one_cpu_means_no_reading_pool() -> None:
    """In a real cgroup limited to one CPU's time, a 200-file merge reads in one process."""
    group = _real_cpu_group()
    if group is None:
        pytest.skip("cannot make a cgroup v1 cpu group here (needs root and a cgroup v1 cpu mount)")
    try:
        period = int((group / "cpu.cfs_period_us").read_text())
        (group / "cpu.cfs_quota_us").write_text(str(period))
        code = (
            "from ltpgap._cpus import cgroup_cpu_limit, usable_cpus;"
            "from ltpgap.merge._collect import pool_size;"
            "print(cgroup_cpu_limit(), usable_cpus(), pool_size(200, None))"
        )
        done = subprocess.run(
            [
                "sh",
                "-c",
                f'echo $$ > "{group}/cgroup.procs" && exec "$0" -c "$1"',
                sys.executable,
                code,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.split() == ["1.0", "1", "0"]
    finally:
        group.rmdir()
