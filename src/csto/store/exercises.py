"""Repository functions for exercises; each works inside the session (transaction) it is given.

    add_exercise, lock_exercise, exercise_row, running_exercises, list_exercises
    append_events(session, id, rows)     the log grows by whole transactions; (exercise, seq) is
                                         unique, so two writers can never both take a position
    events_after(session, id, seq)       the log from a position
    find_command, keep_command           idempotency keys: a retried command finds its answer
    add_seats, seat_by_token, find_seat, use_token, reissue_token, seat_rows
    add_session, session_by_hash, revoke_sessions
    add_injects, pending_injects, mark_released
    put_draft, drafts_of

`lock_exercise` takes the exercise's row lock (PostgreSQL: SELECT ... FOR UPDATE); on SQLite a
write transaction holds the database's lock from BEGIN IMMEDIATE, which serializes writers alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from csto.domain.errors import Conflict, NotFound
from csto.store.exercise_rows import (
    ExerciseCommandRow,
    ExerciseDraftRow,
    ExerciseEventRow,
    ExerciseInjectRow,
    ExerciseRow,
    ExerciseSeatRow,
    ExerciseSessionRow,
)


def add_exercise(
    session: Session,
    exercise_id: str,
    title: str,
    scenario_id: str,
    scenario: dict[str, Any],
    now: datetime,
) -> None:
    session.add(
        ExerciseRow(
            id=exercise_id,
            title=title,
            scenario_id=scenario_id,
            scenario=scenario,
            status="running",
            last_seq=0,
            created_at=now,
        )
    )
    session.flush()


def exercise_row(session: Session, exercise_id: str) -> ExerciseRow:
    found = session.get(ExerciseRow, exercise_id)
    if found is None:
        raise NotFound("exercise", exercise_id)
    return found


def lock_exercise(session: Session, exercise_id: str) -> ExerciseRow:
    found = session.scalars(
        select(ExerciseRow).where(ExerciseRow.id == exercise_id).with_for_update()
    ).first()
    if found is None:
        raise NotFound("exercise", exercise_id)
    return found


def running_exercises(session: Session) -> list[str]:
    return list(session.scalars(select(ExerciseRow.id).where(ExerciseRow.status == "running")))


def list_exercises(session: Session) -> list[ExerciseRow]:
    return list(session.scalars(select(ExerciseRow).order_by(ExerciseRow.created_at)))


def append_events(
    session: Session, exercise_id: str, rows: Sequence[dict[str, Any]], status: str | None = None
) -> None:
    if not rows:
        return
    session.execute(insert(ExerciseEventRow), [{"exercise_id": exercise_id, **r} for r in rows])
    values: dict[str, Any] = {"last_seq": rows[-1]["seq"]}
    if status is not None:
        values["status"] = status
    session.execute(update(ExerciseRow).where(ExerciseRow.id == exercise_id).values(**values))


def events_after(
    session: Session, exercise_id: str, seq: int = 0, limit: int | None = None
) -> list[ExerciseEventRow]:
    query = (
        select(ExerciseEventRow)
        .where(ExerciseEventRow.exercise_id == exercise_id, ExerciseEventRow.seq > seq)
        .order_by(ExerciseEventRow.seq)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def find_command(
    session: Session, exercise_id: str, seat: str, key: str
) -> ExerciseCommandRow | None:
    return session.get(ExerciseCommandRow, (exercise_id, seat, key))


def keep_command(
    session: Session,
    exercise_id: str,
    seat: str,
    key: str,
    digest: str,
    answer: dict[str, Any],
    now: datetime,
) -> None:
    session.add(
        ExerciseCommandRow(
            exercise_id=exercise_id, seat=seat, key=key, digest=digest, answer=answer, at=now
        )
    )


def add_seats(session: Session, exercise_id: str, seats: Iterable[tuple[str, str, str]]) -> None:
    """(seat, kind, token digest) for each seat."""
    session.add_all(
        ExerciseSeatRow(exercise_id=exercise_id, seat=s, kind=k, token_hash=h) for s, k, h in seats
    )


def seat_rows(session: Session, exercise_id: str) -> list[ExerciseSeatRow]:
    return list(
        session.scalars(select(ExerciseSeatRow).where(ExerciseSeatRow.exercise_id == exercise_id))
    )


def seat_by_token(session: Session, token_hash: str) -> ExerciseSeatRow | None:
    return session.scalars(
        select(ExerciseSeatRow).where(ExerciseSeatRow.token_hash == token_hash).with_for_update()
    ).first()


def find_seat(session: Session, token_hash: str) -> ExerciseSeatRow | None:
    """The seat a token opens, read without a lock."""
    return session.scalars(
        select(ExerciseSeatRow).where(ExerciseSeatRow.token_hash == token_hash)
    ).first()


def use_token(session: Session, row: ExerciseSeatRow, now: datetime) -> None:
    row.used_at = now


def reissue_token(
    session: Session, exercise_id: str, seat: str, token_hash: str, now: datetime
) -> ExerciseSeatRow:
    row = session.get(ExerciseSeatRow, (exercise_id, seat))
    if row is None:
        raise NotFound("seat", seat)
    row.token_hash, row.used_at, row.revoked_at = token_hash, None, now
    return row


def another_token(
    session: Session, exercise_id: str, seat: str, token_hash: str
) -> ExerciseSeatRow:
    """A new link for a seat whose link was used: its sessions stay (csto.exercise.service)."""
    row = session.get(ExerciseSeatRow, (exercise_id, seat))
    if row is None:
        raise NotFound("seat", seat)
    if row.used_at is None:
        raise Conflict(
            "seat",
            f"the link of {seat} has not been used yet: give that one first (a seat has one "
            "open link at a time), or reissue it to revoke it",
        )
    row.token_hash, row.used_at = token_hash, None
    return row


def add_session(
    session: Session, id_hash: str, exercise_id: str, seat: str, csrf_hash: str, now: datetime
) -> None:
    session.add(
        ExerciseSessionRow(
            id_hash=id_hash, exercise_id=exercise_id, seat=seat, csrf_hash=csrf_hash, created_at=now
        )
    )


def session_by_hash(session: Session, id_hash: str) -> ExerciseSessionRow | None:
    return session.get(ExerciseSessionRow, id_hash)


def revoke_sessions(session: Session, exercise_id: str, seat: str, now: datetime) -> int:
    done = session.execute(
        update(ExerciseSessionRow)
        .where(
            ExerciseSessionRow.exercise_id == exercise_id,
            ExerciseSessionRow.seat == seat,
            ExerciseSessionRow.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return int(getattr(done, "rowcount", 0) or 0)


def add_injects(session: Session, exercise_id: str, rows: Iterable[dict[str, Any]]) -> None:
    """Each row: inject_id, position, due (or None), spec."""
    session.add_all(ExerciseInjectRow(exercise_id=exercise_id, status="pending", **r) for r in rows)


def update_injects(session: Session, exercise_id: str, rows: Iterable[dict[str, Any]]) -> None:
    """Pending injects the director changed: their due time and spec (same shape as add_injects)."""
    for r in rows:
        session.execute(
            update(ExerciseInjectRow)
            .where(
                ExerciseInjectRow.exercise_id == exercise_id,
                ExerciseInjectRow.inject_id == r["inject_id"],
                ExerciseInjectRow.status == "pending",
            )
            .values(due=r["due"], spec=r["spec"])
        )


def pending_injects(session: Session, exercise_id: str) -> list[ExerciseInjectRow]:
    return list(
        session.scalars(
            select(ExerciseInjectRow)
            .where(
                ExerciseInjectRow.exercise_id == exercise_id, ExerciseInjectRow.status == "pending"
            )
            .order_by(ExerciseInjectRow.position)
        )
    )


def inject_rows(session: Session, exercise_id: str) -> list[ExerciseInjectRow]:
    return list(
        session.scalars(
            select(ExerciseInjectRow)
            .where(ExerciseInjectRow.exercise_id == exercise_id)
            .order_by(ExerciseInjectRow.position)
        )
    )


def mark_released(session: Session, exercise_id: str, released: dict[str, int]) -> None:
    for inject_id, seq in released.items():
        session.execute(
            update(ExerciseInjectRow)
            .where(
                ExerciseInjectRow.exercise_id == exercise_id,
                ExerciseInjectRow.inject_id == inject_id,
            )
            .values(status="released", released_seq=seq)
        )


def put_draft(
    session: Session, exercise_id: str, seat: str, key: str, text: str, now: datetime
) -> None:
    row = session.get(ExerciseDraftRow, (exercise_id, seat, key))
    if row is None:
        session.add(
            ExerciseDraftRow(exercise_id=exercise_id, seat=seat, key=key, text=text, updated_at=now)
        )
    else:
        row.text, row.updated_at = text, now


def drafts_of(session: Session, exercise_id: str, seat: str) -> list[ExerciseDraftRow]:
    return list(
        session.scalars(
            select(ExerciseDraftRow)
            .where(ExerciseDraftRow.exercise_id == exercise_id, ExerciseDraftRow.seat == seat)
            .order_by(ExerciseDraftRow.key)
        )
    )
