"""The first store schema: snapshots, submissions, assessments and roll-ups.

Revision ID: r0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "r0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ics_id", sa.String, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("taken_at", sa.DateTime, nullable=False),
        sa.Column("who", sa.String, nullable=False),
        sa.Column("catalogue_id", sa.String, nullable=False),
        sa.Column("catalogue_version", sa.String, nullable=False),
        sa.Column("catalogue_hash", sa.String, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
        sa.UniqueConstraint("ics_id", "seq", name="uq_snapshots_ics_id_seq"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("snapshot_id", sa.Integer, nullable=False),
        sa.Column("unit_id", sa.String, nullable=False),
        sa.Column("file_name", sa.String, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("catalogue_version", sa.String, nullable=False),
        sa.Column("submitted_by", sa.String, nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name="fk_submissions_snapshot_id",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("snapshot_id", "unit_id", name="uq_submissions_snapshot_id_unit_id"),
    )
    op.create_index("ix_submissions_unit_id_file_sha256", "submissions", ["unit_id", "file_sha256"])
    op.create_table(
        "assessments",
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("commitment", sa.String, nullable=False),
        sa.Column("inputs_hash", sa.String(64), nullable=False),
        sa.Column("rag", sa.String, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("rule", sa.String, nullable=False),
        sa.PrimaryKeyConstraint("submission_id", "commitment", name="pk_assessments"),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name="fk_assessments_submission_id",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "rollups",
        sa.Column("snapshot_id", sa.Integer, nullable=False),
        sa.Column("commitment", sa.String, nullable=False),
        sa.Column("ics_rag", sa.String, nullable=False),
        sa.Column("rule", sa.String, nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.PrimaryKeyConstraint("snapshot_id", "commitment", name="pk_rollups"),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["snapshots.id"], name="fk_rollups_snapshot_id", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    """Drop the four tables."""
    op.drop_table("rollups")
    op.drop_table("assessments")
    op.drop_index("ix_submissions_unit_id_file_sha256", table_name="submissions")
    op.drop_table("submissions")
    op.drop_table("snapshots")
