"""Leak tests: for every pair of seats, nothing private to one reaches the other, over the API
(view, events, drafts) or over the event stream (snapshot and events). Every private item carries
a marker naming the seats allowed to see it: PRIV[A,B]. A seat may only ever receive markers that
name it (the director sees everything by design, and is checked to receive every marker)."""

from __future__ import annotations

import json
import re
from itertools import permutations
from pathlib import Path
from typing import Any

import pytest
import yaml

from csto.api.read import sse_events

from .exercises import SeatClient, Server, server

MARKER = re.compile(r"PRIV\[([A-Z0-9,]+)\]")
MEMBERS = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
SEATS = [*MEMBERS, "SEC", "DIRECTOR", "OBS1", "OBS2"]


def mark(*seats: str) -> str:
    return f"PRIV[{','.join(sorted(seats))}]"


def scenario(players_see_assessment: bool) -> str:
    doc: dict[str, Any] = {
        "format": 1,
        "id": "leak-test",
        "title": "Leak test",
        "crisis": "kazakhstan-2022",
        "start": "2022-01-05T08:00:00Z",
        "rate": 60,
        "settings": {"players_see_assessment": players_see_assessment},
        "seats": {"observers": 2, "briefs": {seat: f"brief {mark(seat)}" for seat in SEATS}},
        "mel": [
            {
                "id": "public",
                "at": "0:00",
                "audience": "all",
                "title": "For everyone",
                "body": "public",
            },
            {
                "id": "pair",
                "at": "0:00",
                "audience": ["KAZ", "SEC"],
                "title": "Pair",
                "body": f"to two {mark('KAZ', 'SEC')}",
                "facts": {"casualties": 300},
            },
            {
                "id": "members",
                "at": "0:00",
                "audience": "members",
                "title": "Members",
                "body": f"members {mark(*MEMBERS)}",
            },
            {
                "id": "observer",
                "at": "0:00",
                "audience": ["OBS2"],
                "title": "Observer",
                "body": f"observer {mark('OBS2')}",
            },
        ],
    }
    return yaml.safe_dump(doc)


def play(s: Server, players_see_assessment: bool) -> tuple[str, dict[str, SeatClient]]:
    with s.client() as c:
        r = c.post("/api/exercises", json={"text": scenario(players_see_assessment)})
    assert r.status_code == 201, r.text
    exercise = r.json()["exercise_id"]
    links = {x["seat"]: x["url"] for x in r.json()["links"]} | {"DIRECTOR": r.json()["director"]}
    seats = {seat: s.join(exercise, links[seat]) for seat in SEATS}
    seats["DIRECTOR"].post("clock", {"action": "resume"})
    for a, b in permutations([*MEMBERS, "SEC"], 2):
        seats[a].post(
            "messages", {"to": [b], "subject": "bilateral", "text": f"{a} to {b} {mark(a, b)}"}
        )
    for seat in SEATS:
        seats[seat].client.put(
            seats[seat].url("drafts/statement"), json={"text": f"draft {mark(seat)}"}
        )
    seats["KAZ"].post("appeal", {"invokes": "art4", "statement": "public appeal"})
    motion = seats["SEC"].post("motions", {"measure": "deployment"})["id"]
    for member in MEMBERS:
        seats[member].post(f"motions/{motion}/votes", {"vote": "support", "statement": "public"})
    request = seats["SEC"].post("force-requests", {})["id"]
    for member in MEMBERS:
        seats[member].post("reports", {"text": f"report {mark(member, 'SEC')}"})
        if member != "KAZ":
            seats[member].post(
                f"force-requests/{request}/offers",
                {"personnel": 50, "caveats": f"caveat {mark(member, 'SEC')}"},
            )
    seats["KAZ"].post(
        "reports", {"text": f"report to RUS {mark('KAZ', 'RUS', 'SEC')}", "to": ["RUS"]}
    )
    seats["DIRECTOR"].post(
        "injects", {"title": "added", "body": f"added {mark('TJK')}", "audience": ["TJK"]}
    )
    seats["SEC"].post(f"force-requests/{request}/close", {})
    s.wall.advance(minutes=26)  # past the first day: a draft situation report
    s.tick()
    sitrep = min(seats["SEC"].view()["state"]["sitreps"])
    seats["SEC"].post(f"sitreps/{sitrep}/edit", {"text": f"edited {mark('SEC')}"})
    seats["SEC"].post(
        f"sitreps/{sitrep}/release", {"audience": ["BLR"], "text": f"released {mark('BLR', 'SEC')}"}
    )
    return exercise, seats


