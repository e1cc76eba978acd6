"""Load benchmark for `csto serve` (run on demand, numbers in docs/benchmarks.md): 200 concurrent
seats over 20 exercises on 127.0.0.1, every seat streaming its events, the six member seats of
each exercise voting on a motion the Secretariat opens as soon as the last one closed, for 60 s.

    python benchmarks/bench_serve.py [--exercises 20] [--seconds 60] [--db URL] [--workers N] [--json]

Each exercise is the shipped southern-shield scenario (ten seats: six members, the Secretariat,
the director, two observers). Every vote is sent with an idempotency key and sent again with the
same key, as a browser retries. Reported:
    lost votes          acknowledged (200) votes missing from the log
    duplicate effects   a (motion, state) voted twice in the log, though each was sent twice
    5xx                 server errors of any request
    deliveries lost     a vote that a seat's stream never delivered (every seat sees votes)
    delivery latency    p50/p95 from the moment the server logged an event (its `wall` time) to
                        the moment a seat's stream received it, over every (event, seat) pair
    memory              the server's resident set (VmHWM peak and VmRSS at the end, all processes)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live_server import LiveServer

MEMBERS = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
MEASURES = ("statement", "consultations", "assistance", "mission", "deployment")
_keys = itertools.count(1)


class Stats:
    def __init__(self) -> None:
        self.acked: set[tuple[str, str, str]] = set()  # exercise, motion, state
        self.errors_5xx = 0
        self.refused: dict[int, int] = {}
        self.latencies: list[float] = []
        self.received: dict[tuple[str, str], set[tuple[str, str]]] = {}  # (exercise, seat) -> votes
        self.requests = 0
        self.motions = 0
        self.ready = 0  # streams past their snapshot
        self.reconnects: dict[str, int] = {}  # streams dropped and resumed, by cause
        self.retry_mismatch = 0  # a retried vote answered otherwise than the first time


async def join(base: str, link: str) -> tuple[httpx.AsyncClient, str]:
    client = httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=4))
    r = await client.post("/api/join", json={"token": link.rsplit("/", 1)[1]})
    r.raise_for_status()
    client.headers["X-CSRF-Token"] = r.json()["csrf"]
    return client, r.json()["seat"]


async def post(
    stats: Stats, client: httpx.AsyncClient, url: str, body: dict[str, Any], key: str
) -> httpx.Response:
    r = await client.post(url, json=body, headers={"Idempotency-Key": key})
    stats.requests += 1
    if r.status_code >= 500:
        stats.errors_5xx += 1
    elif r.status_code != 200:
        stats.refused[r.status_code] = stats.refused.get(r.status_code, 0) + 1
    return r


async def stream(
    stats: Stats, client: httpx.AsyncClient, exercise: str, seat: str, stop: asyncio.Event
) -> None:
    """One tab's stream; after a drop it reconnects with Last-Event-ID, as a browser does."""
    got = stats.received.setdefault((exercise, seat), set())
    last: str | None = None
    while not stop.is_set():
        headers = {"Last-Event-ID": last} if last is not None else {}
        try:
            async with client.stream(
                "GET", f"/api/exercises/{exercise}/stream", headers=headers
            ) as r:
                if r.status_code >= 500:
                    stats.errors_5xx += 1
                data, ident = None, None
                async for line in r.aiter_lines():
                    if line.startswith("data:"):
                        data = line[5:].strip()
                    elif line.startswith("id:"):
                        ident = line[3:].strip()
                    elif not line and data:
                        now = time.time()
                        event = json.loads(data)
                        data, last = None, ident or last
                        if "state" in event and "seat" in event:  # the snapshot
                            stats.ready += 1
                        if event.get("kind") == "vote":
                            body = event["body"]
                            got.add((body["motion"], body["state"]))
                            wall = datetime.fromisoformat(event["wall"]).timestamp()
                            stats.latencies.append(now - wall)
                    if stop.is_set():
                        return
        except httpx.HTTPError as exc:
            if stop.is_set():
                return
            name = type(exc).__name__
            stats.reconnects[name] = stats.reconnects.get(name, 0) + 1
            await asyncio.sleep(0.5)


async def play(
    stats: Stats, exercise: str, seats: dict[str, httpx.AsyncClient], until: float
) -> None:
    sec = seats["SEC"]
    base = f"/api/exercises/{exercise}"
    for n in itertools.count():
        if time.monotonic() >= until:
            return
        r = await post(
            stats,
            sec,
            f"{base}/motions",
            {"measure": MEASURES[n % len(MEASURES)], "hours": 100},
            f"m{next(_keys)}",
        )
        if r.status_code != 200:
            await asyncio.sleep(0.2)
            continue
        stats.motions += 1
        motion = r.json()["id"]

        await asyncio.gather(*(vote(stats, seats, base, motion, s) for s in MEMBERS))


async def vote(
    stats: Stats, seats: dict[str, httpx.AsyncClient], base: str, motion: str, state: str
) -> None:
    """One vote, then the same request again with the same key, as a browser retries."""
    key = f"v{next(_keys)}"
    url, body = f"{base}/motions/{motion}/votes", {"vote": "support", "statement": "load"}
    first = await post(stats, seats[state], url, body, key)
    if first.status_code == 200:
        stats.acked.add((base.rsplit("/", 1)[1], motion, state))
    again = await post(stats, seats[state], url, body, key)
    if first.status_code == 200 and (again.status_code != 200 or again.json() != first.json()):
        stats.retry_mismatch += 1


