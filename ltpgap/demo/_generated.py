"""Deterministic generator of ILLUSTRATIVE demo rows: a system mid-way through planning.

Everything this writes is INVENTED for the ltpgap demo and is not any organisation's plan.
Each unit assesses a set share of the commitments that apply to it; which ones, how well and
how each row is worded all follow from a hash of (unit, para), so every run gives the same
rows. The hand-written showcase rows (:mod:`ltpgap.demo.illustrative`) are kept as they are
and counted towards the unit's Green / Amber / Red quotas.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ltpgap.catalogue import Catalogue, Commitment
from ltpgap.demo._local import LOCALS, NOT_APPLICABLE, NOTES
from ltpgap.demo._phrases import PARTIAL, THEMES, lead_for, theme_of
from ltpgap.demo._when import (
    delivery_text,
    early_skewed,
    late_periods,
    late_skewed,
    live_periods,
    plan_periods,
    unit_hash,
)
from ltpgap.rag import Scope, assess_place

__all__ = ["PROFILES", "Profile", "Row", "fresh_row", "generate_unit"]

Row = dict[str, object]


def _pick(options: Sequence[str], *parts: object) -> str:
    return options[int(unit_hash(*parts) * len(options))]


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """How far a unit has got: shares of its applicable commitments at each RAG, and leanings.

    ``bias`` shifts a commitment's strength by its theme or programme area (a place stronger
    on prevention gets more Greens there); ``odd`` counts the deliberately odd rows (checks).
    """

    green: float
    amber: float
    red: float
    bias: Mapping[str, float] = field(default_factory=dict)
    odd: Mapping[str, int] = field(default_factory=dict)

    @property
    def assessed(self) -> float:
        """Share of applicable commitments with something entered."""
        return self.green + self.amber + self.red


PROFILES: dict[str, Profile] = {
    "bedford": Profile(
        green=0.39,
        amber=0.27,
        red=0.13,
        bias={"urgent": 0.3, "community": 0.15, "cancer": -0.25, "ld": -0.2},
        odd={
            "no_date": 2,
            "coverage_blank": 1,
            "no_status": 1,
            "amber_red": 1,
            "override_amber": 1,
        },
    ),
    "central_beds": Profile(
        green=0.37,
        amber=0.27,
        red=0.13,
        bias={"maternity": -0.6, "maternity_cyp": -0.25, "community": 0.25, "pcn": 0.25},
        odd={"no_date": 2, "coverage_blank": 2, "bad_date": 1, "override_red": 1},
    ),
    "luton": Profile(
        green=0.44,
        amber=0.27,
        red=0.12,
        bias={"prevention": 0.45, "inequalities": 0.25, "planned": -0.3, "workforce": -0.2},
        odd={"no_date": 1, "coverage_blank": 1, "bad_date": 1, "override_green": 1, "amber_red": 1},
    ),
    "milton_keynes": Profile(
        green=0.42,
        amber=0.27,
        red=0.11,
        bias={
            "digital": 0.6,
            "digital_primary": 0.4,
            "enablers": 0.1,
            "mental_health": -0.25,
            "ltc": -0.1,
        },
        odd={"no_date": 2, "no_status": 1, "coverage_blank": 1, "override_green": 1},
    ),
    "blmk": Profile(
        green=0.37,
        amber=0.27,
        red=0.16,
        bias={"finance": -0.3, "digital": 0.2},
        odd={"no_date": 1, "override_amber": 1},
    ),
}

#: Ordinary variants per RAG, with weights; the odd ones come from Profile.odd.
_ORDINARY: dict[str, tuple[tuple[str, float], ...]] = {
    "Green": (("in_place_full", 0.55), ("on_track_full", 0.45)),
    "Amber": (("in_place_partial", 0.35), ("doing_partial", 0.35), ("planned", 0.30)),
    "Red": (("gap", 0.42), ("late", 0.48), ("gap_blank", 0.10)),
}
#: Which RAG each odd variant ends at (what the rules make of it).
_ODD_RAG: dict[str, str] = {
    "no_date": "Amber",
    "coverage_blank": "Amber",
    "no_status": "Amber",
    "bad_date": "Amber",
    "override_amber": "Amber",
    "override_green": "Green",
    "override_red": "Red",
    "amber_red": "Red",
}

# --- One row ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Ctx:
    unit: str
    commitment: Commitment

    def u(self, *parts: object) -> float:
        return unit_hash(self.unit, self.commitment.id, *parts)

    def words(self) -> dict[str, object]:
        local = LOCALS[self.unit]
        area = local.areas[int(self.u("area") * len(local.areas))]
        return {**local.words(), "title": self.commitment.title, "area": area}

    def text(self, stage: str) -> str:
        """Initiatives text: ``part`` (In place, Partial) or a theme's done/doing/plan bank."""
        options: Sequence[str] = (
            PARTIAL if stage == "part" else getattr(THEMES[theme_of(self.commitment)], stage)
        )
        return _pick(options, self.unit, self.commitment.id, stage).format(**self.words())

    def lead(self) -> str:
        role = lead_for(self.commitment, self.u("lead"), ics=LOCALS[self.unit].ics_team)
        return role.format(**self.words())

    def note(self, kind: str, chance: float = 1.0) -> str | None:
        if self.u("note", kind) >= chance:
            return None
        return _pick(NOTES[kind], self.unit, self.commitment.id, kind).format(**self.words())

    def on_time(self, kind: str = "plan") -> object:
        due = self.commitment.due
        if kind == "live":
            when = early_skewed(live_periods(due), self.u("when"))
        else:
            when = late_skewed(plan_periods(due), self.u("when"))
        return delivery_text(when, self.unit, self.commitment.id)

    def late(self) -> object:
        when = early_skewed(late_periods(self.commitment.due), self.u("late"))
        return delivery_text(when, self.unit, self.commitment.id)

    def status(self, value: str) -> str:
        """Mostly as the dropdown has it; now and then typed in another case."""
        u = self.u("case", value)
        return value.lower() if u < 0.06 else value.title() if u < 0.09 else value

    def coverage(self, value: str) -> str:
        return value.lower() if self.u("case-cov") < 0.07 else value


