"""SPEC §5: one table per rule, in evaluation order. Each row: raw inputs → RAG, rule, checks.

Every table also holds rows that a later or earlier rule would claim if the order were wrong.
Commitment under test: deadline 2023/24, due 2024-03-31.
"""

from __future__ import annotations

from datetime import date

import pytest
from ragkit import make_commitment

from ltpgap.issues import Severity
from ltpgap.rag import RULES, apply_rules, normalise_inputs
from ltpgap.rag.rules import RagResult

C = make_commitment("2.9", due=date(2024, 3, 31), deadline="2023/24")

Row = tuple[dict[str, object], str, str, list[str]]


def run(raw: dict[str, object]) -> RagResult:
    inputs, issues = normalise_inputs(raw, para=C.id)
    return apply_rules(C, inputs, prior=tuple(issues))


def check(raw: dict[str, object], rag: str, rule: str, codes: list[str]) -> RagResult:
    result = run(raw)
    got = (result.rag, result.rule, [i.code for i in result.issues if i.code != "misses-deadline"])
    assert got == (rag, rule, codes)
    return result


def test_rule_ids_are_the_eight_rules_in_order() -> None:
    assert list(RULES) == [
        "not-applicable",
        "not-assessed",
        "override",
        "gap",
        "in-place-full",
        "misses-deadline",
        "on-track-full",
        "partial-or-planned",
    ]


RULE_1: list[Row] = [
    ({"not_applicable": "Yes"}, "N/A", "not-applicable", []),
    ({"not_applicable": "y", "status": "None"}, "N/A", "not-applicable", []),  # beats 4
    (
        {"not_applicable": True, "rag_override": "Red", "override_reason": "x"},
        "N/A",
        "not-applicable",
        [],
    ),  # beats 3
    (
        {"not_applicable": "Yes", "status": "In place", "coverage": "Full"},
        "N/A",
        "not-applicable",
        [],
    ),
    (
        {"not_applicable": "No", "status": "In place", "coverage": "Full"},
        "Green",
        "in-place-full",
        [],
    ),
]


@pytest.mark.parametrize(("raw", "rag", "rule", "codes"), RULE_1)
def test_rule_1_not_applicable(
    raw: dict[str, object], rag: str, rule: str, codes: list[str]
) -> None:
    result = check(raw, rag, rule, codes)
    if rule == "not-applicable":
        assert (
            result.reason == "Marked Not applicable to this place; excluded from every percentage."
        )


RULE_2: list[Row] = [
    ({}, "Not assessed", "not-assessed", []),
    ({"status": "", "coverage": "  ", "lead": None}, "Not assessed", "not-assessed", []),
    ({"status": "#N/A"}, "Not assessed", "not-assessed", ["unrecognised-value"]),
    ({"lead": "Dr A"}, "Red", "gap", []),  # one input is not "every input blank"
    ({"evidence": "see minutes"}, "Red", "gap", []),
]


@pytest.mark.parametrize(("raw", "rag", "rule", "codes"), RULE_2)
def test_rule_2_every_input_blank(
    raw: dict[str, object], rag: str, rule: str, codes: list[str]
) -> None:
    result = check(raw, rag, rule, codes)
    if rule == "not-assessed":
        assert result.reason == "Not assessed: every input cell is blank."


RULE_3: list[Row] = [
    (
        {"rag_override": "Green", "override_reason": "Board agreed", "status": "None"},
        "Green",
        "override",
        [],
    ),  # beats 4
    (
        {
            "rag_override": "r",
            "override_reason": "Funding withdrawn",
            "status": "In place",
            "coverage": "Full",
        },
        "Red",
        "override",
        [],
    ),  # beats 5
    ({"rag_override": "Amber", "override_reason": "x"}, "Amber", "override", []),  # beats 2
    ({"rag_override": "Amber/Red", "override_reason": "x"}, "Red", "override", ["ambiguous-rag"]),
    ({"rag_override": "Green", "status": "None"}, "Red", "gap", ["override-without-reason"]),
    (
        {
            "rag_override": "Green",
            "override_reason": "  ",
            "status": "Planned",
            "coverage": "Full",
            "expected_delivery": "2023/24",
        },
        "Amber",
        "partial-or-planned",
        ["override-without-reason"],
    ),
    (
        {"rag_override": "Blue", "override_reason": "x", "status": "None"},
        "Red",
        "gap",
        ["unrecognised-value"],
    ),
]


