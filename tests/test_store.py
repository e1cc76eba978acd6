"""The run store: SQLite by default, PostgreSQL by URL; many writers; atomic runs; a status
lifecycle; positions one can query; clear refusals of stores that cannot keep a run."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from csto.cli import app
from csto.domain import NotFound
from csto.service.inputs import CrisisInput
from csto.service.running import RunNotSaved, open_store, simulate_and_save
from csto.sim import RunStatus
from csto.sim import simulate as sim_run
from csto.store import (
    HEAD,
    Store,
    StoreError,
    get_run,
    list_runs,
    runs_where,
    save_run,
)
from csto.store.models import Base, EventRow, RunRow

from .worlds import WORLD, case

runner = CliRunner()
POSTGRES = os.environ.get("CSTO_TEST_POSTGRES_URL")


def _urls(tmp_path: Path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'runs.db'}"]
    if POSTGRES:
        urls.append(POSTGRES)
    elif os.environ.get("CI"):
        pytest.fail("CI must provide CSTO_TEST_POSTGRES_URL (.ci/run starts PostgreSQL)")
    return urls


def _clean(store: Store) -> None:
    with store.engine.begin() as conn:  # a clean slate for each test
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        with Store(f"sqlite:///{tmp_path / 'runs.db'}") as s:
            yield s.ready()
        return
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must provide CSTO_TEST_POSTGRES_URL (.ci/run starts PostgreSQL)")
        pytest.skip("no PostgreSQL server here; CI provides one through CSTO_TEST_POSTGRES_URL")
    with Store(POSTGRES) as s:
        s.ready(auto_upgrade=True)
        _clean(s)
        yield s


def test_round_trip_identical(store: Store) -> None:
    run = sim_run(WORLD, case("kazakhstan-2022"), seed=11)
    with store.transaction() as session:
        save_run(session, run)
    with store.reading() as session:
        assert get_run(session, run.run_id) == run
        assert [r.run_id for r in list_runs(session)] == [run.run_id]


def test_a_failed_write_leaves_no_complete_run(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csto.store.repository as repository

    run = sim_run(WORLD, case("kazakhstan-2022"))
    original = repository._bulk

    def dying(session: object, table: type, rows: list) -> None:  # type: ignore[type-arg]
        if table is EventRow:
            raise RuntimeError("killed half-way")
        original(session, table, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(repository, "_bulk", dying)
    with pytest.raises(RuntimeError, match="killed half-way"), store.transaction() as session:
        save_run(session, run)
    monkeypatch.undo()
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(RunRow)) == 0
        assert session.scalar(select(func.count()).select_from(EventRow)) == 0
        assert list_runs(session) == []


def test_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert store.revision() == HEAD


def test_the_head_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from csto.store.session import KNOWN_REVISIONS, MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == HEAD
    assert sorted(r.revision for r in script.walk_revisions()) == sorted(KNOWN_REVISIONS)


def test_an_unknown_run_names_only_itself(store: Store) -> None:
    run = sim_run(WORLD, case("armenia-2021"))
    with store.transaction() as session:
        save_run(session, run)
    with store.reading() as session, pytest.raises(NotFound) as caught:
        get_run(session, "nope")
    assert "nope" in str(caught.value)
    assert run.run_id not in str(caught.value)


def test_positions_are_rows_one_can_query(store: Store) -> None:
    from csto.domain.crisis import parse_crisis

    attack = {  # an attack on Armenia by a partner of three members: they block a deployment
        "format": 1,
        "id": "attack",
        "title": "Attack",
        "date": "2022-09-13",
        "appeal": {"by": "ARM", "invokes": "art4"},
        "situation": {
            "kind": "armed_attack",
            "territory": "ARM",
            "opponents": ["AZE"],
            "foreign_involvement": "evidenced",
            "intensity": "high",
        },
    }
    blocked = parse_crisis(attack, "attack.yaml")
    agreed = case("kazakhstan-2022")
    runs = [sim_run(WORLD, c) for c in (blocked, agreed)]
    with store.transaction() as session:
        for run in runs:
            save_run(session, run)
    blockers = {code for code, p in runs[0].assessment.positions.items() if p.stance == "blocks"}
    assert blockers, "the case must have a blocker for this test to mean anything"
    code = sorted(blockers)[0]
    with store.reading() as session:
        found = runs_where(session, code, "blocks")
    assert [r.run_id for r in found] == [runs[0].run_id]


def test_a_run_has_a_status_lifecycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csto.service.running as running

    url = f"sqlite:///{tmp_path / 'runs.db'}"
    given = CrisisInput(case("kazakhstan-2022"), None)
    with open_store(url) as store:
        done = simulate_and_save(WORLD, given, store)

        def broken(*args: object, **kwargs: object) -> None:
            raise ValueError("the simulation broke")

        monkeypatch.setattr(running, "simulate", broken)
        with pytest.raises(ValueError, match="the simulation broke"):
            simulate_and_save(WORLD, given, store)
        with store.reading() as session:
            complete = list_runs(session)
            everything = list_runs(session, status=None)
    assert [r.run_id for r in complete] == [done.run_id]
    failed = [r for r in everything if r.status is RunStatus.FAILED]
    assert len(failed) == 1
    assert "the simulation broke" in (failed[0].error or "")


def test_a_store_failure_after_the_run_saves_the_run_beside_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csto.service.running as running

    def refused(*args: object, **kwargs: object) -> None:
        raise StoreError("disk full")

    with open_store(f"sqlite:///{tmp_path / 'runs.db'}") as store:
        monkeypatch.setattr(running, "save_run", refused)
        with pytest.raises(RunNotSaved) as caught:
            simulate_and_save(
                WORLD, CrisisInput(case("kazakhstan-2022"), None), store, rescue_folder=tmp_path
            )
    saved = caught.value.saved
    assert saved is not None
    assert str(saved) in str(caught.value)
    assert json.loads(saved.read_text())["outcome"] == "deployment"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("not a url", "not a database URL"),
        ("", "the store URL is empty"),
        ("sqlite://", "in-memory database"),
        ("sqlite:///:memory:", "in-memory database"),
        ("sqlite:////nonexistent/dir/x.db", "the folder /nonexistent/dir does not exist"),
        ("mysql://u@h/db", "SQLite or PostgreSQL"),
    ],
)
def test_urls_that_cannot_keep_a_run_are_refused(url: str, says: str) -> None:
    with pytest.raises(StoreError, match=says):
        Store(url)
    assert not Path("/nonexistent").exists()


def test_an_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        Store("postgresql://nobody@127.0.0.1:1/none").ready()


def test_postgresql_is_upgraded_only_when_asked() -> None:
    if not POSTGRES:
        pytest.skip("no PostgreSQL server here; CI provides one through CSTO_TEST_POSTGRES_URL")
    with Store(POSTGRES) as s:
        s.ready(auto_upgrade=True)
        with s.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        with pytest.raises(StoreError, match="csto db upgrade"):
            s.ready()
        with s.engine.begin() as conn:  # back to the head, as the migration left it
            conn.execute(text(f"UPDATE alembic_version SET version_num = '{HEAD}'"))


def test_cli_db_options_are_checked_before_the_work(tmp_path: Path) -> None:
    for args in (["--db", ""], ["--db", "sqlite://"], ["--db", "sqlite:////nonexistent/x.db"]):
        result = runner.invoke(app, ["simulate", "kazakhstan-2022", *args])
        assert result.exit_code == 2, result.output
        assert "error:" in result.stderr
        assert "Traceback" not in result.output
    empty = runner.invoke(app, ["simulate", "kazakhstan-2022"], env={"CSTO_DB": ""})
    assert empty.exit_code == 2
    assert "empty" in empty.stderr


def test_a_read_only_store_fails_before_the_work(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    with open_store(f"sqlite:///{db}"):
        pass
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    result = runner.invoke(app, ["simulate", "kazakhstan-2022", "--db", read_only])
    assert result.exit_code == 2, result.output
    assert "cannot be written" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_corrupted_store_is_not_a_csto_store(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    db.write_bytes(b"this is not a database at all" * 200)
    for args in (["simulate", "kazakhstan-2022"], ["runs", "list"], ["runs", "show", "x"]):
        result = runner.invoke(app, [*args, "--db", f"sqlite:///{db}"])
        assert result.exit_code == 2, result.output
        assert "is not a csto store" in result.stderr
        assert "Traceback" not in result.output
    check = runner.invoke(app, ["db", "check", "--db", f"sqlite:///{db}"])
    assert check.exit_code == 1
    assert "not a csto store" in check.output


def test_a_store_from_a_newer_csto_says_so(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    with open_store(f"sqlite:///{db}"):
        pass
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    result = runner.invoke(app, ["runs", "list", "--db", f"sqlite:///{db}"])
    assert result.exit_code == 2
    assert "written by a newer csto (schema revision 0099" in result.stderr


def test_db_upgrade_and_check(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    up = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert up.exit_code == 0, up.output
    assert f"schema at {HEAD} (was empty)" in up.stdout
    again = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert f"schema at {HEAD} (was {HEAD})" in again.stdout
    check = runner.invoke(app, ["db", "check", "--db", url, "--json"])
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["ok"] is True


def test_cli_simulate_then_show(tmp_path: Path) -> None:
    for url in _urls(tmp_path):
        if url.startswith("postgresql"):
            runner.invoke(app, ["db", "upgrade", "--db", url])
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


def test_runs_list_on_an_empty_store_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["runs", "list", "--db", f"sqlite:///{tmp_path / 'e.db'}"])
    assert result.exit_code == 0, result.output
    assert "no complete runs stored" in result.stdout


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
import csto.store.repository as repository
from csto.service.inputs import CrisisInput
from csto.service.running import open_store, simulate_and_save
from csto.store.models import EventRow
from csto.world import World

original = repository._bulk

def dying(session, table, rows):
    if table is EventRow:  # half-way through the run's rows: the process dies on the spot
        os.kill(os.getpid(), signal.SIGKILL)
    original(session, table, rows)

world = World.load()
repository._bulk = dying
with open_store(sys.argv[1]) as store:
    simulate_and_save(world, CrisisInput(world.cases.get("kazakhstan-2022"), None), store)
"""


