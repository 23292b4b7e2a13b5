"""Package attributes imported on first use (PEP 562), so importing a package stays cheap.

``ltpgap.reports``, ``ltpgap.store`` and ``ltpgap.merge`` name their public API up front but
load the modules behind it (python-pptx, SQLAlchemy, python-calamine …) only when a name is
first used; the command line starts quickly and the add-in's pure paths load no file reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, table: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``table[name]`` and returns its ``name``."""

    def __getattr__(name: str) -> Any:
        if name in table:
            return getattr(import_module(table[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