@pytest.mark.parametrize(("raw", "rag", "rule", "codes"), RULE_3)
def test_rule_3_override_needs_a_reason(
    raw: dict[str, object], rag: str, rule: str, codes: list[str]
) -> None:
    result = check(raw, rag, rule, codes)
    if rule == "override":
        assert result.reason.startswith(f"RAG override {rag} set by the place team")
        assert str(raw["override_reason"]) in result.reason


def test_rule_3_ignored_override_states_the_calculated_rag() -> None:
    result = run({"rag_override": "Green", "status": "Planned", "coverage": "Partial"})
    assert result.rag == "Amber"
    assert result.checks.startswith(
        "RAG override 'Green' has no reason, so it was ignored and the calculated RAG (Amber) "
        "was used."
    )


RULE_4: list[Row] = [
    ({"status": "None"}, "Red", "gap", []),
    ({"status": "none", "initiatives": "Something", "coverage": "Full"}, "Red", "gap", []),
    ({"status": "None", "expected_delivery": "2022/23"}, "Red", "gap", []),  # beats 7/8
    ({"lead": "Dr A", "coverage": "Full"}, "Red", "gap", []),  # no Status, no Initiatives
    (
        {"initiatives": "Clinic"},
        "Amber",
        "partial-or-planned",
        ["missing-status", "coverage-blank"],
    ),
]


@pytest.mark.parametrize(("raw", "rag", "rule", "codes"), RULE_4)
def test_rule_4_gap(raw: dict[str, object], rag: str, rule: str, codes: list[str]) -> None:
    result = check(raw, rag, rule, codes)
    if rule == "gap":
        assert "gap" in result.reason


RULE_5: list[Row] = [
    ({"status": "In place", "coverage": "Full"}, "Green", "in-place-full", []),
    (
        {"status": "inplace", "coverage": "full", "expected_delivery": "2026/27"},
        "Green",
        "in-place-full",
        [],
    ),  # beats 6: in place already
    ({"status": "In place", "coverage": "Partial"}, "Amber", "partial-or-planned", []),
    ({"status": "In place"}, "Amber", "partial-or-planned", ["coverage-blank"]),
]


@pytest.mark.parametrize(("raw", "rag", "rule", "codes"), RULE_5)
def test_rule_5_in_place_full(
    raw: dict[str, object], rag: str, rule: str, codes: list[str]
) -> None:
    result = check(raw, rag, rule, codes)
    if rule == "in-place-full":
        assert result.reason == "In place with Full coverage."


RULE_6: list[Row] = [
    (
        {"status": "In progress", "coverage": "Full", "expected_delivery": "2024/25"},
        "Red",
        "misses-deadline",
        [],
    ),  # beats 7
    (
        {"status": "Planned", "coverage": "Partial", "expected_delivery": "01/04/2024"},
        "Red",
        "misses-deadline",
        [],
    ),  # one day late
    (
        {"status": "In place", "coverage": "Partial", "expected_delivery": "Q1 24/25"},
        "Red",
        "misses-deadline",
        [],
    ),
    ({"initiatives": "x", "expected_delivery": "March 2025"}, "Red", "misses-deadline", []),
    (
        {"status": "Planned", "coverage": "Partial", "expected_delivery": "31/03/2024"},
        "Amber",
        "partial-or-planned",
        [],
    ),  # on the due date is not late
    (
        {"status": "Planned", "expected_delivery": "soon"},
        "Amber",
        "partial-or-planned",
        ["bad-delivery-date", "coverage-blank", "missing-delivery-date"],
    ),  # never guessed late
    (
        {"status": "In progress", "coverage": "Full", "expected_delivery": "1 April 2024"},
        "Red",
        "misses-deadline",
        [],
    ),  # a date written out, one day late
    (
        {"status": "Planned", "coverage": "Partial", "expected_delivery": "1st Apr 2025"},
        "Red",
        "misses-deadline",
        [],
    ),
]