def test_a_run_killed_half_way_is_not_visible(tmp_path: Path) -> None:
    for url in _urls(tmp_path):
        with Store(url) as store:
            store.ready(auto_upgrade=True)
            _clean(store)
        done = subprocess.run([sys.executable, "-c", KILLER, url], capture_output=True, timeout=120)
        assert done.returncode == -9, done.stderr.decode()
        with open_store(url) as store:
            with store.reading() as session:
                assert list_runs(session) == []  # nothing complete
                stale = list_runs(session, status=None)
                assert [r.status for r in stale] == [RunStatus.RUNNING]
                assert session.scalar(select(func.count()).select_from(EventRow)) == 0
            finished = simulate_and_save(
                WORLD, CrisisInput(case("kazakhstan-2022"), None), store
            )  # the store still works after the crash
            with store.reading() as session:
                assert [r.run_id for r in list_runs(session)] == [finished.run_id]


def test_eight_processes_write_to_one_fresh_sqlite_file(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    csto = Path(sys.executable).parent / "csto"
    env = {**os.environ, "CSTO_DB": db}
    procs = [
        subprocess.Popen(
            [str(csto), "simulate", "kazakhstan-2022", "--seed", str(seed), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for seed in range(8)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_, stderr) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, stderr.decode()
    ids = {json.loads(stdout)["run_id"] for stdout, _ in outputs}
    with open_store(db) as store, store.reading() as session:
        stored = {r.run_id for r in list_runs(session, limit=100)}
    assert len(ids) == 8
    assert stored == ids
