"""One turn of play: a command (or the loop's release) checked against a seat and folded as events.

    Turn(world, state, seat, now, wall)   what a handler works on
      .emit(kind, body, ...)              a new event: folded into the state at once, hashed, kept
      .require(kinds, action)             the seat is of one of these kinds (Forbidden otherwise)
      .own_state(given, action)           a member seat acting as its own state only (Forbidden)
      .open()                             the exercise has not ended (Conflict)
      .crisis()                           the crisis facts now, as a Crisis
    engine_assessment(world, crisis, cache)   the engine's assessment of facts, kept in the caller's cache

If a handler raises after emitting, the state it worked on is thrown away by the caller (the
service rebuilds it from the log), so a refused command leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from csto.domain.crisis import Crisis
from csto.domain.errors import Conflict, Forbidden
from csto.engine import Assessment, assess
from csto.exercise.events import ENGINE, EventKind, LogEvent
from csto.exercise.fold import apply
from csto.exercise.seats import SeatKind, kind_of
from csto.exercise.state import ExerciseState
from csto.world import World


@dataclass
class Turn:
    world: World
    state: ExerciseState
    seat: str
    now: datetime
    wall: datetime
    assessments: dict[str, Assessment] = field(default_factory=dict)  # the service's, per World
    emitted: list[LogEvent] = field(default_factory=list)

    def emit(
        self,
        kind: EventKind,
        body: dict[str, Any],
        audience: tuple[str, ...] | None = None,
        engine: bool = False,
        actor: str | None = None,
        at: datetime | None = None,
    ) -> LogEvent:
        event = LogEvent(
            seq=self.state.seq + 1,
            kind=kind,
            at=at or self.now,
            wall=self.wall,
            actor=actor or (ENGINE if engine else self.seat),
            engine=engine,
            audience=audience,
            body=json.loads(json.dumps(body, default=str)),
            state_hash="",
        )
        apply(self.state, event)
        event = event.model_copy(update={"state_hash": self.state.digest()})
        self.emitted.append(event)
        return event

    @property
    def kind(self) -> SeatKind:
        return kind_of(self.seat)

    def require(self, kinds: Iterable[SeatKind], action: str) -> None:
        allowed = tuple(kinds)
        if self.kind not in allowed:
            who = " or ".join(k.value for k in allowed)
            raise Forbidden(self.seat, action, f"only a {who} seat may")

    def own_state(self, given: str | None, action: str) -> str:
        self.require((SeatKind.MEMBER,), action)
        if given is not None and given != self.seat:
            raise Forbidden(self.seat, f"{action} as {given}", "a seat acts only as its own state")
        return self.seat

    def open(self) -> None:
        if self.state.status == "ended":
            raise Conflict("exercise", "the exercise has ended; nothing more can be done in it")

    def crisis(self) -> Crisis:
        return crisis_of(self.state)

    def assessment(self) -> Assessment:
        return engine_assessment(self.world, self.crisis(), self.assessments)


def crisis_of(state: ExerciseState) -> Crisis:
    return Crisis.model_validate(state.crisis)


def engine_assessment(world: World, crisis: Crisis, cache: dict[str, Assessment]) -> Assessment:
    """The engine's assessment of these facts; `cache` belongs to the caller and to one World."""
    key = crisis.model_dump_json()
    found = cache.get(key)
    if found is None:
        if len(cache) > 256:
            cache.clear()
        found = cache[key] = assess(world, crisis)
    return found