def _row(ctx: _Ctx, stage: str, status: str | None, coverage: str | None, when: object) -> Row:
    row: Row = {"initiatives": ctx.text(stage)}
    if status:
        row["status"] = ctx.status(status)
    if coverage:
        row["coverage"] = ctx.coverage(coverage)
    if when is not None:
        row["expected_delivery"] = when
    row["lead"] = ctx.lead()
    note = ctx.note(stage, 0.45)
    if note:
        row["evidence"] = note
    return row


def _override(ctx: _Ctx, base: Row, value: str, kind: str) -> Row:
    return {**base, "rag_override": value, "override_reason": ctx.note(kind) or ""}


def _gap(ctx: _Ctx) -> Row:
    gap = _pick(THEMES[theme_of(ctx.commitment)].gap, ctx.unit, ctx.commitment.id, "gap")
    return {"status": "None", "lead": ctx.lead(), "evidence": gap.format(**ctx.words())}


def _in_place(ctx: _Ctx, coverage: str) -> Row:
    when = ctx.on_time("live") if ctx.u("live-date") < 0.4 else None
    return _row(ctx, "done" if coverage == "Full" else "part", "In place", coverage, when)


_UNSCOPED = ("Not yet scoped", "To be picked up by the new programme lead", "Scoping not started")
_BAD_DATES = ("TBC", "Spring 2024", "tbc - awaiting funding", "when funded")

_VARIANTS: dict[str, Callable[[_Ctx], Row]] = {
    "in_place_full": lambda c: _in_place(c, "Full"),
    "on_track_full": lambda c: _row(c, "doing", "In progress", "Full", c.on_time()),
    "in_place_partial": lambda c: _in_place(c, "Partial"),
    "doing_partial": lambda c: _row(c, "doing", "In progress", "Partial", c.on_time()),
    "planned": lambda c: _row(
        c, "plan", "Planned", "Full" if c.u("cov") < 0.5 else "Partial", c.on_time()
    ),
    "gap": _gap,
    "gap_blank": lambda c: {
        "lead": c.lead(),
        "evidence": _pick(_UNSCOPED, c.unit, c.commitment.id),
    },
    "late": lambda c: {
        **_row(c, "doing" if c.u("stage") < 0.5 else "plan", None, "Full", c.late()),
        "status": c.status("In progress" if c.u("stage") < 0.5 else "Planned"),
        "evidence": c.note("late") or "",
    },
    "no_date": lambda c: _row(c, "doing", "In progress", "Full", None),
    "coverage_blank": lambda c: _row(c, "doing", "In progress", None, c.on_time()),
    "no_status": lambda c: _row(c, "doing", None, "Partial", c.on_time()),
    "bad_date": lambda c: _row(
        c, "doing", "In progress", "Partial", _pick(_BAD_DATES, c.unit, c.commitment.id)
    ),
    "override_amber": lambda c: _override(c, _in_place(c, "Full"), "Amber", "override_amber"),
    "override_green": lambda c: _override(c, _in_place(c, "Partial"), "Green", "override_green"),
    "override_red": lambda c: _override(
        c, _row(c, "doing", "In progress", "Partial", c.on_time()), "Red", "override_red"
    ),
    "amber_red": lambda c: _override(
        c, _row(c, "doing", "In progress", "Partial", c.on_time()), "Amber/Red", "override_red"
    ),
}


