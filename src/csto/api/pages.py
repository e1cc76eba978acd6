"""The exercise in the browser: server-rendered pages, their forms and their live stream.

    GET  /                                  scenarios, the form that creates an exercise, the
                                            exercises in the store
    POST /exercises                         create one (form): the page of its join links
    GET  /exercises/{id}                    the seat page (the director's: ?as=SEAT, read-only)
    GET  /exercises/{id}/chamber            the Council chamber: motions, roll call, consensus,
                                            the engine's legal assessment
    GET  /exercises/{id}/crc                the Crisis Response Center board
    GET  /exercises/{id}/director           the director's console
    GET  /exercises/{id}/map?at=T           the situation map at an exercise time
    GET  /exercises/{id}/report             the after-action report (director), printable
    GET  /exercises/{id}/report.json        the same as a JSON download
    GET  /exercises/{id}/live               server-sent events for the open page: `changed`
                                            (the seat's log grew: the page fetches itself again
                                            and swaps its panels) and `clock` (the header clock)
    POST /exercises/{id}/do/{action}        a form's command (csto.exercise.commands); with htmx
                                            the answer is a notice fragment, without it a 303
                                            back to the page
    POST /exercises/{id}/drafts/{key}       what the seat is typing, saved as it types

Pages only read the seat's view (csto.exercise.queries) and send commands through
csto.exercise.Exercises, as the JSON API does: no rule of the treaty is written here. A page is
live through one SSE connection per tab; the forms keep their text across refreshes (hx-preserve)
and across reloads (drafts saved on the server, and mirrored in the browser by static/csto.js).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from markupsafe import Markup
from pydantic import ValidationError

from csto.api.auth import (
    ExercisesDep,
    SeatDep,
    WriterDep,
    csrf_cookie_name,
    form_of,
    require_director,
)
from csto.api.errors import refused
from csto.domain.errors import DataError, ErrorReport, Forbidden, Problem
from csto.exercise import Exercises, scenario_argument
from csto.exercise import commands as c
from csto.exercise.events import EventKind
from csto.exercise.queries import view
from csto.exercise.report import after_action
from csto.exercise.scenario import shipped_scenarios
from csto.exercise.seats import DIRECTOR, kind_of
from csto.store import exercises as repo
from csto.web import Atlas, Layout, environment, sse_message
from csto.web import pages as w
from csto.web.timefmt import iso_minute

router = APIRouter(include_in_schema=False)
HEARTBEAT = 15.0
CLOCK_EVERY = 1.0  # seconds between the header clock's updates
Seat = Annotated[str | None, Query(alias="as", pattern=r"^[A-Z0-9]{2,12}$")]


@cache
def templates() -> Any:
    env = environment()
    env.globals["w"] = w
    env.filters["pair"] = lambda value: (value, value)
    return env


@cache
def atlas() -> Atlas:
    return Atlas.load()


def render(name: str, status: int = 200, **data: Any) -> HTMLResponse:
    return HTMLResponse(templates().get_template(name).render(**data), status_code=status)


def names(ex: Exercises) -> dict[str, str]:
    return {s.code: s.name for s in ex.world.org.states}


def page_of(request: Request, who: Any, ex: Exercises, as_seat: str | None = None) -> w.Page:
    seat = who.seat
    if as_seat is not None and as_seat != seat:
        if seat != DIRECTOR:
            raise Forbidden(seat, f"view the exercise as {as_seat}", "only the director may")
        seat = as_seat
    shown = view(ex, who.exercise_id, seat)
    if as_seat is not None and seat not in shown.state.seats:
        raise DataError(
            "request",
            [
                Problem(
                    "as",
                    as_seat,
                    "allowed: a seat of this exercise: " + ", ".join(shown.state.seats),
                )
            ],
        )
    csrf = request.cookies.get(csrf_cookie_name(who.exercise_id), "")
    return w.Page(view=shown, viewer=who.seat, names=names(ex), csrf=csrf)


SEAT_PANELS = ("p-situation", "p-appeal", "p-motions", "p-requests", "p-inbox", "p-feed")
DIRECTOR_PANELS = (
    "p-seats",
    "p-clockstate",
    "p-clockbuttons",
    "p-mel",
    "p-motions",
    "p-requests",
    "p-contingents",
    "p-channels",
    "p-dfeed",
)


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def page_response(template: str, page: w.Page, layout: Layout, **data: Any) -> HTMLResponse:
    return render(template, layout=layout, page=page, **data)


# --- home and creation ---------------------------------------------------------------------------


def _home_layout(title: str, notices: tuple[str, ...] = ()) -> Layout:
    return Layout(title=title, notices=notices)


@router.get("/", response_class=HTMLResponse)
def home(ex: ExercisesDep) -> HTMLResponse:
    scenarios = [scenario_argument(ex.world, s) for s in shipped_scenarios()]
    options = [(s.id, f"{s.title} (from {iso_minute(s.start)})") for s in scenarios]
    default = next((s.id for s in scenarios if s.demo), options[0][0] if options else None)
    with ex.store.reading() as session:
        rows = repo.list_exercises(session)
    return render(
        "pages/home.html",
        layout=_home_layout("Crisis exercises"),
        options=options,
        default=default,
        exercises=rows,
    )


@router.post("/exercises", response_class=HTMLResponse)
async def create(request: Request, ex: ExercisesDep) -> HTMLResponse:
    form = await form_of(request)
    chosen = str(form.get("scenario", ""))
    if chosen not in shipped_scenarios():
        raise DataError(
            "request", [Problem("scenario", chosen, "allowed: " + ", ".join(shipped_scenarios()))]
        )
    scenario = scenario_argument(ex.world, chosen)
    created = ex.create(scenario)
    base = str(request.base_url).rstrip("/")
    links = [
        (
            seat,
            w.SEAT_NAMES.get(seat) or names(ex).get(seat) or seat,
            kind_of(seat).value,
            f"{base}/join/{token}",
        )
        for seat, token in created.tokens.items()
    ]
    return render(
        "pages/created.html",
        status=201,
        layout=_home_layout(
            "Exercise created",
            ("Each link opens its seat once and is not shown again: hand them out now.",),
        ),
        title=scenario.title,
        exercise_id=created.exercise_id,
        links=links,
    )


# --- the pages of an exercise --------------------------------------------------------------------


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse, response_model=None)
def seat_page(request: Request, who: SeatDep, ex: ExercisesDep, as_seat: Seat = None) -> Response:
    if who.seat == DIRECTOR and as_seat is None:
        return RedirectResponse(f"/exercises/{who.exercise_id}/director", status_code=303)
    page = page_of(request, who, ex, as_seat)
    return page_response(
        "pages/seat.html",
        page,
        page.layout(page.name(page.seat), "", _here(request), SEAT_PANELS),
        inbox=w.inbox(page),
        feed=w.feed(page)[:5],
    )


@router.get("/exercises/{exercise_id}/chamber", response_class=HTMLResponse)
def chamber(request: Request, who: SeatDep, ex: ExercisesDep, as_seat: Seat = None) -> HTMLResponse:
    page = page_of(request, who, ex, as_seat)
    return page_response(
        "pages/chamber.html",
        page,
        page.layout("Council chamber", "chamber", _here(request), ("p-motions", "p-assessment")),
        assessment=w.assessment_of(page),
    )


def _time(name: str, value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value.strip())
    except ValueError:
        raise DataError(
            "request",
            [
                Problem(
                    name,
                    value,
                    "allowed: a time as YYYY-MM-DD HH:MM (UTC), such as 2022-01-07 12:00",
                )
            ],
        ) from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


@router.get("/exercises/{exercise_id}/crc", response_class=HTMLResponse)
def crc(
    request: Request,
    who: SeatDep,
    ex: ExercisesDep,
    as_seat: Seat = None,
    source: Annotated[str | None, Query(max_length=12)] = None,
    since: Annotated[str | None, Query(max_length=30)] = None,
    until: Annotated[str | None, Query(max_length=30)] = None,
) -> HTMLResponse:
    page = page_of(request, who, ex, as_seat)
    sources = w.feed_sources(page)
    if source and source not in dict(sources):
        raise DataError(
            "request", [Problem("source", source, "allowed: " + ", ".join(k for k, _ in sources))]
        )
    start, end = _time("since", since), _time("until", until)
    return page_response(
        "pages/crc.html",
        page,
        page.layout(
            "Crisis Response Center", "crc", _here(request), ("p-drafts", "p-feed", "p-contingents")
        ),
        feed=w.feed(page, source or None, start, end),
        sources=sources,
        chosen={"source": source or "", "since": start, "until": end},
        contingents=w.contingents(page),
    )


@router.get("/exercises/{exercise_id}/director", response_class=HTMLResponse)
def director(request: Request, who: SeatDep, ex: ExercisesDep) -> HTMLResponse:
    require_director(who, "open the director's console")
    page = page_of(request, who, ex)
    return page_response(
        "pages/director.html",
        page,
        page.layout("Director's console", "director", _here(request), DIRECTOR_PANELS),
        inbox=w.inbox(page),
        feed=w.feed(page),
        contingents=w.contingents(page),
    )


@router.get("/exercises/{exercise_id}/map", response_class=HTMLResponse)
def situation_map(
    request: Request,
    who: SeatDep,
    ex: ExercisesDep,
    as_seat: Seat = None,
    at: Annotated[str | None, Query(max_length=30)] = None,
) -> HTMLResponse:
    page = page_of(request, who, ex, as_seat)
    now = page.clock().now
    when = _time("at", at) or now
    notices: tuple[str, ...] = ()
    if when > now and who.seat != DIRECTOR:  # a player sees what has happened, not the plan
        notices = (f"The map shows the situation up to now, {iso_minute(now)}, not later.",)
        when = now
    legs = w.movements(ex.world, page, ex.sims, ex.assessments)
    chart = w.situation(ex.world, atlas(), page, legs)
    return page_response(
        "pages/map.html",
        page,
        page.layout(
            "Situation map", "map", _here(request), ("p-map",) if at is None else (), notices
        ),
        at=when,
        svg=Markup(chart.svg(when)),
        positions=chart.positions(when),
        start=page.state.start,
        now=now,
    )


@router.get("/exercises/{exercise_id}/report", response_class=HTMLResponse)
def report(request: Request, who: SeatDep, ex: ExercisesDep) -> HTMLResponse:
    require_director(who, "read the after-action report")
    page = page_of(request, who, ex)
    found = after_action(ex.store, ex.world, who.exercise_id, ex.assessments)
    return page_response(
        "pages/report.html",
        page,
        page.layout("After-action report", "report", _here(request), ("p-report",)),
        r=found,
        timeline=Markup(w.timeline_svg(found)),
    )


@router.get("/exercises/{exercise_id}/report.json")
def report_json(who: SeatDep, ex: ExercisesDep) -> Response:
    require_director(who, "read the after-action report")
    found = after_action(ex.store, ex.world, who.exercise_id, ex.assessments)
    name = f"after-action-{who.exercise_id[:8]}.json"
    return Response(
        found.model_dump_json(indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- live ----------------------------------------------------------------------------------------


@router.get("/exercises/{exercise_id}/live")
async def live(
    request: Request,
    who: SeatDep,
    ex: ExercisesDep,
    as_seat: Seat = None,
    after: Annotated[int | None, Query(ge=0, le=10**9)] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=20)] = None,
) -> StreamingResponse:
    """`after`: the log position the page was rendered at, so nothing logged between the page and
    its stream is missed; a reconnect (Last-Event-ID: the last `changed` it got) resumes there."""
    seat = who.seat
    if as_seat is not None:
        require_director(who, f"follow the exercise as {as_seat}")
        seat = as_seat
    hub, tails = request.app.state.hub, request.app.state.tails
    env = templates()

    def seen() -> w.Page:
        return w.Page(view=view(ex, who.exercise_id, seat), viewer=who.seat, names={})

    def face(shown: w.Page) -> str:
        clock = shown.clock(ex.wall())
        return str(env.get_template("macros/time.html").module.clock_face(clock))

    async def frames() -> AsyncIterator[bytes]:
        waiter = hub.arm(who.exercise_id)
        try:
            shown = await anyio.to_thread.run_sync(seen)
            head = shown.view.seq
            resume = int(last_event_id) if last_event_id and last_event_id.isdigit() else after
            position = head if resume is None else min(resume, head)
            yield b"retry: 2000\n\n"
            quiet = 0.0
            while not await request.is_disconnected():
                waiter.reset()
                page = await anyio.to_thread.run_sync(tails.page, who.exercise_id, seat, position)
                if page.events:
                    if any(
                        e.kind in (EventKind.CLOCK, EventKind.EXERCISE_ENDED) for e in page.events
                    ):
                        shown = await anyio.to_thread.run_sync(seen)
                    yield sse_message(
                        "changed", str(page.events[-1].seq), id=page.events[-1].seq
                    ).encode()
                position = page.scanned_to
                yield sse_message("clock", face(shown)).encode()
                woken = await waiter.wait(CLOCK_EVERY)
                quiet = 0.0 if woken else quiet + CLOCK_EVERY
                if quiet >= HEARTBEAT:
                    quiet = 0.0
                    yield b": keep-alive\n\n"
        finally:
            waiter.close()

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(frames(), media_type="text/event-stream", headers=headers)


# --- forms ---------------------------------------------------------------------------------------


def _list(form: Any, name: str) -> list[str]:
    return [str(v) for v in form.getlist(name) if str(v).strip()]


def _fields(form: Any, *names: str) -> dict[str, Any]:
    """The form's fields that were filled in; an empty field means "the default"."""
    return {n: str(form[n]) for n in names if n in form and str(form[n]).strip()}


