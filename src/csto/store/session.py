"""Opening a run store: URLs, connections, transactions, and the schema's revision.

    StoreError                   the store cannot be used: names the URL and the cause
    StoreCheck                   the answer of `csto db check --json`
    check_url(url, ...)          refuse URLs that cannot keep a run (empty, in-memory, no folder)
    Store(url)                   an engine for many processes (SQLite: WAL, busy timeout)
      .revision()                the schema revision the store is at (None: empty)
      .upgrade()                 bring the schema to HEAD: idempotent and safe when several
                                 processes start together (SQLite: an exclusive transaction;
                                 PostgreSQL: an advisory lock)
      .ready(auto_upgrade)       check the revision, upgrading where allowed; refuse a newer schema
      .check_writable()          a write that is rolled back: before the work starts, not after
      .transaction()             a session in one write transaction (SQLite: BEGIN IMMEDIATE)
      .reading()                 a session for reads (SQLite: a deferred transaction)
      .integrity()               the database's own integrity check (SQLite) and the schema's
    HEAD                         the newest migration this csto knows

Alembic is imported only to upgrade. Repository functions (csto.store.repository) take the
session the caller opened, so a caller groups several writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import Field
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from csto.domain.contract import Contract
from csto.domain.errors import UsageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0003"
KNOWN_REVISIONS = ("0001", "0002", "0003")
BUSY_TIMEOUT_MS = 60_000
LOCK_KEY = 0x6373746F  # "csto": the PostgreSQL advisory lock taken while migrating


class StoreError(UsageError):
    """The run store cannot be opened or used (bad URL, unreachable server, wrong schema)."""


class StoreCheck(Contract):
    """`csto db check --json`: the store's integrity and schema, in one answer."""

    store: str = Field(description="the store's URL, password hidden")
    ok: bool
    problems: tuple[str, ...] = Field(
        description="SQLite's integrity findings and schema problems; empty when ok"
    )


def check_url(url: str, create_folder: bool = False) -> str:
    """The URL as csto will use it; refuses what cannot keep a run."""
    if not url or not url.strip():
        raise StoreError(
            "the store URL is empty; give one such as sqlite:///runs.db or "
            "postgresql://user@host/db, or leave --db out for the default store"
        )
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"{url!r} is not a database URL; use e.g. sqlite:///runs.db or postgresql://user@host/db"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"{url!r}: csto stores runs in SQLite or PostgreSQL (got {backend})")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        database = parsed.database
        if database in (None, "", ":memory:") or str(database).startswith("file::memory:"):
            raise StoreError(
                f"{url!r} is an in-memory database, which keeps nothing once csto exits; "
                "give a file such as sqlite:///runs.db"
            )
        file = str(database)
        if file.startswith("file:"):  # a URI filename (sqlite:///file:x.db?mode=ro&uri=true)
            file = file.removeprefix("file:").split("?")[0]
        folder = Path(file).expanduser().absolute().parent
        if not folder.is_dir():
            if not create_folder:
                raise StoreError(
                    f"{url!r}: the folder {folder} does not exist; check the path, or create it "
                    f"(mkdir -p {folder}, or csto db upgrade --db URL --create-folder)"
                )
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder {folder} for the SQLite store: {exc.strerror}"
                ) from None
    return parsed.render_as_string(hide_password=False)


