"""Every illustrative value reads as the rules expect, or is odd on purpose: a documented check."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ltpgap.catalogue import Catalogue
from ltpgap.dates import parse_delivery
from ltpgap.demo._when import delivery_text, due_periods, late_periods, plan_periods
from ltpgap.demo.illustrative import ILLUSTRATIVE, NOTICE, illustrative_round
from ltpgap.demo.illustrative import __doc__ as MODULE_DOC
from ltpgap.ics import IcsConfig
from ltpgap.issues import CODES
from ltpgap.rag import normalise_inputs
from ltpgap.schema import INPUT_KEYS

RAG_DOC = Path(__file__).parents[2] / "README.md"


def documented_codes() -> set[str]:
    """The codes the README explains to planners (the Checks table and the text around it)."""
    return set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", RAG_DOC.read_text(encoding="utf-8")))


@pytest.mark.parametrize("round_no", [1, 2])
def test_every_value_reads_or_raises_a_documented_check(
    catalogue: Catalogue, blmk: IcsConfig, round_no: int
) -> None:
    inputs = ILLUSTRATIVE if round_no == 1 else illustrative_round(2)
    documented = documented_codes()
    found: set[str] = set()
    for unit, rows in inputs.items():
        level = "ics" if unit == blmk.id else "place"
        for para, values in rows.items():
            commitment = catalogue.get(para)
            assert commitment is not None and commitment.level == level, (unit, para)
            assert values and set(values) <= set(INPUT_KEYS), (unit, para)
            _, issues = normalise_inputs(values, para=para)
            found |= {i.code for i in issues}
    assert "unrecognised-value" not in found  # nothing the rules would have to ignore
    assert found <= documented and found <= set(CODES), found - documented


def test_the_odd_values_are_the_documented_ones() -> None:
    """Each deliberately odd value raises exactly the check the docs name for it."""
    cases = [
        ({"status": "In progress", "expected_delivery": "TBC"}, {"bad-delivery-date"}),
        ({"status": "In progress", "expected_delivery": "Spring 2024"}, {"bad-delivery-date"}),
        ({"rag_override": "Amber/Red", "override_reason": "x"}, {"ambiguous-rag"}),
        ({"status": "in progress", "coverage": "full", "not_applicable": "Y"}, set()),
    ]
    for values, codes in cases:
        _, issues = normalise_inputs(values, para="1.8")
        assert {i.code for i in issues} == codes, values


def test_notice_and_docstring_say_it_is_invented() -> None:
    assert "ILLUSTRATIVE" in NOTICE and "invented" in NOTICE and "not the real plans" in NOTICE
    assert MODULE_DOC is not None
    assert "INVENTED" in MODULE_DOC and "do NOT describe" in MODULE_DOC


quarter_ends = st.builds(
    lambda year, month: date(year, month, {3: 31, 6: 30, 9: 30, 12: 31}[month]),
    st.integers(2019, 2031),
    st.sampled_from([3, 6, 9, 12]),
)


@given(when=quarter_ends, salt=st.text(max_size=8))
def test_every_written_form_reads_back_as_the_same_date(when: date, salt: str) -> None:
    written = delivery_text(when, salt)
    assert parse_delivery(written) == when, written


@given(due=st.dates(date(2019, 7, 1), date(2029, 12, 31)))
def test_on_time_dates_are_on_time_and_late_ones_late(due: date) -> None:
    assert due_periods(due) and all(d <= due for d in due_periods(due))
    assert plan_periods(due) and all(d <= due for d in plan_periods(due))
    assert late_periods(due) and all(d > due for d in late_periods(due))
