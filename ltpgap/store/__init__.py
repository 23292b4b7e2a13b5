"""The history store (SPEC §9): snapshots of every merge in SQLite (default) or PostgreSQL.

The records a merge builds (:class:`MergeRecord`, :class:`SubmissionRecord`) and
:func:`inputs_hash` need no database packages; :func:`open_store` and :class:`Store` need the
``store`` extra (SQLAlchemy, Alembic, psycopg) and are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ltpgap._lazy import lazy_attributes
from ltpgap.store.records import (
    ASSESSMENT_COLUMNS,
    ROLLUP_COLUMNS,
    MergeRecord,
    RecordResult,
    Refusal,
    Snapshot,
    SubmissionRecord,
    inputs_hash,
)

if TYPE_CHECKING:
    from ltpgap.store._query import HISTORY_COLUMNS, ROLLUP_HISTORY_COLUMNS
    from ltpgap.store.store import Store, open_store

__all__ = [
    "ASSESSMENT_COLUMNS",
    "HISTORY_COLUMNS",
    "ROLLUP_COLUMNS",
    "ROLLUP_HISTORY_COLUMNS",
    "MergeRecord",
    "RecordResult",
    "Refusal",
    "Snapshot",
    "Store",
    "SubmissionRecord",
    "inputs_hash",
    "open_store",
]

_LAZY = {
    "Store": "ltpgap.store.store",
    "open_store": "ltpgap.store.store",
    "HISTORY_COLUMNS": "ltpgap.store._query",
    "ROLLUP_HISTORY_COLUMNS": "ltpgap.store._query",
}


__getattr__ = lazy_attributes(__name__, _LAZY)
