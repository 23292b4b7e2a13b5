"""Pause Python's cyclic garbage collector for a bulk job (a merge, a roll-up).

A merge builds hundreds of thousands of containers that live until it ends (every place's
columns of inputs, the tables of the ICS workbook). Each time the collector's counters fill
up it walks all of them, finds next to nothing (a merge makes almost no reference cycles),
and the walk of a full collection takes about 0.1 s on the 200-place benchmark. Reference
counting still frees everything else the moment it is let go, so pausing the collector for
the job costs almost no memory: 3–4 MB more at the peak on that benchmark.

Worker processes forked during the job start with the collector paused too; they are
short-lived and do the same kind of work.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable automatic collection inside the block; restore what was there before.

    Nesting is fine: only the block that found the collector running turns it back on, and
    it does so however the block ends.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
