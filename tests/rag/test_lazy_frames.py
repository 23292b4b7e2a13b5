"""Assessments and roll-ups build their frames on first use; their plain columns must agree.

The ICS tables and the add-in read :meth:`PlaceAssessment.column` and :meth:`IcsRollup.column`
without ever building a frame, so each column must hold exactly what ``frame[k].tolist()``
holds: the same values of the same Python types (a numpy integer where the frame gives an
``int`` changes how later code groups and writes it).
"""

from __future__ import annotations

import dataclasses
import math
import pickle

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ragkit import make_catalogue, make_commitment

from ltpgap.ics import IcsConfig, Place, Rules
from ltpgap.rag import (
    ASSESSMENT_COLUMNS,
    ROLLUP_COLUMNS,
    IcsRollup,
    PlaceAssessment,
    UnitInputs,
    assess_place,
    assess_units,
    rollup_ics,
    rollup_region,
    rollup_units,
)
from ltpgap.rag.summary import rag_counts, summary_counts
from ltpgap.schema import RAG_VALUES

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LEVELS = ["place", "place", "ics", "region", "national", "place"]
COMMITMENTS = [
    make_commitment(f"{1 + i % 4}.{1 + i}", level=LEVELS[i % 6], must_do=i % 3 == 0)
    for i in range(12)
]
# One commitment with no life-course stage: the frame shows it as missing, so must the column.
COMMITMENTS[5] = dataclasses.replace(COMMITMENTS[5], life_course=None)
CATALOGUE = make_catalogue(COMMITMENTS)
PARAS = list(CATALOGUE.ids)
PLACES = ("a", "b", "c")
ICS = IcsConfig(
    id="ics",
    name="Test ICS",
    places=tuple(
        Place(id=p, name=p.upper(), population=100 * (i + 1)) for i, p in enumerate(PLACES)
    ),
    rules=Rules(),
)


def same(got: list[object], want: list[object]) -> bool:
    """Equal values of equal types, NaN equal to NaN."""
    if len(got) != len(want):
        return False
    for g, w in zip(got, want, strict=True):
        if type(g) is not type(w):
            return False
        both_nan = isinstance(g, float) and isinstance(w, float) and math.isnan(g) and math.isnan(w)
        if not both_nan and g != w:
            return False
    return True


inputs = st.lists(
    st.fixed_dictionaries(
        {
            "para": st.sampled_from([*PARAS, "9.9", None]),
            "status": st.sampled_from(["In place", "Planned", "None", "Done", None]),
            "coverage": st.sampled_from(["Full", "Partial", None]),
            "expected_delivery": st.sampled_from(["2023/24", "2030/31", None]),
            "initiatives": st.sampled_from(["A pilot", None]),
        }
    ),
    max_size=14,
).map(
    lambda rows: pd.DataFrame(
        rows, columns=["para", "status", "coverage", "expected_delivery", "initiatives"]
    )
)


def assert_columns_match(assessment: PlaceAssessment) -> None:
    frame = assessment.frame
    assert list(frame.columns) == list(ASSESSMENT_COLUMNS)
    assert len(assessment) == len(frame)
    for key in ASSESSMENT_COLUMNS:
        assert same(assessment.column(key), frame[key].tolist()), key


@SETTINGS
@given(
    frames=st.lists(inputs, max_size=4),
    scopes=st.lists(st.sampled_from(["place", "ics"]), min_size=4, max_size=4),
)
def test_assessment_columns_are_the_frame_columns(
    frames: list[pd.DataFrame], scopes: list[str]
) -> None:
    units = [
        UnitInputs(unit_id=f"u{k}", inputs=f, scope=scopes[k])  # type: ignore[arg-type]
        for k, f in enumerate(frames)
    ]
    for unit, got in zip(units, assess_units(CATALOGUE, units), strict=True):
        # columns first, then the frame: reading a column must not need the frame
        columns = {k: got.column(k) for k in ASSESSMENT_COLUMNS}
        assert_columns_match(got)
        assert columns == {k: got.column(k) for k in ASSESSMENT_COLUMNS}
        assert got.rag_counts() == rag_counts(got.frame)
        alone = assess_place(CATALOGUE, unit.inputs, unit_id=unit.unit_id, scope=unit.scope)
        assert_columns_match(alone)


@pytest.mark.parametrize("scope", ["place", "ics"])
def test_an_assessment_survives_pickling_before_and_after_its_frame(scope: str) -> None:
    """Merge workers send assessments back to the parent process."""
    frame = pd.DataFrame({"para": [PARAS[0], PARAS[1]], "status": ["In place", "Done"]})
    lazy = assess_place(CATALOGUE, frame, unit_id="a", scope=scope)  # type: ignore[arg-type]
    built = assess_place(CATALOGUE, frame, unit_id="a", scope=scope)  # type: ignore[arg-type]
    built.frame  # noqa: B018 - build it before pickling
    given_frame = PlaceAssessment(unit_id="a", scope="place", frame=built.frame.copy())
    for original in (lazy, built, given_frame):
        copy = pickle.loads(pickle.dumps(original))
        assert (copy.unit_id, copy.scope, copy.issues) == (
            original.unit_id,
            original.scope,
            original.issues,
        )
        pd.testing.assert_frame_equal(copy.frame, original.frame)
        assert_columns_match(copy)


