"""Force generation: which component fits the task, and what each member sends.

    Contingent            one member's contribution: personnel and vehicles
    ForcePlan             the component, the task, the sites, the contingents and why
    plan_force(world, crisis, assessment)   None unless the Council decided a deployment
    plan_for(world, crisis, willing)         the plan, given who accepts a deployment (sweeps)

The task follows from the situation: guarding and stabilising (unrest, terrorism, threats across a
border) falls to the peacekeeping forces; repelling an attack to the regional grouping that covers
the host, or else the rapid reaction force. The size follows from the sites to hold and the
intensity; each contributor sends its pledge and the power-projection provider fills the rest.
No party to the crisis, no member standing aside and not the host contributes.
"""

from __future__ import annotations

import math
from collections.abc import Set
from dataclasses import dataclass

from csto.domain.crisis import ATTACKS, Crisis, Kind, Measure
from csto.domain.organization import ForceOnDate
from csto.engine import Assessment, Stance
from csto.world import World

DEFENCE_KINDS = (*ATTACKS, Kind.WAR_ABROAD)  # repelling aggression, at home or abroad
GUARD_TASK = "peacekeeping"
DEFENCE_TASK = "repel_aggression"


@dataclass(frozen=True)
class Contingent:
    code: str
    personnel: int
    vehicles: int


@dataclass(frozen=True)
class ForcePlan:
    component: str
    component_name: str
    task: str
    sites: int
    required: int  # personnel the tasks need
    personnel: int  # personnel the contributors send
    vehicles: int
    contingents: tuple[Contingent, ...]
    airlift: bool  # the power-projection provider's aircraft fly the force in
    reasons: tuple[str, ...]

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.personnel)

    def contingent(self, code: str) -> Contingent:
        return next(c for c in self.contingents if c.code == code)


def choose_component(crisis: Crisis, forces: list[ForceOnDate]) -> tuple[ForceOnDate | None, str]:
    """The force for the task: for defence, the grouping whose area covers the host most narrowly."""
    host = crisis.situation.territory
    if crisis.situation.kind in DEFENCE_KINDS:
        fitting = [
            f
            for f in forces
            if DEFENCE_TASK in f.force.tasks and host in (f.force.area or f.members)
        ]
        if fitting:
            return min(
                fitting, key=lambda f: (len(f.force.area or f.members), f.force.id)
            ), DEFENCE_TASK
        return None, DEFENCE_TASK
    fitting = [f for f in forces if GUARD_TASK in f.force.tasks]
    return (fitting[0] if fitting else None), GUARD_TASK


def _scale(pledged: dict[str, int], required: int) -> dict[str, int]:
    """Pledges cut back in proportion where together they exceed what the tasks need."""
    total = sum(pledged.values())
    if total <= required:
        return pledged
    return {code: round(size * required / total) for code, size in pledged.items()}


def plan_force(world: World, crisis: Crisis, assessment: Assessment) -> ForcePlan | None:
    if assessment.outcome is not Measure.DEPLOYMENT:
        return None
    willing = {
        code
        for code, p in assessment.positions.items()
        if p.stance not in (Stance.ABSTAINS, Stance.APPELLANT) and p.ceiling >= Measure.DEPLOYMENT
    }
    return plan_for(world, crisis, willing)


def plan_for(world: World, crisis: Crisis, willing: Set[str]) -> ForcePlan:
    """The force for a deployment that the members in `willing` accept (voting, not the appellant)."""
    org, ops = world.org, world.ops
    on = crisis.date
    situation = crisis.situation
    host = situation.territory
    component, task = choose_component(crisis, org.forces_on(on))
    reasons = []
    if component is None:
        members_of_component: tuple[str, ...] = tuple(s.code for s in org.members(on))
        component_id, component_name = "NATIONAL", "National contingents under a Council decision"
        reasons.append(
            f"no collective force for the task '{task}' exists on {on}: national contingents"
        )
        pledges = ops.pledges.get("CPF", {})
    else:
        members_of_component = component.members
        component_id, component_name = component.force.id, component.force.name
        reasons.append(f"task '{task}': {component_name} ({component_id})")
        pledges = ops.pledges.get(component_id, {})

    parties = set(situation.opposing_states)
    contributors = [
        code
        for code in members_of_component
        if code in willing and code != host and code not in parties
    ]
    sites = situation.sites or int(ops.sizes.default_sites.value)
    per_site = ops.sizes.personnel_per_site.by_intensity[situation.intensity]
    required = math.ceil(sites * per_site * (1 + ops.sizes.command_share.value))
    reasons.append(
        f"{sites} sites at {situation.intensity.value} intensity x {per_site:g} per site, plus "
        f"{ops.sizes.command_share.value:.0%} command and support: {required} personnel"
    )
    provider = ops.airlift.provider
    pledged = {
        code: int(pledges[code].value)
        for code in contributors
        if code != provider and code in pledges
    }
    sizes = _scale(pledged, required)
    if sizes != pledged:
        reasons.append("the pledges exceed what the tasks need and are cut back in proportion")
    airlift = provider in contributors or provider == host
    if provider in contributors:
        rest = required - sum(sizes.values())
        if rest > 0:
            sizes[provider] = rest
            reasons.append(f"{provider} fills the rest ({rest}) and flies the force in")
        else:
            reasons.append(f"the pledges cover the tasks; {provider} flies the force in")
    elif provider == host:
        reasons.append(
            f"{provider} is the host: its own forces are on the spot and its aircraft fly the others in"
        )
    else:
        reasons.append(
            f"{provider} takes no part: no airlift, contingents travel by their own means"
        )
    per_vehicle = ops.sizes.personnel_per_vehicle.value
    contingents = tuple(
        Contingent(code, personnel, max(1, round(personnel / per_vehicle)))
        for code, personnel in sorted(sizes.items())
        if personnel > 0
    )
    personnel = sum(c.personnel for c in contingents)
    if not contingents:
        reasons.append("no member is able and willing to send a contingent: no force is generated")
    elif personnel < required:
        reasons.append(f"shortfall: {required - personnel} personnel short of what the tasks need")
    return ForcePlan(
        component=component_id,
        component_name=component_name,
        task=task,
        sites=sites,
        required=required,
        personnel=personnel,
        vehicles=sum(c.vehicles for c in contingents),
        contingents=contingents,
        airlift=airlift,
        reasons=tuple(reasons),
    )
