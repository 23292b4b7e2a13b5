"""assess_place: one row per commitment in scope, catalogue order, level rules (SPEC §4-§5)."""

from __future__ import annotations

import pandas as pd
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.issues import Where
from ltpgap.rag import ASSESSMENT_COLUMNS, assess_place


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def table(result_frame: pd.DataFrame, *cols: str) -> list[list[object]]:
    return result_frame[list(cols)].to_numpy().tolist()


def test_place_scope_covers_every_commitment_in_catalogue_order(small: Catalogue) -> None:
    inputs = frame(
        {"para": "3.10", "status": "None"},
        {"para": "1.1", "status": "In place", "coverage": "Full"},
        {"para": "2.1", "status": "In place", "coverage": "Full"},  # ICS-level: not counted
    )
    result = assess_place(small, inputs, unit_id="luton")
    assert tuple(result.frame.columns) == ASSESSMENT_COLUMNS
    assert table(result.frame, "para", "level", "rag", "rule") == [
        ["1.1", "place", "Green", "in-place-full"],
        ["1.2", "place", "Not assessed", "not-assessed"],
        ["2.1", "ics", "N/A", "assessed-by-ics"],
        ["2.2", "region", "N/A", "not-assessed-locally"],
        ["3.1", "national", "N/A", "not-assessed-locally"],
        ["3.2", "place", "Not assessed", "not-assessed"],
        ["3.10", "place", "Red", "gap"],
    ]
    reasons = dict(zip(result.frame["para"], result.frame["reason"], strict=True))
    assert reasons["2.1"] == "Assessed once by the ICS team; not counted in place figures"
    assert "region level" in reasons["2.2"] and "nationally" in reasons["3.1"]
    assert (result.unit_id, result.scope) == ("luton", "place")


def test_ics_scope_assesses_only_ics_level_commitments(small: Catalogue) -> None:
    inputs = frame(
        {
            "para": "2.1",
            "status": "In progress",
            "coverage": "Full",
            "expected_delivery": "2022/23",
        },
        {"para": "1.1", "status": "None"},
    )
    result = assess_place(small, inputs, unit_id="blmk", scope="ics")
    assert table(result.frame, "para", "rag", "rule") == [["2.1", "Green", "on-track-full"]]


def test_catalogue_columns_and_types(small: Catalogue) -> None:
    result = assess_place(small, frame(), unit_id="luton")
    f = result.frame
    assert f["chapter"].tolist() == [1, 1, 2, 2, 3, 3, 3]
    assert f["must_do"].tolist() == [False, True, False, False, True, False, True]
    assert f["programme_area"].iloc[0] == "prevention"
    assert f["must_do"].dtype == bool and f["chapter"].dtype == "int64"
    assert set(f["checks"]) == {""}


@pytest.mark.parametrize("para", ["1.1", " 1.1 ", "1.1\n"])
def test_para_text_is_trimmed(small: Catalogue, para: str) -> None:
    result = assess_place(small, frame({"para": para, "status": "None"}), unit_id="x")
    assert result.frame.loc[0, "rag"] == "Red"


def test_rows_out_of_scope_and_extra_columns_are_ignored(small: Catalogue) -> None:
    inputs = frame(
        {"para": "9.99", "status": "None", "row": 5},
        {"para": None, "status": "None", "row": 6},
        {"para": "1.1", "status": "None", "row": 7, "something": "else"},
    )
    result = assess_place(small, inputs, unit_id="x")
    assert result.frame["rag"].tolist().count("Red") == 1
    assert result.issues == ()


def test_row_order_of_inputs_changes_nothing(small: Catalogue) -> None:
    rows = [
        {"para": "1.1", "status": "Planned", "coverage": "Full", "expected_delivery": "2021/22"},
        {"para": "1.2", "initiatives": "x"},
        {"para": "3.2", "not_applicable": "Yes"},
        {"para": "3.10", "status": "In place", "coverage": "Partial"},
    ]
    a = assess_place(small, frame(*rows), unit_id="x").frame
    b = assess_place(small, frame(*reversed(rows)), unit_id="x").frame
    pd.testing.assert_frame_equal(a, b)


