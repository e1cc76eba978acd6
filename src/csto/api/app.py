"""The FastAPI application of `csto serve`.

    create_app(world, store, tick=0.5, wall=None)   the app over one World and one store: the
        routes (csto.api.admin, play, read), one error mapping (csto.api.errors), the body limit
        (csto.api.limits), and, while it runs, the loop and (PostgreSQL) the LISTEN task
        (csto.api.live); `tick=None` leaves the loop to the caller (tests call
        app.state.exercises.tick_all())
    app_from_env()      the app a worker process builds: its store from $CSTO_SERVE_DB, which
        the parent has already migrated (a worker never migrates: it checks the revision only)

Routes call csto.exercise and csto.service; no rule of the treaty is written here.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from csto import __version__
from csto.api import admin, errors, pages, play, read
from csto.api.limits import App, BodyLimit, Message, Receive, Scope, Send
from csto.api.live import Hub, Ticker, listen
from csto.exercise import Exercises
from csto.exercise.queries import Tails
from csto.exercise.service import utcnow
from csto.store import Store
from csto.web import STATIC_DIR
from csto.world import World

DESCRIPTION = (
    "The crisis exercise: people play the member states of the Collective Security Treaty "
    "Organization, the engine keeps the treaty. Join a seat with the link the director was given "
    "(POST /api/join), then send commands with the X-CSRF-Token header; follow your seat's events "
    "on /api/exercises/{id}/stream. docs/exercise.md describes the commands, the events and the "
    "projection per seat."
)


def create_app(
    world: World,
    store: Store,
    tick: float | None = 0.5,
    wall: Callable[[], datetime] | None = None,
) -> FastAPI:
    exercises = Exercises(world, store, wall=wall or utcnow)
    hub = Hub()
    exercises.listeners.append(hub.wake)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tasks = []
        if tick is not None:
            tasks.append(asyncio.create_task(Ticker(exercises, tick).run()))
        if not store.sqlite:

            def on_notify(exercise_id: str) -> None:
                exercises.mark_stale(exercise_id)
                hub.wake(exercise_id)

            tasks.append(asyncio.create_task(listen(store.url, on_notify)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    app = FastAPI(
        title="csto serve", version=__version__, description=DESCRIPTION, lifespan=lifespan
    )
    app.state.exercises = exercises
    app.state.hub = hub
    app.state.tails = Tails(store)
    errors.install(app, html=pages.html_error)
    app.include_router(admin.router)
    app.include_router(play.router)
    app.include_router(read.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodyLimit)
    app.add_middleware(WorkerHeader)
    return app


class WorkerHeader:
    """Names the worker process in every response (X-CSTO-Worker), so a client can tell them apart."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.value = str(os.getpid()).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def named(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-csto-worker", self.value)]
            await send(message)

        await self.app(scope, receive, named if scope["type"] == "http" else send)


def app_from_env() -> FastAPI:
    """For uvicorn's workers (`csto serve` sets the environment and migrates first)."""
    from csto.world import default_world

    store = Store(os.environ["CSTO_SERVE_DB"])
    store.ready(auto_upgrade=False)
    tick = float(os.environ.get("CSTO_SERVE_TICK", "0.5"))
    return create_app(default_world(), store, tick=tick if tick > 0 else None)
