"""SIGKILL a `csto serve` at random moments during play, restart it, and check what it kept.

    setup(server) -> Table       an exercise in full swing: the force deploying on a fast clock,
                                 so the loop writes while seats write
    kill_round(server, table, rng, n)   seats send commands (idempotency keys) until the server is
                                 killed at a random moment; restart; the findings of the round

A round's findings: commands acknowledged (2xx), how many of them the log lacks, how many appear
twice, whether each acknowledged command's state hash is the log's at its position, whether the
whole log replays to the hashes it recorded, and how far the exercise time is from what the clock
anchors say it should be after the restart. Used by tests/test_api_kill.py and
benchmarks/soak_kill.py.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from .live_server import LiveServer, Player


@dataclass
class Table:
    exercise: str
    players: dict[str, Player]
    rate: float


@dataclass
class Findings:
    acknowledged: int
    lost: int
    duplicated: int
    wrong_hashes: int
    replay_ok: bool
    clock_error_seconds: float
    events: int
    simulated: int = 0  # simulation events in the log so far: the loop's writes
    retried_in_flight: bool = False
    notes: list[str] = field(default_factory=list)


def _ok(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def setup(server: LiveServer, rate: float = 600) -> Table:
    exercise, links = server.create()
    p = {s: Player.join(server.base, exercise, links[s]) for s in ("KAZ", "ARM", "SEC", "DIRECTOR")}
    _ok(p["DIRECTOR"].post("clock", {"action": "resume"}))
    _ok(p["DIRECTOR"].post("clock", {"action": "speed", "rate": rate}))
    _ok(p["KAZ"].post("appeal", {"invokes": "art4", "asks": "deployment"}))
    motion = _ok(p["SEC"].post("motions", {"measure": "deployment"}))["id"]
    for seat in ("KAZ", "ARM"):
        _ok(p[seat].post(f"motions/{motion}/votes", {"vote": "support"}))
    request = _ok(p["SEC"].post("force-requests", {}))["id"]
    _ok(p["ARM"].post(f"force-requests/{request}/offers", {"personnel": 100}))
    for offer_id, offer in p["SEC"].get("view")["state"]["requests"][request]["offers"].items():
        if offer["personnel"]:
            _ok(p["SEC"].post(f"offers/{offer_id}/accept", {}))
    _ok(p["SEC"].post(f"force-requests/{request}/close", {}))
    return Table(exercise, p, rate)


def kill_round(server: LiveServer, table: Table, rng: random.Random, n: int) -> Findings:
    acked: dict[str, dict[str, Any]] = {}
    in_flight: list[tuple[str, str]] = []
    stop = threading.Event()

    def write(seat: str) -> None:
        player = table.players[seat]
        k = 0
        while not stop.is_set():
            key = f"round{n}-{seat}-{k}"
            k += 1
            in_flight[:] = [(seat, key)]
            try:
                r = player.post(
                    "messages", {"to": "all", "subject": "kill test", "text": key}, key=key
                )
            except httpx.HTTPError:
                return
            if r.status_code == 200:
                acked[key] = r.json()
                in_flight.clear()

    director = table.players["DIRECTOR"]
    before = director.get("view")
    seen_at = time.time()
    threads = [threading.Thread(target=write, args=(s,)) for s in ("KAZ", "ARM")]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(0.2, 1.5))
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    time.sleep(rng.uniform(0.0, 0.5))  # the wall clock goes on while the server is down
    server.start()
    after = director.get("view")
    after_at = time.time()
    expected = datetime.fromisoformat(before["exercise_time"]).timestamp() + table.rate * (
        after_at - seen_at
    )
    clock_error = abs(datetime.fromisoformat(after["exercise_time"]).timestamp() - expected)
    retried = False
    if in_flight:  # the command the kill cut off: sent again with its key, it must not double
        seat, key = in_flight[0]
        r = table.players[seat].post(
            "messages", {"to": "all", "subject": "kill test", "text": key}, key=key
        )
        if r.status_code == 200:
            acked[key] = r.json()
            retried = True
    log = director.events()
    texts = [e["body"]["text"] for e in log if e["kind"] == "message"]
    by_seq = {e["seq"]: e for e in log}
    wrong = sum(
        1 for o in acked.values() if by_seq.get(o["seq"], {}).get("state_hash") != o["state_hash"]
    )
    sims = sum(1 for e in log if e["kind"] == "sim")
    return Findings(
        acknowledged=len(acked),
        simulated=sims,
        lost=sum(1 for key in acked if key not in texts),
        duplicated=sum(1 for key in set(texts) if texts.count(key) > 1),
        wrong_hashes=wrong,
        replay_ok=bool(director.get("replay")["ok"]),
        clock_error_seconds=round(clock_error, 1),
        events=len(log),
        retried_in_flight=retried,
    )
