"""With PostgreSQL, `csto serve --workers 2`: an event made through one worker process reaches a
seat streaming from the other (PostgreSQL LISTEN/NOTIFY). Runs where CSTO_TEST_POSTGRES_URL is
set (CI sets it); the parent migrates once, the workers only check the schema."""

from __future__ import annotations

import os
import queue
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from csto.store import Store

from .live_server import LiveServer, Player, follow, parse

POSTGRES = os.environ.get("CSTO_TEST_POSTGRES_URL")


@pytest.fixture
def postgres() -> str:
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CI must provide CSTO_TEST_POSTGRES_URL (.ci/run starts PostgreSQL)")
        pytest.skip("no PostgreSQL server here; CI provides one through CSTO_TEST_POSTGRES_URL")
    with Store(POSTGRES) as store, store.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    return POSTGRES


def test_an_event_made_on_one_worker_reaches_a_stream_on_the_other(
    postgres: str, tmp_path: Path
) -> None:
    server = LiveServer(postgres, workers=2, log=tmp_path / "serve.log").start()
    try:
        exercise, links = server.create()
        kaz = Player.join(server.base, exercise, links["KAZ"])
        events, stop, headers = follow(kaz)
        streaming_on = headers["x-csto-worker"]
        snapshot = events.get(timeout=20)
        assert snapshot["event"] == "snapshot"
        director = Player.join(server.base, exercise, links["DIRECTOR"], keepalive=False)
        for _ in range(60):  # new connections until the kernel hands one to the other worker
            marker = uuid.uuid4().hex
            r = director.post("messages", {"to": "all", "text": marker})
            assert r.status_code == 200, r.text
            if r.headers["x-csto-worker"] != streaming_on:
                break
        else:
            pytest.fail("every connection went to the worker that streams")
        deadline = (
            time.monotonic() + 5
        )  # well inside the stream's 15 s heartbeat: NOTIFY, not a poll
        while time.monotonic() < deadline:
            try:
                event = events.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if event.get("event") == "message" and parse(event)["body"]["text"] == marker:
                break
        else:
            pytest.fail("the event never reached the other worker's stream")
        assert parse(event)["body"]["text"] == marker
        stop.set()
        kaz.client.close()
        director.client.close()
    finally:
        server.stop()
    log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log, log[-3000:]
