"""The run store: SQLite by default, PostgreSQL by URL; atomic writes; migrations match the models."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from typer.testing import CliRunner

from csto.cli import app
from csto.domain import NotFound
from csto.domain.crisis import find_case
from csto.sim import simulate
from csto.store import Store, StoreError
from csto.store.models import Base, EventRow, RunRow

runner = CliRunner()
POSTGRES = os.environ.get("CSTO_TEST_POSTGRES_URL")


def _urls(tmp_path: Path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'runs.db'}"]
    if POSTGRES:
        urls.append(POSTGRES)
    elif os.environ.get("CI"):
        pytest.fail("CI must provide CSTO_TEST_POSTGRES_URL (.ci/run starts PostgreSQL)")
    return urls


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        with Store(f"sqlite:///{tmp_path / 'runs.db'}") as s:
            yield s
        return
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must provide CSTO_TEST_POSTGRES_URL (.ci/run starts PostgreSQL)")
        pytest.skip("no PostgreSQL server here; CI provides one through CSTO_TEST_POSTGRES_URL")
    with Store(POSTGRES) as s:
        with s.engine.begin() as conn:  # a clean slate for each test
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
        yield s


def test_round_trip_identical(store: Store) -> None:
    result = simulate(find_case("kazakhstan-2022"), seed=11)
    run_id = store.save(result)
    assert store.show(run_id) == result.as_dict()
    assert [r["run_id"] for r in store.list()] == [run_id]


def test_failed_write_leaves_no_run(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    result = simulate(find_case("kazakhstan-2022"))

    def boom(self: EventRow, *args: object, **kwargs: object) -> None:
        raise RuntimeError("killed half-way")

    original = EventRow.__init__
    calls = {"n": 0}

    def dying(self: EventRow, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] > 50:
            boom(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(EventRow, "__init__", dying)
    with pytest.raises(RuntimeError, match="killed half-way"):
        store.save(result)
    monkeypatch.undo()
    with store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(RunRow)) == 0
        assert session.scalar(select(func.count()).select_from(EventRow)) == 0
    assert store.list() == []


def test_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_unknown_run(store: Store) -> None:
    with pytest.raises(NotFound, match="no stored run 'nope'"):
        store.show("nope")


def test_bad_url() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store("not a url")
    with pytest.raises(StoreError, match="cannot open the database"):
        Store("postgresql://nobody@127.0.0.1:1/none")


def test_cli_simulate_then_show(tmp_path: Path) -> None:
    for url in _urls(tmp_path):
        printed = runner.invoke(
            app, ["simulate", "kazakhstan-2022", "--db", url, "--json", "--seed", "2"]
        )
        assert printed.exit_code == 0, printed.output
        run = json.loads(printed.stdout)
        shown = runner.invoke(app, ["runs", "show", run["run_id"], "--db", url, "--json"])
        assert shown.exit_code == 0, shown.output
        assert json.loads(shown.stdout) == run
        listed = json.loads(runner.invoke(app, ["runs", "list", "--db", url, "--json"]).stdout)
        assert run["run_id"] in [r["run_id"] for r in listed]


def test_cli_plot(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'runs.db'}"
    for name in ("t.png", "t.html", "t.svg"):
        result = runner.invoke(
            app, ["simulate", "kazakhstan-2022", "--db", db, "--plot", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (tmp_path / "t.html").read_text()
    bad = runner.invoke(
        app, ["simulate", "kazakhstan-2022", "--db", db, "--plot", str(tmp_path / "t.gif")]
    )
    assert bad.exit_code == 2
    assert "allowed plot formats" in bad.stderr


def test_default_store_is_sqlite_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CSTO_DB", raising=False)
    result = runner.invoke(app, ["simulate", "armenia-2021", "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "xdg" / "csto" / "csto.db").exists()


KILLER = """
import os, signal, sys
from csto.domain.crisis import find_case
from csto.sim import simulate
from csto.store import Store
from csto.store.models import EventRow

original = EventRow.__init__
count = [0]

def dying(self, *args, **kwargs):
    count[0] += 1
    if count[0] == 200:  # half-way through the run's events: the process dies on the spot
        os.kill(os.getpid(), signal.SIGKILL)
    original(self, *args, **kwargs)

store = Store(sys.argv[1])
result = simulate(find_case("kazakhstan-2022"))
EventRow.__init__ = dying
store.save(result)
"""


def test_a_run_killed_half_way_is_not_visible(tmp_path: Path) -> None:
    import subprocess
    import sys

    for url in _urls(tmp_path):
        with Store(url) as store, store.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
        done = subprocess.run([sys.executable, "-c", KILLER, url], capture_output=True, timeout=120)
        assert done.returncode == -9, done.stderr.decode()
        with Store(url) as store:
            assert store.list() == []
            with store.sessions() as session:
                assert session.scalar(select(func.count()).select_from(EventRow)) == 0
            finished = simulate(find_case("kazakhstan-2022"))
            store.save(finished)  # the store still works after the crash
            assert [r["run_id"] for r in store.list()] == [finished.run_id]
