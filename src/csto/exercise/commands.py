"""The commands a seat may send: typed, bounded, closed to unknown fields. The API takes them as
request bodies and publishes their schemas; csto.exercise.play dispatches them.

Players:      FileAppeal, SendMessage, CastVote, MakeOffer, FileReport
Chair, Secretariat or director:   OpenMotion, CloseMotion
Joint Staff (Secretariat or director):   IssueForceRequest, AcceptOffer, CloseRequest
Crisis Response Center (Secretariat or director):   EditSitrep, ReleaseSitrep
Director:     ClockCommand, AddInject, EditInject, ReleaseInject, EndExercise

Commands that a member state makes take an optional `state`: a seat acts only as its own state, so
any other value is refused with 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from csto.domain.crisis import Invokes, MeasureField
from csto.domain.models import Frozen
from csto.domain.question import QuestionKind
from csto.exercise.scenario import Audience, Condition, FactChanges

Text = Annotated[str, Field(max_length=4000)]
Short = Annotated[str, Field(max_length=200)]
StateCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="an ISO 3166-1 alpha-3 code")]
Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,60}$")]


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("allowed: a time with its zone, such as 2022-01-06T09:00:00Z")
    return value


class Body(BaseModel):
    """Base of every request body: frozen, closed to unknown fields, and built at import (FastAPI
    cannot take a model whose schema is deferred as a body)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Command(Body):
    """Base of every command."""


class FileAppeal(Command):
    """The affected member appeals to the organization (CST Art. 2 or Art. 4, or for assistance)."""

    invokes: Invokes
    asks: MeasureField | None = Field(default=None, description="default: what the article implies")
    statement: Text = ""
    state: StateCode | None = None


class SendMessage(Command):
    """A consultation: to every seat (`to: all`) or to named seats; the white cell sees all."""

    to: Audience
    subject: Short = ""
    text: Text
    answers: Ref | None = Field(default=None, description="the inject this answers")


class OpenMotion(Command):
    """A motion before the Council: a measure on the ladder, or another question."""

    measure: MeasureField | None = None
    question: QuestionKind | None = Field(
        default=None, description="a question other than the crisis appeal (give no measure)"
    )
    subject: StateCode | None = Field(
        default=None,
        description="for questions: the applicant, the member to suspend, the state whose forces "
        "would be stationed, or the nominee's state",
    )
    host: StateCode | None = Field(default=None, description="stationing: the member hosting")
    nominee: Short | None = Field(default=None, description="secretary_general: the nominee")
    text: Text = ""
    hours: float | None = Field(
        default=None, gt=0, le=720, description="voting time, exercise hours"
    )


class CastVote(Command):
    vote: Literal["support", "object", "abstain"]
    statement: Text = ""
    state: StateCode | None = None


class CloseMotion(Command):
    """Close the vote now; seats that have not voted are played by the engine."""


class TaskNeed(Frozen):
    task: Short
    personnel: int = Field(ge=1, le=200_000)


class IssueForceRequest(Command):
    """The Joint Staff's request for forces after a deployment decision."""

    motion: Ref | None = Field(default=None, description="the decision it carries out")
    tasks: tuple[TaskNeed, ...] | None = Field(
        default=None, max_length=20, description="default: the engine's requirement for the task"
    )
    readiness_hours: float = Field(default=24.0, gt=0, le=720)
    hours: float | None = Field(default=None, gt=0, le=720, description="time for offers")


class MakeOffer(Command):
    personnel: int = Field(ge=1, le=200_000)
    vehicles: int | None = Field(
        default=None, ge=0, le=50_000, description="default: by the data's ratio"
    )
    caveats: Text = ""
    state: StateCode | None = None


class AcceptOffer(Command):
    """Accept an offer in full (no numbers) or in part."""

    personnel: int | None = Field(default=None, ge=1, le=200_000)
    vehicles: int | None = Field(default=None, ge=0, le=50_000)


class CloseRequest(Command):
    """Close the request: the accepted contingents deploy on the exercise clock."""


class EditSitrep(Command):
    text: Annotated[str, Field(min_length=1, max_length=8000)]


class ReleaseSitrep(Command):
    audience: Audience = ("all",)
    text: Annotated[str, Field(min_length=1, max_length=8000)] | None = None


class FileReport(Command):
    """A ministry's own report to the Crisis Response Center (and to any other seats named)."""

    text: Annotated[str, Field(min_length=1, max_length=8000)]
    to: tuple[str, ...] = Field(default=(), max_length=20)
    answers: Ref | None = None
    state: StateCode | None = None


class ClockCommand(Command):
    action: Literal["pause", "resume", "speed", "jump"]
    rate: float | None = Field(default=None, gt=0, le=3600, description="for speed")
    to: Annotated[datetime, AfterValidator(_utc)] | None = Field(
        default=None, description="for jump: an exercise time ahead of now"
    )


class AddInject(Command):
    """An inject the director writes during play: released now, after `at` of exercise time, or
    when a condition is met (`when`, as in a scenario's master events list)."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    body: Text = ""
    audience: Audience = ("all",)
    facts: FactChanges | None = None
    at: Annotated[str, Field(max_length=20)] | None = Field(
        default=None, description="an offset from now such as '0:30'; default: at once"
    )
    when: Condition | None = Field(
        default=None, description="released when this is met (plus its delay); not with `at`"
    )


class EditInject(Command):
    """Change a pending inject of the master events list: what is given replaces what it was."""

    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    body: Text | None = None
    audience: Audience | None = None
    at: Annotated[str, Field(max_length=20)] | None = Field(
        default=None, description="due this long after now, such as '1:30' (replaces a condition)"
    )
    when: Condition | None = Field(
        default=None, description="due when this is met (replaces a time); not with `at`"
    )


class ReleaseInject(Command):
    """Release a pending inject of the master events list now."""


class EndExercise(Command):
    """End the exercise: no more commands; the after-action report is final."""


class JoinSeat(Body):
    token: Annotated[str, Field(min_length=1, max_length=200)]


class Draft(Body):
    text: Annotated[str, Field(max_length=8000)]
