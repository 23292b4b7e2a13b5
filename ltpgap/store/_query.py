"""Reading the store back as pandas frames: timelines, states at a snapshot, roll-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ltpgap.catalogue import para_sort_key
from ltpgap.store.records import Snapshot
from ltpgap.store.tables import assessments, rollups, snapshots, submissions

__all__ = [
    "HISTORY_COLUMNS",
    "ROLLUP_HISTORY_COLUMNS",
    "history",
    "ics_ids",
    "list_snapshots",
    "rollup_history",
]

#: Columns of :meth:`Store.history` (and :meth:`Store.state`), in order.
HISTORY_COLUMNS: tuple[str, ...] = (
    "ics",
    "snapshot",
    "taken_at",
    "place",
    "para",
    "rag",
    "reason",
    "rule",
    "file",
    "catalogue_version",
    "submitted_at",
    "submitted_by",
    "recorded_in",
    "inputs_hash",
)
#: Columns of :meth:`Store.rollup_history`, in order.
ROLLUP_HISTORY_COLUMNS: tuple[str, ...] = (
    "ics",
    "snapshot",
    "taken_at",
    "para",
    "ics_rag",
    "rule",
    "score",
    "catalogue_version",
)


def _ids(commitment: str | Sequence[str]) -> list[str]:
    return [commitment] if isinstance(commitment, str) else list(commitment)


def _frame(conn: sa.Connection, query: sa.Select[Any]) -> pd.DataFrame:
    result = conn.execute(query)
    columns = list(result.keys())
    # plain tuples: pandas inspects SQLAlchemy Row objects one attribute at a time (slow)
    return pd.DataFrame.from_records([tuple(row) for row in result], columns=columns)


def _utc_column(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.tz_localize("UTC")


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sort with paragraph ids in natural order (3.9 before 3.10)."""
    key = frame["para"].map(para_sort_key)
    order = frame.assign(_para=key).sort_values([*by, "_para"], kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _assessment_query(
    ics_id: str | None, commitment: str | Sequence[str] | None, place: str | None
) -> sa.Select[Any]:
    query = sa.select(
        snapshots.c.ics_id.label("ics"),
        snapshots.c.seq.label("snapshot"),
        snapshots.c.taken_at,
        submissions.c.unit_id.label("place"),
        assessments.c.commitment.label("para"),
        assessments.c.rag,
        assessments.c.reason,
        assessments.c.rule,
        submissions.c.file_name.label("file"),
        submissions.c.catalogue_version,
        submissions.c.submitted_at,
        submissions.c.submitted_by,
        snapshots.c.seq.label("recorded_in"),
        assessments.c.inputs_hash,
        submissions.c.id.label("submission_id"),
    ).select_from(
        assessments.join(submissions, assessments.c.submission_id == submissions.c.id).join(
            snapshots, submissions.c.snapshot_id == snapshots.c.id
        )
    )
    if ics_id is not None:
        query = query.where(snapshots.c.ics_id == ics_id)
    if commitment is not None:
        query = query.where(assessments.c.commitment.in_(_ids(commitment)))
    if place is not None:
        query = query.where(submissions.c.unit_id == place)
    return query


def _carried(conn: sa.Connection, ics_id: str | None, place: str | None) -> pd.DataFrame:
    """For every snapshot and place: the submission in force then (latest at or before it)."""
    snaps = _frame(
        conn,
        sa.select(snapshots.c.ics_id.label("ics"), snapshots.c.seq.label("snapshot"))
        .where(sa.true() if ics_id is None else snapshots.c.ics_id == ics_id)
        .add_columns(snapshots.c.taken_at),
    )
    subs_query = (
        sa.select(
            snapshots.c.ics_id.label("ics"),
            snapshots.c.seq.label("recorded_in"),
            submissions.c.unit_id.label("place"),
            submissions.c.id.label("submission_id"),
        )
        .join(snapshots, submissions.c.snapshot_id == snapshots.c.id)
        .where(sa.true() if ics_id is None else snapshots.c.ics_id == ics_id)
        .where(sa.true() if place is None else submissions.c.unit_id == place)
    )
    subs = _frame(conn, subs_query)
    pairs = snaps.merge(subs, on="ics")
    pairs = pairs[pairs["recorded_in"] <= pairs["snapshot"]]
    latest = pairs.groupby(["ics", "snapshot", "place"])["recorded_in"].transform("max")
    pairs = pairs[pairs["recorded_in"] == latest]
    return pairs.loc[:, ["ics", "snapshot", "taken_at", "submission_id"]]


def history(
    engine: sa.Engine,
    *,
    ics_id: str | None = None,
    commitment: str | Sequence[str] | None = None,
    place: str | None = None,
    carry_forward: bool = False,
) -> pd.DataFrame:
    """The assessment timeline as a frame of :data:`HISTORY_COLUMNS`."""
    with engine.connect() as conn:
        rows = _frame(conn, _assessment_query(ics_id, commitment, place))
        if carry_forward:
            carried = _carried(conn, ics_id, place)
            rows = carried.merge(
                rows.drop(columns=["ics", "snapshot", "taken_at"]), on="submission_id"
            )
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in HISTORY_COLUMNS})
    rows["taken_at"] = _utc_column(rows["taken_at"])
    rows["submitted_at"] = _utc_column(rows["submitted_at"])
    rows = rows.astype({"snapshot": "int64", "recorded_in": "int64"})
    return _sorted(rows.loc[:, list(HISTORY_COLUMNS)], ["ics", "snapshot", "place"])


