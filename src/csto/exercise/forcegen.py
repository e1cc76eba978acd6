"""Force generation in play: request -> offers -> acceptance -> deployment on the exercise clock.

    issue_request(turn, cmd)       the Joint Staff (Secretariat or director) asks for forces after
                                   an adopted deployment; by default for the engine's requirement
                                   (csto.forces.force_requirement); seats nobody holds answer at
                                   once with the engine's offers (pledges, the provider the rest)
    make_offer(turn, request, cmd) a member offers a contingent, from its pledge or beyond it
    accept_offer(turn, offer, cmd) the lead accepts an offer in full or in part
    close_request(turn, request)   offers end; where nobody holds the Secretariat the engine
                                   accepts in order up to the request; the accepted contingents
                                   are ordered to deploy (csto.exercise.deployment flies them in)

Offers travel only between the offering seat and the Joint Staff (and the white cell); what was
accepted is announced to every seat.
"""

from __future__ import annotations

from datetime import timedelta

from csto.domain.crisis import Measure
from csto.domain.errors import Conflict, DataError, NotFound, Problem
from csto.exercise.commands import AcceptOffer, IssueForceRequest, MakeOffer
from csto.exercise.events import EventKind
from csto.exercise.seats import SECRETARIAT, SeatKind
from csto.exercise.state import ForceRequest, Offer
from csto.exercise.turn import Turn
from csto.forces import Contingent, contributions, contributors, force_requirement, plan_from_offers

JOINT_STAFF = (SeatKind.SECRETARIAT, SeatKind.DIRECTOR)


def issue_request(turn: Turn, cmd: IssueForceRequest) -> str:
    turn.open()
    turn.require(JOINT_STAFF, "issue a force request")
    state = turn.state
    adopted = [
        m
        for m in state.motions.values()
        if m.outcome == "adopted" and m.decided == Measure.DEPLOYMENT.label
    ]
    if cmd.motion is not None:
        adopted = [m for m in adopted if m.id == cmd.motion]
        if not adopted:
            raise Conflict("motion", f"motion {cmd.motion} did not decide a deployment")
    if not adopted:
        raise Conflict(
            "motion",
            "no deployment has been decided: a force request follows a Council decision to deploy",
        )
    if any(r.status == "open" for r in state.requests.values()) or state.deployment is not None:
        raise Conflict("request", "a force request is already open or a deployment already ordered")
    crisis = turn.crisis()
    need = force_requirement(turn.world, crisis)
    tasks = cmd.tasks or ()
    task_list = [t.model_dump() for t in tasks] or [{"task": need.task, "personnel": need.required}]
    total = sum(t["personnel"] for t in task_list)
    request_id = state.peek_id("R")
    hours = cmd.hours or float(state.settings["request_hours"])
    turn.emit(
        EventKind.FORCE_REQUESTED,
        {
            "id": request_id,
            "motion": adopted[-1].id,
            "component": need.component,
            "component_name": need.component_name,
            "task": need.task,
            "sites": need.sites,
            "tasks": task_list,
            "personnel": total,
            "readiness_hours": cmd.readiness_hours,
            "deadline": turn.now + timedelta(hours=hours),
            "issued_by": turn.seat,
        },
    )
    assessment = turn.assessment()
    willing = contributors(need, crisis, assessment)
    sizes, _ = contributions(turn.world, need, willing, total)
    per_vehicle = turn.world.ops.sizes.personnel_per_vehicle.value
    for seat in state.members():
        if state.taken(seat) or seat == crisis.situation.territory:
            continue
        personnel = sizes.get(seat, 0)
        if personnel > 0:
            caveats = (
                "[engine] its pledge to the component"
                if seat in need.pledges
                else "[engine] fills the rest"
            )
        else:
            reasons = (
                [r.reason for r in assessment.positions[seat].reasons]
                if seat in assessment.positions
                else []
            )
            caveats = "[engine] declines: " + (
                "; ".join(reasons) or "not a contributor to this component"
            )
        turn.emit(
            EventKind.OFFER,
            {
                "id": state.peek_id("O"),
                "request": request_id,
                "state": seat,
                "personnel": personnel,
                "vehicles": max(1, round(personnel / per_vehicle)) if personnel else 0,
                "caveats": caveats,
            },
            audience=(seat, SECRETARIAT),
            engine=True,
        )
    return request_id


def _request(turn: Turn, request_id: str) -> ForceRequest:
    found = turn.state.requests.get(request_id)
    if found is None:
        raise NotFound("force request", request_id, tuple(turn.state.requests))
    return found


