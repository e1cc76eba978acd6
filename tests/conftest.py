"""Shared fixtures: a World built from the shipped data (never the CLI's cached one), and a
writable copy of the data for broken-file tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

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


@pytest.fixture(autouse=True)
def _no_traceback_from_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CLI call in the suite ends in a message and an exit status, never a traceback: an
    exception escaping a command (which CliRunner would catch and hide) fails the test that made it.
    Each call also gets fresh consoles, as a new process would, so its env (COLUMNS) applies."""
    import traceback

    from typer.testing import CliRunner

    invoke = CliRunner.invoke

    def checked(self: CliRunner, *args: Any, **kwargs: Any) -> Any:
        from csto.cli import common

        for console in (common.out, common.err):  # each call reads its own COLUMNS, as a process
            console._console = None
        result = invoke(self, *args, **kwargs)
        exc = result.exception
        if exc is not None and not isinstance(exc, SystemExit):
            shown = "".join(traceback.format_exception(exc))
            pytest.fail(f"the command raised instead of reporting:\n{shown}", pytrace=False)
        assert "Traceback (most recent call last)" not in result.output
        return result

    monkeypatch.setattr(CliRunner, "invoke", checked)
