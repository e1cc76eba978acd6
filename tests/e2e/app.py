"""The harness's own server: a real page on csto.web's layout, with the situation map of a simulated
Kazakhstan deployment, a time form that htmx submits in place, and a clock streamed over
server-sent events. It proves the browser tests' plumbing before the exercise server exists.

    situation_app(atlas, run)   the FastAPI app
        GET /                   -> /situation
        GET /situation?at=T     the page (htmx asks for the fragment only)
        GET /clock/stream       SSE: "clock" events, the exercise clock a quarter-hour further each
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup

from csto.sim.report import Run
from csto.web import (
    STATIC_DIR,
    Atlas,
    Clock,
    Layout,
    NavItem,
    SeatBadge,
    SituationMap,
    environment,
    movements_from_run,
    roles_for,
    sse_message,
)
from csto.world import World

HERE = Path(__file__).resolve().parent
TICK = 0.25  # seconds between clock events
TICKS = 2400  # at most ten minutes of stream


def situation_app(world: World, atlas: Atlas, run: Run) -> FastAPI:
    env = environment(extra=[HERE / "templates"])
    chart = SituationMap(atlas, roles_for(world.org, run.crisis), movements_from_run(run))
    start = run.milestones.decision or run.milestones.appeal
    if start is None:
        raise ValueError("the harness needs a run with an appeal")
    first = min(leg.movement.departs for leg in chart.legs)
    default_at = first + timedelta(hours=30)

    app = FastAPI(title="csto browser-test harness")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def layout(at: datetime) -> Layout:
        return Layout(
            title="Situation map",
            exercise="Kazakhstan, January 2022",
            seat=SeatBadge("White cell", "director"),
            clock=Clock(start, "running", rate=3600, stream="/clock/stream"),
            nav=(
                NavItem("Situation", "/situation", current=True),
                NavItem("Contingents", "#contingents"),
            ),
            notices=(f"A simulated run (seed {run.seed}), not the record.",),
        )

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/situation")

    @app.get("/situation", response_class=HTMLResponse)
    def situation(request: Request, at: datetime | None = None) -> HTMLResponse:
        at = at or default_at
        if at.tzinfo is None:  # the form's field is in UTC, as its label says
            at = at.replace(tzinfo=UTC)
        data = {"at": at, "svg": Markup(chart.svg(at)), "positions": chart.positions(at)}
        if request.headers.get("HX-Request"):
            return HTMLResponse(env.get_template("situation_fragment.html").render(**data))
        page = env.get_template("situation.html").render(layout=layout(at), **data)
        return HTMLResponse(page)

    face = env.get_template("macros/time.html").module.clock_face  # type: ignore[attr-defined]

    @app.get("/clock/stream")
    async def clock_stream(request: Request) -> StreamingResponse:
        async def events() -> AsyncIterator[str]:
            for i in range(1, TICKS):
                if await request.is_disconnected():
                    return
                now = start + timedelta(minutes=15 * i)
                yield sse_message("clock", str(face(Clock(now, "running", rate=3600))), id=i)
                await asyncio.sleep(TICK)

        return StreamingResponse(
            events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
        )

    return app
