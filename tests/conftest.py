"""Shared fixtures: the shipped organization, and a writable copy of the data for broken-file tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from csto.domain import DATA_DIR, Organization, default_organization

BROKEN = Path(__file__).parent / "data" / "broken"


@pytest.fixture(scope="session")
def org() -> Organization:
    return default_organization()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data (without cases) that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("cases", "__pycache__"))
    return target
