"""One simulated run: decision, force plan and lifecycle, as a pure function of its inputs.

simulate(world, crisis, seed=0, reforms=())   assess, plan the force, run the lifecycle: a Run
MILESTONES                                     the milestone names and the event each is read from
inputs_hash(...)                               what a run is a function of, hashed
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from csto.domain.crisis import Crisis, crisis_hash
from csto.engine import ENGINE_VERSION, assess
from csto.forces import ForcePlan, plan_force
from csto.sim.lifecycle import Lifecycle
from csto.sim.log import RunLog
from csto.sim.report import EventRecord, ForcesReport, Milestones, Run, SitrepRecord
from csto.world import World

MILESTONES = {
    "appeal": "appeal",
    "decision": "decision",
    "first_arrival": "arrival",
    "deployment_complete": "deployment_complete",
    "handover": "handover",
    "withdrawal_complete": "withdrawal_complete",
}


def inputs_hash(crisis: Crisis, seed: int, reforms: Sequence[str], data_hash: str) -> str:
    payload = json.dumps(
        [crisis_hash(crisis), seed, list(reforms), data_hash, ENGINE_VERSION],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def forces_report(plan: ForcePlan | None, log: RunLog) -> ForcesReport:
    if plan is None:
        return ForcesReport(
            personnel=0,
            vehicles=0,
            contingents={},
            vehicles_by_contingent={},
            component=None,
            component_name=None,
            task=None,
            sites=None,
            required=0,
            shortfall=0,
            airlift=False,
            sorties=0,
            reasons=(),
        )
    return ForcesReport(
        personnel=plan.personnel,
        vehicles=plan.vehicles,
        contingents={c.code: c.personnel for c in plan.contingents},
        vehicles_by_contingent={c.code: c.vehicles for c in plan.contingents},
        component=plan.component,
        component_name=plan.component_name,
        task=plan.task,
        sites=plan.sites,
        required=plan.required,
        shortfall=plan.shortfall,
        airlift=plan.airlift,
        sorties=sum(1 for e in log.events if e.kind == "departure" and e.details.get("inbound")),
        reasons=plan.reasons,
    )


def simulate(
    world: World,
    crisis: Crisis,
    seed: int = 0,
    reforms: Sequence[str] = (),
    file_hash: str | None = None,
    run_id: str | None = None,
) -> Run:
    """Run the lifecycle of one crisis; the same (crisis, data, seed, reforms) give the same run."""
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    assessment = assess(world, crisis, reforms, file_hash=file_hash)
    plan = plan_force(world, crisis, assessment)
    log = Lifecycle(crisis, assessment, plan, world.org, world.ops, seed).run()
    start = datetime.combine(crisis.date, datetime.min.time(), tzinfo=UTC) + timedelta(
        hours=float(world.ops.timings.appeal_hour.value)
    )

    def at(hours: float) -> datetime:
        return start + timedelta(seconds=round(hours * 3600))

    firsts = {name: log.first(kind) for name, kind in MILESTONES.items()}
    return Run(
        run_id=run_id or uuid.uuid4().hex,
        crisis=crisis.model_copy(update={"record": None}),
        seed=seed,
        reforms=tuple(reforms),
        outcome=assessment.outcome,
        milestones=Milestones(**{n: at(e.time) if e else None for n, e in firsts.items()}),
        forces=forces_report(plan, log),
        # Built from the simulation's own typed records: constructed, not validated again (a
        # lifecycle logs hundreds of events and validating each took a third of a run).
        sitreps=tuple(
            SitrepRecord.model_construct(
                time=at(s.time),
                author=s.author,
                hub=s.hub,
                phase=s.phase,
                personnel=s.personnel,
                sites=s.sites,
                text=s.text,
            )
            for s in log.sitreps
        ),
        events=tuple(
            EventRecord.model_construct(
                time=at(e.time), kind=e.kind, actor=e.actor, details=e.details
            )
            for e in log.events
        ),
        assessment=assessment,
        inputs_hash=inputs_hash(crisis, seed, reforms, world.data_hash),
    )
