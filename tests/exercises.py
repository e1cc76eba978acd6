"""What the exercise and API tests share: a server app over a fresh SQLite store with a clock the
test moves, and a client per seat that joins with its link and sends commands as a browser does
(session cookie, CSRF header, idempotency key)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from csto.api import create_app
from csto.exercise import Exercises
from csto.store import Store

from .worlds import WORLD

_keys = itertools.count(1)


@dataclass
class Wall:
    """The wall clock the server reads; tests move it."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Server:
    app: FastAPI
    wall: Wall
    store: Store

    @property
    def exercises(self) -> Exercises:
        found = self.app.state.exercises
        assert isinstance(found, Exercises)
        return found

    def tick(self) -> int:
        return self.exercises.tick_all()

    def client(self) -> TestClient:
        return TestClient(self.app)

    def create(self, scenario: str = "kazakhstan-2022", **body: Any) -> tuple[str, dict[str, str]]:
        with self.client() as c:
            r = c.post("/api/exercises", json=body or {"scenario": scenario})
        assert r.status_code == 201, r.text
        data = r.json()
        links = {link["seat"]: link["url"] for link in data["links"]}
        links["DIRECTOR"] = data["director"]
        return data["exercise_id"], links

    def join(self, exercise_id: str, link: str) -> SeatClient:
        client = self.client()
        r = client.post("/api/join", json={"token": link.rsplit("/", 1)[1]})
        assert r.status_code == 200, r.text
        client.headers["X-CSRF-Token"] = r.json()["csrf"]
        return SeatClient(client, exercise_id, r.json()["seat"])


def server(tmp_path: Path, wall: Wall | None = None) -> Server:
    store = Store(f"sqlite:///{tmp_path / 'exercise.db'}").ready()
    clock = wall or Wall()
    return Server(create_app(WORLD, store, tick=None, wall=clock), clock, store)


@dataclass
class SeatClient:
    client: TestClient
    exercise_id: str
    seat: str

    def url(self, path: str) -> str:
        return f"/api/exercises/{self.exercise_id}/{path.lstrip('/')}"

    def post(
        self,
        path: str,
        body: dict[str, Any] | None = None,
        status: int = 200,
        key: str | None = None,
    ) -> Any:
        headers = {"Idempotency-Key": key or f"k{next(_keys)}"}
        r = self.client.post(self.url(path), json=body or {}, headers=headers)
        assert r.status_code == status, (path, r.status_code, r.text)
        return r.json()

    def get(self, path: str, status: int = 200, **params: Any) -> Any:
        r = self.client.get(self.url(path), params=params)
        assert r.status_code == status, (path, r.status_code, r.text)
        return (
            r.json() if r.headers.get("content-type", "").startswith("application/json") else r.text
        )

    def view(self) -> dict[str, Any]:
        return self.get("view")  # type: ignore[no-any-return]

    def events(self, after: int = 0) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            page = self.get("events", after=after)
            found += page["events"]
            if not page["events"]:
                return found
            after = page["scanned_to"]