@pytest.mark.parametrize(("raw", "rag", "rule", "codes"), RULE_6)
def test_rule_6_misses_deadline(
    raw: dict[str, object], rag: str, rule: str, codes: list[str]
) -> None:
    result = check(raw, rag, rule, codes)
    if rule == "misses-deadline":
        assert [i.code for i in result.issues] == ["misses-deadline"]
        assert result.checks == ""  # the Reason says it; Checks is for problems with the row


def test_rule_6_reason_names_both_dates() -> None:
    result = run({"status": "In progress", "coverage": "Full", "expected_delivery": "2024/25"})
    assert (
        result.reason == "Expected delivery 2025-03-31 is after the deadline 2024-03-31 (2023/24)."
    )


RULE_7: list[Row] = [
    (
        {"status": "In progress", "coverage": "Full", "expected_delivery": "2023/24"},
        "Green",
        "on-track-full",
        [],
    ),
    (
        {"status": "in progress", "coverage": "FULL", "expected_delivery": "Q3 23/24"},
        "Green",
        "on-track-full",
        [],
    ),
    (
        {"status": "In progress", "coverage": "Full", "expected_delivery": "31/03/2024"},
        "Green",
        "on-track-full",
        [],
    ),  # on the day
    (
        {"status": "Planned", "coverage": "Full", "expected_delivery": "2022/23"},
        "Amber",
        "partial-or-planned",
        [],
    ),  # planned is not yet green
    (
        {"status": "In progress", "coverage": "Partial", "expected_delivery": "2022/23"},
        "Amber",
        "partial-or-planned",
        [],
    ),
    (
        {"status": "In progress", "coverage": "Full"},
        "Amber",
        "partial-or-planned",
        ["missing-delivery-date"],
    ),  # needs a date
    (
        {"status": "In progress", "coverage": "Full", "expected_delivery": "31 March 2024"},
        "Green",
        "on-track-full",
        [],
    ),  # a date written out, on the day
    (
        {"status": "In place", "coverage": "Full", "expected_delivery": "31-Mar-2024"},
        "Green",
        "in-place-full",
        [],
    ),
    (
        {"status": "In progress", "coverage": "Full", "expected_delivery": "March 1, 2024"},
        "Green",
        "on-track-full",
        [],
    ),
]


@pytest.mark.parametrize(("raw", "rag", "rule", "codes"), RULE_7)
def test_rule_7_on_track_full(
    raw: dict[str, object], rag: str, rule: str, codes: list[str]
) -> None:
    check(raw, rag, rule, codes)


def test_rule_7_reason_names_the_dates() -> None:
    result = run({"status": "In progress", "coverage": "Full", "expected_delivery": "Q3 23/24"})
    assert result.reason == (
        "In progress with Full coverage, expected 2023-12-31, on or before the deadline "
        "2024-03-31 (2023/24)."
    )


