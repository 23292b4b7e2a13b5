"""Reading the store back: timelines, filters, states at a snapshot, movement and trend."""

from __future__ import annotations

import pandas as pd
import pytest
from storekit import later, merge, submission

from ltpgap.rag.movement import trend
from ltpgap.store import HISTORY_COLUMNS, Store

ROUND_1 = {
    "luton": {"2.9": "Red", "3.10": "Amber", "3.11": "N/A"},
    "bedford": {"2.9": "Amber", "3.10": "Green", "3.11": "Green"},
}
ROUND_2 = {"luton": {"2.9": "Amber", "3.10": "Red", "3.11": "N/A"}}  # Bedford did not resubmit


@pytest.fixture
def two_rounds(store: Store) -> Store:
    store.record_snapshot(merge(*(submission(p, r) for p, r in ROUND_1.items())))
    store.record_snapshot(
        merge(*(submission(p, r, at=later(30)) for p, r in ROUND_2.items()), at=later(30))
    )
    store.record_snapshot(merge(submission("luton", {"2.9": "Green"}), ics="hwe"))
    return store


def _rows(frame: pd.DataFrame, *columns: str) -> list[tuple[object, ...]]:
    return list(frame.loc[:, list(columns)].itertuples(index=False, name=None))


def test_history_columns_and_natural_order(two_rounds: Store) -> None:
    frame = two_rounds.history("blmk")
    assert tuple(frame.columns) == HISTORY_COLUMNS
    assert _rows(frame, "snapshot", "place", "para") == [
        (1, "bedford", "2.9"),
        (1, "bedford", "3.10"),
        (1, "bedford", "3.11"),
        (1, "luton", "2.9"),
        (1, "luton", "3.10"),
        (1, "luton", "3.11"),
        (2, "luton", "2.9"),
        (2, "luton", "3.10"),
        (2, "luton", "3.11"),
    ]
    assert str(frame["taken_at"].dt.tz) == "UTC"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"ics_id": "blmk", "commitment": "2.9"},
            [(1, "bedford", "Amber"), (1, "luton", "Red"), (2, "luton", "Amber")],
        ),
        (
            {"ics_id": "blmk", "place": "luton", "commitment": "3.10"},
            [(1, "luton", "Amber"), (2, "luton", "Red")],
        ),
        (
            {"commitment": "2.9", "place": "luton"},
            [(1, "luton", "Red"), (2, "luton", "Amber"), (1, "luton", "Green")],
        ),
        ({"ics_id": "hwe"}, [(1, "luton", "Green")]),
        (
            {"ics_id": "blmk", "commitment": ["2.9", "3.11"], "place": "bedford"},
            [(1, "bedford", "Amber"), (1, "bedford", "Green")],
        ),
        ({"ics_id": "nowhere"}, []),
        ({"ics_id": "blmk", "commitment": "9.99"}, []),
    ],
)
def test_history_filters(
    two_rounds: Store, filters: dict[str, object], expected: list[tuple[object, ...]]
) -> None:
    frame = two_rounds.history(**filters)  # type: ignore[arg-type]
    assert _rows(frame, "snapshot", "place", "rag") == expected
    assert tuple(frame.columns) == HISTORY_COLUMNS


def test_carry_forward_lists_every_place_at_every_snapshot(two_rounds: Store) -> None:
    frame = two_rounds.history("blmk", commitment="2.9", carry_forward=True)
    assert _rows(frame, "snapshot", "place", "rag", "recorded_in") == [
        (1, "bedford", "Amber", 1),
        (1, "luton", "Red", 1),
        (2, "bedford", "Amber", 1),
        (2, "luton", "Amber", 2),
    ]


def test_state_and_latest_two(two_rounds: Store) -> None:
    previous, latest = two_rounds.latest_two("blmk")
    assert previous is not None and latest is not None
    assert (previous.seq, latest.seq, latest.submissions) == (1, 2, 1)
    assert latest.taken_at == later(30)
    state = two_rounds.state("blmk")
    assert len(state) == 6 and set(state["snapshot"]) == {2}
    assert two_rounds.latest_two("hwe")[0] is None
    assert two_rounds.latest_two("none") == (None, None)


