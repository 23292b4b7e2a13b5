"""A whole unit's rows through the §5 rules at once, each distinct pattern worked out once.

Row by row, :func:`ltpgap.rag.normalise_inputs` and :func:`ltpgap.rag.apply_rules` are the
reference. Here the same readers and the same :func:`ltpgap.rag.rules.decide` run once per
distinct cell value (per column) and once per distinct pattern of facts (per due date), and
the rows only look their results up: planners' values repeat endlessly, and a row with no
input at all needs no work. Issues are built only for the rows that have any.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from ltpgap.catalogue import Commitment
from ltpgap.issues import Issue, Severity
from ltpgap.rag.normalise import BLANK as _BLANK
from ltpgap.rag.normalise import Locator, NormalisedInputs, Reading, locate_found, read_cell
from ltpgap.rag.rules import Check, Decision, decide
from ltpgap.schema import is_blank

__all__ = ["RowResults", "assess_parts", "assess_rows", "not_counted"]

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
#: Who assesses a commitment a place does not, as told when a place typed in its row anyway.
_ASSESSED_ELSEWHERE = {
    "ics": (
        "is assessed once, by the ICS team in its own workbook",
        "If it is the ICS's work, send it to the ICS team for its workbook.",
    ),
    "region": ("is judged at region level", "Check it was not meant for another row."),
    "national": ("is judged nationally", "Check it was not meant for another row."),
}
_NOT_ASSESSED_DECISION: Decision = (*_NOT_ASSESSED, ())
_NOT_APPLICABLE_DECISION: Decision = (*_NOT_APPLICABLE, ())
# What decide() reads of a row besides its due date: the memo key of a decision.
_Facts = tuple[object, object, object, bool, bool, object, object, date, str]
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
    status, coverage, when, has_initiatives, unread, override, override_reason, due, deadline = (
        facts
    )
    inputs = NormalisedInputs(
        initiatives="(recorded)" if has_initiatives else None,  # decide() reads only presence
        status=status,  # type: ignore[arg-type]
        coverage=coverage,  # type: ignore[arg-type]
        expected_delivery=when,  # type: ignore[arg-type]
        expected_delivery_raw="(unreadable)" if unread else None,  # as for initiatives
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
    flagged: list[Reading] = []  # readings with findings (every reading passes read() once)

    def read(value: object) -> Reading:
        reading = read_cell(key, value)
        if type(value) is str:
            memo[value] = reading
        if reading[1]:
            flagged.append(reading)
        return reading

    cells = [values[r] for r in rows]
    readings = [
        _BLANK if v is None else (memo.get(v) if type(v) is str else None) or read(v) for v in cells
    ]
    found = {i: r[1] for i, r in enumerate(readings) if r[1]} if flagged else {}
    return [r[0] for r in readings], found


def _row_decision(c: Commitment, cells: Sequence[object], unread: bool) -> Decision:
    """One row's decision from its normalised cells, in _ORDER (as :func:`decide` makes it).

    ``unread``: Expected delivery holds something that could not be read as a date.
    """
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
    has_initiatives = initiatives is not None
    key = (status, coverage, when, has_initiatives, unread, override, why, c.due, c.deadline)
    return _decision(key)


def not_counted(c: Commitment, value: Callable[[str], object]) -> list[Check]:
    """What a place typed in the row of a commitment it does not assess (ICS-, region- or
    national-level): a check at the first filled input cell, or none. It is kept as typed
    (and on the ICS workbook's Place data) but counts nowhere, which the place should know."""
    key = next((k for k in _ORDER if not is_blank(value(k))), None)
    if key is None:
        return []
    who, then = _ASSESSED_ELSEWHERE.get(c.level, ("is not assessed by places", ""))
    message = (
        f"Para {c.id} {who}, so what is typed in this row does not count for this place; it "
        f"is kept as typed. {then}"
    )
    return [("inputs-not-counted", key, message.strip())]


def _row(columns: Mapping[str, Sequence[object]], row: int) -> dict[str, object]:
    """One row's cells by input key (the columns present)."""
    return {key: values[row] for key, values in columns.items()}


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
    inputs (levels a place does not assess); anything typed in such a row is reported
    (:func:`not_counted`).
    """
    return assess_parts(commitments, row_of, columns, fixed, [(len(commitments), locate)])[0]


def assess_parts(
    commitments: Sequence[Commitment],
    row_of: Sequence[int],
    columns: Mapping[str, Sequence[object]],
    fixed: Mapping[int, tuple[str, str, str]],
    parts: Sequence[tuple[int, Locator | None]],
) -> tuple[RowResults, list[tuple[Issue, ...]]]:
    """:func:`assess_rows` over several units' commitments at once.

    The commitments (and ``row_of``, ``fixed``) run on from one unit to the next; ``parts``
    gives each unit's (number of commitments, locator), in order, and ``row_of`` points into
    ``columns``, which hold every unit's rows. Returns the results over all commitments (its
    issues: all of them, in order) and each unit's issues: for each unit, its slice of the
    results and its issues are what :func:`assess_rows` gives for it alone. Each distinct
    cell value is read once over all the units.
    """
    n = len(commitments)
    rag, rule, reason = ["Not assessed"] * n, ["not-assessed"] * n, [_NOT_ASSESSED[2]] * n
    checks = [""] * n
    for j, (r_rag, r_rule, r_reason) in fixed.items():
        rag[j], rule[j], reason[j] = r_rag, r_rule, r_reason
    todo = [j for j in range(n) if row_of[j] >= 0 and j not in fixed]
    rows = [row_of[j] for j in todo]
    read = [_read_column(key, columns.get(key), rows) for key in _ORDER]
    findings = [found for _, found in read]
    # A finding on Expected delivery means its cell was not blank but gave no date.
    unread_delivery = findings[_ORDER.index("expected_delivery")]
    flagged = set().union(*findings)
    ends = list(accumulate(size for size, _ in parts))
    by_part: list[list[Issue]] = [[] for _ in parts]
    # Rows of fixed commitments with something typed in them (rare): reported in row order.
    held = [(j, row_of[j]) for j in fixed if row_of[j] >= 0]
    filled = {j for values in columns.values() for j, r in held if values[r] is not None}
    typed = {
        j: found
        for j in sorted(filled)
        if (found := not_counted(commitments[j], _row(columns, row_of[j]).get))
    }
    pending = list(typed)

    def report(j: int, found: Sequence[Check]) -> None:
        part = bisect_right(ends, j)
        row_issues = locate_found(list(found), commitments[j].id, parts[part][1])
        checks[j] = _checks_text(row_issues)
        by_part[part].extend(row_issues)

    by_row = zip(*(values for values, _ in read), strict=True)  # each row's cells, in _ORDER
    for i, (j, cells) in enumerate(zip(todo, by_row, strict=True)):
        while pending and pending[0] < j:
            first = pending.pop(0)
            report(first, typed[first])
        decision = _row_decision(commitments[j], cells, i in unread_delivery)
        rag[j], rule[j], reason[j] = decision[0], decision[1], decision[2]
        if i in flagged or decision[3]:
            part = bisect_right(ends, j)
            found = [f for by_row in findings for f in by_row.get(i, ())]
            row_issues = locate_found([*found, *decision[3]], commitments[j].id, parts[part][1])
            checks[j] = _checks_text(row_issues)
            by_part[part].extend(row_issues)
    for j in pending:
        report(j, typed[j])
    issues = [tuple(found) for found in by_part]
    every = issues[0] if len(issues) == 1 else tuple(i for found in issues for i in found)
    results = RowResults(rag=rag, reason=reason, rule=rule, checks=checks, issues=every)
    return results, issues