def memory(pid: int) -> dict[str, float]:
    """VmHWM and VmRSS in MiB, summed over the server and its worker processes."""
    pids = [pid]
    for child in Path("/proc").iterdir():
        if child.name.isdigit():
            try:
                status = (child / "status").read_text()
            except OSError:
                continue
            if any(
                line.split()[1:2] == [str(pid)]
                for line in status.splitlines()
                if line.startswith("PPid:")
            ):
                pids.append(int(child.name))
    total = {"peak_mib": 0.0, "rss_mib": 0.0}
    for p in pids:
        try:
            lines = dict(
                line.split(":", 1)
                for line in Path(f"/proc/{p}/status").read_text().splitlines()
                if ":" in line
            )
        except OSError:
            continue
        total["peak_mib"] += int(lines["VmHWM"].split()[0]) / 1024
        total["rss_mib"] += int(lines["VmRSS"].split()[0]) / 1024
    total["processes"] = len(pids)
    return {k: round(v, 1) for k, v in total.items()}


async def run(
    base: str, n_exercises: int, seconds: float
) -> tuple[Stats, list[str], dict[str, dict[str, httpx.AsyncClient]]]:
    stats = Stats()
    tables: dict[str, dict[str, httpx.AsyncClient]] = {}
    async with httpx.AsyncClient(base_url=base, timeout=60) as admin:
        for _ in range(n_exercises):
            r = await admin.post("/api/exercises", json={"scenario": "southern-shield"})
            r.raise_for_status()
            data = r.json()
            links = {x["seat"]: x["url"] for x in data["links"]} | {"DIRECTOR": data["director"]}
            joined = await asyncio.gather(*(join(base, link) for link in links.values()))
            tables[data["exercise_id"]] = {seat: client for client, seat in joined}
    stop = asyncio.Event()
    streams = [
        asyncio.create_task(stream(stats, client, exercise, seat, stop))
        for exercise, seats in tables.items()
        for seat, client in seats.items()
    ]
    waited = time.monotonic()
    while stats.ready < len(streams) and time.monotonic() - waited < 120:
        await asyncio.sleep(0.2)  # every stream open and past its snapshot before play starts
    until = time.monotonic() + seconds
    await asyncio.gather(*(play(stats, e, seats, until) for e, seats in tables.items()))
    settled, count = time.monotonic(), -1
    while len(stats.latencies) != count and time.monotonic() - settled < 60:
        count = len(stats.latencies)
        await asyncio.sleep(3.0)  # until the last events have reached the streams
    stop.set()
    for task in streams:
        task.cancel()
    await asyncio.gather(*streams, return_exceptions=True)
    return stats, list(tables), tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="csto-load-"))
    db = args.db or f"sqlite:///{folder / 'load.db'}"
    server = LiveServer(db, workers=args.workers, log=folder / "serve.log").start()
    assert server.process is not None
    try:
        started = time.monotonic()
        stats, exercises, tables = asyncio.run(run(server.base, args.exercises, args.seconds))
        elapsed = time.monotonic() - started
        mem = memory(server.process.pid)
        logged: dict[tuple[str, str, str], int] = {}
        director_votes: dict[str, set[tuple[str, str]]] = {}
        with httpx.Client(base_url=server.base, timeout=60) as c:
            for exercise in exercises:
                jar = tables[exercise]["DIRECTOR"].cookies
                after, votes = 0, set()
                while True:
                    page = c.get(
                        f"/api/exercises/{exercise}/events", params={"after": after}, cookies=jar
                    ).json()
                    if not page["events"]:
                        break
                    for e in page["events"]:
                        if e["kind"] == "vote":
                            k = (exercise, e["body"]["motion"], e["body"]["state"])
                            logged[k] = logged.get(k, 0) + 1
                            votes.add(k[1:])
                    after = page["scanned_to"]
                director_votes[exercise] = votes
    finally:
        server.stop()
    lost = len(stats.acked - set(logged))
    duplicates = sum(1 for n in logged.values() if n > 1)
    undelivered = sum(len(director_votes[e] - got) for (e, _), got in stats.received.items())
    lat = sorted(stats.latencies)
    result = {
        "exercises": len(exercises),
        "seats": sum(len(t) for t in tables.values()),
        "seconds": args.seconds,
        "store": "sqlite" if db.startswith("sqlite") else "postgresql",
        "workers": args.workers,
        "motions": stats.motions,
        "votes_acknowledged": len(stats.acked),
        "votes_per_second": round(len(stats.acked) / args.seconds, 1),
        "requests": stats.requests,
        "lost_votes": lost,
        "duplicate_effects": duplicates,
        "server_errors_5xx": stats.errors_5xx,
        "retries_answered_differently": stats.retry_mismatch,
        "refused_4xx": stats.refused,
        "deliveries": len(lat),
        "deliveries_lost": undelivered,
        "stream_reconnects": stats.reconnects,
        "latency_p50_ms": round(1000 * statistics.median(lat), 1) if lat else None,
        "latency_p95_ms": round(1000 * lat[int(0.95 * (len(lat) - 1))], 1) if lat else None,
        "latency_p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))], 1) if lat else None,
        "latency_max_ms": round(1000 * lat[-1], 1) if lat else None,
        "server_memory": mem,
        "wall_seconds": round(elapsed, 1),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