def test_movement_since_the_previous_snapshot(two_rounds: Store) -> None:
    moved = two_rounds.movement("blmk")
    assert _rows(moved, "place", "para", "before", "after", "label") == [
        ("bedford", "2.9", "Amber", "Amber", "▶ no change"),
        ("bedford", "3.10", "Green", "Green", "▶ no change"),
        ("bedford", "3.11", "Green", "Green", "▶ no change"),
        ("luton", "2.9", "Red", "Amber", "▲ improved"),
        ("luton", "3.10", "Amber", "Red", "▼ worse"),
        ("luton", "3.11", "N/A", "N/A", "▶ no change"),
    ]
    first = two_rounds.movement("hwe")
    assert list(first["movement"]) == ["new"]


def test_trend_of_percent_green_across_snapshots(two_rounds: Store) -> None:
    got = trend(two_rounds.history("blmk", carry_forward=True))
    assert _rows(got, "snapshot", "place", "green", "applicable") == [
        (1, "bedford", 2, 3),
        (1, "luton", 0, 2),
        (2, "bedford", 2, 3),
        (2, "luton", 0, 2),
    ]
    assert got["pct_green"].tolist() == pytest.approx([2 / 3, 0.0, 2 / 3, 0.0])


def test_rollup_history_and_movement(store: Store) -> None:
    def rollup(rag: str) -> pd.DataFrame:
        return pd.DataFrame({"para": ["2.9"], "ics_rag": [rag], "rule": ["worst"], "score": [None]})

    store.record_snapshot(merge(submission("luton", {"2.9": "Red"}), rollup=rollup("Red")))
    store.record_snapshot(
        merge(submission("luton", {"2.9": "Green"}, at=later(1)), rollup=rollup("Amber"))
    )
    assert _rows(store.rollup_history("blmk"), "snapshot", "para", "ics_rag") == [
        (1, "2.9", "Red"),
        (2, "2.9", "Amber"),
    ]
    assert _rows(store.rollup_movement("blmk"), "place", "para", "label") == [
        ("ICS", "2.9", "▲ improved")
    ]
    assert pd.isna(store.rollup("blmk", 1)["score"].iloc[0])
    assert store.rollup_history("none").empty and store.rollup("none").empty


def test_empty_store_reads_as_empty_frames(store: Store) -> None:
    assert store.history().empty and tuple(store.history().columns) == HISTORY_COLUMNS
    assert store.state("blmk").empty and store.snapshots("blmk") == ()
    assert store.movement("blmk").empty


def test_movement_across_a_catalogue_migration_through_the_store(store: Store) -> None:
    """Round 1 under catalogue v1, round 2 under v2: the split 3.52 → 3.52a/b inherits."""
    from pathlib import Path

    from ltpgap.catalogue import load_catalogue

    v2 = load_catalogue(Path(__file__).resolve().parents[1] / "data" / "catalogue-v2.yaml")
    old = {"3.52": "Amber", "3.10": "Red", "2.9": "Green"}
    new = {"3.52a": "Green", "3.52b": "Red", "3.11": "Red", "2.9": "Green", "1.13": "Amber"}
    store.record_snapshot(merge(submission("luton", old), submission("bedford", {"2.9": "Red"})))
    store.record_snapshot(
        merge(
            submission("luton", new, at=later(90), version=v2.info.version),
            version=v2.info.version,
            at=later(90),
        )
    )
    moved = store.movement("blmk", catalogue=v2)
    assert _rows(moved, "place", "para", "before", "label", "via") == [
        ("bedford", "2.9", "Red", "▶ no change", ""),  # not resubmitted: carried forward
        ("luton", "1.13", None, "new", ""),
        ("luton", "2.9", "Green", "▶ no change", ""),
        ("luton", "3.11", "Red", "▶ no change", "3.10"),
        ("luton", "3.52a", "Amber", "▲ improved", "3.52"),
        ("luton", "3.52b", "Amber", "▼ worse", "3.52"),
    ]
