"""How the inputs of merged commitments are combined into one row, without losing any value.

Text columns (Initiatives, Lead, Evidence and notes, Override reason and any extra column the
place added): one distinct value is kept as it is; different values are joined, each labelled
with its paragraph: ``[2.15] …; [2.16] …``.

Choice columns take the *worse* value, so a merge never makes a row look better than any of
its parts: Status None < Planned < In progress < In place; Coverage Partial < Full; Expected
delivery the latest date; RAG override Red < Amber < Green. Not applicable stays Yes only when
every predecessor said Yes (blank means "applies"). Whenever the predecessors disagreed on a
choice column, a ``[merged] …`` note recording every value is added to Evidence and notes, so
the values not kept stay in the row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from ltpgap.dates import parse_delivery
from ltpgap.schema import is_blank

__all__ = ["CHOICE_KEYS", "combine", "format_value", "is_blank"]

_NOT_APPLICABLE_YES = {"yes", "y", "true", "1"}
_RANKS: dict[str, dict[str, int]] = {
    "status": {"none": 0, "planned": 1, "inprogress": 2, "inplace": 3},
    "coverage": {"partial": 0, "p": 0, "full": 1, "f": 1},
    "rag_override": {"red": 0, "r": 0, "amber": 1, "a": 1, "green": 2, "g": 2},
}
#: Input keys holding a choice rather than free text.
CHOICE_KEYS: tuple[str, ...] = (
    "status",
    "coverage",
    "expected_delivery",
    "not_applicable",
    "rag_override",
)
_LABELS = {
    "status": "Status",
    "coverage": "Coverage",
    "expected_delivery": "Expected delivery",
    "not_applicable": "Not applicable",
    "rag_override": "RAG override",
}
_RULES = {
    "status": "the worse",
    "coverage": "the worse",
    "expected_delivery": "the latest",
    "not_applicable": "Yes only when every part is not applicable",
    "rag_override": "the worse",
}

Labelled = Sequence[tuple[str, object]]


def format_value(value: object) -> str:
    """A cell value as text: dates in ISO form, whole floats without ``.0``, text stripped."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _fold(value: object) -> str:
    return re.sub(r"[\s\-_]+", "", format_value(value)).casefold()


def _distinct(values: Labelled) -> list[tuple[str, object]]:
    seen: dict[str, tuple[str, object]] = {}
    for para, value in values:
        if not is_blank(value):
            seen.setdefault(format_value(value), (para, value))
    return list(seen.values())


def _combine_text(values: Labelled) -> object:
    distinct = _distinct(values)
    if len(distinct) <= 1:
        return distinct[0][1] if distinct else None
    parts = [f"[{para}] {format_value(v)}" for para, v in values if not is_blank(v)]
    return "; ".join(parts)


def _rank_key(key: str) -> Callable[[object], float]:
    def rank(value: object) -> float:
        if key == "expected_delivery":
            due = parse_delivery(value)
            return -float(due.toordinal()) if due else math.inf
        return float(_RANKS[key].get(_fold(value), math.inf))

    return rank


def _combine_choice(key: str, values: Labelled) -> tuple[object, str | None]:
    """The kept value and, when the predecessors disagreed, a note recording them all."""
    if key == "not_applicable":
        disagree = len({format_value(v) if not is_blank(v) else "" for _, v in values}) > 1
        yes = [not is_blank(v) and _fold(v) in _NOT_APPLICABLE_YES for _, v in values]
        kept = values[0][1] if values and (not disagree or all(yes)) else None
    else:
        present = [(p, v) for p, v in values if not is_blank(v)]
        disagree = len({format_value(v) for _, v in present}) > 1
        # Unrecognised values rank last, so a recognised value is kept when there is one.
        kept = min((v for _, v in present), key=_rank_key(key)) if present else None
    if not disagree:
        return kept, None
    shown = ", ".join(
        f"{para} '{format_value(v)}'" if not is_blank(v) else f"{para} blank" for para, v in values
    )
    result = f"'{format_value(kept)}'" if not is_blank(kept) else "blank"
    return kept, f"{_LABELS[key]}: {shown} → {result} ({_RULES[key]})"


def combine(
    columns: Sequence[str], rows: Sequence[tuple[str, dict[str, object]]]
) -> tuple[dict[str, object], list[str]]:
    """Combine predecessor rows ``(para, values)`` into one row; also return disagreement notes."""
    out: dict[str, object] = {}
    notes: list[str] = []
    for key in columns:
        values = [(para, row.get(key)) for para, row in rows]
        if key in CHOICE_KEYS:
            out[key], note = _combine_choice(key, values)
            if note:
                notes.append(note)
        else:
            out[key] = _combine_text(values)
    if notes:
        note = "[merged] " + "; ".join(notes)
        evidence = out.get("evidence")
        out["evidence"] = note if is_blank(evidence) else f"{format_value(evidence)}; {note}"
    return out, notes
