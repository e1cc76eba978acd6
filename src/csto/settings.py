"""Settings read from the environment (the third tier of configuration, after code and data).

CSTO_DB   SQLAlchemy URL of the run store; default: SQLite in the user's data directory
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_db_url() -> str:
    return f"sqlite:///{Path(user_data_dir('csto', appauthor=False)) / 'csto.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CSTO_", extra="ignore")

    db: str = Field(default_factory=default_db_url)
