"""Scenarios, creating exercises, joining seats, and the director's seat management.

GET  /api/health                         {"ok": true, "worker": pid}
GET  /api/scenarios                      the shipped scenarios
POST /api/scenarios/check                a scenario (YAML text) checked: its summary, or 422
POST /api/exercises                      an exercise from a shipped scenario or an uploaded
                                         one: its id and one join link per seat (shown once)
GET  /api/exercises                      the exercises in this store
POST /api/join                           a join token exchanged, once, for this seat's cookies
GET  /join/{token}                       the same from a link; redirects to the seat's page
POST /api/exercises/{id}/seats/{seat}/reissue   the seat's link and sessions revoked; a new
                                         link (director)
POST /api/exercises/{id}/seats/{seat}/another   a link for one more person at the seat, whose
                                         sessions stay (director)
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import Field

from csto.api.auth import ExercisesDep, WriterDep, cookie_name, set_session
from csto.api.errors import ERROR_RESPONSES
from csto.domain.contract import Contract
from csto.domain.errors import AccessDenied, DataError, Problem
from csto.exercise import scenario_argument, scenario_text
from csto.exercise.commands import Body, JoinSeat
from csto.exercise.scenario import ScenarioSummary, shipped_scenarios
from csto.exercise.seats import digest
from csto.store import exercises as repo

router = APIRouter(tags=["exercises"], responses=ERROR_RESPONSES)
SeatId = Annotated[str, Path(pattern=r"^[A-Z0-9]{2,12}$", description="a seat: KAZ, SEC, OBS1...")]


class Health(Contract):
    ok: bool
    worker: int


class ScenarioUpload(Body):
    text: str = Field(min_length=1, max_length=1_048_576, description="the scenario file's YAML")


class NewExercise(Body):
    scenario: str | None = Field(
        default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="a shipped scenario's id"
    )
    text: str | None = Field(default=None, max_length=1_048_576, description="or a scenario's YAML")


class SeatLink(Contract):
    seat: str
    url: str = Field(description="open once: exchanged for the seat's session cookie")


class CreatedExercise(Contract):
    exercise_id: str
    title: str
    director: str
    links: tuple[SeatLink, ...]


class ExerciseSummary(Contract):
    exercise_id: str
    title: str
    scenario: str
    status: str
    events: int
    created_at: datetime


class JoinedSeat(Contract):
    exercise_id: str
    seat: str
    csrf: str = Field(description="send it back in the X-CSRF-Token header with every command")
    view: str


def link(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/join/{token}"


@router.get("/api/health", response_model=Health)
def health() -> Health:
    return Health(ok=True, worker=os.getpid())


@router.get("/api/scenarios", response_model=list[ScenarioSummary])
def scenarios(ex: ExercisesDep) -> list[ScenarioSummary]:
    return [ScenarioSummary.of(scenario_argument(ex.world, s)) for s in shipped_scenarios()]


@router.post("/api/scenarios/check", response_model=ScenarioSummary)
def check_scenario(body: ScenarioUpload, ex: ExercisesDep) -> ScenarioSummary:
    return ScenarioSummary.of(scenario_text(ex.world, body.text, "scenario"))


@router.post("/api/exercises", response_model=CreatedExercise, status_code=201)
def create_exercise(body: NewExercise, request: Request, ex: ExercisesDep) -> CreatedExercise:
    if (body.scenario is None) == (body.text is None):
        raise DataError(
            "request",
            [
                Problem(
                    "scenario",
                    body.scenario,
                    "allowed: exactly one of 'scenario' (a shipped id: "
                    + ", ".join(shipped_scenarios())
                    + ") or 'text' (a scenario's YAML)",
                )
            ],
        )
    if body.scenario is not None:
        if body.scenario not in shipped_scenarios():
            raise DataError(
                "request",
                [Problem("scenario", body.scenario, "allowed: " + ", ".join(shipped_scenarios()))],
            )
        scenario = scenario_argument(ex.world, body.scenario)
    else:
        scenario = scenario_text(ex.world, body.text or "", "scenario")
    created = ex.create(scenario)
    base = str(request.base_url)
    return CreatedExercise(
        exercise_id=created.exercise_id,
        title=scenario.title,
        director=link(base, created.tokens["DIRECTOR"]),
        links=tuple(
            SeatLink(seat=s, url=link(base, t))
            for s, t in created.tokens.items()
            if s != "DIRECTOR"
        ),
    )


@router.get("/api/exercises", response_model=list[ExerciseSummary])
def list_exercises(ex: ExercisesDep) -> list[ExerciseSummary]:
    with ex.store.reading() as session:
        rows = repo.list_exercises(session)
    return [
        ExerciseSummary(
            exercise_id=r.id,
            title=r.title,
            scenario=r.scenario_id,
            status=r.status,
            events=r.last_seq,
            created_at=r.created_at,
        )
        for r in rows
    ]


def _holding(request: Request, ex: ExercisesDep, token: str) -> str | None:
    """The seat this browser already holds in the exercise the token opens, if any."""
    with ex.store.reading() as session:
        row = repo.find_seat(session, digest(token))
    held = request.cookies.get(cookie_name(row.exercise_id)) if row is not None else None
    if row is None or not held:
        return None
    try:
        return ex.seat_of(row.exercise_id, held)
    except AccessDenied:
        return None


def _join(request: Request, response: Response, ex: ExercisesDep, token: str) -> JoinedSeat:
    joined = ex.join(token, holding=_holding(request, ex, token))
    set_session(response, joined, secure=request.url.scheme == "https")
    return JoinedSeat(
        exercise_id=joined.exercise_id,
        seat=joined.seat,
        csrf=joined.csrf,
        view=f"/api/exercises/{joined.exercise_id}/view",
    )


@router.post("/api/join", response_model=JoinedSeat)
def join(body: JoinSeat, request: Request, response: Response, ex: ExercisesDep) -> JoinedSeat:
    return _join(request, response, ex, body.token)


@router.get(
    "/join/{token}",
    status_code=303,
    response_model=None,
    responses={303: {"description": "to the seat's page (csto.api.pages)"}},
)
def join_link(
    token: Annotated[str, Path(min_length=1, max_length=200)], request: Request, ex: ExercisesDep
) -> RedirectResponse:
    redirect = RedirectResponse("/", status_code=303)
    joined = _join(request, redirect, ex, token)
    redirect.headers["location"] = f"/exercises/{joined.exercise_id}"
    return redirect


@router.post("/api/exercises/{exercise_id}/seats/{seat}/another", response_model=SeatLink)
def another(
    seat: SeatId,
    who: WriterDep,
    request: Request,
    ex: ExercisesDep,
) -> SeatLink:
    """A link for one more person at the seat, whose sessions stay; shown once (director)."""
    token = ex.another_link(who.exercise_id, seat, who.seat)
    return SeatLink(seat=seat, url=link(str(request.base_url), token))


@router.post("/api/exercises/{exercise_id}/seats/{seat}/reissue", response_model=SeatLink)
def reissue(
    seat: SeatId,
    who: WriterDep,
    request: Request,
    ex: ExercisesDep,
) -> SeatLink:
    """Revoke the seat's link and its sessions; a new link, shown once (director)."""
    token = ex.reissue(who.exercise_id, seat, who.seat)
    return SeatLink(seat=seat, url=link(str(request.base_url), token))
