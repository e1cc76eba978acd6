"""Stored runs: SQLAlchemy models and sessions (SQLite by default, PostgreSQL by URL), Alembic migrations."""

from csto.store.session import Store, StoreError, normalise_url

__all__ = ["Store", "StoreError", "normalise_url"]
