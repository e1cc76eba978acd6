"""The deployment on the exercise clock: the SimPy lifecycle recomputed from the log.

A deployment is a pure function of what the log says was ordered (the accepted contingents, the
component, the facts when it was ordered), the World's data and the exercise's seed, so the
server recomputes it whenever it needs to (after a restart too) instead of keeping a simulation
running: `simulate_deployment` runs csto.sim's Lifecycle from the order to the withdrawal, in
hours from the order, and the loop (csto.exercise.due) releases each of its events into the log
once exercise time has passed it.

    plan_of(deployment)                        the ForcePlan the order describes
    simulate_deployment(world, deployment, seed, cache)   the lifecycle's events (csto.sim.Event)
    situation_text(state)                      the situation as a Crisis Response Center draft
                                               states it, from the simulation's state folded in
"""

from __future__ import annotations

import json
from datetime import datetime

from csto.domain.crisis import Crisis
from csto.engine import Assessment
from csto.exercise.state import Deployment, ExerciseState
from csto.exercise.turn import engine_assessment
from csto.forces import Contingent, ForcePlan
from csto.sim import Event
from csto.sim.lifecycle import Lifecycle
from csto.world import World


def plan_of(d: Deployment) -> ForcePlan:
    contingents = tuple(
        Contingent(code, c["personnel"], c["vehicles"]) for code, c in sorted(d.contingents.items())
    )
    return ForcePlan(
        component=d.component,
        component_name=d.component_name,
        task=d.task,
        sites=d.sites,
        required=d.required,
        personnel=d.personnel,
        vehicles=sum(c.vehicles for c in contingents),
        contingents=contingents,
        airlift=d.airlift,
        reasons=d.reasons,
    )


def simulate_deployment(
    world: World,
    d: Deployment,
    seed: int,
    cache: dict[str, tuple[Event, ...]],
    assessments: dict[str, Assessment],
) -> tuple[Event, ...]:
    key = json.dumps(
        [d.model_dump(mode="json", exclude={"events", "phase", "in_theatre", "milestones"}), seed],
        sort_keys=True,
    )
    found = cache.get(key)
    if found is None:
        crisis = Crisis.model_validate(d.crisis)
        assessment = engine_assessment(world, crisis, assessments)
        log = Lifecycle(crisis, assessment, plan_of(d), world.org, world.ops, seed).run_deployment()
        if len(cache) > 64:
            cache.clear()
        found = cache[key] = tuple(log.events)
    return found


def situation_text(state: ExerciseState, at: datetime, day: int) -> str:
    """A draft situation report for exercise day `day`, from the state as it stands."""
    crisis = state.crisis["situation"]
    lines = [
        f"SITREP day {day}, {at:%Y-%m-%d %H:%M} UTC.",
        f"Situation in {crisis['territory']}: {crisis['kind'].replace('_', ' ')}, intensity "
        f"{crisis['intensity']}, foreign involvement {crisis['foreign_involvement']}.",
    ]
    if state.appeal is None:
        lines.append("No appeal to the organization so far.")
    else:
        a = state.appeal
        lines.append(f"{a.by} appealed ({a.invokes}) for {a.asks} at {a.at:%Y-%m-%d %H:%M}.")
    for m in state.motions.values():
        what = m.measure or m.kind.replace("_", " ")
        if m.status == "open":
            lines.append(f"Council motion {m.id} ({what}) open until {m.deadline:%Y-%m-%d %H:%M}.")
        else:
            lines.append(f"Council motion {m.id} ({what}) {m.outcome}.")
    for r in state.requests.values():
        lines.append(
            f"Force request {r.id}: {r.personnel} personnel for {r.task}; "
            f"{r.accepted_personnel} accepted, shortfall {r.shortfall} ({r.status})."
        )
    d = state.deployment
    if d is not None:
        total = sum(d.in_theatre.values())
        by = ", ".join(f"{code} {n}" for code, n in sorted(d.in_theatre.items())) or "none"
        lines.append(
            f"{d.component_name}: phase {d.phase}; {total} of {d.personnel} personnel in theatre "
            f"({by}); {d.sites} sites to hold."
        )
    return "\n".join(lines)
