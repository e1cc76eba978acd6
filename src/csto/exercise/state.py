"""An exercise's state: a fold over its event log, the same for the server and for each seat.

The server folds every event; a seat's view is the fold of the events its projection lets through
(csto.exercise.projection), so a view can only hold what that seat was sent. The state is the one
answer model that is not frozen, because it is built one event at a time.

    Clock, SeatState, Appeal, Message, Vote, Motion, Offer, ForceRequest, Deployment, Sitrep,
      Report, Released, AssessmentNote   the parts
    ExerciseState            the whole; .digest() is the sha256 of its JSON

The fold itself (apply one event, fold a log) is csto.exercise.fold.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Clock(Model):
    """Exercise time = anchor_at + rate x (wall - anchor_wall); frozen at anchor_at while paused."""

    anchor_at: datetime
    anchor_wall: datetime
    rate: float = Field(gt=0)
    paused: bool

    def now(self, wall: datetime) -> datetime:
        if self.paused:
            return self.anchor_at
        return self.anchor_at + timedelta(
            seconds=self.rate * (wall - self.anchor_wall).total_seconds()
        )


class SeatState(Model):
    id: str
    kind: str
    taken: bool = Field(description="a person holds the seat; otherwise the engine plays it")


class Appeal(Model):
    by: str
    invokes: str
    asks: str
    statement: str
    at: datetime
    engine: bool


class Message(Model):
    id: str
    sender: str
    to: tuple[str, ...] | None = Field(description="null: every seat")
    subject: str
    text: str
    answers: str | None = Field(description="the inject this answers, if any")
    at: datetime


class Vote(Model):
    state: str
    vote: Literal["support", "object", "abstain"]
    statement: str
    engine: bool
    at: datetime


class Motion(Model):
    id: str
    kind: str = Field(description="crisis_appeal (a measure on the ladder) or a question kind")
    measure: str | None
    subject: str | None = Field(description="for questions: the state concerned")
    question: dict[str, Any] | None = Field(
        default=None,
        description="for questions: the question as the engine reads it (schema: question)",
    )
    text: str
    opened_by: str
    opened_at: datetime
    deadline: datetime
    rule: str
    abstention_allowed: bool
    voters: tuple[str, ...]
    votes: dict[str, Vote] = Field(default_factory=dict)
    status: Literal["open", "closed"] = "open"
    outcome: Literal["adopted", "rejected"] | None = None
    decided: str | None = Field(default=None, description="the measure decided, if adopted")
    blocked_by: tuple[str, ...] = ()
    closed_at: datetime | None = None
    citations: tuple[dict[str, Any], ...] = ()
    assessment_changed: bool = Field(
        default=False, description="the facts changed while it was open: see the new assessment"
    )


class Offer(Model):
    id: str
    request: str
    state: str
    personnel: int
    vehicles: int
    caveats: str
    engine: bool
    at: datetime
    accepted_personnel: int = 0
    accepted_vehicles: int = 0


class ForceRequest(Model):
    id: str
    motion: str | None
    component: str
    component_name: str
    task: str
    sites: int
    tasks: tuple[dict[str, Any], ...]
    personnel: int
    readiness_hours: float
    deadline: datetime
    issued_by: str
    at: datetime
    status: Literal["open", "closed"] = "open"
    offers: dict[str, Offer] = Field(default_factory=dict)
    accepted: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="state -> accepted personnel and vehicles"
    )

    @property
    def accepted_personnel(self) -> int:
        return sum(a["personnel"] for a in self.accepted.values())

    @property
    def shortfall(self) -> int:
        return max(0, self.personnel - self.accepted_personnel)


class Deployment(Model):
    request: str
    ordered_at: datetime
    component: str
    component_name: str
    task: str
    sites: int
    contingents: dict[str, dict[str, int]]
    personnel: int
    required: int
    airlift: bool
    reasons: tuple[str, ...]
    crisis: dict[str, Any] = Field(
        default_factory=dict, description="the facts, as this state knew them, when it was ordered"
    )
    events: int = Field(default=0, description="simulation events released so far")
    phase: str = "ordered"
    in_theatre: dict[str, int] = Field(default_factory=dict)
    milestones: dict[str, datetime] = Field(default_factory=dict)


class Sitrep(Model):
    id: str
    day: int
    drafted_at: datetime
    text: str
    status: Literal["draft", "released"] = "draft"
    audience: tuple[str, ...] | None = None
    released_at: datetime | None = None
    edited_by: str | None = None
    engine: bool = False


class Report(Model):
    id: str
    by: str
    text: str
    audience: tuple[str, ...]
    answers: str | None
    at: datetime


class Released(Model):
    id: str
    title: str
    body: str
    audience: tuple[str, ...] | None
    facts: dict[str, Any] | None
    due: datetime
    at: datetime
    late: bool
    delay_seconds: float


class AssessmentNote(Model):
    at: datetime
    reason: str
    changed: bool
    outcome: str
    legal_ceiling: str
    assessment: dict[str, Any] = Field(description="the full Assessment (schema: assessment)")


class ExerciseState(Model):
    exercise_id: str = ""
    title: str = ""
    scenario: str = ""
    note: str | None = None
    status: Literal["new", "running", "ended"] = "new"
    started_at: datetime | None = Field(
        default=None, description="when the director first ran the clock"
    )
    seq: int = Field(default=0, description="the last event folded in")
    start: datetime | None = None
    clock: Clock | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    chair: str | None = None
    crisis: dict[str, Any] = Field(default_factory=dict, description="the crisis facts now")
    base_appeal: dict[str, Any] | None = Field(
        default=None, description="the appeal an engine-played appellant files"
    )
    objectives: tuple[dict[str, Any], ...] = ()
    seats: dict[str, SeatState] = Field(default_factory=dict)
    briefs: dict[str, str] = Field(default_factory=dict)
    appeal: Appeal | None = None
    messages: list[Message] = Field(default_factory=list)
    motions: dict[str, Motion] = Field(default_factory=dict)
    requests: dict[str, ForceRequest] = Field(default_factory=dict)
    deployment: Deployment | None = None
    sitreps: dict[str, Sitrep] = Field(default_factory=dict)
    reports: list[Report] = Field(default_factory=list)
    injects: dict[str, Released] = Field(default_factory=dict)
    added_injects: int = 0
    assessment: AssessmentNote | None = None
    marks: dict[str, datetime] = Field(
        default_factory=dict,
        description="the first time each condition an inject may wait for was met",
    )
    counters: dict[str, int] = Field(default_factory=dict)
    ended_at: datetime | None = None

    def digest(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    def members(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.seats.values() if s.kind == "member")

    def taken(self, seat: str) -> bool:
        found = self.seats.get(seat)
        return bool(found and found.taken)

    def mark(self, name: str, at: datetime) -> None:
        self.marks.setdefault(name, at)

    def peek_id(self, prefix: str) -> str:
        """The id the next item of that kind will get (the fold counts them: csto.exercise.fold)."""
        return f"{prefix}{self.counters.get(prefix, 0) + 1}"

    def count(self, prefix: str) -> None:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
