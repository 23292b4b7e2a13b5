"""SPEC §5 input normalisation: what planners type becomes a dropdown value, or is reported."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from ltpgap.issues import Where
from ltpgap.rag import NormalisedInputs, normalise_inputs
from ltpgap.schema import INPUT_KEYS


def norm(**raw: object) -> tuple[NormalisedInputs, list[str]]:
    inputs, issues = normalise_inputs(raw, para="1.1")
    return inputs, [i.code for i in issues]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Green", "Green"),
        ("G", "Green"),
        (" green ", "Green"),
        ("GREEN", "Green"),
        ("a", "Amber"),
        ("Amber", "Amber"),
        ("R", "Red"),
        ("red\n", "Red"),
        ("Green/Green", "Green"),
    ],
)
def test_rag_override_letters_case_and_spaces_fold(typed: str, expected: str) -> None:
    inputs, codes = norm(rag_override=typed)
    assert (inputs.rag_override, codes) == (expected, [])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Amber/Red", "Red"),
        ("Red/Amber", "Red"),
        ("amber - red", "Red"),
        ("Green/Amber", "Amber"),
        ("G/A", "Amber"),
        ("Amber or Green", "Amber"),
        ("Green, Red", "Red"),
    ],
)
def test_two_rags_take_the_worse_with_a_check(typed: str, expected: str) -> None:
    inputs, codes = norm(rag_override=typed)
    assert (inputs.rag_override, codes) == (expected, ["ambiguous-rag"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("In place", "In place"),
        ("in place", "In place"),
        ("INPLACE", "In place"),
        (" In  Place ", "In place"),
        ("in-progress", "In progress"),
        ("In_Progress", "In progress"),
        ("planned", "Planned"),
        ("NONE", "None"),
    ],
)
def test_status_case_spacing_and_hyphens_fold(typed: str, expected: str) -> None:
    inputs, codes = norm(status=typed)
    assert (inputs.status, codes) == (expected, [])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("Full", "Full"), (" full ", "Full"), ("PARTIAL", "Partial"), ("p", "Partial")],
)
def test_coverage_folds(typed: str, expected: str) -> None:
    inputs, codes = norm(coverage=typed)
    assert (inputs.coverage, codes) == (expected, [])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Yes", True),
        ("yes", True),
        ("Y", True),
        (" y ", True),
        ("TRUE", True),
        (True, True),
        (1, True),
        ("No", False),
        ("n", False),
        (False, False),
        ("FALSE", False),
        (None, False),
        ("", False),
    ],
)
def test_not_applicable_yes_and_no(typed: object, expected: bool) -> None:
    inputs, codes = norm(not_applicable=typed)
    assert (inputs.not_applicable, codes) == (expected, [])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31/03/2024", date(2024, 3, 31)),  # UK day-first text
        ("01/02/2024", date(2024, 2, 1)),  # ambiguous: day first, so 1 February
        ("2021/22", date(2022, 3, 31)),  # financial year
        ("Q4 23/24", date(2024, 3, 31)),  # quarter of a financial year
        ("Q1 2023/24", date(2023, 6, 30)),
        ("March 2022", date(2022, 3, 31)),  # month
        ("2024-12-31", date(2024, 12, 31)),
        (date(2023, 9, 30), date(2023, 9, 30)),
        (datetime(2023, 9, 30, 0, 0), date(2023, 9, 30)),
        (pd.Timestamp("2025-01-15"), date(2025, 1, 15)),
    ],
)
def test_expected_delivery_forms(typed: object, expected: date) -> None:
    inputs, codes = norm(expected_delivery=typed)
    assert (inputs.expected_delivery, codes) == (expected, [])
    assert inputs.expected_delivery_raw == typed


@pytest.mark.parametrize(
    ("key", "typed", "code"),
    [
        ("status", "Done", "unrecognised-value"),
        ("status", "Yes", "unrecognised-value"),
        ("status", 3, "unrecognised-value"),
        ("coverage", "Most", "unrecognised-value"),
        ("rag_override", "Blue", "unrecognised-value"),
        ("rag_override", "Amber/Blue", "unrecognised-value"),
        ("not_applicable", "maybe", "unrecognised-value"),
        ("status", "#N/A", "unrecognised-value"),
        ("coverage", "#REF!", "unrecognised-value"),
        ("rag_override", "#N/A", "unrecognised-value"),
        ("not_applicable", "#N/A", "unrecognised-value"),
        ("initiatives", "#N/A", "unrecognised-value"),
        ("lead", "#VALUE!", "unrecognised-value"),
        ("expected_delivery", "#N/A", "unrecognised-value"),
        ("expected_delivery", "soon", "bad-delivery-date"),
        ("expected_delivery", "31/02/2024", "bad-delivery-date"),
        ("expected_delivery", "Q5 23/24", "bad-delivery-date"),
    ],
)
def test_unrecognised_text_is_reported_and_treated_as_blank(
    key: str, typed: object, code: str
) -> None:
    inputs, issues = normalise_inputs({key: typed}, para="4.2")
    assert [i.code for i in issues] == [code]
    issue = issues[0]
    value = getattr(inputs, key)
    assert value in (None, False)  # never guessed
    assert inputs.all_blank  # blank for the rules
    assert str(typed).strip() in issue.message  # names the value …
    assert "treated as blank" in issue.message  # … what happened …
    assert issue.commitment == "4.2"


def test_unrecognised_message_lists_the_allowed_values() -> None:
    _, issues = normalise_inputs({"status": "Done"}, para="1.1")
    assert "In place, In progress, Planned, None" in issues[0].message
    assert "dropdown" in issues[0].message  # the fix


@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n", float("nan"), pd.NA, pd.NaT], ids=repr)
def test_blank_forms_are_blank(blank: object) -> None:
    raw = dict.fromkeys(
        INPUT_KEYS,
        blank,
    )
    inputs, codes = norm(**raw)
    assert inputs == NormalisedInputs()
    assert inputs.all_blank and codes == []


def test_free_text_is_stripped_and_kept() -> None:
    inputs, codes = norm(initiatives="  Smoking service  ", lead="Dr A", evidence=42)
    assert (inputs.initiatives, inputs.lead, inputs.evidence, codes) == (
        "Smoking service",
        "Dr A",
        "42",
        [],
    )
    assert not inputs.all_blank


@pytest.mark.parametrize(
    ("raw", "all_blank"),
    [
        ({}, True),
        ({"lead": "A"}, False),
        ({"not_applicable": "No"}, False),  # an explicit answer is an input
        ({"override_reason": "because"}, False),
        ({"status": "Done"}, True),  # unreadable: blank for the rules
    ],
)
def test_all_blank(raw: dict[str, object], all_blank: bool) -> None:
    inputs, _ = normalise_inputs(raw, para="1.1")
    assert inputs.all_blank is all_blank


def test_locator_places_each_issue_in_its_cell() -> None:
    cells = {"status": "K7", "expected_delivery": "M7"}

    def locate(para: str, key: str) -> Where:
        return Where(file="Luton.xlsx", sheet="Gap analysis", cell=cells[key])

    _, issues = normalise_inputs(
        {"status": "Done", "expected_delivery": "soon"}, para="1.1", locate=locate
    )
    assert [(i.code, str(i.where)) for i in issues] == [
        ("unrecognised-value", "Luton.xlsx › Gap analysis › K7"),
        ("bad-delivery-date", "Luton.xlsx › Gap analysis › M7"),
    ]
