"""The place RAG rules (SPEC §5), in order; the first that applies wins.

Each rule has a stable id and a Reason in planners' words, with the facts that made it fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from ltpgap.catalogue import Commitment
from ltpgap.issues import Issue, Severity, Where, make_issue
from ltpgap.rag.normalise import Locator, NormalisedInputs

__all__ = [
    "LEVEL_RULES",
    "RULES",
    "RagResult",
    "apply_rules",
    "due_text",
]

#: The §5 rules in evaluation order: stable id → what it means.
RULES: Final[dict[str, str]] = {
    "not-applicable": "Not applicable = Yes → N/A",
    "not-assessed": "every input cell blank → Not assessed",
    "override": "RAG override with an Override reason → the override",
    "gap": "Status None, or no Status and no Initiatives → Red",
    "in-place-full": "In place with Full coverage → Green",
    "misses-deadline": "Expected delivery after the due date → Red",
    "on-track-full": "In place or In progress, Full coverage, delivery by the due date → Green",
    "partial-or-planned": "otherwise (partial, planned, or facts missing) → Amber",
}

#: Rules for commitments a place does not assess (SPEC §4).
LEVEL_RULES: Final[dict[str, str]] = {
    "assessed-by-ics": "ICS-level commitment: assessed once by the ICS team",
    "not-assessed-locally": "region- or national-level commitment: not assessed locally",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class RagResult:
    """The outcome of the rules for one commitment at one place."""

    rag: str
    rule: str
    reason: str
    issues: tuple[Issue, ...] = ()

    @property
    def checks(self) -> str:
        """The row's check messages (warnings), one sentence after another."""
        return " ".join(i.message for i in self.issues if i.severity is not Severity.INFO)


def due_text(commitment: Commitment) -> str:
    """The due date with the catalogue's own wording: '2024-03-31 (2023/24)'."""
    due = commitment.due.isoformat()
    return due if commitment.deadline == due else f"{due} ({commitment.deadline})"


def _derived(
    c: Commitment, x: NormalisedInputs
) -> tuple[str, str, str, list[tuple[str, str, str]]]:
    """Rules 4-8: (rag, rule, reason, [(code, input key, message)])."""
    status, full = x.status, x.coverage == "Full"
    when = x.expected_delivery
    if status == "None":
        return "Red", "gap", "Status is None: no local initiative, so a gap.", []
    if status is None and x.initiatives is None:
        return "Red", "gap", "No Status and no Initiatives recorded, so a gap.", []
    if status == "In place" and full:
        return "Green", "in-place-full", "In place with Full coverage.", []
    if when is not None and when > c.due:
        reason = f"Expected delivery {when.isoformat()} is after the deadline {due_text(c)}."
        return "Red", "misses-deadline", reason, []
    if status in ("In place", "In progress") and full and when is not None:
        reason = (
            f"{status} with Full coverage, expected {when.isoformat()}, on or before the "
            f"deadline {due_text(c)}."
        )
        return "Green", "on-track-full", reason, []
    return _amber(c, x, when)


def _amber(
    c: Commitment, x: NormalisedInputs, when: date | None
) -> tuple[str, str, str, list[tuple[str, str, str]]]:
    facts: list[str] = []
    checks: list[tuple[str, str, str]] = []
    if x.status is None:
        facts.append("Initiatives recorded without a Status")
        checks.append(
            (
                "missing-status",
                "status",
                "Initiatives are recorded but Status is blank, so the row is Amber. "
                "Choose In place, In progress, Planned or None.",
            )
        )
    else:
        facts.append(x.status)
    if x.coverage is None:
        facts.append("Coverage blank (treated as Partial)")
        checks.append(
            (
                "coverage-blank",
                "coverage",
                "Coverage is blank and was treated as Partial. Choose Full or Partial.",
            )
        )
    else:
        facts.append(f"{x.coverage} coverage")
    if when is not None:
        facts.append(f"expected {when.isoformat()}, by the deadline {due_text(c)}")
    elif x.status in ("In progress", "Planned"):
        facts.append("no expected delivery date")
        checks.append(
            (
                "missing-delivery-date",
                "expected_delivery",
                f"Status is {x.status} but Expected delivery is blank. Give a date or "
                f"financial year (the deadline is {due_text(c)}).",
            )
        )
    return "Amber", "partial-or-planned", "; ".join(facts) + ": not yet fully delivered.", checks


def apply_rules(
    commitment: Commitment,
    inputs: NormalisedInputs,
    *,
    locate: Locator | None = None,
    prior: tuple[Issue, ...] = (),
) -> RagResult:
    """Apply the §5 rules, in order, to one commitment's normalised inputs."""
    para = commitment.id

    def issue(code: str, key: str, message: str) -> Issue:
        where = locate(para, key) if locate else Where()
        return make_issue(code, message, where=where, commitment=para)

    if inputs.not_applicable:
        reason = "Marked Not applicable to this place; excluded from every percentage."
        return RagResult(rag="N/A", rule="not-applicable", reason=reason, issues=prior)
    if inputs.all_blank:
        reason = "Not assessed: every input cell is blank."
        return RagResult(rag="Not assessed", rule="not-assessed", reason=reason, issues=prior)
    rag, rule, reason, checks = _derived(commitment, inputs)
    if inputs.rag_override is not None:
        if inputs.override_reason is not None:
            reason = (
                f"RAG override {inputs.rag_override} set by the place team "
                f"(calculated {rag}): {inputs.override_reason}"
            )
            return RagResult(rag=inputs.rag_override, rule="override", reason=reason, issues=prior)
        checks.insert(
            0,
            (
                "override-without-reason",
                "override_reason",
                f"RAG override '{inputs.rag_override}' has no reason, so it was ignored and the "
                f"calculated RAG ({rag}) was used. Add an Override reason or clear the override.",
            ),
        )
    found = [issue(code, key, message) for code, key, message in checks]
    if rule == "misses-deadline":
        found.append(issue("misses-deadline", "expected_delivery", reason))
    return RagResult(rag=rag, rule=rule, reason=reason, issues=(*prior, *found))