def _still_open(request: ForceRequest) -> None:
    if request.status != "open":
        raise Conflict(
            "request", f"force request {request.id} is closed; no more offers or acceptances"
        )


def make_offer(turn: Turn, request_id: str, cmd: MakeOffer) -> str:
    turn.open()
    state_code = turn.own_state(cmd.state, "offer a contingent")
    request = _request(turn, request_id)
    _still_open(request)
    situation = turn.crisis().situation
    if state_code == situation.territory or state_code in situation.opposing_states:
        raise Conflict("state", f"{state_code} is the host or a party: it sends no contingent here")
    per_vehicle = turn.world.ops.sizes.personnel_per_vehicle.value
    vehicles = (
        cmd.vehicles if cmd.vehicles is not None else max(1, round(cmd.personnel / per_vehicle))
    )
    offer_id = turn.state.peek_id("O")
    turn.emit(
        EventKind.OFFER,
        {
            "id": offer_id,
            "request": request_id,
            "state": state_code,
            "personnel": cmd.personnel,
            "vehicles": vehicles,
            "caveats": cmd.caveats,
        },
        audience=(state_code, SECRETARIAT),
    )
    return offer_id


def _offer(turn: Turn, offer_id: str) -> tuple[ForceRequest, Offer]:
    for request in turn.state.requests.values():
        if offer_id in request.offers:
            return request, request.offers[offer_id]
    raise NotFound("offer", offer_id)


def accept_offer(turn: Turn, offer_id: str, cmd: AcceptOffer, engine: bool = False) -> None:
    turn.open()
    if not engine:
        turn.require(JOINT_STAFF, "accept an offer")
    request, offer = _offer(turn, offer_id)
    _still_open(request)
    left_p = offer.personnel - offer.accepted_personnel
    left_v = offer.vehicles - offer.accepted_vehicles
    personnel = cmd.personnel if cmd.personnel is not None else left_p
    vehicles = (
        cmd.vehicles
        if cmd.vehicles is not None
        else (
            left_v
            if personnel == left_p
            else round(offer.vehicles * personnel / max(1, offer.personnel))
        )
    )
    if left_p <= 0:
        raise Conflict("offer", f"offer {offer_id} has nothing left to accept")
    if not 1 <= personnel <= left_p:
        raise DataError(
            "request",
            [
                Problem(
                    "personnel", personnel, f"allowed: 1 to {left_p} (what is left of the offer)"
                )
            ],
        )
    if not 0 <= vehicles <= left_v:
        raise DataError(
            "request",
            [Problem("vehicles", vehicles, f"allowed: 0 to {left_v} (what is left of the offer)")],
        )
    turn.emit(
        EventKind.OFFER_ACCEPTED,
        {
            "offer": offer_id,
            "request": request.id,
            "state": offer.state,
            "personnel": personnel,
            "vehicles": vehicles,
        },
        engine=engine,
    )


def close_request(turn: Turn, request_id: str, by_deadline: bool = False) -> None:
    turn.open()
    if not by_deadline:
        turn.require(JOINT_STAFF, "close a force request")
    request = _request(turn, request_id)
    _still_open(request)
    at = request.deadline if by_deadline else None
    if not turn.state.taken(SECRETARIAT):  # the engine plays the Joint Staff's lead
        for offer in list(request.offers.values()):
            room = request.personnel - request.accepted_personnel
            left = offer.personnel - offer.accepted_personnel
            if room <= 0:
                break
            if left > 0:
                accept_offer(turn, offer.id, AcceptOffer(personnel=min(room, left)), engine=True)
    turn.emit(
        EventKind.REQUEST_CLOSED,
        {"request": request.id, "accepted": request.accepted, "shortfall": request.shortfall},
        at=at,
        engine=by_deadline,
    )
    crisis = turn.crisis()
    need = force_requirement(turn.world, crisis)
    accepted = [
        Contingent(code, a["personnel"], a["vehicles"])
        for code, a in sorted(request.accepted.items())
    ]
    plan = plan_from_offers(turn.world, crisis, need, accepted)
    turn.emit(
        EventKind.DEPLOYMENT_ORDERED,
        {
            "request": request.id,
            "component": plan.component,
            "component_name": plan.component_name,
            "task": plan.task,
            "sites": plan.sites,
            "contingents": {
                c.code: {"personnel": c.personnel, "vehicles": c.vehicles} for c in plan.contingents
            },
            "personnel": plan.personnel,
            "required": request.personnel,
            "airlift": plan.airlift,
            "reasons": plan.reasons,
        },
        at=at,
        engine=by_deadline,
    )
