"""What a merge wrote on Place data for each unit, eight hex digits a column, so the next merge
can tell that the inputs it carries forward (or compares a new submission with) were changed
by hand since (``place-data-edited``).

Each column's CRC-32 is taken over its values in the order of the unit's Row numbers (Place
data may be sorted by hand), text as written and anything else in the canonical form
``input-changed`` compares (3 and 3.0, a date and its midnight, are one value; None, NaN and
an empty text one blank). A column with no value for the unit is left out, so a column another
unit brought is none of this one's. The Row column only orders the rows: it says where a cell
was in the unit's own workbook, and is not an input. It guards against an edit by hand, not a
forgery.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence

from ltpgap._zlib import crc32
from ltpgap.merge._changes import canonical

__all__ = ["column_crcs", "edited_columns", "edited_source"]

_SEP = "\x1f"  # the unit separator: a cell ends here (no cell holds it: XML cannot)


def _row_key(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return float(value)
    return math.inf  # a Row cell cleared or retyped: after the others, in sheet order


def _order(rows: Sequence[object]) -> list[int] | None:
    """Positions in the order of their Row numbers; None when already in that order (as the
    merge writes them, and as they stay unless someone sorts the sheet)."""
    keys = [v if type(v) is int else _row_key(v) for v in rows]
    if keys == sorted(keys):
        return None
    return sorted(range(len(keys)), key=keys.__getitem__)


def _text(values: Sequence[object]) -> str:
    """The column as one text ("" when it holds nothing but None)."""
    try:
        return _SEP.join(values)  # type: ignore[arg-type]  # the usual column: text only
    except TypeError:
        if values.count(None) == len(values):  # the usual blank column
            return ""
        return _SEP.join(
            [v if type(v) is str else "" if v is None else canonical(v) for v in values]
        )


def column_crcs(columns: Mapping[str, Sequence[object]]) -> dict[str, str]:
    """Column name → CRC-32 (eight hex digits) of a unit's rows on Place data, for every
    column but Row that holds a value. ``columns``: the unit's rows column by column, keyed
    as a submission's ``input_columns`` are ('row', 'para', input keys, extra headers)."""
    order = _order(columns.get("row", ()))
    out: dict[str, str] = {}
    for name, values in columns.items():
        if name == "row":
            continue
        if order is not None:
            values = [values[i] for i in order]
        text = _text(values)
        if text.strip(_SEP):
            out[name] = format(crc32(text.encode("utf-8", "surrogatepass")), "08x")
    return out


def edited_columns(
    recorded: Mapping[str, str], columns: Mapping[str, Sequence[object]]
) -> list[str]:
    """The columns (names as in ``columns``) whose values differ from those recorded: changed,
    filled or cleared since the merge that recorded them."""
    now = column_crcs(columns)
    return [
        name for name in dict.fromkeys([*recorded, *now]) if recorded.get(name) != now.get(name)
    ]


def edited_source(file_sha256: str, crcs: Mapping[str, str]) -> str:
    """What a unit's data changed by hand on Place data is recorded under in the history
    store in place of its workbook's sha256: from that sha256 and the data's column CRCs, so
    the same workbook with the same edits gives the same, and is recorded once."""
    text = json.dumps(dict(crcs), sort_keys=True)
    return hashlib.sha256(f"{file_sha256} {text}".encode()).hexdigest()