def received(client: SeatClient, last: int) -> str:
    """Everything a seat can read: its view, its events, its drafts, and both kinds of stream."""
    parts = [
        json.dumps(client.view()),
        json.dumps(client.events()),
        json.dumps(client.get("drafts")),
    ]
    with client.client.stream("GET", client.url("stream")) as stream:  # from a snapshot
        text = ""
        for chunk in stream.iter_text():
            text += chunk
            if "event: snapshot" in text and text.count("\n\n") >= 1:
                break
        parts.append(text)
    with client.client.stream(
        "GET", client.url("stream"), headers={"Last-Event-ID": "0"}
    ) as stream:
        text = ""
        for chunk in stream.iter_text():
            text += chunk
            if any(e.get("id") == str(last) for e in sse_events(text)):
                break
        assert "event: snapshot" not in text  # a resumed stream sends what was missed, no snapshot
        parts.append(text)
    return "\n".join(parts)


@pytest.mark.parametrize("players_see_assessment", [True, False])
def test_no_seat_receives_what_is_private_to_another(
    tmp_path: Path, players_see_assessment: bool
) -> None:
    s = server(tmp_path)
    _, seats = play(s, players_see_assessment)
    every = {m for e in seats["DIRECTOR"].events() for m in MARKER.findall(json.dumps(e))}
    for seat, client in seats.items():
        last = client.events()[-1]["seq"]
        text = received(client, last)
        found = set(MARKER.findall(text))
        if seat == "DIRECTOR":
            assert every <= found
            continue
        leaked = {m for m in found if seat not in m.split(",")}
        assert leaked == set(), (seat, leaked)
        own = {m for m in every if seat in m.split(",")}
        assert own <= found, (seat, own - found)  # and each seat does get what is meant for it
        assessments = [e for e in client.events() if e["kind"] == "assessment"]
        if not players_see_assessment:
            assert assessments == []
            assert client.view()["state"]["assessment"] is None
        elif seat not in ("KAZ", "SEC"):  # the fact change of the 'pair' inject stays with them
            assert all("inject pair" not in e["body"]["reason"] for e in assessments)


def test_a_seat_acts_only_as_its_own_state(tmp_path: Path) -> None:
    s = server(tmp_path)
    _exercise, seats = play(s, True)
    kaz, obs, sec = seats["KAZ"], seats["OBS1"], seats["SEC"]
    motion = sec.post("motions", {"measure": "consultations"})["id"]
    for path, body in (
        (f"motions/{motion}/votes", {"vote": "support", "state": "RUS"}),
        ("reports", {"text": "as another", "state": "RUS"}),
        ("appeal", {"invokes": "art4", "state": "RUS"}),
    ):
        r = kaz.client.post(kaz.url(path), json=body)
        assert r.status_code == 403, (path, r.text)
        assert "a seat acts only as its own state" in r.json()["message"]
    r = kaz.client.post(kaz.url("clock"), json={"action": "pause"})
    assert r.status_code == 403
    assert "director" in r.json()["message"]
    r = obs.client.post(obs.url(f"motions/{motion}/votes"), json={"vote": "support"})
    assert r.status_code == 403
    r = seats["RUS"].client.post(seats["RUS"].url("appeal"), json={"invokes": "art4"})
    assert r.status_code in (403, 409)