def _audience(form: Any) -> list[str]:
    return _list(form, "to") or ["all"]


Build = Callable[[Any, str | None], tuple[c.Command, str]]

ACTIONS: dict[str, Build] = {
    "appeal": lambda f, _: (
        c.FileAppeal(**_fields(f, "invokes", "asks", "statement")),
        "Appeal filed.",
    ),
    "message": lambda f, _: (
        c.SendMessage(to=_audience(f), **_fields(f, "subject", "text", "answers")),
        "Message sent.",
    ),
    "motion": lambda f, _: (
        c.OpenMotion(**_fields(f, "measure", "text", "hours")),
        "Motion opened.",
    ),
    "vote": lambda f, t: (
        c.CastVote(**_fields(f, "vote", "statement")),
        f"Your vote on {t} is cast.",
    ),
    "close-motion": lambda f, t: (c.CloseMotion(), f"Motion {t} closed."),
    "request": lambda f, _: (
        c.IssueForceRequest(**_fields(f, "motion", "readiness_hours", "hours")),
        "Force request issued.",
    ),
    "offer": lambda f, t: (
        c.MakeOffer(**_fields(f, "personnel", "vehicles", "caveats")),
        f"Offer made on {t}.",
    ),
    "accept": lambda f, t: (
        c.AcceptOffer(**_fields(f, "personnel", "vehicles")),
        f"Offer {t} accepted.",
    ),
    "close-request": lambda f, t: (
        c.CloseRequest(),
        f"Request {t} closed: the contingents deploy.",
    ),
    "sitrep-edit": lambda f, t: (
        c.EditSitrep(**_fields(f, "text")),
        f"Situation report {t} saved.",
    ),
    "sitrep-release": lambda f, t: (
        c.ReleaseSitrep(audience=_audience(f), **_fields(f, "text")),
        f"Situation report {t} released.",
    ),
    "report": lambda f, _: (
        c.FileReport(to=_list(f, "to"), **_fields(f, "text", "answers")),
        "Report filed.",
    ),
    "clock": lambda f, _: (c.ClockCommand(**_clock(f)), "Clock set."),
    "inject": lambda f, _: (
        c.AddInject(audience=_audience(f), **_fields(f, "title", "body"), **_timing(f)),
        "Inject added.",
    ),
    "edit-inject": lambda f, t: (
        c.EditInject(**_chosen_audience(f), **_fields(f, "title", "body"), **_timing(f)),
        f"Inject {t} changed.",
    ),
    "release-inject": lambda f, t: (c.ReleaseInject(), f"Inject {t} released."),
    "end": lambda f, _: (c.EndExercise(), "The exercise has ended."),
}
Action = Annotated[str, Path(pattern=r"^[a-z-]{2,20}$")]
Target = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9-]{1,60}$")]


