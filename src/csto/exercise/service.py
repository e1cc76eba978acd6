"""Exercises over a store: every write in one transaction with its events, every read projected.

    Exercises(world, store, wall=now, notify=True)
      .create(scenario) -> Created           the exercise, its seats' join tokens (shown once),
                                             its injects as rows, its first events
      .join(token) -> Joined                 a join token exchanged, once, for a session
      .session_of(exercise, session)         the seat behind a session cookie (AccessDenied), and
                                             .check_csrf(token) against its CSRF token (Forbidden)
      .submit(exercise, seat, command, target=None, key=None) -> Outcome
                                             idempotent by (seat, key); the log, the inject rows
                                             and the key are written in one transaction
      .tick(exercise), .tick_all()           release what fell due (csto.exercise.due)
      .reissue(exercise, seat) -> token      revoke a seat's link and sessions; a new link
      .put_draft / .drafts                   what a seat types, saved as it types
      .listeners                             called after each commit with (exercise, last seq)

The state of each exercise is kept in this process as a fold of its log and caught up from the
log at the start of every write, under the exercise's lock; a write that fails throws the fold
away, so what the process holds is never ahead of the log. Reads (csto.exercise.queries) fold a
seat's projected events from the log itself.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from csto.domain.errors import AccessDenied, Conflict, DataError, Forbidden, Problem
from csto.engine import Assessment
from csto.exercise import commands as c
from csto.exercise.consult import emit_assessment
from csto.exercise.due import Due, advance, next_due
from csto.exercise.events import ENGINE, EventKind, LogEvent
from csto.exercise.fold import apply
from csto.exercise.injects import Pending, pending_from
from csto.exercise.play import Outcome, command_name, play
from csto.exercise.scenario import Inject, Scenario
from csto.exercise.seats import DIRECTOR, PLAYING, SeatKind, digest, kind_of, new_token
from csto.exercise.state import Clock, ExerciseState
from csto.exercise.turn import Turn
from csto.sim import Event
from csto.store import Store
from csto.store import exercises as repo
from csto.store.exercise_rows import ExerciseEventRow
from csto.world import World

CHANNEL = "csto_exercise"  # PostgreSQL NOTIFY channel: the payload is the exercise id


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Created:
    exercise_id: str
    tokens: dict[str, str]  # seat -> join token, shown once


@dataclass(frozen=True)
class Joined:
    exercise_id: str
    seat: str
    session: str
    csrf: str


@dataclass(frozen=True)
class SessionInfo:
    seat: str
    csrf_hash: str

    def check_csrf(self, csrf: str | None) -> None:
        """The CSRF token bound to this session (Forbidden otherwise)."""
        if not csrf or digest(csrf) != self.csrf_hash:
            raise Forbidden(
                self.seat,
                "send this command",
                "missing or wrong CSRF token: send the csrf cookie's value in the X-CSRF-Token "
                "header (or a form's csrf_token field)",
            )


@dataclass
class _Held:
    """One exercise's fold in this process, and what the loop needs besides it."""

    state: ExerciseState
    pending: dict[str, Pending]
    seed: int
    next_due: datetime | None = None
    clock: Clock | None = None
    stale: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def event_of(row: ExerciseEventRow) -> LogEvent:
    return LogEvent(
        seq=row.seq,
        kind=EventKind(row.kind),
        at=row.at,
        wall=row.wall,
        actor=row.actor,
        engine=row.engine,
        audience=tuple(row.audience) if row.audience is not None else None,
        body=row.body,
        state_hash=row.state_hash,
    )


def row_of(event: LogEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "kind": event.kind.value,
        "at": event.at,
        "wall": event.wall,
        "actor": event.actor,
        "engine": event.engine,
        "audience": list(event.audience) if event.audience is not None else None,
        "body": event.body,
        "state_hash": event.state_hash,
    }


def _pending_of(row: Any) -> Pending:
    return Pending(Inject.model_validate(row.spec), row.position, row.due)


