"""Shared fixtures: a World built from the shipped data (never the CLI's cached one), and a
writable copy of the data for broken-file tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from csto.domain import DATA_DIR, Organization
from csto.world import World

from .worlds import WORLD

BROKEN = Path(__file__).parent / "data" / "broken"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The CLI's World cache goes to a folder of the test session, not the user's."""
    os.environ["CSTO_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def world() -> World:
    return WORLD


@pytest.fixture(scope="session")
def org() -> Organization:
    return WORLD.org


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data (without cases) that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("cases", "__pycache__"))
    return target
