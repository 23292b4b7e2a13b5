"""A table given as a DataFrame or as plain columns (name → list), read the same way.

The RAG core builds its frames only when asked (:class:`ltpgap.rag.PlaceAssessment`), so the
functions that read an assessment or a long table of RAGs take either form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeAlias, cast

import pandas as pd

from ltpgap.issues import Where
from ltpgap.schema import is_blank

__all__ = [
    "Table",
    "as_columns",
    "column_list",
    "first_positions",
    "has_column",
    "height",
    "input_locator",
    "para_key",
    "row_locator",
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


def as_columns(table: Table) -> Mapping[str, Sequence[object]]:
    """A table given either way as its columns (a frame is converted, columns are not)."""
    return table_columns(table) if isinstance(table, pd.DataFrame) else table


def height(table: Table) -> int:
    """Rows in a table given either way."""
    if isinstance(table, pd.DataFrame):
        return len(table)
    return len(next(iter(table.values()), ()))


def para_key(para: object) -> str:
    """A Para as rows are matched by it: the text stripped; "" for a blank (None, NaN, only
    spaces)."""
    return para.strip() if type(para) is str else "" if is_blank(para) else str(para).strip()


def first_positions(paras: Sequence[object]) -> dict[str, int]:
    """Para → the position of its first row (:func:`para_key`; blank Paras left out). How the
    assessment matches rows to commitments, so whatever else looks a row up by Para (its
    inputs hash, its cell, its changes) finds the row that was assessed."""
    keys = list(map(para_key, paras))
    n = len(keys)
    # Built from the last row back, so each Para keeps the position of its first row.
    first = dict(zip(reversed(keys), range(n - 1, -1, -1), strict=True))
    first.pop("", None)
    return first


def input_locator(
    *,
    file: str | None,
    sheet: str | None,
    letters: Mapping[str, str],
    paras: Sequence[object],
    rows: Sequence[object],
) -> Callable[[str, str], Where]:
    """(para, input key) → file › sheet › cell: the Para's first row (the one assessed, see
    :func:`first_positions`) in the key's column (``letters``: key → column letter; the
    Para's column for a key without one)."""
    at = {para: int(cast(int, rows[i])) for para, i in first_positions(paras).items()}
    cell = row_locator(file=file, sheet=sheet, letters=letters)

    def locate(para: str, key: str) -> Where:
        return cell(at.get(para), key)

    return locate


def row_locator(
    *, file: str | None, sheet: str | None, letters: Mapping[str, str]
) -> Callable[[int | None, str], Where]:
    """(Excel row, column key) → file › sheet › cell (``letters``: key → column letter; the
    Para's column for a key without one; no cell without a row)."""
    para_letter = letters.get("para")

    def locate(row: int | None, key: str) -> Where:
        letter = letters.get(key) or para_letter
        if row is None or letter is None:
            return Where(file=file, sheet=sheet)
        return Where(file=file, sheet=sheet, cell=f"{letter}{row}")

    return locate
