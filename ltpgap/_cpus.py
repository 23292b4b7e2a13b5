"""How many CPUs this process may use: the ceiling for worker pools.

``os.cpu_count()`` counts the machine's CPUs, not the ones this process is allowed. Two
things lower that:

- the CPUs it may be scheduled on (``taskset``, a container's cpuset): Python 3.13's
  ``os.process_cpu_count`` answers this; before it, ``os.sched_getaffinity`` does on Linux;
- a CPU *quota* (``docker --cpus=2``, a Kubernetes CPU limit, systemd's ``CPUQuota=``): the
  process may run on every CPU but gets only so much CPU time. Neither call above sees it;
  it is read from the cgroup files (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us`` over
  ``cpu.cfs_period_us``), the strictest limit on the way up from the process's own cgroup.

Without both, a 64-CPU host would give a merge in a two-CPU container 64 reading workers,
each with ~40 MB of its own memory, all queueing for the same two CPUs' worth of time.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath

__all__ = ["cgroup_cpu_limit", "usable_cpus", "worker_count"]

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_CGROUP = Path("/proc/self/cgroup")


def usable_cpus() -> int:
    """CPUs this process may be scheduled on, lowered to its CPU quota if it has one (≥ 1)."""
    process_cpu_count = getattr(os, "process_cpu_count", None)
    if process_cpu_count is not None:
        cpus: int = process_cpu_count() or 1
    elif hasattr(os, "sched_getaffinity"):
        cpus = max(1, len(os.sched_getaffinity(0)))
    else:
        cpus = os.cpu_count() or 1
    limit = cgroup_cpu_limit()
    return cpus if limit is None else max(1, min(cpus, math.ceil(limit)))


def worker_count(at_most: int) -> int:
    """Worker processes worth starting: one per usable CPU, at most ``at_most``; 0 (do the work
    in this process) when only one CPU is usable."""
    cpus = usable_cpus()
    return min(cpus, at_most) if cpus > 1 else 0


def cgroup_cpu_limit(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> float | None:
    """The CPU quota over the process's cgroup and its ancestors, in CPUs (``None``: no quota).

    Never raises: a file that is missing, unreadable or not in the expected form is no limit.
    """
    try:
        lines = proc_cgroup.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    limits: list[float] = []
    for line in lines:
        hierarchy, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if hierarchy == "0" and controllers == "":  # cgroup v2, the unified hierarchy
            limits += _walk(root, path, _v2_limit)
        elif "cpu" in controllers.split(","):  # cgroup v1, the cpu controller's hierarchy
            # mounted under its controllers' names ("cpu,cpuacct"), usually linked as "cpu"
            mount = next((m for m in (root / controllers, root / "cpu") if m.is_dir()), None)
            if mount is not None:
                limits += _walk(mount, path, _v1_limit)
    return min(limits, default=None)


def _walk(mount: Path, path: str, read: Callable[[Path], float | None]) -> list[float]:
    """Limits found from the cgroup at ``path`` under ``mount`` up to the mount itself.

    In a container the process's cgroup is usually the mount's root (its own namespace), so
    a path that is not there is looked for from the root alone.
    """
    here = PurePosixPath("/", path)
    found = (read(mount / p.relative_to("/")) for p in (here, *here.parents))
    return [limit for limit in found if limit is not None]


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _v2_limit(folder: Path) -> float | None:
    """``cpu.max`` is ``"$MAX $PERIOD"``, ``$MAX`` being ``max`` (no number: no quota) when
    there is none."""
    parts = (_read_text(folder / "cpu.max") or "").split()
    return _ratio(*parts) if len(parts) == 2 else None


def _v1_limit(folder: Path) -> float | None:
    """``cpu.cfs_quota_us`` (``-1``: no quota) over ``cpu.cfs_period_us``."""
    quota = _read_text(folder / "cpu.cfs_quota_us") or ""
    return _ratio(quota, _read_text(folder / "cpu.cfs_period_us") or "")


def _ratio(quota: str, period: str) -> float | None:
    try:
        q, p = int(quota), int(period)
    except ValueError:
        return None
    return q / p if q > 0 and p > 0 else None
