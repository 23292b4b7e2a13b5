"""A table given as a DataFrame or as plain columns (name → list), read the same way.

The RAG core builds its frames only when asked (:class:`ltpgap.rag.PlaceAssessment`), so the
functions that read an assessment or a long table of RAGs take either form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

import pandas as pd

__all__ = ["Table", "column_list", "has_column"]

#: A DataFrame, or its columns as lists of the same length.
Table: TypeAlias = pd.DataFrame | Mapping[str, Sequence[object]]


def column_list(table: Table, name: str) -> list[object]:
    """One column as a list (what ``frame[name].tolist()`` gives)."""
    if isinstance(table, pd.DataFrame):
        return list(table[name].tolist())
    return list(table[name])


def has_column(table: Table, name: str) -> bool:
    """Whether the table has this column."""
    return name in (table.columns if isinstance(table, pd.DataFrame) else table)
