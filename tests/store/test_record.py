"""Recording snapshots (SPEC §9): what is kept, what is refused and why, on both backends."""

from __future__ import annotations

import pandas as pd
import pytest
from storekit import T0, later, merge, submission

from ltpgap.issues import LtpgapError, Severity
from ltpgap.store import Store

LUTON_1 = {"2.9": "Red", "3.10": "Amber", "3.52": "Green"}
LUTON_2 = {"2.9": "Amber", "3.10": "Amber", "3.52": "Green"}
BEDFORD_1 = {"2.9": "Green", "3.10": "N/A", "3.52": "Not assessed"}


def rollup(rags: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "para": list(rags),
            "ics_rag": list(rags.values()),
            "rule": ["weighted"] * len(rags),
            "score": [0.5] * len(rags),
        }
    )


def test_first_snapshot_records_every_submission(store: Store) -> None:
    result = store.record_snapshot(
        merge(
            submission("luton", LUTON_1), submission("bedford", BEDFORD_1), rollup=rollup(LUTON_1)
        )
    )
    assert result.snapshot is not None
    assert (result.snapshot.seq, result.snapshot.submissions) == (1, 2)
    assert result.recorded == ("luton", "bedford") and result.refused == () and result.issues == ()
    frame = store.history("blmk")
    got = sorted(zip(frame["place"], frame["para"], frame["rag"], strict=True))
    want = sorted([("luton", p, r) for p, r in LUTON_1.items()])
    want += sorted([("bedford", p, r) for p, r in BEDFORD_1.items()])
    assert got == sorted(want)
    assert set(frame["file"]) == {"Luton.xlsx", "Bedford.xlsx"}
    assert list(store.rollup("blmk")[["para", "ics_rag"]].itertuples(index=False, name=None)) == [
        ("2.9", "Red"),
        ("3.10", "Amber"),
        ("3.52", "Green"),
    ]


def test_snapshot_fields_round_trip(store: Store) -> None:
    store.record_snapshot(merge(submission("luton", LUTON_1), at=later(3)))
    (shot,) = store.snapshots("blmk")
    assert (shot.ics_id, shot.seq, shot.who, shot.catalogue_version, shot.catalogue_hash) == (
        "blmk",
        1,
        "ics.lead@nhs.net",
        "1.0.0",
        "hash-1.0.0",
    )
    assert shot.taken_at == later(3) and shot.submissions == 1
    row = store.history("blmk").iloc[0]
    assert row["submitted_at"] == T0 and row["submitted_by"] == "luton@nhs.net"
    assert row["reason"] == "Red because 2.9" and row["rule"] == "gap"
    assert len(row["inputs_hash"]) == 64


def test_identical_resubmission_is_recognised_by_hash_and_not_counted_twice(store: Store) -> None:
    store.record_snapshot(merge(submission("luton", LUTON_1), submission("bedford", BEDFORD_1)))
    again = submission("bedford", BEDFORD_1, file_name="Bedford (copy).xlsx", at=later(5))
    result = store.record_snapshot(merge(submission("luton", LUTON_2, at=later(5)), again))
    assert result.recorded == ("luton",)
    (refusal,) = result.refused
    assert (refusal.unit_id, refusal.issue.code, refusal.issue.severity) == (
        "bedford",
        "duplicate-submission",
        Severity.INFO,
    )
    assert "snapshot 1" in refusal.issue.message and refusal.issue.where.file == again.file_name
    history = store.history("blmk", place="bedford")
    assert list(history["snapshot"].unique()) == [1]  # recorded once only
    # carried forward, Bedford still stands at snapshot 2 with its one recorded file
    state = store.state("blmk", 2)
    assert set(state["place"]) == {"luton", "bedford"}
    assert set(state.loc[state["place"] == "bedford", "recorded_in"]) == {1}


def test_rerunning_the_same_merge_adds_no_snapshot(store: Store) -> None:
    record = merge(submission("luton", LUTON_1), rollup=rollup(LUTON_1))
    store.record_snapshot(record)
    result = store.record_snapshot(record)
    assert result.snapshot is None and result.recorded == ()
    assert [i.code for i in result.issues] == ["duplicate-submission", "snapshot-unchanged"]
    assert len(store.snapshots("blmk")) == 1