def test_checks_are_joined_and_issues_located(small: Catalogue) -> None:
    def locate(para: str, key: str) -> Where:
        return Where(file="Luton.xlsx", sheet="Gap analysis", cell=f"{key}:{para}")

    inputs = frame({"para": "1.2", "status": "Planned", "rag_override": "Green"})
    result = assess_place(small, inputs, unit_id="luton", locate=locate)
    row = result.frame.set_index("para").loc["1.2"]
    assert row["rag"] == "Amber"
    assert [i.code for i in result.issues] == [
        "override-without-reason",
        "coverage-blank",
        "missing-delivery-date",
    ]
    assert row["checks"] == " ".join(i.message for i in result.issues)
    assert [i.where.cell for i in result.issues] == [
        "override_reason:1.2",
        "coverage:1.2",
        "expected_delivery:1.2",
    ]
    assert {i.commitment for i in result.issues} == {"1.2"}


def test_an_unreadable_delivery_date_is_not_called_blank(small: Catalogue) -> None:
    """The bulk path tells an unreadable date from a blank one, as the reference does."""
    from ltpgap.rag.place import assess_rows_reference

    inputs = frame(
        {"para": "1.1", "status": "Planned", "coverage": "Full", "expected_delivery": "TBC"},
        {"para": "1.2", "status": "Planned", "coverage": "Full"},
    )
    result = assess_place(small, inputs, unit_id="x")
    missing = [i.message for i in result.issues if i.code == "missing-delivery-date"]
    assert [m.split(".")[0] for m in missing] == [
        "Status is Planned but Expected delivery could not be read as a date",
        "Status is Planned but Expected delivery is blank",
    ]
    expected = assess_rows_reference(list(small), inputs)
    assert result.issues == tuple(i for r in expected for i in r.issues)


def test_missing_deadline_is_an_info_issue_not_a_check(small: Catalogue) -> None:
    inputs = frame({"para": "1.2", "status": "Planned", "expected_delivery": "2030/31"})
    result = assess_place(small, inputs, unit_id="x")
    assert [(i.code, i.severity.value) for i in result.issues] == [("misses-deadline", "info")]
    assert result.frame.loc[1, "checks"] == ""


def test_rag_counts_method(small: Catalogue) -> None:
    result = assess_place(small, frame({"para": "1.1", "status": "None"}), unit_id="x")
    assert result.rag_counts() == {
        "Green": 0,
        "Amber": 0,
        "Red": 1,
        "Not assessed": 3,
        "N/A": 3,
    }


def test_bad_scope_is_refused(small: Catalogue) -> None:
    with pytest.raises(ValueError, match="scope"):
        assess_place(small, frame(), unit_id="x", scope="region")  # type: ignore[arg-type]


def test_inputs_typed_in_a_row_the_place_does_not_assess_are_reported(small: Catalogue) -> None:
    """Locked cells, unprotected and typed in anyway: the row stays N/A (it counts nowhere),
    and its Checks says so at the first filled cell, in catalogue order among the others."""
    from ltpgap.rag.place import assess_rows_reference

    def locate(para: str, key: str) -> Where:
        return Where(file="Luton.xlsx", sheet="Gap analysis", cell=f"{key}:{para}")

    inputs = frame(
        {"para": "3.1", "lead": "Jo"},  # national
        {"para": "2.1", "initiatives": "Our PHM work", "status": "In place"},  # ICS
        {"para": "1.2", "status": "Planned", "coverage": "Full"},  # place: a check of its own
        {"para": "2.2", "status": "  "},  # region, blank: nothing to say
    )
    result = assess_place(small, inputs, unit_id="luton", locate=locate)
    rows = result.frame.set_index("para")
    assert rows.loc[["2.1", "2.2", "3.1"], "rag"].tolist() == ["N/A"] * 3
    assert [(i.code, i.where.cell) for i in result.issues] == [
        ("missing-delivery-date", "expected_delivery:1.2"),
        ("inputs-not-counted", "initiatives:2.1"),
        ("inputs-not-counted", "lead:3.1"),
    ]
    ics_row = result.issues[1].message
    assert "assessed once, by the ICS team" in ics_row and "kept as typed" in ics_row
    assert "judged nationally" in result.issues[2].message
    assert rows.loc["2.1", "checks"] == ics_row and rows.loc["2.2", "checks"] == ""
    expected = assess_rows_reference(list(small), inputs, locate=locate)
    assert result.issues == tuple(i for r in expected for i in r.issues)