def fresh_row(unit: str, commitment: Commitment, variant: str) -> Row:
    """One generated row of the given kind (``planned``, ``doing_partial``, ``gap`` …)."""
    return _VARIANTS[variant](_Ctx(unit=unit, commitment=commitment))


# --- One unit ---------------------------------------------------------------------------------


def _hand_counts(
    catalogue: Catalogue, unit: str, scope: Scope, hand: Mapping[str, Row]
) -> dict[str, int]:
    frame = pd.DataFrame([{"para": p, **v} for p, v in hand.items()])
    result = assess_place(catalogue, frame, unit_id=unit, scope=scope)
    rags = result.frame.set_index("para")["rag"]
    counts = {"Green": 0, "Amber": 0, "Red": 0, "N/A": 0}
    for para in hand:
        if rags.get(para) in counts:
            counts[str(rags[para])] += 1
    return counts


def _variants(rag: str, rows: list[Commitment], unit: str, profile: Profile) -> dict[str, str]:
    """Para → variant for the rows given a RAG: the odd ones first, then by weight."""
    ordered = sorted(rows, key=lambda c: unit_hash(unit, c.id, "variant"))
    odd = [v for v, n in profile.odd.items() if _ODD_RAG[v] == rag for _ in range(n)]
    chosen: dict[str, str] = {}
    for i, c in enumerate(ordered):
        if i < len(odd):
            chosen[c.id] = odd[i]
            continue
        chosen[c.id] = _weighted(_ORDINARY[rag], unit_hash(unit, c.id, "kind"))
    return chosen


def _weighted(options: Sequence[tuple[str, float]], u: float) -> str:
    """The option whose cumulative weight first exceeds ``u`` (weights sum to 1)."""
    total = 0.0
    for option, weight in options:
        total += weight
        if u < total:
            return option
    return options[-1][0]


#: Must-dos are further on everywhere: national priorities, with their own funding.
_MUST_DO_LEAD = 0.12


def _bias(profile: Profile, c: Commitment) -> float:
    lead = _MUST_DO_LEAD if c.must_do else 0.0
    return lead + profile.bias.get(theme_of(c), 0.0) + profile.bias.get(c.programme_area, 0.0)


def generate_unit(
    catalogue: Catalogue, unit: str, hand: Mapping[str, Row], *, scope: Scope = "place"
) -> dict[str, Row]:
    """Generated rows for one unit (the hand-written ``hand`` rows excluded, but counted)."""
    profile = PROFILES[unit]
    level = "ics" if scope == "ics" else "place"
    in_scope = [c for c in catalogue if c.level == level]
    hand_counts = _hand_counts(catalogue, unit, scope, hand)
    na = {p: why for p, why in NOT_APPLICABLE.get(unit, {}).items() if p not in hand}
    na = {
        p: why
        for p, why in na.items()
        if p in catalogue.by_id and catalogue.by_id[p].level == level
    }
    applicable = len(in_scope) - hand_counts["N/A"] - len(na)
    want = {
        rag: int(share * applicable + 0.5) - hand_counts[rag]
        for rag, share in (("Green", profile.green), ("Amber", profile.amber), ("Red", profile.red))
    }
    free = [c for c in in_scope if c.id not in hand and c.id not in na]
    picked = sorted(free, key=lambda c: unit_hash(unit, c.id, "pick") - 0.3 * _bias(profile, c))
    chosen = picked[: max(0, sum(max(0, n) for n in want.values()))]
    by_strength = sorted(
        chosen, key=lambda c: -(unit_hash(unit, c.id, "strength") + _bias(profile, c))
    )
    n_green, n_amber = max(0, want["Green"]), max(0, want["Amber"])
    buckets = {
        "Green": by_strength[:n_green],
        "Amber": by_strength[n_green : n_green + n_amber],
        "Red": by_strength[n_green + n_amber :],
    }
    rows: dict[str, Row] = {}
    for rag, members in buckets.items():
        for para, variant in _variants(rag, members, unit, profile).items():
            rows[para] = fresh_row(unit, catalogue.by_id[para], variant)
    for para, why in na.items():
        rows[para] = {
            "not_applicable": _pick(("Yes", "Yes", "Y", "yes"), unit, para),
            "evidence": why,
        }
    return rows
