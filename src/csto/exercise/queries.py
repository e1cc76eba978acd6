"""Reading an exercise: a seat's view, a seat's events, the log checked by replaying it.

SeatView                    what a seat is shown: its seat, exercise time, its fold of the log
MelEntry                    the director's master events list, with each row's status
EventPage                   a seat's events after a position, and where the scan ended
read_log(store, id)         every event, in order
events_for(store, id, seat, after, limit)   projected (csto.exercise.projection)
view(exercises, id, seat)   the fold of the seat's projected events; the director's adds the
                            master events list
Replay, replay(store, id)   fold the whole log again and check every event's state hash
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from pydantic import Field

from csto.domain.contract import Contract
from csto.exercise.events import LogEvent
from csto.exercise.fold import apply, fold
from csto.exercise.projection import project, sees
from csto.exercise.seats import DIRECTOR, SeatKind, kind_of
from csto.exercise.service import Exercises, event_of
from csto.exercise.state import ExerciseState
from csto.store import Store
from csto.store import exercises as repo

PAGE = 500


class MelEntry(Contract):
    id: str
    title: str
    body: str = ""
    audience: tuple[str, ...]
    due: datetime | None = Field(description="exercise time; null: on its condition")
    when: dict[str, Any] | None
    facts: dict[str, Any] | None
    status: str = Field(description="pending or released")
    released_seq: int | None


class SeatView(Contract):
    exercise_id: str
    seat: str
    kind: SeatKind
    exercise_time: datetime
    paused: bool
    rate: float
    seq: int = Field(description="the last event of the log this view has read")
    state: ExerciseState
    mel: tuple[MelEntry, ...] = Field(default=(), description="the director's only")
    drafts: dict[str, str] = Field(default_factory=dict, description="this seat's saved drafts")


class EventPage(Contract):
    events: tuple[LogEvent, ...]
    scanned_to: int = Field(description="the log position the scan reached: ask again after it")


class Replay(Contract):
    exercise_id: str
    events: int
    state_hash: str
    ok: bool
    first_mismatch: int | None = Field(description="the first seq whose recorded hash differs")


def read_log(store: Store, exercise_id: str, after: int = 0) -> list[LogEvent]:
    with store.reading() as session:
        repo.exercise_row(session, exercise_id)
        return [event_of(r) for r in repo.events_after(session, exercise_id, after)]


def events_for(
    store: Store, exercise_id: str, seat: str, after: int = 0, limit: int = PAGE
) -> EventPage:
    found: list[LogEvent] = []
    scanned = after
    with store.reading() as session:
        repo.exercise_row(session, exercise_id)
        while len(found) < limit:
            rows = repo.events_after(session, exercise_id, scanned, PAGE)
            if not rows:
                break
            for row in rows:
                scanned = row.seq
                event = event_of(row)
                if next(project([event], seat), None) is not None:
                    found.append(event)
                    if len(found) >= limit:
                        break
    return EventPage(events=tuple(found), scanned_to=scanned)


class Tails:
    """The recent end of each exercise's log, shared by every stream of one process: when a commit
    wakes a hundred streams, the first to look reads the new rows once and the others find them
    here. Each stream still gets only what its seat's projection lets through."""

    def __init__(self, store: Store, keep: int = 2000) -> None:
        self.store, self.keep = store, keep
        self._lock = threading.Lock()
        self._logs: dict[str, list[LogEvent]] = {}

    def page(self, exercise_id: str, seat: str, after: int, limit: int = PAGE) -> EventPage:
        with self._lock:
            log = self._logs.setdefault(exercise_id, [])  # always consecutive positions
            head = log[-1].seq if log else 0
            if after >= head:  # this stream has seen all that is held: read what is new, once
                with self.store.reading() as session:
                    rows = repo.events_after(session, exercise_id, max(after, head), PAGE)
                if rows and rows[0].seq != head + 1:
                    log.clear()  # not next to what was held: start again from here
                log.extend(event_of(r) for r in rows)
                del log[: max(0, len(log) - self.keep)]
            covered = not log or log[0].seq <= after + 1
            window = [e for e in log if e.seq > after] if covered else None
        if window is None:  # older than what is held: straight from the log
            return events_for(self.store, exercise_id, seat, after, limit)
        found = [e for e in window if sees(seat, e)][:limit]
        scanned = found[-1].seq if len(found) == limit else (window[-1].seq if window else after)
        return EventPage(events=tuple(found), scanned_to=scanned)


def mel_of(store: Store, exercise_id: str) -> tuple[MelEntry, ...]:
    with store.reading() as session:
        rows = repo.inject_rows(session, exercise_id)
    return tuple(
        MelEntry(
            id=r.inject_id,
            title=r.spec["title"],
            body=r.spec.get("body", ""),
            audience=tuple(r.spec["audience"]),
            due=r.due,
            when=r.spec.get("when"),
            facts=r.spec.get("facts"),
            status=r.status,
            released_seq=r.released_seq,
        )
        for r in rows
    )


def view(exercises: Exercises, exercise_id: str, seat: str) -> SeatView:
    events = read_log(exercises.store, exercise_id)
    state = fold(project(events, seat))
    clock = state.clock
    assert clock is not None
    wall = exercises.wall()
    return SeatView(
        exercise_id=exercise_id,
        seat=seat,
        kind=kind_of(seat),
        exercise_time=clock.now(wall),
        paused=clock.paused,
        rate=clock.rate,
        seq=events[-1].seq if events else 0,
        state=state,
        mel=mel_of(exercises.store, exercise_id) if seat == DIRECTOR else (),
        drafts=exercises.drafts(exercise_id, seat),
    )


def replay(store: Store, exercise_id: str) -> Replay:
    state = ExerciseState()
    mismatch = None
    events = read_log(store, exercise_id)
    for event in events:
        apply(state, event)
        if mismatch is None and state.digest() != event.state_hash:
            mismatch = event.seq
    return Replay(
        exercise_id=exercise_id,
        events=len(events),
        state_hash=state.digest(),
        ok=mismatch is None and all(e.seq == k + 1 for k, e in enumerate(events)),
        first_mismatch=mismatch,
    )
