"""A real `csto serve` process on 127.0.0.1 for the tests that need one (several workers,
PostgreSQL, SIGKILL), and a client per seat that speaks to it as a browser does. The benchmarks
use it too (benchmarks/bench_serve.py, benchmarks/soak_kill.py)."""

from __future__ import annotations

import itertools
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

CSTO = str(Path(sys.executable).parent / "csto")
_keys = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    db: str
    workers: int = 1
    port: int = field(default_factory=free_port)
    log: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> LiveServer:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        args = [
            CSTO,
            "serve",
            "--db",
            self.db,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--tick",
            "0.2",
        ]
        if self.log is not None:
            with self.log.open("ab") as out:  # the child keeps its own copy of the descriptor
                self.process = subprocess.Popen(
                    args, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
                )
        else:
            self.process = subprocess.Popen(
                args,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"csto serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/api/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("csto serve did not answer in time")

    def kill(self) -> None:
        """SIGKILL the server and all its workers: nothing gets to clean up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    def create(self, scenario: str = "kazakhstan-2022") -> tuple[str, dict[str, str]]:
        r = httpx.post(f"{self.base}/api/exercises", json={"scenario": scenario}, timeout=30)
        r.raise_for_status()
        data = r.json()
        return data["exercise_id"], {x["seat"]: x["url"] for x in data["links"]} | {
            "DIRECTOR": data["director"]
        }


@dataclass
class Player:
    """One seat's browser: its cookies, its CSRF token, new connections when asked."""

    base: str
    exercise_id: str
    seat: str
    client: httpx.Client

    @classmethod
    def join(cls, base: str, exercise_id: str, link: str, keepalive: bool = True) -> Player:
        limits = httpx.Limits(max_keepalive_connections=None if keepalive else 0)
        client = httpx.Client(base_url=base, timeout=30, limits=limits)
        r = client.post("/api/join", json={"token": link.rsplit("/", 1)[1]})
        r.raise_for_status()
        client.headers["X-CSRF-Token"] = r.json()["csrf"]
        return cls(base, exercise_id, r.json()["seat"], client)

    def url(self, path: str) -> str:
        return f"/api/exercises/{self.exercise_id}/{path}"

    def post(
        self, path: str, body: dict[str, Any] | None = None, key: str | None = None
    ) -> httpx.Response:
        return self.client.post(
            self.url(path), json=body or {}, headers={"Idempotency-Key": key or f"k{next(_keys)}"}
        )

    def get(self, path: str, **params: Any) -> Any:
        r = self.client.get(self.url(path), params=params)
        r.raise_for_status()
        return r.json()

    def events(self) -> list[dict[str, Any]]:
        found, after = [], 0
        while True:
            page = self.get("events", after=after)
            if not page["events"]:
                return found
            found += page["events"]
            after = page["scanned_to"]


def follow(
    player: Player, last_event_id: str | None = None
) -> tuple[queue.Queue[dict[str, Any]], threading.Event, dict[str, str]]:
    """Stream a seat's events in a thread: each parsed event on the queue (with `received`, the
    monotonic time it arrived); set the Event to stop; the dict gets the response's headers."""
    found: queue.Queue[dict[str, Any]] = queue.Queue()
    stop, headers = threading.Event(), {}
    opened = threading.Event()

    def run() -> None:
        extra = {"Last-Event-ID": last_event_id} if last_event_id is not None else {}
        try:
            with (
                httpx.Client(
                    base_url=player.base, cookies=player.client.cookies, timeout=None
                ) as c,
                c.stream("GET", player.url("stream"), headers=extra) as r,
            ):
                headers.update(r.headers)
                opened.set()
                block: dict[str, str] = {}
                for line in r.iter_lines():
                    if stop.is_set():
                        return
                    if not line:
                        if "data" in block:
                            found.put({**block, "received": time.monotonic()})
                        block = {}
                    elif not line.startswith(":"):
                        name, _, value = line.partition(":")
                        block[name] = value.lstrip(" ")
        except httpx.HTTPError:  # the server went away (a kill, the end of a test)
            found.put({"event": "closed", "received": time.monotonic()})
        finally:
            opened.set()

    threading.Thread(target=run, daemon=True).start()
    opened.wait(30)
    return found, stop, headers


def parse(event: dict[str, Any]) -> dict[str, Any]:
    return json.loads(event["data"])  # type: ignore[no-any-return]
