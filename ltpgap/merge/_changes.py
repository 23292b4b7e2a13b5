"""What changed in a place's inputs since the previous merge: one issue per changed cell.

Rows are matched by Para, columns by header, so a place that re-sorted its table shows no
changes. The rows of a Para typed more than once (refused for the RAG as duplicate-para, but
kept on Place data) are matched among themselves, and so are the rows without a Para: the same
row first, wherever it now is, then the rows most alike. Values are compared by meaning: 3
and 3.0, a date and the same date at midnight, are the same cell.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ltpgap.issues import Issue, Where, make_issue
from ltpgap.merge._sheets import distinct_base
from ltpgap.rag._table import Table, as_columns, para_key
from ltpgap.schema import HEADER_OF, INPUT_KEYS, cell_text

__all__ = ["canonical", "input_changes", "shown"]

_SHOWN_CHARS = 200
#: Rows changed, before × now, of one Para (or without one) past which they are paired by the
#: cells they share (:func:`_by_shared_cells`) rather than by likeness (which weighs each pair).
_MAX_LIKENESS = 100_000
#: A value held by more rows than this (a Status, a common Lead) tells rows apart too little to
#: pair them by when there are too many to weigh.
_MAX_SHARING = 64

#: (Excel row, {column: value}): one row of inputs.
_Row = tuple[int | None, dict[str, Any]]


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


def _excel_row(value: object) -> int | None:
    """The Excel row as a number (Place data read back may give 192.0, or NaN for a blank)."""
    if type(value) is int:  # as read from a workbook
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        return int(number) if math.isfinite(number) else None
    return None


def _grouped(
    table: Mapping[str, Sequence[object]],
    columns: Sequence[str],
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list[_Row]]:
    """Para as the assessment reads it ("" for none) → its rows, in table order. A column's
    cell is its own, or where that is blank, the first of its ``aliases`` (other headers of
    ``table``) holding a value."""
    paras = table.get("para", ())
    excel_rows = list(map(_excel_row, table.get("row") or [None] * len(paras)))
    aliases = aliases or {}
    sources = {c: [s for s in (c, *aliases.get(c, ())) if s in table] for c in columns}
    present = [c for c in columns if sources[c]]
    values = [[table[s] for s in sources[c]] for c in present]
    groups: dict[str, list[_Row]] = {}
    for i, (para, row) in enumerate(zip(paras, excel_rows, strict=True)):
        cells = {
            c: vs[0][i] if len(vs) == 1 else next((v[i] for v in vs if canonical(v[i])), vs[0][i])
            for c, vs in zip(present, values, strict=True)
        }
        groups.setdefault(para_key(para), []).append((row, cells))
    return groups


def _columns(
    before: Mapping[str, Sequence[object]],
    after: Mapping[str, Sequence[object]],
    extras: Sequence[str],
) -> tuple[list[str], dict[str, list[str]]]:
    """The columns compared, and the headers each was kept under on Place data besides its
    own: a column of the place's own kept as 'notes (2)' (another place heads 'Notes') is the
    one it now heads 'Notes' (see :func:`distinct_name`)."""
    now = [c for c in dict.fromkeys(extras) if c in after]
    columns = [*INPUT_KEYS, *now]
    aliases: dict[str, list[str]] = {}
    for c in dict.fromkeys(extras):
        if c in after or c not in before:
            continue
        same = [n for n in now if n.casefold() == c.casefold()]
        same = same or [n for n in now if distinct_base(n) == distinct_base(c)]
        if len(same) == 1:
            aliases.setdefault(same[0], []).append(c)
        else:
            columns.append(c)
    return columns, aliases


def _likeness(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How alike two rows are: 2 for each cell filled alike in both, 1 for each filled in both.
    That is how many cells fewer are listed if the two are paired (as one row changed) than if
    not (one row deleted, one added)."""
    return sum(2 if x == y else 1 for x, y in zip(a, b, strict=True) if x and y)


def _same_rows(
    before: list[tuple[str, ...]], now: list[tuple[str, ...]], rows: tuple[list[Any], list[Any]]
) -> dict[int, int]:
    """Rows now → the same row before (every cell alike): at the same Excel row (``rows``:
    before's and now's) first, then wherever it now is (a re-sort moves rows, it changes none)."""
    waiting: dict[tuple[str, ...], list[int]] = {}
    for i, text in enumerate(before):
        waiting.setdefault(text, []).append(i)
    match: dict[int, int] = {}
    for j, text in enumerate(now):
        same = waiting.get(text, [])
        if (i := next((i for i in same if rows[0][i] == rows[1][j]), -1)) >= 0:
            match[j] = i
            same.remove(i)
    for j, text in enumerate(now):
        if j not in match and waiting.get(text):
            match[j] = waiting[text].pop(0)
    return match