def test_changed_rollup_alone_makes_a_snapshot(store: Store) -> None:
    store.record_snapshot(merge(submission("luton", LUTON_1), rollup=rollup(LUTON_1)))
    result = store.record_snapshot(merge(submission("luton", LUTON_1), rollup=rollup(LUTON_2)))
    assert result.snapshot is not None and result.snapshot.submissions == 0
    assert [i.code for i in result.issues] == ["duplicate-submission"]


def test_stale_write_is_refused_and_reported(store: Store) -> None:
    store.record_snapshot(merge(submission("luton", LUTON_2, at=later(10)), at=later(10)))
    old = submission("luton", LUTON_1, at=later(2), file_name="Luton March.xlsx")
    fresh = submission("bedford", BEDFORD_1, at=later(11))
    result = store.record_snapshot(merge(old, fresh, at=later(11)))
    assert result.recorded == ("bedford",)
    (refusal,) = result.refused
    assert refusal.issue.code == "stale-submission"
    assert refusal.issue.severity is Severity.WARNING
    assert "Luton.xlsx" in refusal.issue.message and "snapshot 1" in refusal.issue.message
    latest = store.state("blmk")
    luton = latest[latest["place"] == "luton"]
    assert dict(zip(luton["para"], luton["rag"], strict=True)) == LUTON_2  # the newer file stands


def test_same_time_different_file_is_not_stale(store: Store) -> None:
    store.record_snapshot(merge(submission("luton", LUTON_1)))
    result = store.record_snapshot(merge(submission("luton", LUTON_2)))
    assert result.recorded == ("luton",)


def test_reverting_to_an_older_identical_file_says_what_was_recorded_since(store: Store) -> None:
    store.record_snapshot(merge(submission("luton", LUTON_1)))
    store.record_snapshot(merge(submission("luton", LUTON_2, at=later(1))))
    result = store.record_snapshot(merge(submission("luton", LUTON_1, at=later(2))))
    assert [i.code for i in result.issues] == ["duplicate-submission", "snapshot-unchanged"]
    assert "recorded since, in snapshot 2" in result.issues[0].message


def test_two_icss_number_their_snapshots_separately(store: Store) -> None:
    store.record_snapshot(merge(submission("luton", LUTON_1)))
    other = store.record_snapshot(merge(submission("luton", LUTON_1), ics="hwe"))
    assert other.snapshot is not None and other.snapshot.seq == 1  # same file, other ICS
    assert store.ics_ids() == ("blmk", "hwe")


def test_the_same_place_twice_in_one_merge_is_an_error(store: Store) -> None:
    record = merge(submission("luton", LUTON_1), submission("luton", LUTON_2, file_name="L2.xlsx"))
    with pytest.raises(LtpgapError) as caught:
        store.record_snapshot(record)
    assert [i.code for i in caught.value.issues] == ["duplicate-place"]
    assert store.snapshots("blmk") == ()


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"para": ["2.9"], "rag": ["Red"]}), "lacks column"),
        (
            pd.DataFrame(
                {
                    "para": ["2.9"],
                    "rag": ["Pink"],
                    "reason": [""],
                    "rule": [""],
                    "inputs_hash": [""],
                }
            ),
            "not one of",
        ),
        (
            pd.DataFrame(
                {
                    "para": ["2.9", "2.9"],
                    "rag": ["Red", "Red"],
                    "reason": ["", ""],
                    "rule": ["", ""],
                    "inputs_hash": ["", ""],
                }
            ),
            "assessed twice",
        ),
    ],
)
def test_malformed_assessments_are_a_caller_error(
    sqlite_path: str, frame: pd.DataFrame, message: str
) -> None:
    from dataclasses import replace

    from ltpgap.store import open_store

    with open_store(sqlite_path) as opened:
        bad = replace(submission("luton", LUTON_1), assessments=frame)
        with pytest.raises(ValueError, match=message):
            opened.record_snapshot(merge(bad))
        assert opened.snapshots("blmk") == ()


def test_nothing_half_written_when_a_write_fails(sqlite_path: str) -> None:
    from ltpgap.store import open_store

    with open_store(sqlite_path) as opened:
        rollup_bad = pd.DataFrame(
            {"para": ["2.9", "2.9"], "ics_rag": ["Red", "Red"], "rule": ["w", "w"], "score": [1, 1]}
        )
        with pytest.raises(Exception, match="UNIQUE"):
            opened.record_snapshot(merge(submission("luton", LUTON_1), rollup=rollup_bad))
        assert opened.snapshots("blmk") == ()
        assert opened.history().empty
