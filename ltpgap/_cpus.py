"""How many CPUs this process may run on: the ceiling for worker pools.

``os.cpu_count()`` counts the machine's CPUs, not the ones this process is allowed: under
``taskset`` or a container's cpuset a 64-CPU host would get 64 workers on 2 usable CPUs,
each competing for the same cores. Python 3.13's ``os.process_cpu_count`` answers the
right question; before it, ``os.sched_getaffinity`` does on Linux.
"""

from __future__ import annotations

import os

__all__ = ["usable_cpus"]


def usable_cpus() -> int:
    """CPUs this process may be scheduled on (at least 1)."""
    process_cpu_count = getattr(os, "process_cpu_count", None)
    if process_cpu_count is not None:
        return int(process_cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