def rollup_history(
    engine: sa.Engine, *, ics_id: str | None = None, commitment: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """The ICS roll-ups of every snapshot as a frame of :data:`ROLLUP_HISTORY_COLUMNS`."""
    query = sa.select(
        snapshots.c.ics_id.label("ics"),
        snapshots.c.seq.label("snapshot"),
        snapshots.c.taken_at,
        rollups.c.commitment.label("para"),
        rollups.c.ics_rag,
        rollups.c.rule,
        rollups.c.score,
        snapshots.c.catalogue_version,
    ).join(snapshots, rollups.c.snapshot_id == snapshots.c.id)
    if ics_id is not None:
        query = query.where(snapshots.c.ics_id == ics_id)
    if commitment is not None:
        query = query.where(rollups.c.commitment.in_(_ids(commitment)))
    with engine.connect() as conn:
        rows = _frame(conn, query)
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ROLLUP_HISTORY_COLUMNS})
    rows["taken_at"] = _utc_column(rows["taken_at"])
    return _sorted(rows.loc[:, list(ROLLUP_HISTORY_COLUMNS)], ["ics", "snapshot"])


def list_snapshots(engine: sa.Engine, ics_id: str) -> tuple[Snapshot, ...]:
    """Every snapshot of an ICS, oldest first, with its number of recorded submissions."""
    count = sa.func.count(submissions.c.id).label("n")
    query = (
        sa.select(snapshots, count)
        .select_from(snapshots.outerjoin(submissions, submissions.c.snapshot_id == snapshots.c.id))
        .where(snapshots.c.ics_id == ics_id)
        .group_by(*snapshots.c)
        .order_by(snapshots.c.seq)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return tuple(
        Snapshot(
            id=r["id"],
            ics_id=r["ics_id"],
            seq=r["seq"],
            taken_at=r["taken_at"].replace(tzinfo=UTC),
            who=r["who"],
            catalogue_id=r["catalogue_id"],
            catalogue_version=r["catalogue_version"],
            catalogue_hash=r["catalogue_hash"],
            note=r["note"],
            submissions=int(r["n"]),
        )
        for r in rows
    )


def ics_ids(engine: sa.Engine) -> tuple[str, ...]:
    """The ICSs that have at least one snapshot, sorted."""
    with engine.connect() as conn:
        return tuple(
            conn.execute(sa.select(snapshots.c.ics_id).distinct().order_by(snapshots.c.ics_id))
            .scalars()
            .all()
        )
