"""summarise in one numpy pass equals pandas' groupby (the reference it replaces)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ragkit import make_catalogue, make_commitment

from ltpgap.rag import summarise
from ltpgap.rag.summary import _grouped_reference, rag_codes, summary_counts
from ltpgap.schema import RAG_VALUES

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CATALOGUE = make_catalogue([make_commitment("1.1", programme_area=a) for a in ("enablers",)])
AREAS = ["prevention", "maternity_cyp", "enablers", "zz_unknown", "Aa"]


@st.composite
def assessed(draw: st.DrawFn) -> pd.DataFrame:
    """Assessment-like frames: RAG, must-do and group columns of the dtypes callers pass."""
    n = draw(st.integers(1, 40))
    rows = st.fixed_dictionaries(
        {
            "rag": st.sampled_from(RAG_VALUES),
            "must_do": st.booleans(),
            "chapter": st.integers(1, 12),
            "programme_area": st.sampled_from(AREAS),
            "place": st.sampled_from(["luton", "bedford", "mk", "blmk"]),
            "unit": st.integers(0, 4),
        }
    )
    frame = pd.DataFrame(draw(st.lists(rows, min_size=n, max_size=n)))
    if draw(st.booleans()):
        frame = frame.astype({"programme_area": object, "place": object, "must_do": object})
    return frame


@SETTINGS
@given(
    frame=assessed(),
    by=st.sampled_from([None, "chapter", "programme_area", "place"]),
    within=st.sampled_from([[], ["place"], ["unit"], ["unit", "place"]]),
    with_catalogue=st.booleans(),
)
def test_one_pass_equals_groupby(
    frame: pd.DataFrame, by: str | None, within: list[str], with_catalogue: bool
) -> None:
    catalogue = CATALOGUE if with_catalogue else None
    keys = [*within, *([by] if by else [])]
    if not keys or len(set(keys)) < len(keys):
        return
    codes = rag_codes(frame["rag"])
    red = frame["must_do"].astype(bool).to_numpy() & (codes == 2)
    fast = summarise(frame, by, catalogue=catalogue, within=within)  # type: ignore[arg-type]
    reference = _grouped_reference(frame, keys, codes, red, catalogue)
    pd.testing.assert_frame_equal(fast, reference, check_exact=True)


@SETTINGS
@given(frame=assessed())
def test_overall_row_equals_the_counts(frame: pd.DataFrame) -> None:
    row = summarise(frame).iloc[0]
    counts = frame["rag"].value_counts()
    assert [int(row[r]) for r in RAG_VALUES] == [int(counts.get(r, 0)) for r in RAG_VALUES]
    assert int(row["must_do_red"]) == int(
        (frame["must_do"].astype(bool) & (frame["rag"] == "Red")).sum()
    )
    applicable = len(frame) - int(counts.get("N/A", 0))
    expected = counts.get("Green", 0) / applicable if applicable else np.nan
    assert row["pct_green"] == expected or (np.isnan(expected) and np.isnan(row["pct_green"]))


def test_gaps_and_categories_take_the_groupby_path() -> None:
    frame = pd.DataFrame(
        {
            "rag": ["Red", "Green", "Amber"],
            "must_do": [True, False, True],
            "programme_area": pd.Categorical(["b", "a", "b"]),
            "place": ["x", None, "x"],
        }
    )
    for by in ("programme_area", "place"):
        keys = [by]
        codes = rag_codes(frame["rag"])
        red = frame["must_do"].to_numpy() & (codes == 2)
        pd.testing.assert_frame_equal(
            summarise(frame, by),  # type: ignore[arg-type]
            _grouped_reference(frame, keys, codes, red, None),
        )


@SETTINGS
@given(
    frame=assessed(),
    with_catalogue=st.booleans(),
    within=st.sampled_from([[], ["place"], ["unit"]]),
)
def test_summary_counts_are_summarise_for_each_grouping(
    frame: pd.DataFrame, with_catalogue: bool, within: list[str]
) -> None:
    catalogue = CATALOGUE if with_catalogue else None
    groupings = [None, "chapter", "programme_area", *([] if within else ["place"])]
    counts = summary_counts(frame, groupings, catalogue=catalogue, within=within)  # type: ignore[arg-type]
    for by, found in zip(groupings, counts, strict=True):
        expected = summarise(frame, by, catalogue=catalogue, within=within)  # type: ignore[arg-type]
        pd.testing.assert_frame_equal(found.frame(), expected, check_exact=True)
