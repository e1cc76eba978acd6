"""Stored runs: SQLAlchemy models, the store (SQLite by default, PostgreSQL by URL), Alembic
migrations, and repository functions that work inside the caller's transaction."""

from csto.store import exercise_rows  # noqa: F401 -- the exercise tables join Base.metadata
from csto.store.models import SEED_MAX
from csto.store.repository import (
    RunSummary,
    fail_run,
    get_run,
    list_runs,
    runs_where,
    save_run,
    start_run,
)
from csto.store.session import HEAD, Store, StoreCheck, StoreError, check_url

__all__ = [
    "HEAD",
    "SEED_MAX",
    "RunSummary",
    "Store",
    "StoreCheck",
    "StoreError",
    "check_url",
    "fail_run",
    "get_run",
    "list_runs",
    "runs_where",
    "save_run",
    "start_run",
]
