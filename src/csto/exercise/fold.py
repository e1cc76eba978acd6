"""The fold: one event at a time into an ExerciseState (csto.exercise.state).

    apply(state, event)   fold one LogEvent in; events a seat never saw are simply absent, so
                          every step reads only its own event's body
    fold(events)          a new state from a log (or from a seat's projected log)

Conditions an inject or objective may wait for are kept as `marks`: the first exercise time
each was met ("motion_adopted", "motion_adopted:deployment", "inject_released:riots", ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from csto.exercise.events import EventKind, LogEvent
from csto.exercise.state import (
    Appeal,
    AssessmentNote,
    Clock,
    Deployment,
    ExerciseState,
    ForceRequest,
    Message,
    Motion,
    Offer,
    Released,
    Report,
    SeatState,
    Sitrep,
    Vote,
)

PHASES = {
    "force_generation": "deploying",
    "no_force_generated": "no force generated",
    "deployment_complete": "operations",
    "mission_complete": "mission complete",
    "handover_started": "handover",
    "handover": "withdrawal",
    "withdrawal_complete": "withdrawn",
}
SIM_MARKS = {
    "arrival": "first_arrival",
    "deployment_complete": "deployment_complete",
    "handover": "handover",
    "withdrawal_complete": "withdrawal_complete",
}


def _created(s: ExerciseState, e: LogEvent) -> None:
    b = e.body
    s.exercise_id, s.title, s.scenario, s.note = (
        b["exercise_id"],
        b["title"],
        b["scenario"],
        b["note"],
    )
    s.status = "running"
    s.start = datetime.fromisoformat(b["start"])
    s.clock = Clock.model_validate(b["clock"])
    s.settings, s.chair, s.crisis = b["settings"], b["chair"], b["crisis"]
    s.base_appeal, s.objectives = b["base_appeal"], tuple(b["objectives"])
    s.seats = {x["id"]: SeatState(id=x["id"], kind=x["kind"], taken=False) for x in b["seats"]}


def _brief(s: ExerciseState, e: LogEvent) -> None:
    s.briefs[e.body["seat"]] = e.body["text"]


def _clock(s: ExerciseState, e: LogEvent) -> None:
    if e.body["action"] == "start":
        s.started_at = e.at
    s.clock = Clock.model_validate(
        {k: e.body[k] for k in ("anchor_at", "anchor_wall", "rate", "paused")}
    )


def _seat(taken: bool) -> Callable[[ExerciseState, LogEvent], None]:
    def step(s: ExerciseState, e: LogEvent) -> None:
        seat = s.seats.get(e.body["seat"])
        if seat is not None:
            seat.taken = taken

    return step


def _inject_added(s: ExerciseState, e: LogEvent) -> None:
    s.added_injects += 1


def _inject_released(s: ExerciseState, e: LogEvent) -> None:
    b = e.body
    s.injects[b["inject"]] = Released(
        id=b["inject"],
        title=b["title"],
        body=b["text"],
        audience=e.audience,
        facts=b["facts"],
        due=b["due"],
        at=e.at,
        late=b["late"],
        delay_seconds=b["delay_seconds"],
    )
    if b["facts"]:
        s.crisis = {**s.crisis, "situation": {**s.crisis["situation"], **b["facts"]}}
    s.mark("inject_released", e.at)
    s.mark(f"inject_released:{b['inject']}", e.at)


def _assessment(s: ExerciseState, e: LogEvent) -> None:
    b = e.body
    s.assessment = AssessmentNote(
        at=e.at,
        reason=b["reason"],
        changed=b["changed"],
        outcome=b["outcome"],
        legal_ceiling=b["legal_ceiling"],
        assessment=b["assessment"],
    )
    if b["changed"]:
        for motion in b["open_motions"]:
            if motion in s.motions:
                s.motions[motion].assessment_changed = True


def _appeal(s: ExerciseState, e: LogEvent) -> None:
    b = e.body
    s.appeal = Appeal(at=e.at, engine=e.engine, **b)
    s.crisis = {**s.crisis, "appeal": {"by": b["by"], "invokes": b["invokes"], "asks": b["asks"]}}
    s.mark("appeal_filed", e.at)


def _message(s: ExerciseState, e: LogEvent) -> None:
    s.count("C")
    s.messages.append(Message(at=e.at, **e.body))


def _motion_opened(s: ExerciseState, e: LogEvent) -> None:
    s.count("M")
    s.motions[e.body["id"]] = Motion(opened_at=e.at, **e.body)
    s.mark("motion_opened", e.at)


def _vote(s: ExerciseState, e: LogEvent) -> None:
    b = e.body
    motion = s.motions.get(b["motion"])
    if motion is not None:
        motion.votes[b["state"]] = Vote(
            state=b["state"], vote=b["vote"], statement=b["statement"], engine=e.engine, at=e.at
        )


def _motion_closed(s: ExerciseState, e: LogEvent) -> None:
    b = e.body
    motion = s.motions.get(b["motion"])
    if motion is not None:
        motion.status, motion.outcome, motion.decided = "closed", b["outcome"], b["decided"]
        motion.blocked_by, motion.closed_at = tuple(b["blocked_by"]), e.at
        motion.citations = tuple(b["citations"])
        kind = motion.measure or motion.kind
    else:
        kind = b.get("measure") or ""
    s.mark("motion_closed", e.at)
    s.mark(f"motion_closed:{kind}", e.at)
    s.mark(f"motion_{b['outcome']}", e.at)
    s.mark(f"motion_{b['outcome']}:{kind}", e.at)


def _requested(s: ExerciseState, e: LogEvent) -> None:
    s.count("R")
    s.requests[e.body["id"]] = ForceRequest(at=e.at, **e.body)
    s.mark("force_requested", e.at)


def _offer(s: ExerciseState, e: LogEvent) -> None:
    s.count("O")
    b = e.body
    request = s.requests.get(b["request"])
    if request is not None:
        request.offers[b["id"]] = Offer(at=e.at, engine=e.engine, **b)


def _accepted(s: ExerciseState, e: LogEvent) -> None:
    b = e.body
    request = s.requests.get(b["request"])
    if request is None:
        return
    had = request.accepted.get(b["state"], {"personnel": 0, "vehicles": 0})
    request.accepted[b["state"]] = {
        "personnel": had["personnel"] + b["personnel"],
        "vehicles": had["vehicles"] + b["vehicles"],
    }
    offer = request.offers.get(b["offer"])
    if offer is not None:
        offer.accepted_personnel += b["personnel"]
        offer.accepted_vehicles += b["vehicles"]


def _request_closed(s: ExerciseState, e: LogEvent) -> None:
    request = s.requests.get(e.body["request"])
    if request is not None:
        request.status = "closed"


def _deployment(s: ExerciseState, e: LogEvent) -> None:
    s.deployment = Deployment(ordered_at=e.at, crisis=s.crisis, **e.body)
    s.mark("deployment_ordered", e.at)


def _sim(s: ExerciseState, e: LogEvent) -> None:
    d, b = s.deployment, e.body
    if d is None:
        return
    d.events = b["index"] + 1
    kind, details = b["kind"], b["details"]
    d.phase = PHASES.get(kind, d.phase)
    if kind == "arrival":
        d.in_theatre[b["actor"]] = d.in_theatre.get(b["actor"], 0) + details["personnel"]
    elif kind == "departure" and not details.get("inbound", True):
        left = d.in_theatre.get(b["actor"], 0) - details["personnel"]
        if left > 0:
            d.in_theatre[b["actor"]] = left
        else:
            d.in_theatre.pop(b["actor"], None)
    if kind in SIM_MARKS:
        d.milestones.setdefault(SIM_MARKS[kind], e.at)
        s.mark(SIM_MARKS[kind], e.at)


def _drafted(s: ExerciseState, e: LogEvent) -> None:
    s.count("S")
    b = e.body
    s.sitreps[b["id"]] = Sitrep(
        id=b["id"], day=b["day"], drafted_at=e.at, text=b["text"], engine=e.engine
    )


def _edited(s: ExerciseState, e: LogEvent) -> None:
    sitrep = s.sitreps.get(e.body["id"])
    if sitrep is not None:
        sitrep.text, sitrep.edited_by = e.body["text"], e.actor


def _released_sitrep(s: ExerciseState, e: LogEvent) -> None:
    b = e.body
    sitrep = s.sitreps.get(b["id"]) or Sitrep(
        id=b["id"], day=b["day"], drafted_at=e.at, text=b["text"]
    )
    sitrep.text, sitrep.status, sitrep.released_at = b["text"], "released", e.at
    sitrep.audience, sitrep.engine = e.audience, sitrep.engine or e.engine
    s.sitreps[b["id"]] = sitrep
    s.mark("sitrep_released", e.at)


def _report(s: ExerciseState, e: LogEvent) -> None:
    s.count("F")
    s.reports.append(Report(at=e.at, **e.body))


def _ended(s: ExerciseState, e: LogEvent) -> None:
    s.status, s.ended_at = "ended", e.at


STEPS: dict[EventKind, Callable[[ExerciseState, LogEvent], None]] = {
    EventKind.EXERCISE_CREATED: _created,
    EventKind.BRIEF: _brief,
    EventKind.CLOCK: _clock,
    EventKind.SEAT_TAKEN: _seat(True),
    EventKind.SEAT_RELEASED: _seat(False),
    EventKind.INJECT_ADDED: _inject_added,
    EventKind.INJECT_EDITED: lambda s, e: None,  # the master events list changed: no state
    EventKind.INJECT_RELEASED: _inject_released,
    EventKind.ASSESSMENT: _assessment,
    EventKind.APPEAL_FILED: _appeal,
    EventKind.MESSAGE: _message,
    EventKind.MOTION_OPENED: _motion_opened,
    EventKind.VOTE: _vote,
    EventKind.MOTION_CLOSED: _motion_closed,
    EventKind.FORCE_REQUESTED: _requested,
    EventKind.OFFER: _offer,
    EventKind.OFFER_ACCEPTED: _accepted,
    EventKind.REQUEST_CLOSED: _request_closed,
    EventKind.DEPLOYMENT_ORDERED: _deployment,
    EventKind.SIM: _sim,
    EventKind.SITREP_DRAFTED: _drafted,
    EventKind.SITREP_EDITED: _edited,
    EventKind.SITREP_RELEASED: _released_sitrep,
    EventKind.REPORT_FILED: _report,
    EventKind.EXERCISE_ENDED: _ended,
}


def apply(state: ExerciseState, event: LogEvent) -> ExerciseState:
    STEPS[event.kind](state, event)
    state.seq = event.seq
    return state


def fold(events: Iterable[LogEvent], state: ExerciseState | None = None) -> ExerciseState:
    state = state if state is not None else ExerciseState()
    for event in events:
        apply(state, event)
    return state


def body_of(**fields: Any) -> dict[str, Any]:
    """An event body as the log keeps it: JSON-ready values only."""
    from pydantic_core import to_jsonable_python

    return dict(to_jsonable_python(fields))
