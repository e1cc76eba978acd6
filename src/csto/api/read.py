"""The queries: a seat's view, its events, its live stream, its drafts; the director's report,
master events list and the log's replay.

    GET /api/exercises/{id}/view            SeatView: the fold of what this seat was sent
    GET /api/exercises/{id}/events?after=N  EventPage: this seat's events after position N
    GET /api/exercises/{id}/stream          server-sent events: a `snapshot` (the view) first,
                                            then each of this seat's events as it is logged; a
                                            reconnect with Last-Event-ID resumes after it
    GET /api/exercises/{id}/drafts          this seat's saved drafts
    PUT /api/exercises/{id}/drafts/{key}    save a draft as it is typed
    GET /api/exercises/{id}/report          AfterActionReport (director)
    GET /api/exercises/{id}/report.html     the same, printable (director)
    GET /api/exercises/{id}/mel.csv         the master events list as CSV (director)
    GET /api/exercises/{id}/replay          the log folded again, every state hash checked (director)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

import anyio
from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, StreamingResponse

from csto.api import pages
from csto.api.auth import ExercisesDep, SeatDep, WriterDep, require_director
from csto.api.errors import ERROR_RESPONSES
from csto.exercise.commands import Draft
from csto.exercise.mel import write_mel
from csto.exercise.queries import EventPage, Replay, SeatView, events_for, replay, view
from csto.exercise.report import AfterActionReport, after_action
from csto.exercise.scenario import Inject
from csto.store import exercises as repo

router = APIRouter(
    prefix="/api/exercises/{exercise_id}", tags=["queries"], responses=ERROR_RESPONSES
)
HEARTBEAT = 15.0  # seconds between keep-alive comments on a quiet stream


@router.get("/view", response_model=SeatView)
def get_view(who: SeatDep, ex: ExercisesDep) -> SeatView:
    return view(ex, who.exercise_id, who.seat)


@router.get("/events", response_model=EventPage)
def get_events(
    who: SeatDep,
    ex: ExercisesDep,
    after: Annotated[int, Query(ge=0, le=10**9)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
) -> EventPage:
    return events_for(ex.store, who.exercise_id, who.seat, after, limit)


def _frame(event: str, seq: int, data: str) -> bytes:
    return f"id: {seq}\nevent: {event}\ndata: {data}\n\n".encode()


@router.get(
    "/stream",
    response_model=None,
    responses={200: {"content": {"text/event-stream": {}}, "description": "server-sent events"}},
)
async def stream(
    request: Request,
    who: SeatDep,
    ex: ExercisesDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=20)] = None,
) -> StreamingResponse:
    """One stream per browser tab. Without Last-Event-ID it starts with a snapshot of the seat's
    view; with it, it resumes with the events after that position."""
    hub, tails = request.app.state.hub, request.app.state.tails
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else None

    async def frames() -> AsyncIterator[bytes]:
        waiter = hub.arm(who.exercise_id)  # before the first read: no commit slips between
        try:
            position = after
            if position is None:
                snapshot = await anyio.to_thread.run_sync(view, ex, who.exercise_id, who.seat)
                position = snapshot.seq
                yield _frame("snapshot", position, snapshot.model_dump_json())
            yield b"retry: 2000\n\n"
            while not await request.is_disconnected():
                waiter.reset()
                page = await anyio.to_thread.run_sync(
                    tails.page, who.exercise_id, who.seat, position
                )
                for event in page.events:
                    yield _frame(event.kind.value, event.seq, event.model_dump_json())
                position = page.scanned_to
                if len(page.events) < 500 and not await waiter.wait(HEARTBEAT):
                    yield b": keep-alive\n\n"
        finally:
            waiter.close()

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(frames(), media_type="text/event-stream", headers=headers)


@router.get("/drafts", response_model=dict[str, str])
def get_drafts(who: SeatDep, ex: ExercisesDep) -> dict[str, str]:
    return ex.drafts(who.exercise_id, who.seat)


@router.put("/drafts/{key}", response_model=dict[str, str])
def put_draft(
    key: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,60}$")],
    body: Draft,
    who: WriterDep,
    ex: ExercisesDep,
) -> dict[str, str]:
    """Save what the seat is typing (a statement, a report) as it types."""
    ex.put_draft(who.exercise_id, who.seat, key, body.text)
    return {"key": key, "saved": "yes"}


@router.get("/report", response_model=AfterActionReport)
def get_report(who: SeatDep, ex: ExercisesDep) -> AfterActionReport:
    require_director(who, "read the after-action report")
    return after_action(ex.store, ex.world, who.exercise_id, ex.assessments)


@router.get("/report.html", response_model=None, responses={200: {"content": {"text/html": {}}}})
def get_report_html(request: Request, who: SeatDep, ex: ExercisesDep) -> HTMLResponse:
    """The after-action report's page, printable: the same page as /exercises/{id}/report."""
    return pages.report(request, who, ex)


@router.get("/mel.csv", response_model=None, responses={200: {"content": {"text/csv": {}}}})
def get_mel(who: SeatDep, ex: ExercisesDep) -> PlainTextResponse:
    require_director(who, "read the master events list")
    with ex.store.reading() as session:
        start = datetime.fromisoformat(
            str(repo.exercise_row(session, who.exercise_id).scenario["start"])
        )
        rows = repo.inject_rows(session, who.exercise_id)
    text = write_mel(_timed(Inject.model_validate(r.spec), r.due, start) for r in rows)
    return PlainTextResponse(text, media_type="text/csv")


@router.get("/replay", response_model=Replay)
def get_replay(who: SeatDep, ex: ExercisesDep) -> Replay:
    require_director(who, "replay the log")
    return replay(ex.store, who.exercise_id)


def _timed(inject: Inject, due: datetime | None, start: datetime) -> Inject:
    """An inject written or re-timed during play has a due time but no offset of its own: as a
    row of the list it is due that long after the start, so the file reads back the same."""
    if inject.at is None and inject.when is None and due is not None:
        due = due if due.tzinfo else due.replace(tzinfo=start.tzinfo)
        return inject.model_copy(update={"at": int((due - start).total_seconds())})
    return inject


def sse_events(text: str) -> list[dict[str, str]]:
    """Parse server-sent events (for tests and the benchmark): id, event, data of each."""
    found = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if line.startswith(":") or ":" not in line:
                continue
            name, _, value = line.partition(":")
            fields[name] = value[1:] if value.startswith(" ") else value
        if "data" in fields:
            found.append(fields)
    return found