class Exercises:
    def __init__(
        self,
        world: World,
        store: Store,
        wall: Callable[[], datetime] = utcnow,
        notify: bool = True,
    ) -> None:
        self.world, self.store, self.wall = world, store, wall
        self.notify = notify and not store.sqlite
        self.listeners: list[Callable[[str, int], None]] = []
        self.assessments: dict[str, Assessment] = {}
        self.sims: dict[str, tuple[Event, ...]] = {}
        self._held: dict[str, _Held] = {}
        self._guard = threading.Lock()

    # --- creating and joining ----------------------------------------------------------------
    def create(self, scenario: Scenario) -> Created:
        exercise_id = uuid.uuid4().hex
        tokens = {seat: new_token() for seat in scenario.seat_ids}
        wall = self.wall()
        pending = pending_from(scenario)
        state = ExerciseState()
        turn = Turn(self.world, state, DIRECTOR, scenario.start, wall, self.assessments)
        crisis = scenario.crisis
        facts = crisis.facts()
        facts["appeal"] = None  # the appeal is played
        clock = Clock(anchor_at=scenario.start, anchor_wall=wall, rate=scenario.rate, paused=True)
        turn.emit(
            EventKind.EXERCISE_CREATED,
            {
                "exercise_id": exercise_id,
                "title": scenario.title,
                "scenario": scenario.id,
                "note": scenario.note,
                "start": scenario.start,
                "clock": clock.model_dump(mode="json"),
                "settings": scenario.settings.model_dump(mode="json"),
                "chair": scenario.chair,
                "crisis": facts,
                "base_appeal": crisis.appeal.model_dump(mode="json") if crisis.appeal else None,
                "objectives": [o.model_dump(mode="json") for o in scenario.objectives],
                "seats": [{"id": s, "kind": kind_of(s).value} for s in scenario.seat_ids],
            },
        )
        for seat, brief in scenario.seats.briefs.items():
            turn.emit(EventKind.BRIEF, {"seat": seat, "text": brief}, audience=(seat,))
        emit_assessment(turn, "the facts when the exercise opens", changed=False)
        with self.store.transaction() as session:
            repo.add_exercise(
                session,
                exercise_id,
                scenario.title,
                scenario.id,
                scenario.model_dump(mode="json"),
                wall,
            )
            repo.add_seats(
                session, exercise_id, ((s, kind_of(s).value, digest(t)) for s, t in tokens.items())
            )
            repo.add_injects(session, exercise_id, (p.row() for p in pending))
            repo.append_events(session, exercise_id, [row_of(e) for e in turn.emitted])
        return Created(exercise_id, tokens)

    def join(self, token: str, holding: str | None = None) -> Joined:
        """Exchange a join token, once, for a session. `holding`: the seat this browser already
        holds in that exercise, if any; the director cannot also hold a playing seat, nor a
        player the director's."""
        wall = self.wall()
        with self.store.transaction() as session:
            found = repo.find_seat(session, digest(token))
            if (
                found is not None
            ):  # the exercise's lock first, as every writer takes it: no deadlock
                repo.lock_exercise(session, found.exercise_id)
            row = repo.seat_by_token(session, digest(token))
            if row is None:
                raise AccessDenied(
                    "token",
                    "unknown join token; allowed: the token of a join link the director gave you",
                )
            if row.used_at is not None:
                raise AccessDenied(
                    "token",
                    "this join link was used already; each link opens its seat once: ask the director for a new one",
                )
            if holding is not None and holding != row.seat:
                roles = {kind_of(holding), kind_of(row.seat)}
                if SeatKind.DIRECTOR in roles and roles & set(PLAYING):
                    raise Forbidden(
                        holding,
                        f"take the seat {row.seat} as well",
                        "the director cannot hold a playing seat",
                    )
            repo.use_token(session, row, wall)
            session_token, csrf = new_token(), new_token()
            repo.add_session(
                session, digest(session_token), row.exercise_id, row.seat, digest(csrf), wall
            )
            exercise_id, seat = row.exercise_id, row.seat
            if kind_of(seat) in PLAYING:
                self._write_in(session, exercise_id, seat, lambda t, d: _take(t, seat))
        self._after_commit(exercise_id)
        return Joined(exercise_id, seat, session_token, csrf)

    def seat_of(self, exercise_id: str, session_token: str | None) -> str:
        return self.session_of(exercise_id, session_token).seat

    def session_of(self, exercise_id: str, session_token: str | None) -> SessionInfo:
        if not session_token:
            raise AccessDenied(
                "session", "no session for this exercise: open the join link the director gave you"
            )
        with self.store.reading() as session:
            row = repo.session_by_hash(session, digest(session_token))
            if row is None or row.exercise_id != exercise_id:
                raise AccessDenied(
                    "session", "unknown session for this exercise: open your join link again"
                )
            if row.revoked_at is not None:
                raise AccessDenied("session", "this seat's link was revoked by the director")
            return SessionInfo(row.seat, row.csrf_hash)

    def reissue(self, exercise_id: str, seat: str, by: str) -> str:
        if kind_of(by) is not SeatKind.DIRECTOR:
            raise Forbidden(by, "revoke a seat's link", "only the director may")
        token, wall = new_token(), self.wall()
        with self.store.transaction() as session:
            repo.lock_exercise(session, exercise_id)
            repo.reissue_token(session, exercise_id, seat, digest(token), wall)
            repo.revoke_sessions(session, exercise_id, seat, wall)
            self._write_in(session, exercise_id, by, lambda t, d: _release(t, seat))
        self._after_commit(exercise_id)
        return token

    def another_link(self, exercise_id: str, seat: str, by: str) -> str:
        """A link for one more person at a seat (two officers for one state): the seat keeps its
        sessions. The seat's current link must have been used, since a seat has one open link."""
        if kind_of(by) is not SeatKind.DIRECTOR:
            raise Forbidden(by, "give a seat another link", "only the director may")
        token = new_token()
        with self.store.transaction() as session:
            repo.lock_exercise(session, exercise_id)
            repo.another_token(session, exercise_id, seat, digest(token))
        return token

    # --- writing -------------------------------------------------------------------------------
    def submit(
        self,
        exercise_id: str,
        seat: str,
        command: c.Command,
        target: str | None = None,
        key: str | None = None,
    ) -> Outcome:
        name = command_name(command)
        body_digest = hashlib.sha256(
            json.dumps([name, target, command.model_dump(mode="json")], sort_keys=True).encode()
        ).hexdigest()
        for attempt in range(2):
            try:
                with self.store.transaction() as session:
                    repo.lock_exercise(session, exercise_id)  # first: a racing retry waits here
                    if key is not None:
                        found = repo.find_command(session, exercise_id, seat, key)
                        if found is not None:
                            if found.digest != body_digest:
                                raise DataError(
                                    "request",
                                    [
                                        Problem(
                                            "Idempotency-Key",
                                            key,
                                            "allowed: a new key for a different command (this key was used for another)",
                                        )
                                    ],
                                )
                            return Outcome.model_validate(found.answer)
                    outcome, _ = self._write_in(
                        session, exercise_id, seat, lambda t, d: play(t, d, command, target)
                    )
                    assert isinstance(outcome, Outcome)
                    if key is not None:
                        repo.keep_command(
                            session,
                            exercise_id,
                            seat,
                            key,
                            body_digest,
                            outcome.dump(),
                            self.wall(),
                        )
                break
            except _Raced:  # another process took the same position or key: once more
                if attempt:
                    raise Conflict(
                        "exercise", "the command raced another one; send it again"
                    ) from None
        self._after_commit(exercise_id)
        assert isinstance(outcome, Outcome)
        return outcome

    def tick(self, exercise_id: str) -> int:
        """Release what fell due; the number of events it made."""
        held = self._held.get(exercise_id)
        if held is not None and not held.stale and held.clock is not None:
            if held.clock.paused or held.state.status != "running":
                return 0
            if held.next_due is not None and held.next_due > held.clock.now(self.wall()):
                return 0
        made = self._tick(exercise_id)
        if made:
            self._after_commit(exercise_id)
        return made

    def _tick(self, exercise_id: str) -> int:
        for attempt in range(2):
            try:
                with self.store.transaction() as session:
                    _, made = self._write_in(session, exercise_id, ENGINE, advance)
                    return made
            except _Raced:
                if attempt:
                    raise Conflict("exercise", "the loop raced another writer") from None
        return 0

    def tick_all(self) -> int:
        with self.store.reading() as session:
            running = repo.running_exercises(session)
        return sum(self.tick(e) for e in running)

    def mark_stale(self, exercise_id: str) -> None:
        """Another process wrote to the log: the next tick catches up before it decides anything."""
        held = self._held.get(exercise_id)
        if held is not None:
            held.stale = True

    def _held_for(self, session: Session, exercise_id: str, last_seq: int) -> _Held:
        with self._guard:
            held = self._held.get(exercise_id)
        if held is None:
            row = repo.exercise_row(session, exercise_id)
            held = _Held(
                state=ExerciseState(),
                pending={
                    r.inject_id: _pending_of(r) for r in repo.inject_rows(session, exercise_id)
                },
                seed=int(row.scenario["settings"]["seed"]),
            )
        reload = False
        if held.state.seq < last_seq:
            for r in repo.events_after(session, exercise_id, held.state.seq):
                apply(held.state, event_of(r))
                reload = reload or r.kind in (
                    EventKind.INJECT_ADDED.value,
                    EventKind.INJECT_EDITED.value,
                )
        if reload:
            held.pending = {
                r.inject_id: _pending_of(r) for r in repo.inject_rows(session, exercise_id)
            }
        return held

    def _write_in(
        self, session: Session, exercise_id: str, seat: str, act: Callable[[Turn, Due], object]
    ) -> tuple[object, int]:
        """Under the exercise's lock: catch up, act, append the events, keep the inject rows."""
        row = repo.lock_exercise(session, exercise_id)
        held = self._held_for(session, exercise_id, row.last_seq)
        with held.lock:
            try:
                wall = self.wall()
                assert held.state.clock is not None
                turn = Turn(
                    self.world, held.state, seat, held.state.clock.now(wall), wall, self.assessments
                )
                due = Due(held.seed, held.pending, self.sims)
                result = act(turn, due)
                status = "ended" if held.state.status == "ended" else None
                repo.append_events(session, exercise_id, [row_of(e) for e in turn.emitted], status)
                repo.add_injects(session, exercise_id, (p.row() for p in due.added))
                repo.update_injects(session, exercise_id, (p.row() for p in due.edited))
                released = {
                    e.body["inject"]: e.seq
                    for e in turn.emitted
                    if e.kind is EventKind.INJECT_RELEASED
                }
                repo.mark_released(session, exercise_id, released)
                if self.notify and turn.emitted:
                    session.execute(
                        text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": exercise_id}
                    )
                try:
                    session.flush()
                except IntegrityError:
                    raise _Raced() from None
                later = Turn(self.world, held.state, seat, turn.now, wall, self.assessments)
                held.next_due = next_due(later, due)
                held.clock, held.stale = held.state.clock, False
            except BaseException:
                with self._guard:
                    self._held.pop(exercise_id, None)  # the fold may hold events never written
                raise
        with self._guard:
            self._held[exercise_id] = held
        return result, len(turn.emitted)

    def _after_commit(self, exercise_id: str) -> None:
        held = self._held.get(exercise_id)
        seq = held.state.seq if held else 0
        for listener in self.listeners:
            listener(exercise_id, seq)

    # --- drafts ----------------------------------------------------------------------------------
    def put_draft(self, exercise_id: str, seat: str, key: str, text_: str) -> None:
        with self.store.transaction() as session:
            repo.exercise_row(session, exercise_id)
            repo.put_draft(session, exercise_id, seat, key, text_, self.wall())

    def drafts(self, exercise_id: str, seat: str) -> dict[str, str]:
        with self.store.reading() as session:
            return {d.key: d.text for d in repo.drafts_of(session, exercise_id, seat)}


class _Raced(Exception):
    """Two writers took one log position or one idempotency key (not a DatabaseError, so the
    store passes it through after rolling back)."""


def _take(turn: Turn, seat: str) -> None:
    if not turn.state.taken(seat):
        turn.emit(EventKind.SEAT_TAKEN, {"seat": seat})


def _release(turn: Turn, seat: str) -> None:
    if turn.state.taken(seat):
        turn.emit(EventKind.SEAT_RELEASED, {"seat": seat})
