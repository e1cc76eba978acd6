"""Opening a run store, writing a run atomically, reading runs back.

Store(url)                    engine + sessions; brings the schema to the newest migration
Store.save(result)            one transaction: the run is complete or absent
Store.list()                  summaries of stored runs, newest first
Store.show(run_id)            a stored run as the same dict `csto simulate --json` printed
normalise_url(url)            'postgresql://' uses the psycopg driver; SQLite files get their folder
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from csto.domain.errors import NotFound, UsageError
from csto.sim.log import SITREP_FIELDS, event_record, sitrep_record
from csto.sim.run import RunResult
from csto.store.models import ContingentRow, DecisionRow, EventRow, RunRow, SitrepRow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(UsageError):
    """The run store cannot be opened or used (bad URL, unreachable server)."""


def normalise_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"{url!r} is not a database URL; use e.g. sqlite:///runs.db or postgresql://user@host/db"
        ) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder {folder} for the SQLite store: {exc.strerror}"
            ) from None
    return parsed.render_as_string(hide_password=False)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


class Store:
    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        try:
            self.engine: Engine = create_engine(self.url)
        except (ArgumentError, ModuleNotFoundError) as exc:
            raise StoreError(f"cannot use the database {url!r}: {exc}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_foreign_keys)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.migrate()

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open the database {self.engine.url!r}: {exc.orig}") from None

    def save(self, result: RunResult) -> str:
        data = result.as_dict()
        with self.sessions.begin() as session:
            run = RunRow(
                id=result.run_id,
                crisis_id=result.crisis.id,
                crisis_title=result.crisis.title,
                crisis_date=result.crisis.date,
                seed=result.seed,
                reforms=list(result.reforms),
                outcome=data["outcome"],
                milestones=data["milestones"],
                forces=data["forces"],
                inputs_hash=result.inputs_hash,
                status="complete",
                created_at=datetime.now(UTC).replace(tzinfo=None),
            )
            decision = data["decision"]
            run.decision = DecisionRow(
                outcome=decision["outcome"],
                legal_ceiling=decision["legal_ceiling"],
                blocked_by=decision["blocked_by"],
                citations=decision["citations"],
                receipt=decision["receipt"],
            )
            run.events = [
                EventRow(
                    seq=i,
                    time=datetime.fromisoformat(e["time"]),
                    kind=e["kind"],
                    actor=e["actor"],
                    details=e["details"],
                )
                for i, e in enumerate(data["events"])
            ]
            run.sitreps = [
                SitrepRow(
                    seq=i,
                    time=datetime.fromisoformat(s["time"]),
                    **{k: s[k] for k in SITREP_FIELDS},
                )
                for i, s in enumerate(data["sitreps"])
            ]
            if result.plan is not None:
                run.contingents = [
                    ContingentRow(code=c.code, personnel=c.personnel, vehicles=c.vehicles)
                    for c in result.plan.contingents
                ]
            session.add(run)
        return result.run_id

    def list(self, limit: int = 50) -> list[dict[str, Any]]:
        with self.sessions() as session:
            rows = session.scalars(
                select(RunRow)
                .where(RunRow.status == "complete")
                .order_by(RunRow.created_at.desc())
                .limit(limit)
            ).all()
            return [
                {
                    "run_id": r.id,
                    "crisis": r.crisis_id,
                    "date": r.crisis_date.isoformat(),
                    "seed": r.seed,
                    "reforms": r.reforms,
                    "outcome": r.outcome,
                    "created_at": r.created_at.isoformat(timespec="seconds"),
                }
                for r in rows
            ]

    def show(self, run_id: str) -> dict[str, Any]:
        with self.sessions() as session:
            run = self._get(session, run_id)
            d = run.decision
            return {
                "run_id": run.id,
                "crisis": {
                    "id": run.crisis_id,
                    "title": run.crisis_title,
                    "date": run.crisis_date.isoformat(),
                },
                "seed": run.seed,
                "reforms": run.reforms,
                "outcome": run.outcome,
                "milestones": run.milestones,
                "forces": run.forces,
                "sitreps": [sitrep_record(_iso(s.time), s) for s in run.sitreps],
                "events": [event_record(_iso(e.time), e) for e in run.events],
                "decision": {
                    "outcome": d.outcome,
                    "legal_ceiling": d.legal_ceiling,
                    "blocked_by": d.blocked_by,
                    "citations": d.citations,
                    "receipt": d.receipt,
                },
                "inputs_hash": run.inputs_hash,
            }

    def _get(self, session: Session, run_id: str) -> RunRow:
        run = session.scalars(
            select(RunRow)
            .where(RunRow.id == run_id, RunRow.status == "complete")
            .options(
                selectinload(RunRow.events),
                selectinload(RunRow.sitreps),
                selectinload(RunRow.decision),
            )
        ).first()
        if run is None:
            known = tuple(r["run_id"] for r in self.list(limit=5))
            raise NotFound("stored run", run_id, known)
        return run


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


__all__ = ["Store", "StoreError", "normalise_url"]
