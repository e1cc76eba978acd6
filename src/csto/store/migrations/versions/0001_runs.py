"""Stored runs: runs, decisions, events, sitreps, contingents.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("crisis_id", sa.String(120), nullable=False),
        sa.Column("crisis_title", sa.Text(), nullable=False),
        sa.Column("crisis_date", sa.Date(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("reforms", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("milestones", sa.JSON(), nullable=False),
        sa.Column("forces", sa.JSON(), nullable=False),
        sa.Column("inputs_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_runs_crisis_id", "runs", ["crisis_id"])
    op.create_index("ix_runs_inputs_hash", "runs", ["inputs_hash"])
    op.create_table(
        "decisions",
        sa.Column(
            "run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("legal_ceiling", sa.String(20), nullable=False),
        sa.Column("blocked_by", sa.JSON(), nullable=False),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("receipt", sa.JSON(), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("time", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
    )
    op.create_index("ix_events_run_id", "events", ["run_id"])
    op.create_table(
        "sitreps",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("time", sa.DateTime(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("hub", sa.Text(), nullable=False),
        sa.Column("phase", sa.String(20), nullable=False),
        sa.Column("personnel", sa.Integer(), nullable=False),
        sa.Column("sites", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_sitreps_run_id", "sitreps", ["run_id"])
    op.create_table(
        "contingents",
        sa.Column(
            "run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("code", sa.String(3), primary_key=True),
        sa.Column("personnel", sa.Integer(), nullable=False),
        sa.Column("vehicles", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for table in ("contingents", "sitreps", "events", "decisions", "runs"):
        op.drop_table(table)
