"""Movement between snapshots (pure): words, arrows, counts, trend and catalogue migrations."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.catalogue.migration import plan_migration
from ltpgap.rag.movement import (
    MOVEMENT_COLUMNS,
    MOVEMENTS,
    classify,
    lineage,
    movement,
    movement_counts,
    predecessors,
    trend,
)
from ltpgap.schema import RAG_VALUES

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def v1() -> Catalogue:
    return load_catalogue(DATA / "catalogue-v1.yaml")


@pytest.fixture(scope="module")
def v2() -> Catalogue:
    return load_catalogue(DATA / "catalogue-v2.yaml")


def frame(rows: list[tuple[str, str, str]], version: str | None = None) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["place", "para", "rag"])
    if version is not None:
        out["catalogue_version"] = version
    return out


def rows(moved: pd.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return list(moved.loc[:, list(columns)].itertuples(index=False, name=None))


@pytest.mark.parametrize(
    ("before", "after", "word"),
    [
        ("Red", "Amber", "improved"),
        ("Red", "Green", "improved"),
        ("Amber", "Green", "improved"),
        ("Green", "Amber", "worse"),
        ("Green", "Red", "worse"),
        ("Amber", "Red", "worse"),
        ("Red", "Red", "no change"),
        ("N/A", "N/A", "no change"),
        ("Not assessed", "Not assessed", "no change"),
        ("Not assessed", "Green", "not comparable"),
        ("Red", "Not assessed", "not comparable"),
        ("N/A", "Amber", "not comparable"),
        ("Green", "N/A", "not comparable"),
        ("N/A", "Not assessed", "not comparable"),
        (None, "Green", "new"),
        (None, "N/A", "new"),
    ],
)
def test_classify(before: str | None, after: str, word: str) -> None:
    assert classify(before, after) == word


def test_movement_frame_arrows_and_words() -> None:
    previous = frame([("luton", "2.9", "Red"), ("luton", "3.10", "Green"), ("luton", "4.1", "Red")])
    current = frame(
        [
            ("luton", "2.9", "Amber"),
            ("luton", "3.10", "Amber"),
            ("luton", "5.10", "Green"),
            ("bedford", "2.9", "Not assessed"),
        ]
    )
    moved = movement(previous, current)
    assert tuple(moved.columns) == MOVEMENT_COLUMNS
    assert rows(moved, "place", "para", "before", "after", "arrow", "label") == [
        ("luton", "2.9", "Red", "Amber", "▲", "▲ improved"),
        ("luton", "3.10", "Green", "Amber", "▼", "▼ worse"),
        ("luton", "5.10", None, "Green", "", "new"),
        ("bedford", "2.9", None, "Not assessed", "", "new"),
    ]  # 4.1 (retired) is not listed


def test_ics_rollup_frames_are_labelled_ics() -> None:
    before = pd.DataFrame({"para": ["2.9"], "ics_rag": ["Amber"]})
    after = pd.DataFrame({"para": ["2.9"], "ics_rag": ["Amber"]})
    assert rows(movement(before, after), "place", "label") == [("ICS", "▶ no change")]


def test_split_renumbered_and_merged_inherit_history(v2: Catalogue) -> None:
    """Previous round under v1, current under v2: successors compare with predecessors."""
    previous = frame(
        [
            ("luton", "2.15", "Green"),
            ("luton", "2.16", "Red"),
            ("luton", "3.10", "Amber"),
            ("luton", "3.52", "Amber"),
            ("luton", "2.9", "Red"),
            ("luton", "4.1", "Green"),
        ],
        version="1.0.0",
    )
    current = frame(
        [
            ("luton", "2.15", "Amber"),  # merged 2.15 + 2.16: worst before (Red) → Amber
            ("luton", "3.11", "Amber"),  # renumbered from 3.10
            ("luton", "3.52a", "Green"),  # split from 3.52
            ("luton", "3.52b", "Red"),  # split from 3.52
            ("luton", "2.9", "Red"),  # reworded, same id
            ("luton", "1.13", "Green"),  # added
        ],
        version=v2.info.version,
    )
    moved = movement(previous, current, catalogue=v2)
    assert rows(moved, "para", "before", "movement", "via") == [
        ("2.15", "Red", "improved", "2.15, 2.16"),
        ("3.11", "Amber", "no change", "3.10"),
        ("3.52a", "Amber", "improved", "3.52"),
        ("3.52b", "Amber", "worse", "3.52"),
        ("2.9", "Red", "no change", ""),
        ("1.13", None, "new", ""),
    ]
    plan = plan_migration(load_catalogue(DATA / "catalogue-v1.yaml"), v2)
    by_plan = movement(previous, current, plan=plan)
    assert rows(by_plan, "para", "before", "movement") == rows(moved, "para", "before", "movement")


def test_without_version_column_the_migration_is_inferred(v2: Catalogue) -> None:
    previous = frame([("luton", "3.52", "Red"), ("bedford", "3.52a", "Red")])
    current = frame([("luton", "3.52a", "Green"), ("bedford", "3.52a", "Green")])
    moved = movement(previous, current, catalogue=v2)
    assert rows(moved, "place", "before", "via") == [
        ("luton", "Red", "3.52"),
        ("bedford", "Red", ""),
    ]


def test_same_catalogue_twice_compares_ids_directly(v2: Catalogue) -> None:
    """3.11 replaces 3.10, but a previous round already under v2 has its own 3.11."""
    previous = frame([("luton", "3.11", "Green"), ("luton", "2.15", "Green")], version="2.0.0")
    current = frame([("luton", "3.11", "Red"), ("luton", "2.15", "Green")], version="2.0.0")
    moved = movement(previous, current, catalogue=v2)
    assert rows(moved, "para", "movement", "via") == [
        ("3.11", "worse", ""),
        ("2.15", "no change", ""),
    ]


def test_a_reused_id_starts_afresh(v2: Catalogue) -> None:
    """v2 with a brand-new 3.10 while 3.11 replaces the old 3.10: the new 3.10 is new."""
    template = v2.by_id["3.22"]
    reused = replace(template, id="3.10", title="Something else", replaces=())
    catalogue = replace(v2, commitments=(*v2.commitments, reused))
    assert predecessors(catalogue)["3.10"] == ()
    previous = frame([("luton", "3.10", "Red")], version="1.0.0")
    current = frame([("luton", "3.10", "Green"), ("luton", "3.11", "Green")], version="2.0.0")
    moved = movement(previous, current, catalogue=catalogue)
    assert rows(moved, "para", "movement", "via") == [
        ("3.10", "new", ""),
        ("3.11", "improved", "3.10"),
    ]


def test_a_plain_mapping_plan() -> None:
    previous = frame([("luton", "2.9", "Red")])
    current = frame([("luton", "2.9a", "Green"), ("luton", "2.9b", "Red")])
    moved = movement(previous, current, plan={"2.9a": ["2.9"], "2.9b": ["2.9"]})
    assert rows(moved, "para", "movement") == [("2.9a", "improved"), ("2.9b", "no change")]


def test_lineage(v2: Catalogue) -> None:
    assert lineage("3.52a", v2) == ("3.52a", "3.52")
    assert lineage("2.15", v2) == ("2.15", "2.16")
    assert lineage("1.8", v2) == ("1.8",) and lineage("9.9", v2) == ("9.9",)


def test_movement_counts_by_chapter_area_and_overall(v2: Catalogue) -> None:
    moved = pd.DataFrame(
        {
            "place": ["luton"] * 5,
            "para": ["1.8", "1.13", "2.9", "3.11", "3.22"],
            "movement": ["improved", "worse", "improved", "not comparable", "new"],
        }
    )
    counts = movement_counts(moved, v2)
    assert list(counts.columns) == ["chapter", *MOVEMENTS, "total"]
    assert counts.values.tolist() == [
        [1, 1, 0, 1, 0, 0, 2],
        [2, 1, 0, 0, 0, 0, 1],
        [3, 0, 0, 0, 1, 1, 2],
    ]
    by_area = movement_counts(moved, v2, by="programme_area")
    areas = [a.id for a in v2.programme_areas]
    assert list(by_area["programme_area"]) == sorted(
        set(by_area["programme_area"]), key=areas.index
    )
    assert by_area["total"].sum() == 5
    overall = movement_counts(moved, by=None)
    assert overall.values.tolist() == [[2, 0, 1, 1, 1, 5]]
    assert movement_counts(moved, by="chapter")["chapter"].tolist() == [1, 2, 3]  # from para ids


def test_trend_percent_green_over_applicable() -> None:
    history = pd.DataFrame(
        {
            "snapshot": [1, 1, 1, 1, 2, 2, 2, 2],
            "taken_at": pd.to_datetime(["2024-04-01"] * 4 + ["2024-07-01"] * 4, utc=True),
            "place": ["luton"] * 4 + ["luton"] * 4,
            "para": ["a", "b", "c", "d"] * 2,
            "rag": ["Green", "Red", "N/A", "Not assessed", "Green", "Green", "N/A", "Amber"],
        }
    )
    got = trend(history)
    assert rows(got, "snapshot", "place", "green", "applicable") == [
        (1, "luton", 1, 3),
        (2, "luton", 2, 3),
    ]
    assert got["pct_green"].tolist() == pytest.approx([1 / 3, 2 / 3])
    all_na = history.assign(rag="N/A")
    assert trend(all_na)["pct_green"].isna().all()
    with pytest.raises(ValueError, match="one ICS"):
        trend(history.assign(ics=["a", "b"] * 4))


rag = st.sampled_from(RAG_VALUES)
cells = st.dictionaries(
    st.sampled_from(["2.9", "3.10", "3.52", "4.1"]), st.tuples(rag, rag), max_size=4
)


@settings(max_examples=40, deadline=None)
@given(cells)
def test_swapping_snapshots_mirrors_the_movement(pairs: dict[str, tuple[str, str]]) -> None:
    before = frame([("p", para, b) for para, (b, _) in pairs.items()])
    after = frame([("p", para, a) for para, (_, a) in pairs.items()])
    forward = movement(before, after)["movement"].tolist()
    backward = movement(after, before)["movement"].tolist()
    mirror = {"improved": "worse", "worse": "improved"}
    assert backward == [mirror.get(w, w) for w in forward]
    counts = movement_counts(movement(before, after), by=None)
    assert int(counts["total"].iloc[0]) == len(pairs)


@settings(max_examples=40, deadline=None)
@given(st.lists(rag, max_size=6))
def test_nothing_moves_against_itself(rags: list[str]) -> None:
    same = frame([("p", f"1.{i}", r) for i, r in enumerate(rags)])
    assert set(movement(same, same)["movement"]) <= {"no change"}


def test_both_rounds_on_an_older_catalogue_compare_id_for_id(v2: Catalogue) -> None:
    """A newer catalogue passed in does not reinterpret two rounds that were both on v1."""
    previous = frame([("luton", "3.10", "Red"), ("luton", "3.52", "Red")], version="1.0.0")
    current = frame([("luton", "3.10", "Green"), ("luton", "3.52", "Red")], version="1.0.0")
    moved = movement(previous, current, catalogue=v2)
    assert rows(moved, "para", "movement", "via") == [
        ("3.10", "improved", ""),
        ("3.52", "no change", ""),
    ]