def _chosen_audience(form: Any) -> dict[str, Any]:
    chosen = _list(form, "to")
    return {"audience": chosen} if chosen else {}


def _timing(form: Any) -> dict[str, Any]:
    """When an inject falls due, as the console's form gives it: `release` is now, after (an
    offset in `at`) or on (a condition: `when_event`, `when_measure`, `delay`); empty: unchanged."""
    chosen = str(form.get("release", "")).strip()
    if chosen == "after":
        return {"at": str(form.get("at", "")).strip() or "0:00"}
    if chosen == "on":
        when = _fields(form, "when_event", "when_measure", "delay")
        return {"when": {k.removeprefix("when_"): v for k, v in when.items()} if when else {}}
    if chosen not in ("", "now", "keep"):
        raise DataError(
            "request",
            [Problem("release", chosen, "allowed: keep, now, after (an offset), on (a condition)")],
        )
    return {"at": "0:00"} if chosen == "now" else {}


def _clock(form: Any) -> dict[str, Any]:
    found = _fields(form, "action", "rate")
    if "to" in form and str(form["to"]).strip():
        found["to"] = _time("to", str(form["to"]))
    return found


def _back(form: Any, exercise_id: str) -> str:
    back = str(form.get("back", ""))
    prefix = f"/exercises/{exercise_id}"
    return (
        back
        if back == prefix or back.startswith(prefix + "/") or back.startswith(prefix + "?")
        else prefix
    )


