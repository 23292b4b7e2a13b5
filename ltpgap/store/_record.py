"""Recording one merge as a snapshot: one transaction, safe against concurrent merges.

How concurrency is handled: the snapshot's ``seq`` is allocated inside the transaction as
``max(seq) + 1`` and inserted straight away; the unique (ics_id, seq) constraint makes a
concurrent merge that picked the same number fail, and it then retries from scratch (bounded)
and so sees everything committed before it. Stale and duplicate checks run after the insert,
inside the same transaction, so they always see every earlier snapshot of the ICS.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ltpgap.issues import Issue, LtpgapError, Where, make_issue
from ltpgap.schema import RAG_VALUES
from ltpgap.store.engine import describe_url
from ltpgap.store.records import (
    ASSESSMENT_COLUMNS,
    ROLLUP_COLUMNS,
    MergeRecord,
    RecordResult,
    Refusal,
    Snapshot,
    SubmissionRecord,
    utc,
)
from ltpgap.store.tables import assessments, rollups, snapshots, submissions

__all__ = ["MAX_ATTEMPTS", "record_snapshot"]

#: Transaction attempts before a merge gives up with ``store-busy``.
MAX_ATTEMPTS = 12
_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available


class _SeqTaken(Exception):
    """Another merge took this snapshot number first: retry."""


class _Unchanged(Exception):
    """Nothing new to record: roll back and report."""

    def __init__(self, result: RecordResult) -> None:
        super().__init__("unchanged")
        self.result = result


@dataclass(frozen=True, slots=True, kw_only=True)
class _Prior:
    unit_id: str
    file_name: str
    file_hash: str
    submitted_at: datetime
    seq: int


def _stored_time(moment: datetime) -> datetime:
    return utc(moment).replace(tzinfo=None)


def _rows(frame: pd.DataFrame, columns: Sequence[str], what: str) -> list[dict[str, Any]]:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {missing}; it needs {list(columns)}")
    lists: list[list[Any]] = []
    for name in columns:  # column by column: a merge of 200 places records 100,000 rows
        column = frame[name]
        values = column.astype(object).tolist()
        if column.hasnans:
            values = [None if gap else v for v, gap in zip(values, column.isna(), strict=True)]
        lists.append(values)
    return [dict(zip(columns, values, strict=True)) for values in zip(*lists, strict=True)]


def _assessment_rows(sub: SubmissionRecord) -> list[dict[str, Any]]:
    rows = _rows(sub.assessments, ASSESSMENT_COLUMNS, f"assessments of {sub.unit_id!r}")
    seen: set[str] = set()
    out = []
    for row in rows:
        para, rag = str(row["para"]), row["rag"]
        if rag not in RAG_VALUES:
            raise ValueError(f"{sub.unit_id!r} {para}: rag {rag!r} is not one of {RAG_VALUES}")
        if para in seen:
            raise ValueError(f"{sub.unit_id!r}: commitment {para} assessed twice")
        seen.add(para)
        out.append(
            {
                "commitment": para,
                "rag": rag,
                "reason": str(row["reason"] or ""),
                "rule": str(row["rule"] or ""),
                "inputs_hash": str(row["inputs_hash"] or ""),
            }
        )
    return out


def _rollup_rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None:
        return []
    return [
        {
            "commitment": str(r["para"]),
            "ics_rag": str(r["ics_rag"]),
            "rule": str(r["rule"] or ""),
            "score": None if r["score"] is None else float(r["score"]),
        }
        for r in _rows(frame, ROLLUP_COLUMNS, "roll-up")
    ]


def _check_units(record: MergeRecord) -> None:
    seen: dict[str, str] = {}
    issues: list[Issue] = []
    for sub in record.submissions:
        if sub.unit_id in seen:
            issues.append(
                make_issue(
                    "duplicate-place",
                    f"{sub.unit_id!r} is submitted twice in one merge ({seen[sub.unit_id]!r} and "
                    f"{sub.file_name!r}); keep one workbook per place.",
                    where=Where(file=sub.file_name),
                )
            )
        seen.setdefault(sub.unit_id, sub.file_name)
    if issues:
        raise LtpgapError(issues, summary="the snapshot was not recorded")


def _allocate_seq(conn: sa.Connection, ics_id: str) -> int:
    """The next snapshot number of the ICS (the unique constraint arbitrates races)."""
    latest = conn.execute(
        sa.select(sa.func.max(snapshots.c.seq)).where(snapshots.c.ics_id == ics_id)
    ).scalar()
    return int(latest or 0) + 1


def _priors(conn: sa.Connection, ics_id: str, units: Sequence[str]) -> dict[str, list[_Prior]]:
    query = (
        sa.select(
            submissions.c.unit_id,
            submissions.c.file_name,
            submissions.c.file_sha256,
            submissions.c.submitted_at,
            snapshots.c.seq,
        )
        .join(snapshots, submissions.c.snapshot_id == snapshots.c.id)
        .where(snapshots.c.ics_id == ics_id, submissions.c.unit_id.in_(list(units)))
        .order_by(snapshots.c.seq)
    )
    out: dict[str, list[_Prior]] = {}
    for unit, name, digest, at, seq in conn.execute(query):
        out.setdefault(unit, []).append(
            _Prior(unit_id=unit, file_name=name, file_hash=digest, submitted_at=at, seq=seq)
        )
    return out


def _refusal(sub: SubmissionRecord, priors: Sequence[_Prior]) -> Refusal | None:
    """Why this submission must not be recorded, or None when it is new."""
    where = Where(file=sub.file_name)
    same = [p for p in priors if p.file_hash == sub.file_hash]
    if same:
        first, latest = same[0], priors[-1]
        since = (
            ""
            if latest.file_hash == sub.file_hash
            else f" A different file ({latest.file_name!r}) has been recorded since, in "
            f"snapshot {latest.seq}."
        )
        message = (
            f"This workbook for {sub.unit_id!r} is identical (sha256 {sub.file_hash[:12]}…) to "
            f"{first.file_name!r}, already recorded in snapshot {first.seq}; it is not counted "
            f"twice.{since}"
        )
        issue = make_issue("duplicate-submission", message, where=where)
        return Refusal(unit_id=sub.unit_id, file_name=sub.file_name, issue=issue)
    newest = max(priors, key=lambda p: p.submitted_at, default=None)
    at = _stored_time(sub.submitted_at)
    if newest is not None and at < newest.submitted_at:
        message = (
            f"This workbook for {sub.unit_id!r} was submitted {at:%Y-%m-%d %H:%M} UTC, before "
            f"{newest.file_name!r} ({newest.submitted_at:%Y-%m-%d %H:%M} UTC) already recorded "
            f"in snapshot {newest.seq}; the older file was not recorded, so the newer answers "
            "stand. Merge the place's latest workbook."
        )
        issue = make_issue("stale-submission", message, where=where)
        return Refusal(unit_id=sub.unit_id, file_name=sub.file_name, issue=issue)
    return None


def _same_rollup(conn: sa.Connection, ics_id: str, seq: int, rows: list[dict[str, Any]]) -> bool:
    previous = conn.execute(
        sa.select(rollups.c.commitment, rollups.c.ics_rag, rollups.c.rule, rollups.c.score)
        .join(snapshots, rollups.c.snapshot_id == snapshots.c.id)
        .where(snapshots.c.ics_id == ics_id, snapshots.c.seq == seq)
    ).all()

    def key(c: str, rag: str, rule: str, score: float | None) -> tuple[Any, ...]:
        return (c, rag, rule, None if score is None else round(score, 9))

    old = {key(*r) for r in previous}
    new = {key(r["commitment"], r["ics_rag"], r["rule"], r["score"]) for r in rows}
    return old == new


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every table here has an integer key
        raise RuntimeError("the database returned no new id")
    return int(key[0])


def _insert_snapshot(conn: sa.Connection, record: MergeRecord) -> Snapshot:
    """Claim the next snapshot number of the ICS, or raise _SeqTaken when a rival got it."""
    seq = _allocate_seq(conn, record.ics_id)
    values = {
        "ics_id": record.ics_id,
        "seq": seq,
        "taken_at": _stored_time(record.taken_at),
        "who": record.who,
        "catalogue_id": record.catalogue_id,
        "catalogue_version": record.catalogue_version,
        "catalogue_hash": record.catalogue_hash,
        "note": record.note,
    }
    try:
        snapshot_id = _new_id(conn.execute(snapshots.insert().values(**values)))
    except sa.exc.IntegrityError as exc:
        raise _SeqTaken from exc
    return Snapshot(
        id=snapshot_id,
        ics_id=record.ics_id,
        seq=seq,
        taken_at=utc(record.taken_at),
        who=record.who,
        catalogue_id=record.catalogue_id,
        catalogue_version=record.catalogue_version,
        catalogue_hash=record.catalogue_hash,
        note=record.note,
    )


def _write_submission(
    conn: sa.Connection, snapshot_id: int, sub: SubmissionRecord, rows: list[dict[str, Any]]
) -> None:
    sub_id = _new_id(
        conn.execute(
            submissions.insert().values(
                snapshot_id=snapshot_id,
                unit_id=sub.unit_id,
                file_name=sub.file_name,
                file_sha256=sub.file_hash,
                catalogue_version=sub.catalogue_version,
                submitted_by=sub.submitted_by,
                submitted_at=_stored_time(sub.submitted_at),
            )
        )
    )
    if rows:
        conn.execute(assessments.insert(), [{"submission_id": sub_id, **r} for r in rows])


def _unchanged(record: MergeRecord, refused: list[Refusal], attempt: int) -> _Unchanged:
    issue = make_issue(
        "snapshot-unchanged",
        f"Nothing new for {record.ics_id!r}: every workbook was already recorded (or older "
        "than one recorded) and the roll-up is unchanged, so no snapshot was added and "
        "movement since the previous snapshot is kept.",
    )
    issues = (*(r.issue for r in refused), issue)
    result = RecordResult(snapshot=None, refused=tuple(refused), issues=issues, attempts=attempt)
    return _Unchanged(result)


def _record_once(
    conn: sa.Connection,
    record: MergeRecord,
    prepared: list[tuple[SubmissionRecord, list[dict[str, Any]]]],
    rollup_rows: list[dict[str, Any]],
    attempt: int,
) -> RecordResult:
    snapshot = _insert_snapshot(conn, record)
    priors = _priors(conn, record.ics_id, [s.unit_id for s, _ in prepared])
    accepted, refused = [], []
    for sub, rows in prepared:
        refusal = _refusal(sub, priors.get(sub.unit_id, []))
        if refusal is None:
            accepted.append((sub, rows))
        else:
            refused.append(refusal)
    if not accepted and (
        not rollup_rows or _same_rollup(conn, record.ics_id, snapshot.seq - 1, rollup_rows)
    ):
        raise _unchanged(record, refused, attempt)
    for sub, rows in accepted:
        _write_submission(conn, snapshot.id, sub, rows)
    if rollup_rows:
        conn.execute(rollups.insert(), [{"snapshot_id": snapshot.id, **r} for r in rollup_rows])
    return RecordResult(
        snapshot=replace(snapshot, submissions=len(accepted)),
        recorded=tuple(s.unit_id for s, _ in accepted),
        refused=tuple(refused),
        issues=tuple(r.issue for r in refused),
        attempts=attempt,
    )


def _transient(exc: sa.exc.OperationalError) -> bool:
    if getattr(exc.orig, "sqlstate", None) in _TRANSIENT_SQLSTATES:
        return True
    return "locked" in str(exc.orig).lower()


def _backoff(attempt: int) -> None:
    """Wait a little longer after each lost race, with jitter so rivals do not collide again."""
    time.sleep(min(1.0, 0.02 * 2**attempt) * (0.5 + random.random()))


def record_snapshot(engine: sa.Engine, record: MergeRecord) -> RecordResult:
    """Record a merge as one snapshot in one transaction, retrying if a concurrent merge wins."""
    _check_units(record)
    prepared = [(sub, _assessment_rows(sub)) for sub in record.submissions]
    rollup_rows = _rollup_rows(record.rollup)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with engine.begin() as conn:
                return _record_once(conn, record, prepared, rollup_rows, attempt)
        except _Unchanged as unchanged:
            return unchanged.result
        except _SeqTaken:
            pass
        except sa.exc.OperationalError as exc:
            if not _transient(exc):
                raise _failed(engine, str(exc.orig), code="store-unavailable") from None
        _backoff(attempt)
    raise _failed(engine, f"other merges kept it busy through {MAX_ATTEMPTS} attempts")


def _failed(engine: sa.Engine, reason: str, *, code: str = "store-busy") -> LtpgapError:
    first = reason.strip().splitlines()[0] if reason.strip() else "unknown error"
    issue = make_issue(
        code,
        f"The snapshot was not recorded: {first}. Nothing was written; run the merge again.",
        where=Where(file=describe_url(engine.url)),
    )
    return LtpgapError([issue], summary="the snapshot was not recorded")
