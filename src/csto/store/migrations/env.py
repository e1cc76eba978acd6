"""Alembic environment: csto runs migrations programmatically on the connection it is given."""

from __future__ import annotations

from alembic import context

from csto.store import exercise_rows  # noqa: F401 -- its tables join Base.metadata
from csto.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