@router.post("/exercises/{exercise_id}/do/{action}", response_model=None)
async def act(
    request: Request, action: Action, who: WriterDep, ex: ExercisesDep, target: Target = None
) -> Response:
    form = await form_of(request)
    if action in ("reissue", "another"):
        require_director(who, "give a seat a new link")
        seat = target or ""
        make = ex.reissue if action == "reissue" else ex.another_link
        token = await anyio.to_thread.run_sync(make, who.exercise_id, seat, who.seat)
        url = f"{str(request.base_url).rstrip('/')}/join/{token}"
        return _done(
            request,
            form,
            who.exercise_id,
            Markup('New link for {} (shown once): <a href="{}">{}</a>').format(seat, url, url),
        )
    build = ACTIONS.get(action)
    if build is None:
        raise DataError("request", [Problem("action", action, "allowed: " + ", ".join(ACTIONS))])
    try:
        command, said = build(form, target)
    except ValidationError as exc:
        raise refused(exc.errors(), "form") from None
    await anyio.to_thread.run_sync(ex.submit, who.exercise_id, who.seat, command, target, None)
    for key in _list(form, "draft"):
        await anyio.to_thread.run_sync(ex.put_draft, who.exercise_id, who.seat, key[:60], "")
    return _done(request, form, who.exercise_id, said)


