"""The director's hand on the master events list during play: a future inject edited in place
(text, audience, time or condition), a conditional inject written from the console, and the list
as CSV reading back what was changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csto.exercise.mel import parse_mel
from csto.exercise.queries import replay

from .exercises import SeatClient, Server, server


def started(tmp_path: Path) -> tuple[Server, str, dict[str, SeatClient]]:
    s = server(tmp_path)
    exercise, links = s.create()
    seats = {seat: s.join(exercise, links[seat]) for seat in ("KAZ", "ARM", "SEC", "DIRECTOR")}
    seats["DIRECTOR"].post("clock", {"action": "resume"})
    return s, exercise, seats


def mel(director: SeatClient) -> dict[str, Any]:
    return {e["id"]: e for e in director.view()["mel"]}


def test_a_pending_inject_is_edited_then_released_as_edited(tmp_path: Path) -> None:
    s, _, seats = started(tmp_path)
    director, kaz, arm = seats["DIRECTOR"], seats["KAZ"], seats["ARM"]
    assert mel(director)["almaty-airport"]["status"] == "pending"  # due at 3:00, to KAZ and SEC
    director.post(
        "injects/almaty-airport/edit",
        {"title": "Almaty airport seized", "audience": ["KAZ", "ARM"], "at": "0:30"},
    )
    entry = mel(director)["almaty-airport"]
    assert entry["title"] == "Almaty airport seized"
    assert entry["audience"] == ["KAZ", "ARM"]
    assert entry["due"].startswith("2022-01-05T08:30")
    edits = [e for e in director.events() if e["kind"] == "inject_edited"]
    assert edits[0]["audience"] == ["DIRECTOR"]  # the players do not learn of the change
    assert sorted(edits[0]["body"]["changed"]) == ["at", "audience", "title", "when"]
    assert not any(e["kind"] == "inject_edited" for e in kaz.events())
    s.wall.advance(seconds=29)  # rate 60: 29 minutes of exercise time
    s.tick()
    assert "almaty-airport" not in arm.view()["state"]["injects"]
    s.wall.advance(seconds=2)
    s.tick()
    released = arm.view()["state"]["injects"]["almaty-airport"]
    assert released["title"] == "Almaty airport seized"  # Armenia now, as edited
    assert "almaty-airport" in kaz.view()["state"]["injects"]
    assert "almaty-airport" not in seats["SEC"].view()["state"]["injects"]  # no longer to SEC
    refused = director.post("injects/almaty-airport/edit", {"title": "again"}, status=409)
    assert "released already" in refused["message"]
    assert replay(s.store, director.exercise_id).ok


def test_an_inject_moves_from_a_time_to_a_condition_and_back(tmp_path: Path) -> None:
    s, _, seats = started(tmp_path)
    director, kaz = seats["DIRECTOR"], seats["KAZ"]
    director.post(
        "injects/almaty-airport/edit", {"when": {"event": "appeal_filed", "delay": "0:10"}}
    )
    entry = mel(director)["almaty-airport"]
    assert entry["due"] is None
    assert entry["when"]["event"] == "appeal_filed"
    s.wall.advance(minutes=4)  # four hours: past its old time, but the condition is not met
    s.tick()
    assert "almaty-airport" not in kaz.view()["state"]["injects"]
    kaz.post("appeal", {"invokes": "art4", "asks": "deployment"})
    s.wall.advance(seconds=11)
    s.tick()
    assert "almaty-airport" in kaz.view()["state"]["injects"]
    director.post("injects/first-landing/edit", {"at": "2:00"})  # a condition becomes a time
    assert mel(director)["first-landing"]["when"] is None
    assert mel(director)["first-landing"]["due"] is not None


def test_a_conditional_inject_is_written_during_play(tmp_path: Path) -> None:
    s, _, seats = started(tmp_path)
    director, kaz, sec = seats["DIRECTOR"], seats["KAZ"], seats["SEC"]
    made = director.post(
        "injects",
        {
            "title": "Press asks about the vote",
            "audience": "all",
            "when": {"event": "motion_opened", "delay": "0:05"},
        },
    )["id"]
    assert mel(director)[made]["status"] == "pending"
    assert mel(director)[made]["due"] is None
    kaz.post("appeal", {"invokes": "art4", "asks": "deployment"})
    s.tick()
    assert made not in kaz.view()["state"]["injects"]
    sec.post("motions", {"measure": "deployment"})
    s.wall.advance(seconds=6)
    s.tick()
    assert kaz.view()["state"]["injects"][made]["title"] == "Press asks about the vote"


def test_edits_and_conditions_are_refused_with_the_field_named(tmp_path: Path) -> None:
    _, _, seats = started(tmp_path)
    director = seats["DIRECTOR"]
    both = director.post(
        "injects", {"title": "x", "at": "1:00", "when": {"event": "appeal_filed"}}, status=422
    )
    assert both["problems"][0]["path"] == "at"
    assert "not both" in both["problems"][0]["allowed"]
    empty = director.post("injects", {"title": "x", "when": {"delay": "1:00"}}, status=422)
    assert empty["problems"][0]["path"] == "when.event"
    within = director.post(
        "injects", {"title": "x", "when": {"event": "appeal_filed", "within": "1:00"}}, status=422
    )
    assert within["problems"][0]["path"] == "when.within"
    nothing = director.post("injects/almaty-airport/edit", {}, status=422)
    assert "at least one of" in nothing["problems"][0]["allowed"]
    unknown = director.post("injects/nowhere/edit", {"title": "x"}, status=404)
    assert "nowhere" in unknown["message"]
    seats["KAZ"].post("injects/almaty-airport/edit", {"title": "mine"}, status=403)
    badly = director.post("injects/almaty-airport/edit", {"audience": ["XYZ"]}, status=422)
    assert badly["problems"][0]["path"] == "audience"


def test_the_list_as_csv_reads_back_what_was_changed_during_play(tmp_path: Path) -> None:
    _, _, seats = started(tmp_path)
    director = seats["DIRECTOR"]
    director.post("injects/almaty-airport/edit", {"at": "1:00", "title": "Earlier"})
    director.post("injects", {"title": "Later", "at": "2:00"})
    text = director.get("mel.csv")
    back = {i.id: i for i in parse_mel(text, "mel.csv")}
    assert back["almaty-airport"].title == "Earlier"
    assert back["almaty-airport"].at == 3600  # an hour after the start: the clock is at 0:00
    assert back["added-1"].at == 2 * 3600


def test_a_condition_met_already_releases_the_inject_now_not_backdated(tmp_path: Path) -> None:
    s, _, seats = started(tmp_path)
    director, kaz = seats["DIRECTOR"], seats["KAZ"]
    kaz.post("appeal", {"invokes": "art4", "asks": "deployment"})
    s.wall.advance(minutes=2)  # two hours on: the appeal is old news
    s.tick()
    now = director.view()["exercise_time"]
    made = director.post(
        "injects", {"title": "Late word", "when": {"event": "appeal_filed", "delay": "0:15"}}
    )["id"]
    released = kaz.view()["state"]["injects"][made]
    assert released["at"] == now  # at once, dated now
    assert released["late"] is False
    log = director.events()
    assert log[-1]["seq"] > log[-2]["seq"]
    assert log[-1]["at"] >= log[-2]["at"]  # the log's times never go back
    director.post("injects/almaty-airport/edit", {"when": {"event": "appeal_filed"}})
    assert kaz.view()["state"]["injects"]["almaty-airport"]["at"] == now
