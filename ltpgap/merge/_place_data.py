"""The ``Place data`` sheet of a merged ICS workbook: every non-blank input row, verbatim.

Column by column (the writer takes whole columns): 69,000 rows for a 200-place merge.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import replace

from ltpgap.merge._sheets import DATA_LEAD, PLACE_DATA, TABLES, distinct_name
from ltpgap.merge._tables import Col, TableData, names_of
from ltpgap.merge.model import IcsContent, PlaceSubmission
from ltpgap.schema import COLUMNS, HEADER_OF, INPUT_KEYS

__all__ = ["distinct_extras", "place_data_table"]

_WIDTH = {c.key: c.width for c in COLUMNS}


def distinct_extras(subs: Sequence[PlaceSubmission]) -> list[PlaceSubmission]:
    """The units (in workbook order) with their own columns renamed where Excel would take
    two for one: a Table's column names must differ, case ignored. The same header in two
    places stays one column; 'notes' after 'Notes', or a column headed 'Row' (Place data's
    own), becomes 'notes (2)', 'Row (2)'. Renamed here, before the changes since the previous
    merge are listed, so they compare with what Place data held under the same name."""
    used = {h.casefold() for h in (*DATA_LEAD, *(HEADER_OF[k] for k in INPUT_KEYS))}
    names: dict[str, str] = {}  # a unit's header → Place data's
    for sub in subs:
        for header in sub.extra_headers:
            if header not in names:
                names[header] = distinct_name(header, used)
    out = []
    for sub in subs:
        if all(names[h] == h for h in sub.extra_headers):
            out.append(sub)
            continue
        columns = {
            names.get(k, k) if k in sub.extra_headers else k: v
            for k, v in sub.input_columns.items()
        }
        headers = tuple(names[h] for h in sub.extra_headers)
        out.append(replace(sub, input_columns=columns, extra_headers=headers))
    return out


def _filled_rows(columns: Sequence[Sequence[object]]) -> list[int]:
    """Positions of the rows with a value in any column: anything typed, spaces included
    (kept verbatim; the RAG rules read them as blank), but not an empty text or NaN.

    Each column is only checked on the rows no earlier column has filled.
    """
    todo: Sequence[int] = range(len(columns[0]) if columns else 0)
    filled: list[int] = []
    for values in columns:
        hits = {
            i
            for i in todo
            if (v := values[i]) is not None
            and (v != "" if isinstance(v, str) else not (type(v) is float and v != v))
        }
        if hits:
            filled += hits
            todo = [i for i in todo if i not in hits]
    return sorted(filled)


def _data_columns(
    subs: Sequence[tuple[str, PlaceSubmission]], extras: Sequence[str]
) -> list[list[object]]:
    """Place data column by column: place, file, then each kept row's values."""
    keys = ("row", "para", *INPUT_KEYS, *extras)
    out: list[list[object]] = [[] for _ in range(2 + len(keys))]
    for name, sub in subs:
        lists = sub.input_columns
        wanted = _filled_rows([lists[k] for k in (*INPUT_KEYS, *sub.extra_headers) if k in lists])
        n = len(wanted)
        out[0] += [name] * n
        out[1] += [sub.ref.file] * n
        pick = operator.itemgetter(*wanted) if n > 1 else None
        for column, k in zip(out[2:], keys, strict=True):
            values = lists.get(k)
            if values is None:
                column += [None] * n
            elif n == len(values):
                column += values
            elif pick is not None:
                column += pick(values)
            elif n:
                column.append(values[wanted[0]])
    return out


def place_data_table(content: IcsContent) -> TableData:
    """``Place data``: every non-blank input row of every unit, verbatim."""
    names = names_of(content)
    subs = [(names.get(s.unit_id, s.unit_id), s) for s in content.submissions]
    extras = list(dict.fromkeys(h for _, s in subs for h in s.extra_headers))
    values = _data_columns(subs, extras)
    cols = [
        Col(DATA_LEAD[0], 20),
        Col(DATA_LEAD[1], 20),
        Col(DATA_LEAD[2], 6, "int"),
        Col(DATA_LEAD[3], 8, "centre"),
        *(Col(HEADER_OF[k], min(_WIDTH[k], 30)) for k in INPUT_KEYS),
        *(Col(h, 18) for h in extras),
    ]
    return TableData(
        sheet=PLACE_DATA,
        table=TABLES[PLACE_DATA],
        columns=tuple(cols),
        rows=(),
        count=len(values[0]),
        by_column=values,
    )
