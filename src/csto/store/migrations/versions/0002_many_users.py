"""Runs for many users: crisis facts, status lifecycle, full decisions, positions as rows.

Revision ID: 0002
Revises: 0001

Runs stored at 0001 keep their summary (listed by `csto runs list`); they lack the full decision,
so `csto runs show` says so for them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("crisis", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("finished_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_runs_status", ["status"])
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("asked", sa.String(20), nullable=True))
        batch.add_column(sa.Column("legal", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("procedure", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("extra", sa.JSON(), nullable=True))
    op.create_table(
        "positions",
        sa.Column(
            "run_id", sa.String(32), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("code", sa.String(3), primary_key=True),
        sa.Column("ceiling", sa.String(20), nullable=False),
        sa.Column("stance", sa.String(12), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
    )
    op.create_index("ix_positions_stance", "positions", ["stance"])


def downgrade() -> None:
    op.drop_index("ix_positions_stance", "positions")
    op.drop_table("positions")
    with op.batch_alter_table("decisions") as batch:
        for column in ("extra", "procedure", "legal", "asked"):
            batch.drop_column(column)
    with op.batch_alter_table("runs") as batch:
        batch.drop_index("ix_runs_status")
        for column in ("finished_at", "error", "crisis"):
            batch.drop_column(column)
