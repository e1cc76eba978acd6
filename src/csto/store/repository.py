"""Reading and writing runs inside the caller's session: the caller owns the transaction.

    RunSummary                          one line of `csto runs list`
    start_run(session, run_id, ...)     a row with status running, before the work
    save_run(session, run)              a finished run and everything in it (bulk inserts)
    fail_run(session, run_id, error)    status failed, with the reason
    get_run(session, run_id)            a stored run, exactly as it was printed
    list_runs(session, limit, status)   newest first
    runs_where(session, code, stance, measure=None)   runs in which a member took a stance

`save_run` either completes the row `start_run` made or writes a new one; in one transaction,
so a run is complete with all its parts, or not complete at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from pydantic import Field
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from csto.domain.contract import Contract
from csto.domain.crisis import Crisis, MeasureField
from csto.domain.errors import NotFound
from csto.sim.report import Run, RunStatus
from csto.store.models import (
    ContingentRow,
    DecisionRow,
    EventRow,
    PositionRow,
    RunRow,
    SitrepRow,
)

# The assessment's own columns; everything else it holds is kept whole in decisions.extra.
_DECISION_KEYS = {
    "outcome",
    "asked",
    "legal",
    "positions",
    "blocked_by",
    "procedure",
    "citations",
    "receipt",
}


class RunSummary(Contract):
    run_id: str
    status: RunStatus
    crisis: str
    title: str
    date: date
    seed: int
    reforms: tuple[str, ...]
    outcome: MeasureField | None = Field(description="null while running or after a failure")
    created_at: datetime
    error: str | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def start_run(
    session: Session, run_id: str, crisis: Crisis, seed: int, reforms: Sequence[str], inputs: str
) -> None:
    session.add(
        RunRow(
            id=run_id,
            crisis_id=crisis.id,
            crisis_title=crisis.title,
            crisis_date=crisis.date,
            crisis=crisis.facts(),
            seed=seed,
            reforms=list(reforms),
            outcome="",
            milestones={},
            forces={},
            inputs_hash=inputs,
            status=RunStatus.RUNNING.value,
            created_at=_now(),
        )
    )
    session.flush()


def fail_run(session: Session, run_id: str, error: str) -> None:
    row = session.get(RunRow, run_id)
    if row is not None:
        row.status = RunStatus.FAILED.value
        row.error = error[:2000]
        row.finished_at = _now()


def save_run(session: Session, run: Run) -> None:
    data = run.dump()
    row = session.get(RunRow, run.run_id)
    if row is None:
        row = RunRow(id=run.run_id, created_at=_now())
        session.add(row)
    row.crisis_id = run.crisis.id
    row.crisis_title = run.crisis.title
    row.crisis_date = run.crisis.date
    row.crisis = run.crisis.facts()
    row.seed = run.seed
    row.reforms = list(run.reforms)
    row.outcome = data["outcome"]
    row.milestones = data["milestones"]
    row.forces = data["forces"]
    row.inputs_hash = run.inputs_hash
    row.status = RunStatus.COMPLETE.value
    row.error = None
    row.finished_at = _now()
    session.flush()
    assessment = data["assessment"]
    for table in (DecisionRow, PositionRow, EventRow, SitrepRow, ContingentRow):
        session.execute(delete(table).where(table.run_id == run.run_id))
    session.execute(
        insert(DecisionRow),
        [
            {
                "run_id": run.run_id,
                "outcome": assessment["outcome"],
                "legal_ceiling": assessment["legal"]["ceiling"],
                "asked": assessment["asked"],
                "legal": assessment["legal"],
                "procedure": assessment["procedure"],
                "blocked_by": assessment["blocked_by"],
                "citations": assessment["citations"],
                "receipt": assessment["receipt"],
                "extra": {k: v for k, v in assessment.items() if k not in _DECISION_KEYS},
            }
        ],
    )
    _bulk(
        session,
        PositionRow,
        [{"run_id": run.run_id, "code": code, **p} for code, p in assessment["positions"].items()],
    )
    _bulk(
        session,
        EventRow,
        [
            {
                "run_id": run.run_id,
                "seq": i,
                "time": e.time,
                "kind": e.kind,
                "actor": e.actor,
                "details": data["events"][i]["details"],
            }
            for i, e in enumerate(run.events)
        ],
    )
    _bulk(
        session,
        SitrepRow,
        [
            {"run_id": run.run_id, "seq": i, **data["sitreps"][i], "time": s.time}
            for i, s in enumerate(run.sitreps)
        ],
    )
    _bulk(
        session,
        ContingentRow,
        [
            {
                "run_id": run.run_id,
                "code": code,
                "personnel": personnel,
                "vehicles": run.forces.vehicles_by_contingent.get(code, 0),
            }
            for code, personnel in run.forces.contingents.items()
        ],
    )


def _bulk(session: Session, table: type[Any], rows: list[dict[str, Any]]) -> None:
    # One executemany per table: a run is a handful of statements, not hundreds. Through the
    # table itself (SQLAlchemy Core), not the ORM's bulk path: the rows are plain dicts already,
    # and the ORM's per-row bookkeeping took a third of a save.
    if rows:
        session.connection().execute(table.__table__.insert(), rows)


def _summary(row: RunRow) -> RunSummary:
    return RunSummary(
        run_id=row.id,
        status=RunStatus(row.status),
        crisis=row.crisis_id,
        title=row.crisis_title,
        date=row.crisis_date,
        seed=row.seed,
        reforms=tuple(row.reforms),
        outcome=row.outcome or None,
        created_at=row.created_at,
        error=row.error,
    )


def list_runs(
    session: Session, limit: int = 50, status: RunStatus | None = RunStatus.COMPLETE
) -> list[RunSummary]:
    query = select(RunRow).order_by(RunRow.created_at.desc(), RunRow.id).limit(limit)
    if status is not None:
        query = query.where(RunRow.status == status.value)
    return [_summary(r) for r in session.scalars(query)]


def runs_where(
    session: Session, code: str, stance: str, measure: str | None = None, limit: int = 1000
) -> list[RunSummary]:
    """Complete runs in which member `code` took `stance` (e.g. blocks); with `measure`, only
    those where that measure is among what it blocked."""
    query = (
        select(RunRow)
        .join(PositionRow, PositionRow.run_id == RunRow.id)
        .where(
            RunRow.status == RunStatus.COMPLETE.value,
            PositionRow.code == code,
            PositionRow.stance == stance,
        )
        .order_by(RunRow.created_at.desc(), RunRow.id)
        .limit(limit)
    )
    rows = list(session.scalars(query))
    if measure is not None:
        rows = [
            r
            for r in rows
            if r.decision is not None and code in (r.decision.blocked_by or {}).get(measure, [])
        ]
    return [_summary(r) for r in rows]


def get_run(session: Session, run_id: str) -> Run:
    row = session.get(RunRow, run_id)
    if row is None or row.status != RunStatus.COMPLETE.value:
        state = "" if row is None else f" (it is {row.status})"
        raise NotFound("complete stored run", run_id + state)
    d = row.decision
    if d is None or d.legal is None or row.crisis is None:
        raise NotFound(
            "full record of stored run",
            f"{run_id}: it was stored by an older csto that kept only its summary (see csto runs list)",
        )
    positions = {
        p.code: {"ceiling": p.ceiling, "stance": p.stance, "reasons": p.reasons}
        for p in row.positions
    }
    assessment = {
        **(d.extra or {}),
        "outcome": d.outcome,
        "asked": d.asked,
        "legal": d.legal,
        "positions": positions,
        "blocked_by": d.blocked_by,
        "procedure": d.procedure,
        "citations": d.citations,
        "receipt": d.receipt,
    }
    return Run.model_validate(
        {
            "run_id": row.id,
            "status": row.status,
            "crisis": row.crisis,
            "seed": row.seed,
            "reforms": row.reforms,
            "outcome": row.outcome,
            "milestones": row.milestones,
            "forces": row.forces,
            "sitreps": [
                {
                    "time": s.time,
                    "author": s.author,
                    "hub": s.hub,
                    "phase": s.phase,
                    "personnel": s.personnel,
                    "sites": s.sites,
                    "text": s.text,
                }
                for s in row.sitreps
            ],
            "events": [
                {"time": e.time, "kind": e.kind, "actor": e.actor, "details": e.details}
                for e in row.events
            ],
            "assessment": assessment,
            "inputs_hash": row.inputs_hash,
        }
    )
