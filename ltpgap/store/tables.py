"""The store's tables (SQLAlchemy Core). The schema itself is created by the migrations."""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["assessments", "metadata", "rollups", "snapshots", "submissions"]

metadata = sa.MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    }
)

#: One row per merge recorded: ``seq`` numbers the snapshots of one ICS 1, 2, 3, …
snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ics_id", sa.String, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("taken_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("who", sa.String, nullable=False, default=""),
    sa.Column("catalogue_id", sa.String, nullable=False),
    sa.Column("catalogue_version", sa.String, nullable=False),
    sa.Column("catalogue_hash", sa.String, nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.UniqueConstraint("ics_id", "seq"),
)

#: One row per workbook recorded in a snapshot (a place, or the ICS team's own workbook).
submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("unit_id", sa.String, nullable=False),
    sa.Column("file_name", sa.String, nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("catalogue_version", sa.String, nullable=False),
    sa.Column("submitted_by", sa.String, nullable=False, default=""),
    sa.Column("submitted_at", sa.DateTime, nullable=False),  # UTC
    sa.UniqueConstraint("snapshot_id", "unit_id"),
    sa.Index(None, "unit_id", "file_sha256"),
)

#: One row per commitment assessed in a submission.
assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column(
        "submission_id",
        sa.Integer,
        sa.ForeignKey("submissions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("commitment", sa.String, primary_key=True),
    sa.Column("inputs_hash", sa.String(64), nullable=False),
    sa.Column("rag", sa.String, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("rule", sa.String, nullable=False, default=""),
)

#: The ICS roll-up of a snapshot, one row per commitment.
rollups = sa.Table(
    "rollups",
    metadata,
    sa.Column(
        "snapshot_id",
        sa.Integer,
        sa.ForeignKey("snapshots.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("commitment", sa.String, primary_key=True),
    sa.Column("ics_rag", sa.String, nullable=False),
    sa.Column("rule", sa.String, nullable=False, default=""),
    sa.Column("score", sa.Float, nullable=True),
)