def test_an_assessment_made_from_a_frame_reads_its_columns_from_it() -> None:
    source = assess_place(
        CATALOGUE, pd.DataFrame({"para": [PARAS[0]], "status": ["None"]}), unit_id="a"
    )
    given_frame = PlaceAssessment(unit_id="a", scope="place", frame=source.frame.copy())
    assert_columns_match(given_frame)
    assert given_frame.column("rag") == source.column("rag")
    with pytest.raises(TypeError, match="either frame or columns"):
        PlaceAssessment(unit_id="a", scope="place")


rags = st.sampled_from(RAG_VALUES)


def assert_rollup_columns_match(result: IcsRollup) -> None:
    # read the plain columns before the frames exist
    columns = {k: result.column(k) for k in ROLLUP_COLUMNS}
    units = {u: result.unit_rags(u) for u in result.units}
    counts = result.rag_counts()
    frame, matrix = result.frame, result.matrix
    assert list(frame.columns) == list(ROLLUP_COLUMNS)
    assert len(result) == len(frame) == len(matrix)
    for key in ROLLUP_COLUMNS:
        assert same(columns[key], frame[key].tolist()), key
        assert same(result.column(key), frame[key].tolist()), key
    for unit, values in units.items():
        assert same(values, matrix[unit].tolist()), unit
    assert counts == rag_counts(frame.rename(columns={"ics_rag": "rag"}))


@SETTINGS
@given(
    table=st.lists(st.tuples(rags, rags, rags), min_size=len(PARAS), max_size=len(PARAS)),
    team=st.lists(rags, min_size=len(PARAS), max_size=len(PARAS)),
)
def test_rollup_columns_are_the_frame_columns(
    table: list[tuple[str, ...]], team: list[str]
) -> None:
    long = pd.DataFrame(
        [
            (p, para, r)
            for para, three in zip(PARAS, table, strict=True)
            for p, r in zip(PLACES, three, strict=True)
        ],
        columns=["place", "para", "rag"],
    )
    team_rags = pd.DataFrame({"para": PARAS, "rag": team})
    ics = rollup_ics(CATALOGUE, long, ics=ICS, ics_rags=team_rags)
    assert_rollup_columns_match(ics)
    weights = {p.id: float(p.population) for p in ICS.places}
    assert_rollup_columns_match(rollup_units(CATALOGUE, long, weights, Rules()))
    region = rollup_region(
        CATALOGUE, {"ics": ics, "other": ics.frame}, {"ics": 5, "other": 7, "none": 1}
    )
    assert_rollup_columns_match(region)


def test_a_rollup_needs_frames_or_columns() -> None:
    with pytest.raises(TypeError, match="either frame and matrix"):
        IcsRollup(rules=Rules(), units=())


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            rags,
            st.booleans(),
            st.integers(1, 4),
            st.sampled_from(["x", "y", "z"]),
            st.integers(0, 3),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_summary_counts_of_plain_columns_equal_those_of_a_frame(
    rows: list[tuple[object, ...]],
) -> None:
    keys = ("rag", "must_do", "chapter", "programme_area", "unit")
    columns = {k: [r[i] for r in rows] for i, k in enumerate(keys)}
    groupings = ["chapter", "programme_area", None]
    from_lists = summary_counts(columns, groupings, catalogue=CATALOGUE, within=["unit"])  # type: ignore[arg-type]
    from_frame = summary_counts(
        pd.DataFrame(columns), groupings, catalogue=CATALOGUE, within=["unit"]
    )  # type: ignore[arg-type]
    for got, want in zip(from_lists, from_frame, strict=True):
        pd.testing.assert_frame_equal(got.frame(), want.frame(), check_exact=True)


def test_summary_counts_of_columns_with_gaps_fall_back_to_pandas() -> None:
    columns = {
        "rag": ["Red", "Green", "Red"],
        "must_do": [True, False, True],
        "programme_area": ["x", None, "x"],
        "unit": [0, 0, 1],
    }
    from_lists = summary_counts(columns, ["programme_area"], within=["unit"])  # type: ignore[arg-type, list-item]
    from_frame = summary_counts(
        pd.DataFrame(columns, dtype=object), ["programme_area"], within=["unit"]
    )  # type: ignore[list-item]
    pd.testing.assert_frame_equal(from_lists[0].frame(), from_frame[0].frame(), check_exact=True)


@SETTINGS
@given(
    values=st.lists(
        st.one_of(
            st.sampled_from([*RAG_VALUES, "red", "", None, float("nan"), 1, True]),
            st.just(["Red"]),
        ),
        max_size=12,
    )
)
def test_rag_codes_of_a_list_equal_those_of_a_series(values: list[object]) -> None:
    from ltpgap.issues import LtpgapError
    from ltpgap.rag.summary import rag_codes

    outcomes = []
    for given_values in (values, pd.Series(values, dtype=object)):
        try:
            outcomes.append(("codes", rag_codes(given_values).tolist()))
        except LtpgapError as exc:
            outcomes.append(("error", [i.message for i in exc.issues]))
        except TypeError:  # an unhashable value, refused either way
            outcomes.append(("unhashable", []))
    assert outcomes[0] == outcomes[1]
