"""A whole Kazakhstan exercise played over the API, to its after-action report: two member seats
held by people (KAZ and ARM), the other four played by the engine, the Secretariat and the
director held by people. The record must show the appeal, consultations, a Council vote, a force
request, offers, acceptance, the deployment on the clock, situation reports and the withdrawal."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from csto.engine import assess
from csto.exercise.queries import replay

from .exercises import server
from .worlds import WORLD, case


def test_a_whole_kazakhstan_exercise_to_its_after_action_report(tmp_path: Path) -> None:
    s = server(tmp_path)
    exercise, links = s.create("kazakhstan-2022")
    kaz, arm, sec, director, obs = (
        s.join(exercise, links[seat]) for seat in ("KAZ", "ARM", "SEC", "DIRECTOR", "OBS1")
    )
    director.post("clock", {"action": "resume"})  # the clock starts paused; this starts play
    assert "riots" in kaz.view()["state"]["injects"]  # due at the start: released with it

    s.wall.advance(minutes=3)  # rate 60: three hours of exercise time
    s.tick()
    assert "almaty-airport" in kaz.view()["state"]["injects"]
    assert "almaty-airport" not in arm.view()["state"]["injects"]  # it went to KAZ and SEC only

    # consultations: to all, and bilateral
    kaz.post(
        "messages",
        {
            "to": "all",
            "subject": "Request for help",
            "text": "We face terrorists trained abroad.",
            "answers": "riots",
        },
    )
    arm.post(
        "messages", {"to": ["KAZ"], "subject": "Bilateral", "text": "Which sites need guarding?"}
    )
    kaz.post(
        "messages",
        {"to": ["ARM"], "subject": "Re: bilateral", "text": "Airports and power plants."},
    )

    kaz.post(
        "appeal",
        {
            "invokes": "art4",
            "asks": "deployment",
            "statement": "Kazakhstan asks for the collective peacekeeping forces.",
        },
    )
    s.wall.advance(minutes=1)
    s.tick()

    motion = sec.post(
        "motions", {"measure": "deployment", "text": "Send the collective peacekeeping forces."}
    )["id"]
    opened = kaz.view()["state"]["motions"][motion]
    engine_voted = {k for k, v in opened["votes"].items() if v["engine"]}
    assert engine_voted == {
        "BLR",
        "KGZ",
        "RUS",
        "TJK",
    }  # nobody holds them: the engine votes at once
    assert all(v["statement"].startswith("[engine") for k, v in opened["votes"].items())
    arm.post(
        f"motions/{motion}/votes",
        {"vote": "support", "statement": "Armenia supports, within the mandate."},
    )
    kaz.post(f"motions/{motion}/votes", {"vote": "support", "statement": "We asked for it."})
    closed = obs.view()["state"]["motions"][motion]
    assert closed["status"] == "closed"
    assert closed["outcome"] == "adopted"
    assert {k for k, v in closed["votes"].items() if not v["engine"]} == {"KAZ", "ARM"}
    kaz.post(f"motions/{motion}/votes", {"vote": "object"}, status=409)  # closed: refused

    s.wall.advance(minutes=1)
    s.tick()
    assert "tasking" in sec.view()["state"]["injects"]
    request = sec.post("force-requests", {"motion": motion, "readiness_hours": 24, "hours": 6})[
        "id"
    ]
    offers = sec.view()["state"]["requests"][request]["offers"]
    assert {o["state"] for o in offers.values()} == {"BLR", "KGZ", "RUS", "TJK"}
    arm_offer = arm.post(
        f"force-requests/{request}/offers", {"personnel": 100, "caveats": "guard duties only"}
    )["id"]
    needed = sec.view()["state"]["requests"][request]["personnel"]
    for offer_id, offer in offers.items():
        if offer["personnel"]:
            sec.post(f"offers/{offer_id}/accept", {})
    sec.post(f"offers/{arm_offer}/accept", {"personnel": 80})  # in part
    req = sec.view()["state"]["requests"][request]
    accepted = sum(a["personnel"] for a in req["accepted"].values())
    assert req["accepted"]["ARM"]["personnel"] == 80
    sec.post(f"force-requests/{request}/close", {})
    deployment = kaz.view()["state"]["deployment"]
    assert deployment["personnel"] == accepted
    assert deployment["required"] == needed
    assert set(deployment["contingents"]) >= {"ARM", "RUS"}

    # a day later: contingents flown in on the exercise clock, the first situation report drafted
    start = datetime.fromisoformat(kaz.view()["state"]["start"])
    director.post(
        "clock", {"action": "jump", "to": (start + timedelta(days=1, hours=2)).isoformat()}
    )
    sitreps = sec.view()["state"]["sitreps"]
    assert sitreps
    assert all(x["status"] == "draft" for x in sitreps.values())
    first = min(sitreps)
    assert sitreps[first]["text"] not in str(kaz.view()["state"])  # a draft stays with the Center
    sec.post(
        f"sitreps/{first}/edit", {"text": sitreps[first]["text"] + "\nCRC: airlift under way."}
    )
    sec.post(f"sitreps/{first}/release", {"audience": "all"})
    assert "airlift under way" in kaz.view()["state"]["sitreps"][first]["text"]
    kaz.post(
        "reports", {"text": "Ministry of Defence: airports secured.", "answers": "first-landing"}
    )

    director.post("clock", {"action": "jump", "to": (start + timedelta(days=16)).isoformat()})
    director.post("end", {})
    kaz.post("messages", {"to": "all", "text": "too late"}, status=409)

    log = director.events()
    kinds = Counter(e["kind"] for e in log)
    for kind in (
        "appeal_filed",
        "message",
        "motion_opened",
        "vote",
        "motion_closed",
        "force_requested",
        "offer",
        "offer_accepted",
        "deployment_ordered",
        "sitrep_drafted",
        "sitrep_released",
        "report_filed",
        "exercise_ended",
    ):
        assert kinds[kind] >= 1, kind
    sims = [e for e in log if e["kind"] == "sim"]
    sim_kinds = [e["body"]["kind"] for e in sims]
    for kind in (
        "contingent_ready",
        "arrival",
        "deployment_complete",
        "handover",
        "withdrawal_complete",
    ):
        assert kind in sim_kinds, kind
    ordered = next(e for e in log if e["kind"] == "deployment_ordered")
    assert all(e["at"] >= ordered["at"] for e in sims)  # on the clock, after the order
    assert [e["at"] for e in sims] == sorted(e["at"] for e in sims)

    report = director.get("report")
    assert report["final"]
    decision = report["decisions"][0]
    assert decision["outcome"] == "adopted"
    assert decision["model_outcome"] == assess(WORLD, case("kazakhstan-2022")).outcome.label
    assert decision["historical_outcome"] == "deployment"
    assert decision["history_accepts"]
    assert sorted(v["state"] for v in decision["votes"] if v["by_engine"]) == [
        "BLR",
        "KGZ",
        "RUS",
        "TJK",
    ]
    d = report["durations"]
    assert d["appeal_to_decision_hours"] is not None
    assert d["decision_to_deployment_hours"] > 0
    assert d["withdrawal_complete"] is not None
    force = report["forces"][0]
    assert force["personnel_requested"] == needed
    assert force["accepted"] == accepted
    assert force["shortfall"] == max(0, needed - accepted)
    assert {o["state"]: o["accepted_personnel"] for o in force["offers"]}["ARM"] == 80
    answered = {i["id"]: {a["seat"] for a in i["answers"]} for i in report["injects"]}
    assert "KAZ" in answered["riots"]
    assert "KAZ" in answered["first-landing"]
    assert {o["id"]: o["met"] for o in report["objectives"]}["orderly-withdrawal"] is True
    assert report["engine_seats"] == ["BLR", "KGZ", "RUS", "TJK"]
    html = director.client.get(director.url("report.html"))
    assert html.status_code == 200
    assert "After-action report" in html.text
    assert "adopted" in html.text
    kaz.get("report", status=403)  # the director's
    assert replay(s.store, exercise).ok
