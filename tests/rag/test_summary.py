"""Place summaries (SPEC §6): counts, % green and % assessed over applicable, must-dos at Red."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.issues import LtpgapError
from ltpgap.rag import SUMMARY_COLUMNS, rag_counts, summarise
from ltpgap.rag.summary import must_do_red_rows

FRAME = pd.DataFrame(
    {
        "chapter": [3, 1, 1, 1, 10, 3, 2],
        "programme_area": [
            "enablers",
            "prevention",
            "prevention",
            "enablers",
            "x",
            "enablers",
            "maternity_cyp",
        ],
        "must_do": [True, True, False, False, False, True, False],
        "rag": ["Red", "Green", "Amber", "N/A", "Not assessed", "Red", "N/A"],
    }
)


def rows(table: pd.DataFrame) -> list[list[object]]:
    return [
        [None if isinstance(v, float) and math.isnan(v) else v for v in row]
        for row in table.to_numpy().tolist()
    ]


def test_by_chapter_counts_and_fractions() -> None:
    table = summarise(FRAME, "chapter")
    assert list(table.columns) == ["chapter", *SUMMARY_COLUMNS]
    assert rows(table) == [
        # chapter G A R NA? N/A total %green %assessed must_do_red
        [1, 1, 1, 0, 0, 1, 3, 0.5, 1.0, 0],
        [2, 0, 0, 0, 0, 1, 1, None, None, 0],  # nothing applicable: NaN, not 0
        [3, 0, 0, 2, 0, 0, 2, 0.0, 1.0, 2],
        [10, 0, 0, 0, 1, 0, 1, 0.0, 0.0, 0],  # chapters sort as numbers, not text
    ]


def test_overall_row_when_by_is_none() -> None:
    table = summarise(FRAME)
    assert list(table.columns) == list(SUMMARY_COLUMNS)
    assert rows(table) == [[1, 1, 2, 1, 2, 7, 0.2, 0.8, 2]]


def test_programme_areas_in_catalogue_order(small: Catalogue) -> None:
    by_name = summarise(FRAME, "programme_area")["programme_area"].tolist()
    by_catalogue = summarise(FRAME, "programme_area", catalogue=small)["programme_area"].tolist()
    assert by_name == ["enablers", "maternity_cyp", "prevention", "x"]
    assert by_catalogue == ["prevention", "maternity_cyp", "enablers", "x"]  # unknown last


def test_several_keys() -> None:
    frame = FRAME.assign(place=["b", "a", "b", "a", "b", "a", "b"])
    table = summarise(frame, "chapter", within=["place"])
    assert table[["place", "chapter", "total"]].to_numpy().tolist() == [
        ["a", 1, 2],
        ["a", 3, 1],
        ["b", 1, 1],
        ["b", 2, 1],
        ["b", 3, 1],
        ["b", 10, 1],
    ]


def test_counts_sum_to_rows_and_rag_counts() -> None:
    table = summarise(FRAME, "programme_area")
    assert int(table[["Green", "Amber", "Red", "Not assessed", "N/A"]].to_numpy().sum()) == 7
    assert int(table["total"].sum()) == 7
    assert rag_counts(FRAME) == {"Green": 1, "Amber": 1, "Red": 2, "Not assessed": 1, "N/A": 2}


def test_empty_frame() -> None:
    table = summarise(FRAME.iloc[0:0], "chapter")
    assert list(table.columns) == ["chapter", *SUMMARY_COLUMNS] and len(table) == 0
    overall = summarise(FRAME.iloc[0:0])
    assert overall["total"].tolist() == [0] and math.isnan(overall["pct_green"].iloc[0])


@pytest.mark.parametrize("bad", ["green", "Blue", None])
def test_values_that_are_not_rags_are_refused(bad: object) -> None:
    frame = FRAME.assign(rag=["Green", "Amber", bad, "Red", "N/A", "Red", "Red"])
    with pytest.raises(LtpgapError) as err:
        summarise(frame, "chapter")
    assert err.value.issues[0].code == "unrecognised-value"


@pytest.mark.parametrize("as_columns", [False, True], ids=["frame", "columns"])
def test_must_do_red_rows_are_the_ones_counted(as_columns: bool) -> None:
    """The rows listed as must-dos at Red are exactly those summarise counts as such."""
    table = {k: FRAME[k].tolist() for k in FRAME.columns} if as_columns else FRAME
    assert must_do_red_rows(table) == [0, 5]
    assert len(must_do_red_rows(table)) == summarise(FRAME).at[0, "must_do_red"]
    assert must_do_red_rows(FRAME.assign(must_do=False)) == []
