"""A whole unit's rows through the §5 rules at once, each distinct pattern worked out once.

Row by row, :func:`ltpgap.rag.normalise_inputs` and :func:`ltpgap.rag.apply_rules` are the
reference. Here the same readers and the same :func:`ltpgap.rag.rules.decide` run once per
distinct cell value (per column) and once per distinct pattern of facts (per due date), and
the rows only look their results up: planners' values repeat endlessly, and a row with no
input at all needs no work. Issues are built only for the rows that have any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ltpgap.catalogue import Commitment
from ltpgap.issues import Issue, Severity
from ltpgap.rag.normalise import BLANK as _BLANK
from ltpgap.rag.normalise import Locator, NormalisedInputs, Reading, locate_found, read_cell
from ltpgap.rag.rules import Check, Decision, decide

__all__ = ["RowResults", "assess_rows"]

#: The order a row's cells are read in, and its findings listed (as normalise_inputs does).
_ORDER = (
    "not_applicable",
    "initiatives",
    "status",
    "coverage",
    "expected_delivery",
    "lead",
    "evidence",
    "rag_override",
    "override_reason",
)
_NOT_ASSESSED = ("Not assessed", "not-assessed", "Not assessed: every input cell is blank.")
_NOT_APPLICABLE = (
    "N/A",
    "not-applicable",
    "Marked Not applicable to this place; excluded from every percentage.",
)
_NOT_ASSESSED_DECISION: Decision = (*_NOT_ASSESSED, ())
_NOT_APPLICABLE_DECISION: Decision = (*_NOT_APPLICABLE, ())
# What decide() reads of a row besides its due date: the memo key of a decision.
_Facts = tuple[object, object, object, bool, object, object, date, str]
_DECISIONS: dict[_Facts, Decision] = {}
_DECISIONS_LIMIT = 20_000


@dataclass(frozen=True, slots=True, kw_only=True)
class RowResults:
    """One value per commitment for each computed column, and every issue in row order."""

    rag: list[str]
    reason: list[str]
    rule: list[str]
    checks: list[str]
    issues: tuple[Issue, ...]


def _decision(facts: _Facts) -> Decision:
    hit = _DECISIONS.get(facts)
    if hit is not None:
        return hit
    status, coverage, when, has_initiatives, override, override_reason, due, deadline = facts
    inputs = NormalisedInputs(
        initiatives="(recorded)" if has_initiatives else None,  # decide() reads only presence
        status=status,  # type: ignore[arg-type]
        coverage=coverage,  # type: ignore[arg-type]
        expected_delivery=when,  # type: ignore[arg-type]
        rag_override=override,  # type: ignore[arg-type]
        override_reason=override_reason,  # type: ignore[arg-type]
        all_blank=False,
    )
    decision = decide(inputs, due, deadline)
    if len(_DECISIONS) >= _DECISIONS_LIMIT:
        _DECISIONS.clear()
    _DECISIONS[facts] = decision
    return decision


def _read_column(
    key: str, values: Sequence[object] | None, rows: Sequence[int]
) -> tuple[list[object], dict[int, tuple[Check, ...]]]:
    """One input column of the rows with inputs: normalised values, and findings by row."""
    if values is None:
        return [None] * len(rows), {}
    memo: dict[str, Reading] = {}

    def read(value: object) -> Reading:
        reading = read_cell(key, value)
        if type(value) is str:
            memo[value] = reading
        return reading

    cells = [values[r] for r in rows]
    readings = [
        _BLANK if v is None else (memo.get(v) if type(v) is str else None) or read(v) for v in cells
    ]
    found = {i: r[1] for i, r in enumerate(readings) if r[1]}
    return [r[0] for r in readings], found


def _row_decision(c: Commitment, cells: Sequence[object]) -> Decision:
    """One row's decision from its normalised cells, in _ORDER (as :func:`decide` makes it)."""
    na, initiatives, status, coverage, when, lead, evidence, override, why = cells
    if na:
        return _NOT_APPLICABLE_DECISION
    if (
        na is None
        and initiatives is None
        and status is None
        and coverage is None
        and when is None
        and lead is None
        and evidence is None
        and override is None
        and why is None
    ):
        return _NOT_ASSESSED_DECISION
    key = (status, coverage, when, initiatives is not None, override, why, c.due, c.deadline)
    return _decision(key)


def _checks_text(issues: Sequence[Issue]) -> str:
    return " ".join(i.message for i in issues if i.severity is not Severity.INFO)


def assess_rows(
    commitments: Sequence[Commitment],
    row_of: Sequence[int],
    columns: Mapping[str, Sequence[object]],
    fixed: Mapping[int, tuple[str, str, str]],
    locate: Locator | None,
) -> RowResults:
    """The §5 rules for each commitment, given the input row it has (-1: none).

    ``fixed`` maps a commitment's position to a (rag, rule, reason) set without reading its
    inputs (levels a place does not assess).
    """
    n = len(commitments)
    rag, rule, reason = ["Not assessed"] * n, ["not-assessed"] * n, [_NOT_ASSESSED[2]] * n
    checks = [""] * n
    for j, (r_rag, r_rule, r_reason) in fixed.items():
        rag[j], rule[j], reason[j] = r_rag, r_rule, r_reason
    todo = [j for j in range(n) if row_of[j] >= 0 and j not in fixed]
    rows = [row_of[j] for j in todo]
    read = [_read_column(key, columns.get(key), rows) for key in _ORDER]
    cells = [values for values, _ in read]
    findings = [found for _, found in read]
    flagged = set().union(*findings)
    issues: list[Issue] = []
    for i, j in enumerate(todo):
        decision = _row_decision(commitments[j], [column[i] for column in cells])
        rag[j], rule[j], reason[j] = decision[0], decision[1], decision[2]
        if i in flagged or decision[3]:
            found = [f for by_row in findings for f in by_row.get(i, ())]
            row_issues = locate_found([*found, *decision[3]], commitments[j].id, locate)
            checks[j] = _checks_text(row_issues)
            issues.extend(row_issues)
    return RowResults(rag=rag, reason=reason, rule=rule, checks=checks, issues=tuple(issues))
