"""The commands, one route each: the body is the command (csto.exercise.commands), the answer an
Outcome (what it made, the log's position, the state's hash). Every route takes the optional
`Idempotency-Key` header: a retried command with the same key does nothing twice and answers as
the first time did.

    POST /api/exercises/{id}/appeal                        FileAppeal     the affected member
    POST /api/exercises/{id}/messages                      SendMessage    consultations
    POST /api/exercises/{id}/motions                       OpenMotion     chair, Secretariat, director
    POST /api/exercises/{id}/motions/{motion}/votes        CastVote       members
    POST /api/exercises/{id}/motions/{motion}/close        CloseMotion
    POST /api/exercises/{id}/force-requests                IssueForceRequest   Joint Staff
    POST /api/exercises/{id}/force-requests/{req}/offers   MakeOffer      members
    POST /api/exercises/{id}/offers/{offer}/accept         AcceptOffer    the lead
    POST /api/exercises/{id}/force-requests/{req}/close    CloseRequest
    POST /api/exercises/{id}/sitreps/{sitrep}/edit         EditSitrep     Crisis Response Center
    POST /api/exercises/{id}/sitreps/{sitrep}/release      ReleaseSitrep
    POST /api/exercises/{id}/reports                       FileReport     ministries
    POST /api/exercises/{id}/clock                         ClockCommand   director
    POST /api/exercises/{id}/injects                       AddInject      director
    POST /api/exercises/{id}/injects/{inject}/edit         EditInject     director
    POST /api/exercises/{id}/injects/{inject}/release      ReleaseInject  director
    POST /api/exercises/{id}/end                           EndExercise    director
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path

from csto.api.auth import ExercisesDep, WriterDep
from csto.api.errors import ERROR_RESPONSES
from csto.exercise import commands as c
from csto.exercise.play import Outcome

router = APIRouter(
    prefix="/api/exercises/{exercise_id}", tags=["commands"], responses=ERROR_RESPONSES
)

Key = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[A-Za-z0-9_.:-]{1,100}$",
        description="a key of your choosing for this command: a retry with it does nothing twice",
    ),
]
Target = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,60}$")]


def _run(
    ex: ExercisesDep, who: WriterDep, command: c.Command, key: str | None, target: str | None = None
) -> Outcome:
    return ex.submit(who.exercise_id, who.seat, command, target, key)


@router.post("/appeal", response_model=Outcome)
def file_appeal(body: c.FileAppeal, who: WriterDep, ex: ExercisesDep, key: Key = None) -> Outcome:
    """The affected member appeals to the organization."""
    return _run(ex, who, body, key)


@router.post("/messages", response_model=Outcome)
def send_message(body: c.SendMessage, who: WriterDep, ex: ExercisesDep, key: Key = None) -> Outcome:
    """A consultation to every seat or to named seats (the white cell sees all)."""
    return _run(ex, who, body, key)


@router.post("/motions", response_model=Outcome)
def open_motion(body: c.OpenMotion, who: WriterDep, ex: ExercisesDep, key: Key = None) -> Outcome:
    """A Council motion: a measure on the ladder, or another question."""
    return _run(ex, who, body, key)


@router.post("/motions/{motion}/votes", response_model=Outcome)
def cast_vote(
    motion: Target, body: c.CastVote, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """Support, object or abstain (where the rule allows), with a statement."""
    return _run(ex, who, body, key, motion)


@router.post("/motions/{motion}/close", response_model=Outcome)
def close_motion(
    motion: Target, body: c.CloseMotion, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """Close the vote; silent seats get the engine's modelled position."""
    return _run(ex, who, body, key, motion)


@router.post("/force-requests", response_model=Outcome)
def issue_force_request(
    body: c.IssueForceRequest, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """The Joint Staff asks for forces after a deployment decision."""
    return _run(ex, who, body, key)


@router.post("/force-requests/{request}/offers", response_model=Outcome)
def make_offer(
    request: Target, body: c.MakeOffer, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """A member offers a contingent."""
    return _run(ex, who, body, key, request)


@router.post("/offers/{offer}/accept", response_model=Outcome)
def accept_offer(
    offer: Target, body: c.AcceptOffer, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """The lead accepts an offer in full or in part."""
    return _run(ex, who, body, key, offer)


@router.post("/force-requests/{request}/close", response_model=Outcome)
def close_request(
    request: Target, body: c.CloseRequest, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """Offers end; the accepted contingents deploy on the exercise clock."""
    return _run(ex, who, body, key, request)


@router.post("/sitreps/{sitrep}/edit", response_model=Outcome)
def edit_sitrep(
    sitrep: Target, body: c.EditSitrep, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """The Crisis Response Center edits a draft situation report."""
    return _run(ex, who, body, key, sitrep)


@router.post("/sitreps/{sitrep}/release", response_model=Outcome)
def release_sitrep(
    sitrep: Target, body: c.ReleaseSitrep, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """The Center releases a situation report to its audience."""
    return _run(ex, who, body, key, sitrep)


@router.post("/reports", response_model=Outcome)
def file_report(body: c.FileReport, who: WriterDep, ex: ExercisesDep, key: Key = None) -> Outcome:
    """A ministry's own report to the Crisis Response Center."""
    return _run(ex, who, body, key)


@router.post("/clock", response_model=Outcome)
def set_clock(body: c.ClockCommand, who: WriterDep, ex: ExercisesDep, key: Key = None) -> Outcome:
    """Pause, resume, speed up or jump ahead (director)."""
    return _run(ex, who, body, key)


@router.post("/injects", response_model=Outcome)
def add_inject(body: c.AddInject, who: WriterDep, ex: ExercisesDep, key: Key = None) -> Outcome:
    """An inject written during play (director)."""
    return _run(ex, who, body, key)


@router.post("/injects/{inject}/edit", response_model=Outcome)
def edit_inject(
    inject: Target, body: c.EditInject, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """Change a pending inject: its text, audience, time or condition (director)."""
    return _run(ex, who, body, key, inject)


@router.post("/injects/{inject}/release", response_model=Outcome)
def release_inject(
    inject: Target, body: c.ReleaseInject, who: WriterDep, ex: ExercisesDep, key: Key = None
) -> Outcome:
    """Release a pending inject now (director)."""
    return _run(ex, who, body, key, inject)


@router.post("/end", response_model=Outcome)
def end_exercise(body: c.EndExercise, who: WriterDep, ex: ExercisesDep, key: Key = None) -> Outcome:
    """End the exercise (director)."""
    return _run(ex, who, body, key)
