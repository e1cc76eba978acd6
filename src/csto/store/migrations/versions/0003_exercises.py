"""Exercises for `csto serve`: the event log, idempotency keys, seats and sessions, injects, drafts.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _exercise() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "exercise_id",
        sa.String(32),
        sa.ForeignKey("exercises.id", ondelete="CASCADE"),
        primary_key=True,
    )


def upgrade() -> None:
    op.create_table(
        "exercises",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("scenario_id", sa.String(80), nullable=False),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_exercises_status", "exercises", ["status"])
    op.create_table(
        "exercise_events",
        _exercise(),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("wall", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(20), nullable=False),
        sa.Column("engine", sa.Boolean(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("state_hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "exercise_commands",
        _exercise(),
        sa.Column("seat", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "exercise_seats",
        _exercise(),
        sa.Column("seat", sa.String(20), primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "exercise_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column(
            "exercise_id",
            sa.String(32),
            sa.ForeignKey("exercises.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seat", sa.String(20), nullable=False),
        sa.Column("csrf_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_exercise_sessions_exercise_id", "exercise_sessions", ["exercise_id"])
    op.create_table(
        "exercise_injects",
        _exercise(),
        sa.Column("inject_id", sa.String(60), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due", sa.DateTime(), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("released_seq", sa.Integer(), nullable=True),
    )
    op.create_index("ix_exercise_injects_pending", "exercise_injects", ["exercise_id", "status"])
    op.create_table(
        "exercise_drafts",
        _exercise(),
        sa.Column("seat", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "exercise_drafts",
        "exercise_injects",
        "exercise_sessions",
        "exercise_seats",
        "exercise_commands",
        "exercise_events",
    ):
        op.drop_table(table)
    op.drop_index("ix_exercises_status", "exercises")
    op.drop_table("exercises")
