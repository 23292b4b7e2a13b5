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
    "Check",
    "Decision",
    "RagResult",
    "apply_rules",
    "decide",
    "due_text",
    "locate_checks",
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


#: A check found by the rules, before it is located: (issue code, input key, message).
Check = tuple[str, str, str]
#: What the rules decide for one row: (rag, rule id, reason, checks in order).
Decision = tuple[str, str, str, tuple[Check, ...]]


def due_text(commitment: Commitment) -> str:
    """The due date with the catalogue's own wording: '2024-03-31 (2023/24)'."""
    return _due_text(commitment.due, commitment.deadline)


def _due_text(due: date, deadline: str) -> str:
    iso = due.isoformat()
    return iso if deadline == iso else f"{iso} ({deadline})"


def _derived(x: NormalisedInputs, due: date, deadline: str) -> tuple[str, str, str, list[Check]]:
    """Rules 4-8: (rag, rule, reason, [(code, input key, message)])."""
    status, full = x.status, x.coverage == "Full"
    when = x.expected_delivery
    if status == "None":
        return "Red", "gap", "Status is None: no local initiative, so a gap.", []
    if status is None and x.initiatives is None:
        return "Red", "gap", "No Status and no Initiatives recorded, so a gap.", []
    if status == "In place" and full:
        return "Green", "in-place-full", "In place with Full coverage.", []
    if when is not None and when > due:
        reason = (
            f"Expected delivery {when.isoformat()} is after the deadline "
            f"{_due_text(due, deadline)}."
        )
        return "Red", "misses-deadline", reason, []
    if status in ("In place", "In progress") and full and when is not None:
        reason = (
            f"{status} with Full coverage, expected {when.isoformat()}, on or before the "
            f"deadline {_due_text(due, deadline)}."
        )
        return "Green", "on-track-full", reason, []
    return _amber(x, when, _due_text(due, deadline))


def _amber(x: NormalisedInputs, when: date | None, due: str) -> tuple[str, str, str, list[Check]]:
    facts: list[str] = []
    checks: list[Check] = []
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
        facts.append(f"expected {when.isoformat()}, by the deadline {due}")
    elif x.status in ("In progress", "Planned"):
        # Something typed that is not a date has its own check; 'blank' would contradict it.
        unread = x.expected_delivery_raw is not None
        facts.append("Expected delivery not a date" if unread else "no expected delivery date")
        found = "could not be read as a date" if unread else "is blank"
        checks.append(
            (
                "missing-delivery-date",
                "expected_delivery",
                f"Status is {x.status} but Expected delivery {found}. Give a date or "
                f"financial year (the deadline is {due}).",
            )
        )
    return "Amber", "partial-or-planned", "; ".join(facts) + ": not yet fully delivered.", checks


def decide(inputs: NormalisedInputs, due: date, deadline: str) -> Decision:
    """The §5 rules, in order, for one row's normalised inputs against a due date.

    Reads Initiatives (and Expected delivery's raw cell) only as present or blank, and Lead and
    Evidence not at all (they count only through ``all_blank``); the checks are not yet located
    (:func:`apply_rules` does it).
    """
    if inputs.not_applicable:
        reason = "Marked Not applicable to this place; excluded from every percentage."
        return "N/A", "not-applicable", reason, ()
    if inputs.all_blank:
        return "Not assessed", "not-assessed", "Not assessed: every input cell is blank.", ()
    rag, rule, reason, checks = _derived(inputs, due, deadline)
    if inputs.rag_override is not None:
        if inputs.override_reason is not None:
            reason = (
                f"RAG override {inputs.rag_override} set by the place team "
                f"(calculated {rag}): {inputs.override_reason}"
            )
            return inputs.rag_override, "override", reason, ()
        checks.insert(
            0,
            (
                "override-without-reason",
                "override_reason",
                f"RAG override '{inputs.rag_override}' has no reason, so it was ignored and the "
                f"calculated RAG ({rag}) was used. Add an Override reason or clear the override.",
            ),
        )
    if rule == "misses-deadline":
        checks.append(("misses-deadline", "expected_delivery", reason))
    return rag, rule, reason, tuple(checks)


def locate_checks(
    checks: tuple[Check, ...], para: str, locate: Locator | None
) -> tuple[Issue, ...]:
    """The checks as issues at their cells (``Where()`` when nothing locates them)."""
    return tuple(
        make_issue(code, message, where=locate(para, key) if locate else Where(), commitment=para)
        for code, key, message in checks
    )


def apply_rules(
    commitment: Commitment,
    inputs: NormalisedInputs,
    *,
    locate: Locator | None = None,
    prior: tuple[Issue, ...] = (),
) -> RagResult:
    """Apply the §5 rules, in order, to one commitment's normalised inputs."""
    rag, rule, reason, checks = decide(inputs, commitment.due, commitment.deadline)
    found = locate_checks(checks, commitment.id, locate)
    return RagResult(rag=rag, rule=rule, reason=reason, issues=(*prior, *found))
