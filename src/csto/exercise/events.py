"""The exercise's event log: what kinds of event there are and what one holds.

Every accepted command, every inject released and everything the simulation or the engine adds
is one event, appended in the same transaction as its effect; the log is the source of truth and
the state (csto.exercise.state) is a fold over it.

    EventKind   the kinds (docs/exercise.md lists each one's body)
    LogEvent    one event as stored and as sent: seq, kind, exercise time, wall time, actor,
                whether the engine made it, audience (None: every seat), body
    NewEvent    an event before it has its place in the log
    ENGINE      the actor of what the engine's model and the server's loop do

The audience names seat ids; the director sees every event whatever its audience, observers see
only events for every seat (audience None). csto.exercise.projection applies this rule, and only
it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from csto.domain.contract import Contract

ENGINE = "engine"


class EventKind(StrEnum):
    EXERCISE_CREATED = "exercise_created"
    BRIEF = "brief"
    CLOCK = "clock"
    SEAT_TAKEN = "seat_taken"
    SEAT_RELEASED = "seat_released"
    INJECT_ADDED = "inject_added"
    INJECT_EDITED = "inject_edited"
    INJECT_RELEASED = "inject_released"
    ASSESSMENT = "assessment"
    APPEAL_FILED = "appeal_filed"
    MESSAGE = "message"
    MOTION_OPENED = "motion_opened"
    VOTE = "vote"
    MOTION_CLOSED = "motion_closed"
    FORCE_REQUESTED = "force_requested"
    OFFER = "offer"
    OFFER_ACCEPTED = "offer_accepted"
    REQUEST_CLOSED = "request_closed"
    DEPLOYMENT_ORDERED = "deployment_ordered"
    SIM = "sim"
    SITREP_DRAFTED = "sitrep_drafted"
    SITREP_EDITED = "sitrep_edited"
    SITREP_RELEASED = "sitrep_released"
    REPORT_FILED = "report_filed"
    EXERCISE_ENDED = "exercise_ended"


class LogEvent(Contract):
    seq: int = Field(ge=1, description="the event's place in its exercise's log, from 1")
    kind: EventKind
    at: datetime = Field(description="exercise time (UTC)")
    wall: datetime = Field(description="wall-clock time at which it was logged (UTC)")
    actor: str = Field(description="the seat that acted, or 'engine' for the model and the clock")
    engine: bool = Field(description="made by the engine's model (a seat nobody plays, the loop)")
    audience: tuple[str, ...] | None = Field(
        description="the seats it is for; null: every seat (the director sees all in any case)"
    )
    body: dict[str, Any]
    state_hash: str = Field(description="sha256 of the exercise's whole state after this event")


@dataclass(frozen=True)
class NewEvent:
    kind: EventKind
    actor: str
    body: dict[str, Any]
    audience: tuple[str, ...] | None = None
    engine: bool = False
    at: datetime | None = None  # None: now; the loop gives the moment a release fell due