def _done(request: Request, form: Any, exercise_id: str, said: str) -> Response:
    if request.headers.get("HX-Request"):
        return render("pages/flash.html", ok=True, text=said)
    return RedirectResponse(_back(form, exercise_id), status_code=303)


@router.post("/exercises/{exercise_id}/drafts/{key}")
async def save_draft(
    request: Request,
    key: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,60}$")],
    who: WriterDep,
    ex: ExercisesDep,
) -> dict[str, str]:
    form = await form_of(request)
    try:
        draft = c.Draft(text=str(form.get("text", "")))
    except ValidationError as exc:
        raise refused(exc.errors(), "form") from None
    await anyio.to_thread.run_sync(ex.put_draft, who.exercise_id, who.seat, key, draft.text)
    return {"key": key, "saved": "yes"}


# --- errors as pages -----------------------------------------------------------------------------

HELP = {
    401: "You have no seat in this exercise in this browser. Open the join link you were given; "
    "if it was used already, ask the director for a new one.",
    403: "Your seat may not do this.",
    404: "There is no such page or item.",
    409: "The exercise no longer allows this.",
    422: "Something in the form or the address is not allowed; each problem is listed.",
}


def html_error(request: Request, report: ErrorReport, status: int) -> Response:
    if request.headers.get("HX-Request"):
        return render(
            "pages/flash.html", status=status, ok=False, report=report, text=report.message
        )
    if request.headers.get("accept", "").startswith("text/event-stream"):
        return Response(report.model_dump_json(), status_code=status, media_type="application/json")
    return render(
        "pages/error.html",
        status=status,
        layout=_home_layout(f"Error {status}"),
        report=report,
        help=HELP.get(status, ""),
    )
