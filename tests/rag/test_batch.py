"""assess_place in bulk equals the row-by-row reference (normalise_inputs + apply_rules),
and assess_units (several units in one pass) equals assess_place on each unit alone.

The bulk path reads each distinct cell value once and decides each distinct pattern once;
these properties hold it to the reference on random, messy inputs: every RAG, Reason, Rule,
Checks text and issue (code, message, location, order) alike.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ragkit import make_catalogue, make_commitment

from ltpgap.catalogue import Catalogue
from ltpgap.issues import Where
from ltpgap.rag import (
    ASSESSMENT_COLUMNS,
    Locator,
    PlaceAssessment,
    UnitInputs,
    assess_place,
    assess_units,
)
from ltpgap.rag.place import assess_rows_reference, catalogue_columns
from ltpgap.schema import INPUT_KEYS

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LEVELS = ["place", "place", "place", "ics", "region", "national"]
DEADLINES = [
    ("2023/24", date(2024, 3, 31)),
    ("2021-06", date(2021, 6, 30)),
    ("2025", date(2025, 12, 31)),
]
CATALOGUE: Catalogue = make_catalogue(
    [
        make_commitment(
            f"{1 + i % 3}.{1 + i}",
            level=LEVELS[i % len(LEVELS)],
            deadline=DEADLINES[i % 3][0],
            due=DEADLINES[i % 3][1],
            must_do=i % 4 == 0,
        )
        for i in range(14)
    ]
)
PARAS = list(CATALOGUE.ids)

#: Values planners really type, and values nobody should: every branch of every reader.
TYPED = {
    "initiatives": ["Pilot\n running", "  Service  ", "#N/A", "=SUM(A1)"],
    "status": ["In place", "in  PLACE", "In-progress", "planned", "None", "none ", "Done"],
    "coverage": ["Full", "f", "PARTIAL", "p", "half"],
    "expected_delivery": ["2021/22", "Q4 23/24", "March 2022", "31/03/2024", "2030", "soon"],
    "lead": ["A Lead", "#REF!"],
    "evidence": ["Board paper", " "],
    "not_applicable": ["Yes", "y", "no", "TRUE", "1", "0", "maybe"],
    "rag_override": ["Green", "g", "A", "r", "Amber/Red", "green or amber", "Red, Red", "Blue"],
    "override_reason": ["Agreed at board", "Because", "#VALUE!"],
}
messy = st.one_of(
    st.sampled_from(["", "   ", "#N/A", " #REF! ", "=SUM(A1)"]),
    st.text(max_size=6),
    st.sampled_from([1, 0, 2022, 45000, 1.0, 0.0, -0.0, 2023.5, float("nan"), True, False]),
    st.integers(-5, 90_000),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.sampled_from([date(2022, 3, 31), datetime(2026, 1, 1, 9, 30), pd.Timestamp("2020-01-01")]),
    st.sampled_from([pd.NaT, pd.NA]),
)


def values(key: str) -> st.SearchStrategy[object]:
    """Mostly what a planner types in this column, sometimes anything at all."""
    return st.one_of(st.none(), st.sampled_from(TYPED[key]), st.sampled_from(TYPED[key]), messy)


paras = st.one_of(
    st.sampled_from(PARAS), st.sampled_from([" 1.1 ", "9.9", "", None, 1.1, float("nan")])
)


@st.composite
def input_frames(draw: st.DrawFn) -> pd.DataFrame:
    """A messy inputs frame: repeated, blank and unknown Paras, some columns left out."""
    keys = draw(st.lists(st.sampled_from(INPUT_KEYS), unique=True, min_size=2))
    n = draw(st.integers(0, 24))
    rows = [{"para": draw(paras), **{k: draw(values(k)) for k in keys}} for _ in range(n)]
    frame = pd.DataFrame(rows, columns=["para", *keys])
    return frame.astype(object) if draw(st.booleans()) else frame


def locate(para: str, key: str) -> Where:
    return Where(file="book.xlsx", sheet="Gap analysis", cell=f"{key}@{para}")


@SETTINGS
@given(inputs=input_frames(), scope=st.sampled_from(["place", "ics"]), located=st.booleans())
def test_bulk_equals_row_by_row(inputs: pd.DataFrame, scope: str, located: bool) -> None:
    where = locate if located else None
    result = assess_place(CATALOGUE, inputs, unit_id="u", scope=scope, locate=where)  # type: ignore[arg-type]
    in_scope = [c for c in CATALOGUE if scope == "place" or c.level == "ics"]
    expected = assess_rows_reference(in_scope, inputs, scope=scope, locate=where)  # type: ignore[arg-type]
    reference = pd.DataFrame(
        {
            **catalogue_columns(in_scope),
            "rag": [r.rag for r in expected],
            "reason": [r.reason for r in expected],
            "rule": [r.rule for r in expected],
            "checks": [r.checks for r in expected],
        },
        columns=list(ASSESSMENT_COLUMNS),
    )
    reference["chapter"] = reference["chapter"].astype("int64")
    reference["must_do"] = reference["must_do"].astype(bool)
    pd.testing.assert_frame_equal(result.frame, reference, check_exact=True)
    assert result.issues == tuple(i for r in expected for i in r.issues)


@SETTINGS
@given(inputs=input_frames(), scope=st.sampled_from(["place", "ics"]))
def test_columns_as_lists_assess_as_the_frame(inputs: pd.DataFrame, scope: str) -> None:
    """A workbook's inputs column by column (what the merge's workers pass) give the same
    assessment, issues included, as the same inputs as a frame."""
    columns = {str(k): inputs[k].tolist() for k in inputs.columns}
    framed = assess_place(CATALOGUE, inputs, unit_id="u", scope=scope, locate=locate)  # type: ignore[arg-type]
    listed = assess_place(CATALOGUE, columns, unit_id="u", scope=scope, locate=locate)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(listed.frame, framed.frame, check_exact=True)
    assert listed.issues == framed.issues


@SETTINGS
@given(inputs=input_frames())
def test_the_same_answer_twice(inputs: pd.DataFrame) -> None:
    """Readings and decisions are cached across calls: a second run must not differ."""
    first = assess_place(CATALOGUE, inputs, unit_id="u", locate=locate)
    again = assess_place(CATALOGUE, inputs, unit_id="u", locate=locate)
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert first.issues == again.issues


@pytest.mark.parametrize(
    ("a", "b"),
    [(1, True), (1, 1.0), (0.0, -0.0), ("1", 1), (2022, 2022.0)],
)
def test_equal_values_of_other_types_are_read_apart(a: object, b: object) -> None:
    """1, 1.0 and True are equal in Python but may read differently: the cache keeps them apart."""
    for key in INPUT_KEYS:
        for first, second in ((a, b), (b, a)):
            inputs = pd.DataFrame({"para": ["1.1", "1.7"], key: [first, second]}, dtype=object)
            result = assess_place(CATALOGUE, inputs, unit_id="u")
            expected = assess_rows_reference(list(CATALOGUE), inputs)
            assert result.frame["reason"].tolist() == [r.reason for r in expected]
            assert result.issues == tuple(i for r in expected for i in r.issues)


@pytest.mark.filterwarnings("ignore:DataFrame columns are not unique")
def test_repeated_column_names_fall_back_to_the_reference() -> None:
    inputs = pd.DataFrame(
        [["1.1", "In place", "Full", "None"]], columns=["para", "status", "coverage", "status"]
    )
    result = assess_place(CATALOGUE, inputs, unit_id="u")
    expected = assess_rows_reference(list(CATALOGUE), inputs)
    assert result.frame["rag"].tolist() == [r.rag for r in expected]


def test_no_commitment_in_scope_gives_the_same_empty_frame() -> None:
    only_place = make_catalogue([make_commitment("1.1"), make_commitment("1.2")])
    result = assess_place(only_place, pd.DataFrame({"para": ["1.1"]}), unit_id="u", scope="ics")
    reference = pd.DataFrame(
        {**catalogue_columns([]), "rag": [], "reason": [], "rule": [], "checks": []},
        columns=list(ASSESSMENT_COLUMNS),
    )
    reference["chapter"] = reference["chapter"].astype("int64")
    reference["must_do"] = reference["must_do"].astype(bool)
    pd.testing.assert_frame_equal(result.frame, reference, check_exact=True)


def unit_locator(unit: str) -> Locator:
    def where(para: str, key: str) -> Where:
        return Where(file=f"{unit}.xlsx", sheet="Gap analysis", cell=f"{key}@{para}")

    return where


@st.composite
def unit_lists(draw: st.DrawFn) -> list[UnitInputs]:
    """Several units, each its own messy inputs, scope and locator (or none)."""
    n = draw(st.integers(0, 5))
    return [
        UnitInputs(
            unit_id=f"u{k}",
            inputs=draw(input_frames()),
            scope=draw(st.sampled_from(["place", "ics"])),
            locate=unit_locator(f"u{k}") if draw(st.booleans()) else None,
        )
        for k in range(n)
    ]


def assert_same_assessment(got: PlaceAssessment, want: PlaceAssessment) -> None:
    assert (got.unit_id, got.scope) == (want.unit_id, want.scope)
    pd.testing.assert_frame_equal(got.frame, want.frame, check_exact=True)
    assert got.issues == want.issues


@SETTINGS
@given(units=unit_lists())
def test_units_together_equal_each_alone(units: list[UnitInputs]) -> None:
    """assess_units gives, for every unit, what assess_place gives for it alone."""
    together = assess_units(CATALOGUE, units)
    assert len(together) == len(units)
    for unit, got in zip(units, together, strict=True):
        alone = assess_place(
            CATALOGUE, unit.inputs, unit_id=unit.unit_id, scope=unit.scope, locate=unit.locate
        )
        assert_same_assessment(got, alone)


@pytest.mark.filterwarnings("ignore:DataFrame columns are not unique")
@pytest.mark.parametrize(
    "frames",
    [
        [],
        [pd.DataFrame()],
        [pd.DataFrame({"para": ["1.1"], "status": ["In place"]}), pd.DataFrame()],
        [
            pd.DataFrame([["1.1", "In place", "None"]], columns=["para", "status", "status"]),
            pd.DataFrame({"para": ["1.1", "1.1"], "status": ["Done", "In place"]}),
        ],
        [pd.DataFrame({"status": ["In place"]}), pd.DataFrame({"para": ["1.2"], "lead": [3]})],
    ],
    ids=["none", "empty-frame", "one-empty", "repeated-columns", "no-para-column"],
)
@pytest.mark.parametrize("scope", ["place", "ics"])
def test_units_together_edge_cases(frames: list[pd.DataFrame], scope: str) -> None:
    units = [
        UnitInputs(unit_id=f"u{k}", inputs=f, scope=scope, locate=unit_locator(f"u{k}"))  # type: ignore[arg-type]
        for k, f in enumerate(frames)
    ]
    for unit, got in zip(units, assess_units(CATALOGUE, units), strict=True):
        alone = assess_place(
            CATALOGUE, unit.inputs, unit_id=unit.unit_id, scope=unit.scope, locate=unit.locate
        )
        assert_same_assessment(got, alone)


def test_units_with_nothing_in_scope() -> None:
    only_place = make_catalogue([make_commitment("1.1"), make_commitment("1.2")])
    frame = pd.DataFrame({"para": ["1.1"], "status": ["In place"]})
    units = [
        UnitInputs(unit_id="team", inputs=frame, scope="ics"),
        UnitInputs(unit_id="p", inputs=frame, scope="place"),
    ]
    for unit, got in zip(units, assess_units(only_place, units), strict=True):
        assert_same_assessment(
            got, assess_place(only_place, frame, unit_id=unit.unit_id, scope=unit.scope)
        )


def test_units_refuse_an_unknown_scope() -> None:
    unit = UnitInputs(unit_id="u", inputs=pd.DataFrame(), scope="region")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scope must be"):
        assess_units(CATALOGUE, [unit])
