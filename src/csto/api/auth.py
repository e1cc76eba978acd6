"""Who is asking: the seat behind a session cookie, and the CSRF check on every write.

    cookie_name(exercise), csrf_cookie_name(exercise)   one session per exercise per browser
    set_session(response, joined, secure)   the httpOnly session cookie and the readable CSRF one
    SeatDep      the seat of the session for the exercise in the path (401 without one)
    WriterDep    the same, for a write: the CSRF token must come with it, in the X-CSRF-Token
                 header or, for a form, in its csrf_token field (403 without it)
    form_of(request)   the request's form (a client gone mid-send: 400, no traceback)
    require_director(who, what)   403 unless the seat is the director's

A session is bound to one seat of one exercise; the service checks every command against that
seat (csto.exercise), so a session can never act for another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, Response
from starlette.datastructures import FormData
from starlette.requests import ClientDisconnect

from csto.domain.errors import Forbidden
from csto.exercise import Exercises, Joined
from csto.exercise.seats import DIRECTOR
from csto.exercise.service import SessionInfo

EXERCISE_ID = r"^[0-9a-f]{32}$"
ExerciseId = Annotated[str, Path(pattern=EXERCISE_ID, description="the exercise's id")]
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def cookie_name(exercise_id: str) -> str:
    return f"csto_{exercise_id}"


def csrf_cookie_name(exercise_id: str) -> str:
    return f"csto_csrf_{exercise_id}"


def set_session(response: Response, joined: Joined, secure: bool) -> None:
    response.set_cookie(
        cookie_name(joined.exercise_id),
        joined.session,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )
    response.set_cookie(
        csrf_cookie_name(joined.exercise_id),
        joined.csrf,
        httponly=False,
        samesite="strict",
        secure=secure,
        path="/",
    )


def exercises_of(request: Request) -> Exercises:
    found = request.app.state.exercises
    assert isinstance(found, Exercises)
    return found


ExercisesDep = Annotated[Exercises, Depends(exercises_of)]


@dataclass(frozen=True)
class Seat:
    exercise_id: str
    seat: str
    session: SessionInfo


def seat(request: Request, exercise_id: ExerciseId, exercises: ExercisesDep) -> Seat:
    found = exercises.session_of(exercise_id, request.cookies.get(cookie_name(exercise_id)))
    return Seat(exercise_id, found.seat, found)


SeatDep = Annotated[Seat, Depends(seat)]


async def form_of(request: Request) -> FormData:
    """The request's form; a browser that went away while sending it (a reload mid-save) is a
    400 to nobody, not a traceback."""
    try:
        return await request.form()
    except ClientDisconnect:
        raise HTTPException(400, "the client went away while sending the form") from None


async def writer(request: Request, who: SeatDep) -> Seat:
    token = request.headers.get("x-csrf-token")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if token is None and kind in FORMS:
        form = await form_of(request)
        field = form.get("csrf_token")
        token = field if isinstance(field, str) else None
    who.session.check_csrf(token)
    return who


WriterDep = Annotated[Seat, Depends(writer)]


def require_director(who: Seat, what: str) -> None:
    """Refuse (403) what only the director may do."""
    if who.seat != DIRECTOR:
        raise Forbidden(who.seat, what, "only the director may")