RULE_8: list[Row] = [
    (
        {"status": "In progress", "coverage": "Partial", "expected_delivery": "2023/24"},
        "Amber",
        "partial-or-planned",
        [],
    ),
    (
        {"status": "Planned", "coverage": "Full", "expected_delivery": "2023/24"},
        "Amber",
        "partial-or-planned",
        [],
    ),
    (
        {"status": "Planned", "coverage": "Partial"},
        "Amber",
        "partial-or-planned",
        ["missing-delivery-date"],
    ),
    (
        {"status": "In progress", "coverage": "Partial"},
        "Amber",
        "partial-or-planned",
        ["missing-delivery-date"],
    ),
    ({"status": "In place", "coverage": "Partial"}, "Amber", "partial-or-planned", []),
    (
        {"initiatives": "Pilot", "coverage": "Full", "expected_delivery": "2023/24"},
        "Amber",
        "partial-or-planned",
        ["missing-status"],
    ),
    (
        {"status": "Planned", "expected_delivery": "2022/23"},
        "Amber",
        "partial-or-planned",
        ["coverage-blank"],
    ),
    ({"initiatives": "Pilot"}, "Amber", "partial-or-planned", ["missing-status", "coverage-blank"]),
    (
        {"status": "Planned"},
        "Amber",
        "partial-or-planned",
        ["coverage-blank", "missing-delivery-date"],
    ),
]


@pytest.mark.parametrize(("raw", "rag", "rule", "codes"), RULE_8)
def test_rule_8_otherwise_amber(
    raw: dict[str, object], rag: str, rule: str, codes: list[str]
) -> None:
    result = check(raw, rag, rule, codes)
    assert result.reason.endswith("not yet fully delivered.")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            {"status": "Planned", "coverage": "Full", "expected_delivery": "2022/23"},
            "Planned; Full coverage; expected 2023-03-31, by the deadline 2024-03-31 (2023/24): "
            "not yet fully delivered.",
        ),
        (
            {"initiatives": "Pilot"},
            "Initiatives recorded without a Status; Coverage blank (treated as Partial): "
            "not yet fully delivered.",
        ),
        (
            {"status": "In progress", "coverage": "Partial"},
            "In progress; Partial coverage; no expected delivery date: not yet fully delivered.",
        ),
        (  # something typed that is no date: not said to be missing (bad-delivery-date)
            {"status": "In progress", "coverage": "Partial", "expected_delivery": "soon"},
            "In progress; Partial coverage; Expected delivery not a date: not yet fully delivered.",
        ),
    ],
)
def test_rule_8_reason_states_the_facts(raw: dict[str, object], reason: str) -> None:
    assert run(raw).reason == reason


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (
            {"status": "Planned", "coverage": "Full"},
            "Status is Planned but Expected delivery is blank",
        ),
        (
            {"initiatives": "x", "coverage": "Full", "expected_delivery": "2022/23"},
            "Initiatives are recorded but Status is blank",
        ),
        (
            {"status": "Planned", "expected_delivery": "2022/23"},
            "Coverage is blank and was treated as Partial",
        ),
    ],
)
def test_rule_8_checks_say_what_is_wrong_and_the_fix(raw: dict[str, object], fragment: str) -> None:
    result = run(raw)
    assert fragment in result.checks
    assert sum(i.severity is not Severity.INFO for i in result.issues) == 1  # one check each


@pytest.mark.parametrize("written", ["soon", "TBC", "Spring 2024", "31 Feb 2024", "#N/A"])
def test_rule_8_an_unreadable_date_is_not_called_blank(written: str) -> None:
    """The cell holds something: the follow-on check says it could not be read, not 'blank'."""
    result = run({"status": "Planned", "coverage": "Full", "expected_delivery": written})
    (missing,) = [i for i in result.issues if i.code == "missing-delivery-date"]
    assert "Expected delivery could not be read as a date" in missing.message
    assert "blank" not in missing.message


def test_deadline_without_fy_wording_is_not_repeated() -> None:
    c = make_commitment("3.1", due=date(2024, 12, 31), deadline="2024-12-31")
    inputs, _ = normalise_inputs({"status": "Planned", "expected_delivery": "2025/26"}, para="3.1")
    result = apply_rules(c, inputs)
    assert result.reason == "Expected delivery 2026-03-31 is after the deadline 2024-12-31."
