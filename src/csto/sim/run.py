"""One simulated run: decision, force plan and lifecycle, as a pure function of its inputs.

RunResult                 everything a run produced, with milestones as ISO timestamps
simulate(crisis, seed)    assess, plan the force, run the lifecycle
MILESTONES                the milestone names and the event each is read from
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from csto.domain import Organization, default_organization
from csto.domain.crisis import Crisis, crisis_hash
from csto.domain.operations import Operations, default_operations
from csto.engine import ENGINE_VERSION, Assessment, assess
from csto.forces import ForcePlan, plan_force
from csto.sim.lifecycle import Lifecycle
from csto.sim.log import RunLog, event_record, sitrep_record

MILESTONES = {
    "appeal": "appeal",
    "decision": "decision",
    "first_arrival": "arrival",
    "deployment_complete": "deployment_complete",
    "handover": "handover",
    "withdrawal_complete": "withdrawal_complete",
}


@dataclass(frozen=True)
class RunResult:
    crisis: Crisis
    seed: int
    reforms: tuple[str, ...]
    start: datetime
    assessment: Assessment
    plan: ForcePlan | None
    log: RunLog
    inputs_hash: str
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def at(self, hours: float) -> str:
        return (self.start + timedelta(hours=hours)).isoformat(timespec="minutes")

    def milestones(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for name, kind in MILESTONES.items():
            event = self.log.first(kind)
            out[name] = self.at(event.time) if event else None
        return out

    def forces(self) -> dict[str, Any]:
        plan = self.plan
        if plan is None:
            return {
                "personnel": 0,
                "vehicles": 0,
                "contingents": {},
                "component": None,
                "required": 0,
                "shortfall": 0,
            }
        return {
            "personnel": plan.personnel,
            "vehicles": plan.vehicles,
            "contingents": {c.code: c.personnel for c in plan.contingents},
            "vehicles_by_contingent": {c.code: c.vehicles for c in plan.contingents},
            "component": plan.component,
            "component_name": plan.component_name,
            "task": plan.task,
            "sites": plan.sites,
            "required": plan.required,
            "shortfall": plan.shortfall,
            "airlift": plan.airlift,
            "sorties": sum(
                1 for e in self.log.events if e.kind == "departure" and e.details.get("inbound")
            ),
            "reasons": list(plan.reasons),
        }

    def as_dict(self) -> dict[str, Any]:
        decision = self.assessment.as_dict()
        return {
            "run_id": self.run_id,
            "crisis": {
                "id": self.crisis.id,
                "title": self.crisis.title,
                "date": self.crisis.date.isoformat(),
            },
            "seed": self.seed,
            "reforms": list(self.reforms),
            "outcome": self.assessment.outcome.label,
            "milestones": self.milestones(),
            "forces": self.forces(),
            "sitreps": [sitrep_record(self.at(s.time), s) for s in self.log.sitreps],
            "events": [event_record(self.at(e.time), e) for e in self.log.events],
            "decision": {
                "outcome": decision["outcome"],
                "legal_ceiling": decision["legal"]["ceiling"],
                "blocked_by": decision["blocked_by"],
                "citations": decision["citations"],
                "receipt": decision["receipt"],
            },
            "inputs_hash": self.inputs_hash,
        }


def inputs_hash(crisis: Crisis, seed: int, reforms: Sequence[str], org: Organization) -> str:
    payload = json.dumps(
        [crisis_hash(crisis), seed, list(reforms), org.data_hash, ENGINE_VERSION],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def simulate(
    crisis: Crisis,
    seed: int = 0,
    reforms: Sequence[str] = (),
    org: Organization | None = None,
    ops: Operations | None = None,
) -> RunResult:
    """Run the lifecycle of one crisis; the same (crisis, data, seed, reforms) give the same run."""
    if seed < 0:
        raise ValueError("seed must be a non-negative integer")
    org = org or default_organization()
    ops = ops or default_operations()
    assessment = assess(crisis, reforms, org=org)
    plan = plan_force(crisis, assessment, org, ops)
    log = Lifecycle(crisis, assessment, plan, org, ops, seed).run()
    start = datetime.combine(crisis.date, datetime.min.time()) + timedelta(
        hours=float(ops.timings.appeal_hour.value)
    )
    return RunResult(
        crisis=crisis,
        seed=seed,
        reforms=tuple(reforms),
        start=start,
        assessment=assessment,
        plan=plan,
        log=log,
        inputs_hash=inputs_hash(crisis, seed, reforms, org),
    )
