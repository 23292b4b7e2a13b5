"""The history store (SPEC §9): one interface over a SQLite file or a PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Sequence
from types import TracebackType

import pandas as pd
import sqlalchemy as sa

from ltpgap.catalogue import Catalogue
from ltpgap.rag.movement import movement, sort_movement
from ltpgap.store import _query, _record
from ltpgap.store.engine import (
    check_connection,
    create_store_engine,
    describe_url,
    migrate,
    store_url,
)
from ltpgap.store.records import MergeRecord, RecordResult, Snapshot

__all__ = ["Store", "open_store"]


class Store:
    """Snapshots of merges, kept forever and read back as pandas frames.

    Build it with :func:`open_store`. Safe to share between threads; every write is one
    transaction, so concurrent merges (threads, processes or machines) are all recorded.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        """Where the store is, as shown to users (password hidden)."""
        return describe_url(self.engine.url)

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def migrate(self) -> None:
        """Upgrade the schema to the newest revision (done by :func:`open_store` already)."""
        migrate(self.engine)

    def record_snapshot(self, record: MergeRecord) -> RecordResult:
        """Record one merge as a snapshot; stale or already-recorded files are refused."""
        return _record.record_snapshot(self.engine, record)

    def ics_ids(self) -> tuple[str, ...]:
        """The ICSs with at least one snapshot."""
        return _query.ics_ids(self.engine)

    def snapshots(self, ics_id: str) -> tuple[Snapshot, ...]:
        """Every snapshot of an ICS, oldest first."""
        return _query.list_snapshots(self.engine, ics_id)

    def latest_two(self, ics_id: str) -> tuple[Snapshot | None, Snapshot | None]:
        """(previous, latest) snapshot of an ICS; ``None`` where there is none."""
        shots = self.snapshots(ics_id)
        latest = shots[-1] if shots else None
        previous = shots[-2] if len(shots) > 1 else None
        return previous, latest

    def history(
        self,
        ics_id: str | None = None,
        commitment: str | Sequence[str] | None = None,
        place: str | None = None,
        *,
        carry_forward: bool = False,
    ) -> pd.DataFrame:
        """The timeline: one row per recorded assessment (snapshot, place, commitment, RAG…).

        Filters are exact ids; ``commitment`` may be several ids (e.g. a commitment and the
        ones it replaces: :func:`ltpgap.rag.movement.lineage`).
        With ``carry_forward``, every snapshot lists every place as it stood then (a place
        that did not resubmit keeps its previous answers); ``recorded_in`` says where each
        row was recorded. Columns: :data:`ltpgap.store.HISTORY_COLUMNS`.
        """
        return _query.history(
            self.engine,
            ics_id=ics_id,
            commitment=commitment,
            place=place,
            carry_forward=carry_forward,
        )

    def state(self, ics_id: str, seq: int | None = None) -> pd.DataFrame:
        """Every place's assessments as they stood at snapshot ``seq`` (default: the latest)."""
        frame = self.history(ics_id, carry_forward=True)
        if frame.empty:
            return frame
        at = int(frame["snapshot"].max()) if seq is None else seq
        return frame[frame["snapshot"] == at].reset_index(drop=True)

    def rollup_history(
        self, ics_id: str | None = None, commitment: str | Sequence[str] | None = None
    ) -> pd.DataFrame:
        """The ICS roll-up of every snapshot: ``ics, snapshot, taken_at, para, ics_rag, …``."""
        return _query.rollup_history(self.engine, ics_id=ics_id, commitment=commitment)

    def rollup(self, ics_id: str, seq: int | None = None) -> pd.DataFrame:
        """The ICS roll-up at snapshot ``seq`` (default: the latest): para, ics_rag, rule, score."""
        frame = self.rollup_history(ics_id)
        if frame.empty:
            return frame.loc[:, ["para", "ics_rag", "rule", "score"]]
        at = int(frame["snapshot"].max()) if seq is None else seq
        part = frame[frame["snapshot"] == at]
        return part.loc[:, ["para", "ics_rag", "rule", "score"]].reset_index(drop=True)

    def movement(self, ics_id: str, *, catalogue: Catalogue | None = None) -> pd.DataFrame:
        """Per place and commitment: movement from the previous snapshot to the latest."""
        previous, latest = self.latest_two(ics_id)
        frame = self.history(ics_id, carry_forward=True)
        before = frame[frame["snapshot"] == previous.seq] if previous else _empty_state()
        after = frame[frame["snapshot"] == latest.seq] if latest else _empty_state()
        return sort_movement(movement(before, after, catalogue=catalogue))

    def rollup_movement(self, ics_id: str, *, catalogue: Catalogue | None = None) -> pd.DataFrame:
        """Per commitment: movement of the ICS RAG from the previous snapshot (place "ICS")."""
        previous, latest = self.latest_two(ics_id)
        frame = self.rollup_history(ics_id)
        before = frame[frame["snapshot"] == previous.seq] if previous else _empty_rollup()
        after = frame[frame["snapshot"] == latest.seq] if latest else _empty_rollup()
        return sort_movement(movement(before, after, catalogue=catalogue))


def _empty_state() -> pd.DataFrame:
    return pd.DataFrame({"place": [], "para": [], "rag": []}, dtype=object)


def _empty_rollup() -> pd.DataFrame:
    return pd.DataFrame({"para": [], "ics_rag": []}, dtype=object)


def open_store(url_or_path: str | os.PathLike[str], *, upgrade: bool = True) -> Store:
    """Open (creating if needed) the store at a file path, ``sqlite:///…`` or PostgreSQL URL.

    The schema is brought up to date on open (``upgrade=False`` to skip). Problems (folder
    missing, server down, login refused, newer schema) raise :class:`ltpgap.issues.LtpgapError`.
    """
    engine = create_store_engine(store_url(url_or_path))
    check_connection(engine)
    store = Store(engine)
    if upgrade:
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
    return store
