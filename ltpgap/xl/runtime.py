"""Which xlwings runtime is running the scripts, and what it brings (protection, data files).

The scripts in :mod:`ltpgap.xl.scripts` are the same everywhere; the server, the desktop entry
points and the Lite entry point each :func:`configure` the runtime once. The default is the
plain one: the shipped catalogue, the embedded BLMK ICS, sheet protection left alone.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.ics import IcsConfig, load_ics
from ltpgap.xl.protection import NoProtection, SheetProtection

__all__ = ["Runtime", "configure", "current", "settle"]


@lru_cache(maxsize=8)
def _catalogue(path: str | None) -> Catalogue:
    return load_catalogue(Path(path) if path else None)


@lru_cache(maxsize=8)
def _ics(path: str | None) -> IcsConfig:
    return load_ics(Path(path) if path else None)


@dataclass(frozen=True, kw_only=True)
class Runtime:
    """A runtime: its name, how it lifts sheet protection, and which catalogue and ICS it uses."""

    name: str = "lite"
    protection: SheetProtection = field(default_factory=NoProtection)
    catalogue_path: str | None = None
    ics_path: str | None = None

    def catalogue(self) -> Catalogue:
        """The catalogue (loaded once per process)."""
        return _catalogue(self.catalogue_path)

    def ics(self) -> IcsConfig:
        """The ICS configuration (loaded once per process)."""
        return _ics(self.ics_path)


_CURRENT = Runtime()


def configure(runtime: Runtime) -> Runtime:
    """Set the runtime for this process; returns the previous one."""
    global _CURRENT
    previous, _CURRENT = _CURRENT, runtime
    return previous


def current() -> Runtime:
    """The runtime the scripts run under."""
    return _CURRENT


def settle() -> None:
    """Once started, keep the garbage collector off what every request shares.

    A server process holds hundreds of thousands of long-lived objects (pandas, xlwings, the
    web app). Python's cyclic collector rescans all of them in each full collection, and one
    fell inside one Recompute in ten (8 of 80 measured), adding some 60 ms to it.
    ``gc.freeze()`` moves everything alive now out of the collector's reach, so a collection
    during a request only scans that request's objects. What is frozen is never collected as a
    cycle: it is what the server keeps for its whole life anyway.
    """
    gc.collect()
    gc.freeze()