def _describe(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


class Store:
    def __init__(self, url: str, create_folder: bool = False) -> None:
        self.url = check_url(url, create_folder)
        try:
            self.engine: Engine = create_engine(self.url, pool_pre_ping=False)
        except (ArgumentError, ModuleNotFoundError) as exc:
            raise StoreError(f"cannot use the database {url!r}: {exc}") from None
        self.shown = self.engine.url.render_as_string(hide_password=True)
        self.sqlite = self.engine.dialect.name == "sqlite"
        if self.sqlite:
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(
            self.engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False
        )

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fail(self, exc: BaseException, doing: str) -> StoreError:
        cause = _describe(exc)
        if "file is not a database" in cause:
            return StoreError(
                f"{self.shown} is not a csto store (the file is not an SQLite database: {cause})"
            )
        if "malformed" in cause or "could not decode" in cause.lower():
            return StoreError(
                f"{self.shown} is damaged ({cause}); `csto db check --db URL` lists what SQLite finds"
            )
        if "readonly" in cause or "read-only" in cause or "permission denied" in cause.lower():
            return StoreError(f"{self.shown} cannot be written ({cause}): check its permissions")
        return StoreError(f"cannot {doing} the store {self.shown}: {cause}")

    # --- the schema ------------------------------------------------------------------------------
    def revision(self) -> str | None:
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    tables = inspect(conn).get_table_names()
                    if tables:
                        raise StoreError(
                            f"{self.shown} is not a csto store: it holds other tables "
                            f"({', '.join(sorted(tables)[:5])}) and no csto schema"
                        )
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except StoreError:
            raise
        except SQLAlchemyError as exc:
            raise self._fail(exc, "open") from None

    def ready(self, auto_upgrade: bool | None = None) -> Store:
        """Check the schema; upgrade it where allowed (by default: SQLite files, which are
        embedded and single-machine; a PostgreSQL store is upgraded with `csto db upgrade`)."""
        current = self.revision()
        if current == HEAD:
            return self
        if current is not None and current not in KNOWN_REVISIONS:
            raise StoreError(
                f"{self.shown} was written by a newer csto (schema revision {current}; this csto "
                f"knows up to {HEAD}); upgrade csto to use it"
            )
        allowed = self.sqlite if auto_upgrade is None else auto_upgrade
        if not allowed:
            state = (
                "has no csto schema yet" if current is None else f"is at schema revision {current}"
            )
            raise StoreError(
                f"{self.shown} {state}; run `csto db upgrade --db URL` once to bring it to {HEAD}"
            )
        self.upgrade()
        return self

    def upgrade(self) -> str:
        """Bring the schema to HEAD. Every process may call this at once: one migrates, the
        others wait for its lock and then find nothing to do."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            locked = self.engine.execution_options(sqlite_begin="EXCLUSIVE")
            with locked.begin() as conn:
                if not self.sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        except SQLAlchemyError as exc:
            raise self._fail(exc, "upgrade") from None
        return HEAD

    def check_writable(self) -> None:
        """A write that is rolled back, so a store that cannot keep the run fails before the work."""
        try:
            with self.engine.connect() as conn, conn.begin() as tx:
                conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
                tx.rollback()
        except SQLAlchemyError as exc:
            raise self._fail(exc, "write to") from None

    def integrity(self) -> list[str]:
        """Problems found: the database's own check (SQLite) and the schema's revision. A damaged
        file is checked page by page even when its schema cannot be read."""
        problems: list[str] = []
        try:
            current = self.revision()
        except StoreError as exc:
            problems.append(str(exc))
        else:
            if current is None:
                problems.append("no csto schema (an empty database)")
            elif current not in KNOWN_REVISIONS:
                problems.append(
                    f"written by a newer csto (schema revision {current}; this csto knows up to "
                    f"{HEAD}): upgrade csto to use it"
                )
            elif current != HEAD:
                problems.append(f"schema revision {current}; this csto expects {HEAD}")
        if self.sqlite:
            try:
                with self.engine.connect() as conn:
                    rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            except SQLAlchemyError as exc:
                failure = str(self._fail(exc, "check"))
                return problems if failure in problems else [*problems, failure]
            # SQLite's report: "ok", or findings, several to a row, under a "*** in database" line
            found = [line.strip() for r in rows if r != "ok" for line in str(r).splitlines()]
            problems += [f for f in found if f and not f.startswith("*** in database")]
        return problems

    # --- sessions --------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except (OperationalError, DatabaseError) as exc:
            raise self._fail(exc, "write to") from None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads. A stored record that no longer decodes (a damaged or hand-edited
        file) is a StoreError naming the store, not a traceback."""
        try:
            with self._reader() as session:
                yield session
        except (OperationalError, DatabaseError) as exc:
            raise self._fail(exc, "read") from None
        except ValueError as exc:  # JSON or a field that does not decode (pydantic, json)
            raise StoreError(
                f"{self.shown} holds a record this csto cannot read ({_decoding(exc)}); "
                "`csto db check --db URL` examines the store"
            ) from None


def _decoding(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)  # pydantic: the field and what is wrong with it
    if callable(errors):
        first = errors()[0]
        return f"{'.'.join(str(k) for k in first['loc'])}: {first['msg']}"
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # csto issues BEGIN itself (below), so that a writer takes its lock at the start of its
    # transaction instead of upgrading a read lock later, which SQLite cannot wait for.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    try:
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    except Exception:
        pass
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


__all__ = ["HEAD", "Store", "StoreCheck", "StoreError", "check_url"]
