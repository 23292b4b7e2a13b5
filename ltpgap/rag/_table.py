"""A table given as a DataFrame or as plain columns (name → list), read the same way.

The RAG core builds its frames only when asked (:class:`ltpgap.rag.PlaceAssessment`), so the
functions that read an assessment or a long table of RAGs take either form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

import pandas as pd

from ltpgap.schema import is_blank

__all__ = [
    "Table",
    "column_list",
    "first_positions",
    "has_column",
    "height",
    "table_columns",
    "table_frame",
]

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


def table_frame(
    columns: Mapping[str, Sequence[object]], *, ints: Sequence[str] = ()
) -> pd.DataFrame:
    """Plain columns as a frame: object columns as given, the ``ints`` ones as int64 (left
    as they are if they hold anything but whole numbers: a blank Row kept from a sheet)."""
    frame = pd.DataFrame(dict(columns), dtype=object)
    for name in ints:
        if name in frame.columns and all(type(v) is int for v in columns[name]):
            frame[name] = frame[name].astype("int64")
    return frame


def table_columns(frame: pd.DataFrame) -> dict[str, list[object]]:
    """A frame's columns as lists (the first column of each repeated name)."""
    if frame.columns.is_unique:  # one conversion for them all
        values = frame.to_numpy(dtype=object).T.tolist() if len(frame) else [[]] * frame.shape[1]
        return {str(name): list(v) for name, v in zip(frame.columns, values, strict=True)}
    lists: dict[str, list[object]] = {}
    for i, name in enumerate(frame.columns):
        if str(name) not in lists:
            lists[str(name)] = frame.iloc[:, i].tolist()
    return lists


def height(table: Table) -> int:
    """Rows in a table given either way."""
    if isinstance(table, pd.DataFrame):
        return len(table)
    return len(next(iter(table.values()), ()))


def first_positions(paras: Sequence[object]) -> dict[str, int]:
    """Para → the position of its first row: the text stripped, blank Paras (None, NaN, only
    spaces) left out. How the assessment matches rows to commitments, so whatever else looks
    a row up by Para (its inputs hash, its cell) finds the row that was assessed."""
    keys = [p.strip() if type(p) is str else "" if is_blank(p) else str(p).strip() for p in paras]
    n = len(keys)
    # Built from the last row back, so each Para keeps the position of its first row.
    first = dict(zip(reversed(keys), range(n - 1, -1, -1), strict=True))
    first.pop("", None)
    return first
