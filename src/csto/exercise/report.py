"""The after-action report: the players' path beside the model's, and beside history where there is
a record. Built from the log alone (replayed event by event), so it can be rebuilt at any time.

    AfterActionReport     the whole report (JSON Schema: aar); `final` once the exercise ended
    DecisionRecord        each Council motion: the votes (who played each seat), the outcome by the
                          engine's procedure, what the model would have decided on the facts of
                          that moment, and the historical outcome of the base case where it has one
    Durations             appeal -> decision -> first arrival -> deployment complete -> withdrawal
    ForceRecord           each force request: the offers against it, what was accepted, shortfall
    InjectRecord          each inject released: when, how late, and how it was answered
    ObjectiveRecord       each objective: met or not, and when
    after_action(store, world, exercise_id, cache)   the report
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.crisis import Crisis, Measure
from csto.engine import Assessment
from csto.exercise.events import EventKind, LogEvent
from csto.exercise.fold import apply
from csto.exercise.injects import condition_met_at
from csto.exercise.queries import read_log
from csto.exercise.questions import engine_decision
from csto.exercise.scenario import Objective, Scenario
from csto.exercise.state import ExerciseState
from csto.exercise.turn import crisis_of, engine_assessment
from csto.store import Store
from csto.store import exercises as repo
from csto.world import World


class TimelineEntry(Contract):
    seq: int
    at: datetime
    kind: EventKind
    actor: str
    engine: bool
    summary: str


class VoteRecord(Contract):
    state: str
    vote: str
    by_engine: bool = Field(description="the engine's model played this seat for this vote")
    statement: str


class DecisionRecord(Contract):
    motion: str
    kind: str
    measure: str | None
    opened_at: datetime
    closed_at: datetime | None
    rule: str
    outcome: str | None
    blocked_by: tuple[str, ...]
    votes: tuple[VoteRecord, ...]
    model_outcome: str = Field(
        description="the engine's decision on the facts when it closed: a measure for the appeal, "
        "adopted or rejected for another question"
    )
    model_would_adopt: bool
    legal_ceiling: str | None = Field(description="the appeal's legal ceiling (null: a question)")
    barred_by: tuple[str, ...] = Field(
        default=(), description="a question's binding legal conditions not met (csto decide)"
    )
    historical_outcome: str | None = Field(description="the base case's record, where it has one")
    history_accepts: bool | None = Field(
        description="the decision matches what history did or accepts"
    )


class Durations(Contract):
    appeal: datetime | None
    decision: datetime | None
    deployment_ordered: datetime | None
    first_arrival: datetime | None
    deployment_complete: datetime | None
    withdrawal_complete: datetime | None
    appeal_to_decision_hours: float | None
    decision_to_first_arrival_hours: float | None
    decision_to_deployment_hours: float | None = Field(
        description="decision to deployment complete"
    )


class OfferRecord(Contract):
    offer: str
    state: str
    personnel: int
    vehicles: int
    caveats: str
    by_engine: bool
    accepted_personnel: int


class ForceRecord(Contract):
    request: str
    task: str
    personnel_requested: int
    offered: int
    accepted: int
    shortfall: int
    offers: tuple[OfferRecord, ...]


class AnswerRecord(Contract):
    seat: str
    seq: int
    at: datetime
    kind: EventKind
    explicit: bool = Field(description="it names the inject it answers")


class InjectRecord(Contract):
    id: str
    title: str
    audience: tuple[str, ...] | None
    due: datetime
    released_at: datetime
    late: bool
    delay_seconds: float
    answers: tuple[AnswerRecord, ...]


class ObjectiveRecord(Contract):
    id: str
    text: str
    met: bool | None = Field(description="null: the objective names no condition to check")
    met_at: datetime | None


class AfterActionReport(Contract):
    exercise_id: str
    title: str
    scenario: str
    crisis: str
    final: bool = Field(description="the exercise has ended")
    started_at: datetime | None
    ended_at: datetime | None
    engine_seats: tuple[str, ...] = Field(description="member seats nobody took")
    timeline: tuple[TimelineEntry, ...]
    decisions: tuple[DecisionRecord, ...]
    durations: Durations
    forces: tuple[ForceRecord, ...]
    injects: tuple[InjectRecord, ...]
    objectives: tuple[ObjectiveRecord, ...]
    sitreps_released: int
    messages: int
    reports: int


QUIET = ("departure", "arrival", "returned")  # one per sortie: left out of the timeline
NOT_ANSWERS = (EventKind.CLOCK, EventKind.SEAT_TAKEN, EventKind.SEAT_RELEASED, EventKind.SIM)


def summary(e: LogEvent) -> str:
    b = e.body
    match e.kind:
        case EventKind.INJECT_RELEASED:
            return f"inject {b['inject']}: {b['title']}" + (" (late)" if b["late"] else "")
        case EventKind.APPEAL_FILED:
            return f"{b['by']} appeals ({b['invokes']}) for {b['asks']}"
        case EventKind.MESSAGE:
            return f"{b['sender']} to {', '.join(b['to']) if b['to'] else 'all'}: {b['subject']}"
        case EventKind.MOTION_OPENED:
            return f"motion {b['id']} opened by {b['opened_by']}: {b['measure'] or b['kind']}"
        case EventKind.VOTE:
            return f"{b['state']} votes {b['vote']} on {b['motion']}" + (
                " (engine)" if e.engine else ""
            )
        case EventKind.MOTION_CLOSED:
            return f"motion {b['motion']} {b['outcome']}" + (
                f", blocked by {', '.join(b['blocked_by'])}" if b["blocked_by"] else ""
            )
        case EventKind.FORCE_REQUESTED:
            return f"force request {b['id']}: {b['personnel']} personnel for {b['task']}"
        case EventKind.OFFER:
            return f"{b['state']} offers {b['personnel']} personnel"
        case EventKind.OFFER_ACCEPTED:
            return f"{b['state']}'s offer accepted: {b['personnel']} personnel"
        case EventKind.DEPLOYMENT_ORDERED:
            return f"deployment ordered: {b['personnel']} of {b['required']} personnel"
        case EventKind.SIM:
            return f"{b['kind'].replace('_', ' ')}: {b['actor']}"
        case EventKind.SITREP_RELEASED:
            return f"situation report {b['id']} (day {b['day']}) released"
        case EventKind.CLOCK:
            return f"clock {b['action']} (rate {b['rate']:g})"
        case EventKind.ASSESSMENT:
            return f"engine assessment: {b['outcome']} ({b['reason']})"
        case _:
            return e.kind.value.replace("_", " ")


def _hours(a: datetime | None, b: datetime | None) -> float | None:
    return round((b - a).total_seconds() / 3600, 2) if a and b else None


def _decision(
    state: ExerciseState, motion_id: str, world: World, cache: dict[str, Assessment], base: Crisis
) -> DecisionRecord:
    m = state.motions[motion_id]
    record = base.record
    appeal = m.kind == "crisis_appeal"
    decided = Measure.parse(m.decided) if m.decided else Measure.NONE
    if m.question is not None:
        d = engine_decision(world, m.question)
        model: str = d.outcome
        adopt, ceiling, barred = d.outcome == "adopted", None, d.barred_by
    else:
        a = engine_assessment(world, crisis_of(state), cache)
        assert m.measure is not None
        model, adopt = a.outcome.label, a.outcome >= Measure.parse(m.measure)
        ceiling, barred = a.legal.ceiling.label, ()
    return DecisionRecord(
        motion=m.id,
        kind=m.kind,
        measure=m.measure,
        opened_at=m.opened_at,
        closed_at=m.closed_at,
        rule=m.rule,
        outcome=m.outcome,
        blocked_by=m.blocked_by,
        votes=tuple(
            VoteRecord(state=v.state, vote=v.vote, by_engine=v.engine, statement=v.statement)
            for v in m.votes.values()
        ),
        model_outcome=model,
        model_would_adopt=adopt,
        legal_ceiling=ceiling,
        barred_by=barred,
        historical_outcome=record.outcome.label if record and appeal else None,
        history_accepts=(decided in record.accepted)
        if record and appeal and m.outcome == "adopted"
        else None,
    )


def _objective(
    o: Objective, state: ExerciseState, world: World, cache: dict[str, Assessment]
) -> ObjectiveRecord:
    if o.met_when is None:
        return ObjectiveRecord(id=o.id, text=o.text, met=None, met_at=None)
    at = condition_met_at(o.met_when, state, world, cache)
    met = at is not None
    if met and o.met_when.within is not None and state.start is not None and at is not None:
        met = (at - state.start).total_seconds() <= o.met_when.within
    return ObjectiveRecord(id=o.id, text=o.text, met=met, met_at=at)


def after_action(
    store: Store, world: World, exercise_id: str, cache: dict[str, Assessment]
) -> AfterActionReport:
    with store.reading() as session:
        scenario = Scenario.model_validate(repo.exercise_row(session, exercise_id).scenario)
    events = read_log(store, exercise_id)
    state = ExerciseState()
    decisions: list[DecisionRecord] = []
    for e in events:
        apply(state, e)
        if e.kind is EventKind.MOTION_CLOSED:
            decisions.append(_decision(state, e.body["motion"], world, cache, scenario.crisis))
    injects = []
    for r in state.injects.values():
        audience = r.audience
        released = next(
            e.seq
            for e in events
            if e.kind is EventKind.INJECT_RELEASED and e.body["inject"] == r.id
        )
        answers: dict[str, AnswerRecord] = {}
        for e in events:  # each seat's first act after the release, or its act naming the inject
            if e.seq <= released or e.engine or e.kind in NOT_ANSWERS:
                continue
            explicit = e.body.get("answers") == r.id
            if not explicit and audience is not None and e.actor not in audience:
                continue
            prior = answers.get(e.actor)
            if prior is None or (explicit and not prior.explicit):
                answers[e.actor] = AnswerRecord(
                    seat=e.actor, seq=e.seq, at=e.at, kind=e.kind, explicit=explicit
                )
        injects.append(
            InjectRecord(
                id=r.id,
                title=r.title,
                audience=audience,
                due=r.due,
                released_at=r.at,
                late=r.late,
                delay_seconds=r.delay_seconds,
                answers=tuple(answers.values()),
            )
        )
    marks = state.marks
    decision = marks.get("motion_adopted")
    durations = Durations(
        appeal=marks.get("appeal_filed"),
        decision=decision,
        deployment_ordered=marks.get("deployment_ordered"),
        first_arrival=marks.get("first_arrival"),
        deployment_complete=marks.get("deployment_complete"),
        withdrawal_complete=marks.get("withdrawal_complete"),
        appeal_to_decision_hours=_hours(marks.get("appeal_filed"), decision),
        decision_to_first_arrival_hours=_hours(decision, marks.get("first_arrival")),
        decision_to_deployment_hours=_hours(decision, marks.get("deployment_complete")),
    )
    forces = tuple(
        ForceRecord(
            request=r.id,
            task=r.task,
            personnel_requested=r.personnel,
            offered=sum(o.personnel for o in r.offers.values()),
            accepted=r.accepted_personnel,
            shortfall=r.shortfall,
            offers=tuple(
                OfferRecord(
                    offer=o.id,
                    state=o.state,
                    personnel=o.personnel,
                    vehicles=o.vehicles,
                    caveats=o.caveats,
                    by_engine=o.engine,
                    accepted_personnel=o.accepted_personnel,
                )
                for o in r.offers.values()
            ),
        )
        for r in state.requests.values()
    )
    engine_seats = tuple(s.id for s in state.seats.values() if s.kind == "member" and not s.taken)
    return AfterActionReport(
        exercise_id=exercise_id,
        title=state.title,
        scenario=state.scenario,
        crisis=scenario.crisis.id,
        final=state.status == "ended",
        started_at=state.started_at,
        ended_at=state.ended_at,
        engine_seats=engine_seats,
        timeline=tuple(
            TimelineEntry(
                seq=e.seq, at=e.at, kind=e.kind, actor=e.actor, engine=e.engine, summary=summary(e)
            )
            for e in events
            if not (e.kind is EventKind.SIM and e.body["kind"] in QUIET)
        ),
        decisions=tuple(decisions),
        durations=durations,
        forces=forces,
        injects=tuple(injects),
        objectives=tuple(_objective(o, state, world, cache) for o in scenario.objectives),
        sitreps_released=sum(1 for s in state.sitreps.values() if s.status == "released"),
        messages=len(state.messages),
        reports=len(state.reports),
    )
