"""Later rounds of the ILLUSTRATIVE demo: the same units a few months on (all INVENTED).

Some initiatives move on (Planned → In progress → In place, Partial → Full, a delivery date
agreed, a gap picked up, a few new rows where nothing was entered); a few dates slip past
the deadline, so a Green or an Amber turns Red. Which rows change follows from a hash of
(unit, para, round, change): the same inputs and round always give the same next round.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from ltpgap.catalogue import Catalogue, Commitment
from ltpgap.demo._generated import Row, fresh_row
from ltpgap.demo._when import delivery_text, due_periods, late_periods
from ltpgap.demo._when import unit_hash as _u
from ltpgap.rag import normalise_inputs
from ltpgap.rag.normalise import NormalisedInputs

__all__ = ["progress_units"]

_SLIP_REASONS = (
    "recruitment has not kept pace",
    "the provider re-phased the roll-out",
    "national funding moved to a later wave",
    "estates works delayed",
)

Change = Callable[[Row, NormalisedInputs, Commitment, str, int], Row]


def _late(x: NormalisedInputs, c: Commitment) -> bool:
    return x.expected_delivery is not None and x.expected_delivery > c.due


def _on_time(c: Commitment, unit: str, rnd: int) -> object:
    options = due_periods(c.due)
    when = options[len(options) - 1 - int(_u(unit, c.id, rnd, "when") * min(3, len(options)))]
    return delivery_text(when, unit, c.id, rnd)


def _noted(row: Row, note: str) -> Row:
    old = str(row.get("evidence") or "").strip()
    return {**row, "evidence": f"{old}. {note}" if old else note}


def _shown(value: object) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def _slip(row: Row, x: NormalisedInputs, c: Commitment, unit: str, rnd: int) -> Row:
    options = late_periods(c.due)
    when = options[int(_u(unit, c.id, rnd, "slip") ** 2 * min(4, len(options)))]
    reason = _SLIP_REASONS[int(_u(unit, c.id, rnd, "why") * len(_SLIP_REASONS))]
    before = row.get("expected_delivery")
    new = {**row, "expected_delivery": delivery_text(when, unit, c.id, rnd)}
    return _noted(new, f"Slipped from {_shown(before)}: {reason}")


def _dated(row: Row, x: NormalisedInputs, c: Commitment, unit: str, rnd: int) -> Row:
    new = {**row, "expected_delivery": _on_time(c, unit, rnd)}
    return _noted(new, "Delivery date agreed with the provider")


def _widen(row: Row, x: NormalisedInputs, c: Commitment, unit: str, rnd: int) -> Row:
    new = {**row, "coverage": "Full"}
    if x.status == "In progress" and x.expected_delivery is None:
        new["expected_delivery"] = _on_time(c, unit, rnd)
    return _noted(new, "Extended to the remaining practices")


def _start(row: Row, x: NormalisedInputs, c: Commitment, unit: str, rnd: int) -> Row:
    new = {**row, "status": "In progress", "coverage": "Full"}
    if x.expected_delivery is None:
        new["expected_delivery"] = _on_time(c, unit, rnd)
    return _noted(new, "Funding confirmed; mobilising")


def _go_live(row: Row, x: NormalisedInputs, c: Commitment, unit: str, rnd: int) -> Row:
    return _noted({**row, "status": "In place"}, "Now live")


def _fill_gap(row: Row, x: NormalisedInputs, c: Commitment, unit: str, rnd: int) -> Row:
    planned = fresh_row(unit, c, "planned")
    new = {**row, **{k: v for k, v in planned.items() if k != "evidence"}}
    new["expected_delivery"] = _on_time(c, unit, rnd)
    return _noted(new, "Funding identified; planning started")


def _set_status(row: Row, x: NormalisedInputs, c: Commitment, unit: str, rnd: int) -> Row:
    return {**row, "status": "In progress"}


_Eligible = Callable[[NormalisedInputs, Commitment], bool]

#: The changes, in the order rows are given out: (name, share of eligible rows, at least,
#: who is eligible, what changes). One change per row per round.
_CHANGES: tuple[tuple[str, float, int, _Eligible, Change], ...] = (
    (
        "slip",
        0.12,
        1,
        lambda x, c: (
            x.status == "In progress"
            and x.coverage == "Full"
            and x.expected_delivery is not None
            and not _late(x, c)
        ),
        _slip,
    ),
    (
        "slip-amber",
        0.06,
        1,
        lambda x, c: (
            x.status in ("In progress", "Planned")
            and x.coverage != "Full"
            and x.expected_delivery is not None
            and not _late(x, c)
        ),
        _slip,
    ),
    (
        "dated",
        0.6,
        0,
        lambda x, c: (
            x.status in ("In progress", "Planned")
            and x.expected_delivery is None
            and x.coverage == "Full"
        ),
        _dated,
    ),
    (
        "widen",
        0.3,
        1,
        lambda x, c: (
            x.status in ("In place", "In progress") and x.coverage != "Full" and not _late(x, c)
        ),
        _widen,
    ),
    ("start", 0.35, 1, lambda x, c: x.status == "Planned" and not _late(x, c), _start),
    (
        "go-live",
        0.3,
        0,
        lambda x, c: x.status == "In progress" and x.coverage == "Full" and not _late(x, c),
        _go_live,
    ),
    (
        "fill-gap",
        0.2,
        1,
        lambda x, c: x.status == "None" or (x.status is None and x.initiatives is None),
        _fill_gap,
    ),
    ("status", 0.5, 0, lambda x, c: x.status is None and x.initiatives is not None, _set_status),
)


def _untouchable(x: NormalisedInputs) -> bool:
    """N/A rows and overridden rows stay as they are (the override would hide any change)."""
    return x.not_applicable or x.rag_override is not None or x.all_blank


def _progress_unit(
    catalogue: Catalogue, unit: str, rows: Mapping[str, Row], rnd: int, *, level: str
) -> dict[str, Row]:
    state = {
        p: normalise_inputs(v, para=p)[0] for p, v in rows.items() if catalogue.get(p) is not None
    }
    out = {p: dict(v) for p, v in rows.items()}
    changed: set[str] = set()
    for name, share, least, eligible, change in _CHANGES:
        fits = [
            p
            for p, x in state.items()
            if p not in changed and not _untouchable(x) and eligible(x, catalogue.by_id[p])
        ]
        fits.sort(key=lambda p: _u(unit, p, rnd, name))
        for p in fits[: max(least, int(share * len(fits) + 0.5))]:
            out[p] = change(out[p], state[p], catalogue.by_id[p], unit, rnd)
            changed.add(p)
    blank = [c for c in catalogue if c.level == level and c.id not in rows]
    blank.sort(key=lambda c: _u(unit, c.id, rnd, "new"))
    for c in blank[: max(2, int(0.12 * len(blank) + 0.5))]:
        variant = "planned" if _u(unit, c.id, rnd, "new-kind") < 0.6 else "doing_partial"
        out[c.id] = {**fresh_row(unit, c, variant), "expected_delivery": _on_time(c, unit, rnd)}
    return {c.id: out[c.id] for c in catalogue if c.id in out} | {
        p: v for p, v in out.items() if catalogue.get(p) is None
    }


def progress_units(
    catalogue: Catalogue, inputs: Mapping[str, Mapping[str, Row]], rnd: int, *, ics_id: str
) -> dict[str, dict[str, Row]]:
    """Every unit's inputs at round ``rnd``, from the round before (the ICS team's at ics level)."""
    return {
        unit: _progress_unit(catalogue, unit, rows, rnd, level="ics" if unit == ics_id else "place")
        for unit, rows in inputs.items()
    }
