"""What keeps a worker live: its streams woken when a log grows, and the server's loop.

    Hub                  per worker process: each exercise's streams wait on it; `wake` is safe to
                         call from any thread (the service calls it after each commit)
    listen(url, ...)     PostgreSQL LISTEN on csto.exercise.service.CHANNEL: a commit made by any
                         worker process (NOTIFY is sent inside the committing transaction) wakes
                         this worker's streams and tells its fold to catch up
    Ticker               the loop that releases what falls due (csto.exercise.due). With
                         PostgreSQL, one worker at a time holds a session advisory lock and runs
                         it; when that worker dies its connection closes, the lock is freed and
                         another worker takes over within a few seconds. SQLite serves one process.

The log in the database is the truth: a wake-up only tells a stream to read it again, so a lost
notification delays an event by at most a stream's heartbeat, and loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable

import anyio
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from csto.exercise import Exercises
from csto.exercise.service import CHANNEL

log = logging.getLogger("csto.api")
TICKER_LOCK = 0x63737475  # "cstu": the PostgreSQL advisory lock of the loop's leader


class Waiter:
    """One stream's place in the hub: armed before the stream reads the log, so a commit between
    the read and the wait still wakes it."""

    def __init__(self, hub: Hub, exercise_id: str) -> None:
        self.hub, self.exercise_id = hub, exercise_id
        self.loop, self.event = asyncio.get_running_loop(), asyncio.Event()

    def reset(self) -> None:
        """Before each read of the log: a wake from now on is for what that read may miss."""
        self.event.clear()

    async def wait(self, timeout: float) -> bool:
        """True when woken, False when `timeout` seconds passed quietly."""
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def close(self) -> None:
        self.hub.disarm(self)


class Hub:
    """Streams waiting for an exercise's log to grow, in whatever event loop each runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, set[Waiter]] = {}

    def arm(self, exercise_id: str) -> Waiter:
        waiter = Waiter(self, exercise_id)
        with self._lock:
            self._waiting.setdefault(exercise_id, set()).add(waiter)
        return waiter

    def disarm(self, waiter: Waiter) -> None:
        with self._lock:
            self._waiting.get(waiter.exercise_id, set()).discard(waiter)

    def wake(self, exercise_id: str, _seq: int = 0) -> None:
        """Wake every stream of that exercise; safe from any thread."""
        with self._lock:
            waiters = list(self._waiting.get(exercise_id, ()))
        for w in waiters:
            if not w.loop.is_closed():
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                    w.loop.call_soon_threadsafe(w.event.set)


def psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(url: str, on_notify: Callable[[str], None]) -> None:
    """LISTEN for ever, reconnecting after a failure."""
    import psycopg

    while True:
        try:
            async with await psycopg.AsyncConnection.connect(
                psycopg_url(url), autocommit=True
            ) as conn:
                await conn.execute(f"LISTEN {CHANNEL}")
                async for note in conn.notifies():
                    on_notify(note.payload)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the server went away: try again shortly
            log.warning("LISTEN connection lost (%s); reconnecting", exc)
            await asyncio.sleep(1.0)


class Ticker:
    def __init__(self, exercises: Exercises, interval: float) -> None:
        self.exercises, self.interval = exercises, interval
        self._conn: Connection | None = None  # PostgreSQL: the connection holding the lock
        self.leader = exercises.store.sqlite

    def _try_lead(self) -> bool:
        if self.leader:
            return True
        try:
            if self._conn is None:
                self._conn = self.exercises.store.engine.connect()
            assert self._conn is not None
            got = self._conn.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": TICKER_LOCK}
            ).scalar()
            self._conn.commit()
            self.leader = bool(got)
        except Exception as exc:
            log.warning("cannot take the loop's lock (%s)", exc)
            self._close()
        return self.leader

    def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
        self._conn, self.leader = None, self.exercises.store.sqlite

    def _step(self) -> None:
        if self._try_lead():
            self.exercises.tick_all()

    async def run(self) -> None:
        try:
            while True:
                try:
                    await anyio.to_thread.run_sync(self._step)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("the loop failed a round; it tries again")
                await asyncio.sleep(self.interval if self.leader else max(self.interval, 2.0))
        finally:
            self._close()
