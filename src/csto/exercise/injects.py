"""Injects: rows of the master events list waiting in the database until the loop releases them.

Pending                    one inject not yet released: when (an exercise time, or a
                           condition), what, to whom
pending_from(scenario)     the scenario's master events list as Pending rows
due_at(pending, state, world, cache)   when it falls due, if it can yet be said: its time; or
                           the moment its condition was met plus its delay
condition_met_at(cond, state, ...)     the moment a condition was first met, or None
release(turn, pending, late)   the inject to its audience, with its fact changes, and the
                           engine's assessment recomputed when facts changed
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from csto.domain.crisis import Measure
from csto.engine import Assessment
from csto.exercise.consult import emit_assessment
from csto.exercise.council import revote_engine_seats
from csto.exercise.events import EventKind
from csto.exercise.projection import audience
from csto.exercise.scenario import Condition, ConditionEvent, Inject, Scenario
from csto.exercise.state import ExerciseState
from csto.exercise.turn import Turn, crisis_of, engine_assessment
from csto.world import World


@dataclass(frozen=True)
class Pending:
    inject: Inject
    position: int
    due: datetime | None  # an exercise time; None: on its condition

    def row(self) -> dict[str, Any]:
        """As the injects table keeps it (csto.store.exercises.add_injects)."""
        return {
            "inject_id": self.inject.id,
            "position": self.position,
            "due": self.due,
            "spec": self.inject.model_dump(mode="json"),
        }


def pending_from(scenario: Scenario) -> list[Pending]:
    return [
        Pending(i, k, scenario.start + timedelta(seconds=i.at) if i.at is not None else None)
        for k, i in enumerate(scenario.mel)
    ]


def condition_met_at(
    c: Condition, state: ExerciseState, world: World, cache: dict[str, Assessment]
) -> datetime | None:
    if c.engine is not None:
        a = engine_assessment(world, crisis_of(state), cache)
        low, high = c.engine.outcome_at_least, c.engine.outcome_below
        if (low is None or a.outcome >= low) and (high is None or a.outcome < high):
            return state.assessment.at if state.assessment else state.start
        return None
    assert c.event is not None
    name = c.event.value
    if c.event is ConditionEvent.INJECT_RELEASED:
        name = f"inject_released:{c.inject}"
    elif c.measure is not None and c.event in (
        ConditionEvent.MOTION_CLOSED,
        ConditionEvent.MOTION_ADOPTED,
        ConditionEvent.MOTION_REJECTED,
    ):
        name = f"{name}:{Measure(c.measure).label}"
    return state.marks.get(name)


def due_at(
    p: Pending, state: ExerciseState, world: World, cache: dict[str, Assessment]
) -> datetime | None:
    if p.due is not None:
        return p.due
    assert p.inject.when is not None
    met = condition_met_at(p.inject.when, state, world, cache)
    return None if met is None else met + timedelta(seconds=p.inject.when.delay)


def release(turn: Turn, p: Pending, late: bool, due: datetime, real_now: datetime) -> None:
    i = turn.state
    rate = i.clock.rate if i.clock else 1.0
    delay = max(0.0, (real_now - due).total_seconds())
    facts = p.inject.facts.changed() if p.inject.facts else None
    seats = audience(p.inject.audience, i.members())
    turn.emit(
        EventKind.INJECT_RELEASED,
        {
            "inject": p.inject.id,
            "title": p.inject.title,
            "text": p.inject.body,
            "facts": facts or None,
            "due": due,
            "late": late or delay / rate > LATE_WALL_SECONDS,
            "delay_seconds": round(delay, 3),
        },
        audience=seats,
        engine=True,
    )
    if facts:  # only the seats that learnt of the change see the assessment it changes
        emit_assessment(turn, f"inject {p.inject.id} changed the facts: {facts}", True, seats)
        revote_engine_seats(turn, "re-assessed after the facts changed")


LATE_WALL_SECONDS = 10.0  # released this long (wall clock) after it fell due: marked late
