"""What changed in a place's inputs since the previous merge: one issue per changed cell.

Rows are matched by Para (rows without a Para by their Excel row), columns by header, so a
place that re-sorted its table shows no changes. Values are compared by meaning: 3 and 3.0,
a date and the same date at midnight, are the same cell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ltpgap.issues import Issue, Where, make_issue
from ltpgap.rag._table import Table, as_columns, para_key
from ltpgap.schema import HEADER_OF, INPUT_KEYS, cell_text

__all__ = ["canonical", "input_changes", "shown"]

_SHOWN_CHARS = 200


def canonical(value: object) -> str:
    """A cell's value as comparable text; "" for blank. Text is compared as typed (a change of
    spacing is a change); other values in the canonical form the history store hashes."""
    if isinstance(value, str):
        return value if value.strip() else ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return cell_text(value)


def shown(value: object) -> str:
    """A value for a message: quoted text (long text cut), or "(blank)"."""
    text = canonical(value)
    if not text:
        return "(blank)"
    if len(text) > _SHOWN_CHARS:
        text = f"{text[:_SHOWN_CHARS]}… (+{len(text) - _SHOWN_CHARS} characters)"
    return f"'{text}'"


def _keyed(inputs: Table, columns: Sequence[str]) -> dict[str, tuple[Any, dict[str, Any]]]:
    """Row key (Para as the assessment reads it, or 'row N' without one) → (its Excel row,
    {column: value}); the first row of a Para wins."""
    table = as_columns(inputs)
    paras = table.get("para", ())
    numbers = table.get("row") or [None] * len(paras)
    present = [c for c in columns if c in table]
    values = [table[c] for c in present]
    rows: dict[str, tuple[Any, dict[str, Any]]] = {}
    for i, (para, row) in enumerate(zip(paras, numbers, strict=True)):
        key = para_key(para) or f"row {row}"
        if key not in rows:
            rows[key] = (row, {c: v[i] for c, v in zip(present, values, strict=True)})
    return rows


def input_changes(
    *,
    place: str,
    before: Table,
    after: Table,
    extras: Sequence[str],
    locate: Callable[[int | None, str], Where],
    sheet_where: Where,
) -> list[Issue]:
    """An ``input-changed`` issue for every input cell that differs, was filled or cleared.

    ``locate`` gives the cell of (Excel row, column) in the place's new workbook.
    """
    columns = [*INPUT_KEYS, *dict.fromkeys(extras)]
    old, new = _keyed(before, columns), _keyed(after, columns)
    issues: list[Issue] = []
    for key in [*new, *(k for k in old if k not in new)]:
        was: Mapping[str, Any] = old.get(key, (None, {}))[1]
        row, now = new.get(key, (None, {}))
        for column in columns:
            a, b = was.get(column), now.get(column)
            if canonical(a) == canonical(b):
                continue
            header = HEADER_OF.get(column, column)
            para = None if key.startswith("row ") else key
            verb = "cleared" if not canonical(b) else "changed"
            gone = "" if key in new else " (the row is no longer in the workbook)"
            issues.append(
                make_issue(
                    "input-changed",
                    f"{place}, {para or key}, {header} {verb} since the previous merge: "
                    f"{shown(a)} → {shown(b)}{gone}.",
                    where=locate(row, column) if key in new else sheet_where,
                    commitment=para,
                )
            )
    return issues