def _paired(
    old: list[_Row], new: list[_Row], columns: Sequence[str]
) -> list[tuple[_Row | None, _Row | None]]:
    """The rows of one Para (or without one) before and now, paired (None: no row on that
    side), in the order of the rows now, then the rows no longer there."""
    if len(old) <= 1 and len(new) <= 1:
        return [(old[0] if old else None, new[0] if new else None)]
    before = [tuple(canonical(r[1].get(c)) for c in columns) for r in old]
    now = [tuple(canonical(r[1].get(c)) for c in columns) for r in new]
    match = _same_rows(before, now, ([r[0] for r in old], [r[0] for r in new]))
    # Then the rows changed, the most alike first (at the same Excel row, of two as alike).
    left = set(range(len(old))) - set(match.values())
    rest = [j for j in range(len(new)) if j not in match]
    if len(left) * len(rest) > _MAX_LIKENESS:
        match.update(_by_shared_cells(before, now, sorted(left), rest))
    else:
        ranked = sorted(
            (-_likeness(before[i], now[j]), old[i][0] != new[j][0], j, i)
            for i in left
            for j in rest
        )
        for *_, j, i in ranked:
            if j not in match and i in left:
                match[j] = i
                left.remove(i)
    gone = set(range(len(old))) - set(match.values())
    return [
        *((old[match[j]] if j in match else None, row) for j, row in enumerate(new)),
        *((old[i], None) for i in sorted(gone)),
    ]


def _by_shared_cells(
    before: list[tuple[str, ...]], now: list[tuple[str, ...]], left: list[int], rest: list[int]
) -> dict[int, int]:
    """Rows now (``rest``) → rows before (``left``), too many to weigh every pair: each row
    now, in order, takes the row before that shares most of its filled cells (the first of
    those); the rows that share none are then paired in order."""
    holding: dict[tuple[int, str], list[int]] = {}
    for i in left:
        for k, text in enumerate(before[i]):
            if text:
                holding.setdefault((k, text), []).append(i)
    free = set(left)
    match: dict[int, int] = {}
    for j in rest:
        shared: dict[int, int] = {}
        for k, text in enumerate(now[j]):
            rows = holding.get((k, text), ()) if text else ()
            if len(rows) <= _MAX_SHARING:
                for i in rows:
                    if i in free:
                        shared[i] = shared.get(i, 0) + 1
        if shared:
            i = min(shared, key=lambda i: (-shared[i], i))
            match[j] = i
            free.remove(i)
    unpaired = [j for j in rest if j not in match]
    match.update(zip(unpaired, sorted(free), strict=False))
    return match


def _gone(para: str | None, row: int | None, rows_now: Sequence[_Row]) -> str:
    """What a message adds for a row no longer in the workbook."""
    if para and rows_now and rows_now[0][0] is not None:
        return f" (row {row} is no longer in the workbook; {para} is still in row {rows_now[0][0]})"
    return " (the row is no longer in the workbook)"


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
    then, today = as_columns(before), as_columns(after)
    columns, aliases = _columns(then, today, [str(c) for c in extras])
    old, new = _grouped(then, columns, aliases), _grouped(today, columns)
    issues: list[Issue] = []
    for key in [*new, *(k for k in old if k not in new)]:
        para = key or None
        rows_now = new.get(key, [])
        for was, now in _paired(old.get(key, []), rows_now, columns):
            row = now[0] if now else was[0] if was else None
            gone = "" if now else _gone(para, row, rows_now)
            a_cells, b_cells = was[1] if was else {}, now[1] if now else {}
            for column in columns:
                a, b = a_cells.get(column), b_cells.get(column)
                if canonical(a) == canonical(b):
                    continue
                header = HEADER_OF.get(column, column)
                verb = "cleared" if not canonical(b) else "changed"
                issues.append(
                    make_issue(
                        "input-changed",
                        f"{place}, {para or f'row {row}'}, {header} {verb} since the previous "
                        f"merge: {shown(a)} → {shown(b)}{gone}.",
                        where=locate(row, column) if now else sheet_where,
                        commitment=para,
                    )
                )
    return issues
