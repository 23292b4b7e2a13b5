"""SPEC §5 and §6 written again, plainly, for tests: no ltpgap.rag, just loops.

Handles the canonical input values the tests type (dropdown words, financial years such as
``2023/24``, ``Yes`` for not applicable); the merge's answers are checked against these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ltpgap.catalogue import Catalogue, Commitment
from ltpgap.ics import Rules

Inputs = Mapping[str, object]
GAR = ("Green", "Amber", "Red")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def financial_year_end(text: str) -> date:
    """'2023/24' → 31 March 2024."""
    return date(int(text[:4]) + 1, 3, 31)


def place_rag(c: Commitment, given: Inputs) -> str:
    """§5 for one place and one commitment (place scope), first rule that applies wins."""
    if c.level != "place":
        return "N/A"
    return unit_rag(c, given)


def unit_rag(c: Commitment, given: Inputs) -> str:
    """§5 rules 1-8 on canonical inputs."""
    if given.get("not_applicable") == "Yes":
        return "N/A"
    if all(_blank(v) for v in given.values()):
        return "Not assessed"
    override, reason = given.get("rag_override"), given.get("override_reason")
    if not _blank(override) and not _blank(reason):
        return str(override)
    status, initiatives = given.get("status"), given.get("initiatives")
    if status == "None" or (_blank(status) and _blank(initiatives)):
        return "Red"
    coverage = given.get("coverage") or "Partial"
    if status == "In place" and coverage == "Full":
        return "Green"
    delivery = given.get("expected_delivery")
    due = financial_year_end(str(delivery)) if not _blank(delivery) else None
    if due is not None and due > c.due:
        return "Red"
    if status in ("In place", "In progress") and coverage == "Full" and due is not None:
        return "Green"
    return "Amber"


def ics_rag(
    c: Commitment,
    place_rags: Mapping[str, str],
    populations: Mapping[str, float],
    team: str | None,
    rules: Rules,
) -> str:
    """§6 for one commitment: must-dos the worst place, others a weighted score; quorum."""
    if c.level in ("region", "national"):
        return "N/A"
    if c.level == "ics":
        return team or "Not assessed"
    applicable = [(p, place_rags.get(p, "Not assessed")) for p in populations]
    applicable = [(p, r) for p, r in applicable if r != "N/A"]
    if not applicable:
        return "N/A"
    assessed = [(p, r) for p, r in applicable if r in GAR]
    pop_applicable = sum(populations[p] for p, _ in applicable)
    pop_assessed = sum(populations[p] for p, _ in assessed)
    if not assessed or pop_assessed < rules.min_assessed_share * pop_applicable - 1e-9:
        return "Not assessed"
    if c.must_do:
        found = {r for _, r in assessed}
        return "Red" if "Red" in found else "Amber" if "Amber" in found else "Green"
    weight = {"Green": rules.green_weight, "Amber": rules.amber_weight, "Red": rules.red_weight}
    score = 0.0
    for p, r in assessed:
        score += weight[r] * populations[p]
    score /= pop_assessed
    if score >= rules.green_threshold - 1e-9:
        return "Green"
    if score >= rules.amber_threshold - 1e-9:
        return "Amber"
    return "Red"


def ics_rags(
    catalogue: Catalogue,
    inputs: Mapping[str, Mapping[str, Inputs]],
    places: Sequence[tuple[str, float]],
    team_id: str,
    rules: Rules,
) -> dict[str, str]:
    """Para → ICS RAG from every unit's canonical inputs (place ids with populations)."""
    populations = dict(places)
    out = {}
    for c in catalogue:
        rags = {p: place_rag(c, inputs[p].get(c.id, {})) for p in populations if p in inputs}
        team = None
        if team_id in inputs and c.level == "ics":
            team = unit_rag(c, inputs[team_id].get(c.id, {}))
        out[c.id] = ics_rag(c, rags, populations, team, rules)
    return out
