"""Stores a new user gets wrong or breaks: each gives one clear line and a non-zero exit, before the
work where it can, and with the finished run saved to a file where it cannot."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csto.cli import app

runner = CliRunner()


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, list[str]]:
    """A store holding three runs, and their ids."""
    db = tmp_path / "runs.db"
    ids = []
    for seed in (1, 2, 3):
        done = runner.invoke(
            app, ["simulate", "armenia-2021", "--seed", str(seed), "--db", _url(db), "--json"]
        )
        assert done.exit_code == 0, done.output
        ids.append(json.loads(done.stdout)["run_id"])
    with sqlite3.connect(db) as conn:  # everything in the main file, as a copied store would be
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db, ids


def _damage_table(db: Path, table: str) -> None:
    """Overwrite the root page of one table with junk, as a bad disk or a botched copy would."""
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    data[start + 8 : start + page_size] = b"\xde\xad" * ((page_size - 8) // 2)
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("url", ["", " ", "sqlite://", "sqlite:///", "sqlite:///:memory:"])
def test_a_store_that_keeps_nothing_is_refused_before_the_run(url: str) -> None:
    result = runner.invoke(app, ["simulate", "armenia-2021", "--db", url])
    assert result.exit_code == 2
    assert result.stdout == ""  # no run id printed for a run that was not kept
    line = _one_line(result.stderr)
    assert "empty" in line or "in-memory" in line


def test_an_empty_db_option_does_not_fall_back_to_csto_db(tmp_path: Path) -> None:
    fallback = tmp_path / "fallback.db"
    result = runner.invoke(
        app, ["simulate", "armenia-2021", "--db", ""], env={"CSTO_DB": _url(fallback)}
    )
    assert result.exit_code == 2
    assert "the store URL is empty" in result.stderr
    assert not fallback.exists()


def test_a_mistyped_folder_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "dir"
    result = runner.invoke(app, ["simulate", "armenia-2021", "--db", _url(missing / "x.db")])
    assert result.exit_code == 2
    assert f"the folder {missing} does not exist" in _one_line(result.stderr)
    assert not missing.parent.exists()
    asked = runner.invoke(app, ["db", "upgrade", "--db", _url(missing / "x.db"), "--create-folder"])
    assert asked.exit_code == 0, asked.output
    assert (missing / "x.db").exists()
    stored = runner.invoke(app, ["simulate", "armenia-2021", "--db", _url(missing / "x.db")])
    assert stored.exit_code == 0, stored.output


def _read_only(db: Path) -> str:
    return f"sqlite:///file:{db}?mode=ro&uri=true"


def _newer(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")


def _garbage(db: Path) -> None:
    db.write_bytes(b"this is not a database at all" * 200)


@pytest.mark.parametrize(
    ("breaks", "says"),
    [
        ("read-only", "cannot be written (attempt to write a readonly database)"),
        ("corrupted", "is not a csto store (the file is not an SQLite database"),
        ("newer", "was written by a newer csto (schema revision 0099"),
        ("damaged", "is damaged (database disk image is malformed)"),
    ],
)
def test_a_broken_store_gives_one_line_before_the_run(
    stored: tuple[Path, list[str]], breaks: str, says: str
) -> None:
    db, _ = stored
    url = _url(db)
    if breaks == "read-only":
        url = _read_only(db)
    elif breaks == "corrupted":
        _garbage(db)
    elif breaks == "newer":
        _newer(db)
    else:
        _damage_table(db, "runs")
    result = runner.invoke(app, ["simulate", "armenia-2021", "--db", url])
    assert result.exit_code == 2
    assert result.stdout == ""
    line = _one_line(result.stderr)
    assert says in line
    assert "sqlite:///" in line  # the store is named


def test_a_read_only_store_can_still_be_read(stored: tuple[Path, list[str]]) -> None:
    db, ids = stored
    listed = runner.invoke(app, ["runs", "list", "--db", _read_only(db), "--json"])
    assert listed.exit_code == 0, listed.output
    assert sorted(r["run_id"] for r in json.loads(listed.stdout)) == sorted(ids)
    shown = runner.invoke(app, ["runs", "show", ids[0], "--db", _read_only(db), "--json"])
    assert shown.exit_code == 0, shown.output


def test_a_store_that_fails_after_the_run_saves_the_run_beside_the_error(
    stored: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else holds the store's write lock when the finished run is written."""
    import csto.service.running as running
    import csto.store.session as session

    db, _ = stored
    monkeypatch.setattr(session, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.chdir(tmp_path)
    real = running.simulate
    holder: list[sqlite3.Connection] = []

    def then_locked(*args: Any, **kwargs: Any) -> Any:
        run = real(*args, **kwargs)
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        holder.append(other)
        return run

    monkeypatch.setattr(running, "simulate", then_locked)
    result = runner.invoke(app, ["simulate", "armenia-2021", "--seed", "9", "--db", _url(db)])
    holder[0].rollback()
    holder[0].close()
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert f"cannot write to the store {_url(db)}: database is locked" in line
    saved = tmp_path / line.split("the run was saved to ")[1].split("/")[-1]
    assert saved.parent == tmp_path
    run = json.loads(saved.read_text())
    assert run["seed"] == 9
    assert run["outcome"] == "consultations"
    assert run["run_id"] in saved.name


def test_a_damaged_page_is_a_clear_error_on_every_command(
    stored: tuple[Path, list[str]],
) -> None:
    db, ids = stored
    _damage_table(db, "events")
    shown = runner.invoke(app, ["runs", "show", ids[0], "--db", _url(db)])
    assert shown.exit_code == 2
    assert "is damaged" in _one_line(shown.stderr)
    check = runner.invoke(app, ["db", "check", "--db", _url(db)])
    assert check.exit_code == 1
    lines = check.stderr.strip().splitlines()
    assert len(lines) <= 7  # the first problems, a count, and what to do: not SQLite's hundred
    assert "problem" in lines[-1]
    assert ".recover" in lines[-1]
    full = runner.invoke(app, ["db", "check", "--db", _url(db), "--json"])
    assert full.exit_code == 1
    assert json.loads(full.stdout)["ok"] is False


def test_a_corrupted_file_is_checked_too(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    _garbage(db)
    check = runner.invoke(app, ["db", "check", "--db", _url(db), "--json"])
    assert check.exit_code == 1
    problems = json.loads(check.stdout)["problems"]
    assert len(problems) == 1
    assert "not a csto store" in problems[0]


def test_a_record_that_does_not_decode_is_a_clear_error(
    stored: tuple[Path, list[str]],
) -> None:
    db, ids = stored
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE decisions SET legal = '{'")
    shown = runner.invoke(app, ["runs", "show", ids[0], "--db", _url(db)])
    assert shown.exit_code == 2
    assert "holds a record this csto cannot read" in _one_line(shown.stderr)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET outcome = '99'")
    listed = runner.invoke(app, ["runs", "list", "--db", _url(db)])
    assert listed.exit_code == 2
    line = _one_line(listed.stderr)
    assert "holds a record this csto cannot read (outcome:" in line


def test_db_check_names_a_newer_schema(stored: tuple[Path, list[str]]) -> None:
    db, _ = stored
    _newer(db)
    check = runner.invoke(app, ["db", "check", "--db", _url(db)])
    assert check.exit_code == 1
    assert "written by a newer csto (schema revision 0099" in check.stderr
    assert "csto db upgrade" not in check.stderr
