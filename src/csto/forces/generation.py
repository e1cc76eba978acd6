"""Force generation: which component fits the task, and what each member sends.

    Contingent            one member's contribution: personnel and vehicles
    ForcePlan             the component, the task, the sites, the contingents and why
    Requirement           what the tasks need: component, task, sites, personnel, pledges
    force_requirement(world, crisis)        the requirement, before anyone offers
    contributors(requirement, crisis, assessment)   the members willing to deploy
    contributions(world, requirement, willing, required)   pledges, the provider filling the rest
    plan_force(world, crisis, assessment)   None unless the Council decided a deployment
    plan_for(world, crisis, willing)         the plan, given who accepts a deployment (sweeps)
    plan_from_offers(world, crisis, requirement, accepted)  the force of accepted offers (exercises)

The task follows from the situation: guarding and stabilising (unrest, terrorism, threats across a
border) falls to the peacekeeping forces; repelling an attack to the regional grouping that covers
the host, or else the rapid reaction force. The size follows from the sites to hold and the
intensity; each contributor sends its pledge and the power-projection provider fills the rest.
No party to the crisis, no member standing aside and not the host contributes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence, Set
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


@dataclass(frozen=True)
class Requirement:
    """What the tasks need, before anyone offers: the component, the task, the sites, the
    personnel, and who may contribute (the component's members; pledges by member)."""

    component: str
    component_name: str
    task: str
    sites: int
    required: int
    members: tuple[str, ...]
    pledges: dict[str, int]
    reasons: tuple[str, ...]


def force_requirement(world: World, crisis: Crisis) -> Requirement:
    """The component for the task and the personnel its tasks need (sites x per-site guard at the
    crisis's intensity, plus the command share)."""
    org, ops = world.org, world.ops
    on = crisis.date
    situation = crisis.situation
    component, task = choose_component(crisis, org.forces_on(on))
    reasons = []
    if component is None:
        members: tuple[str, ...] = tuple(s.code for s in org.members(on))
        component_id, component_name = "NATIONAL", "National contingents under a Council decision"
        reasons.append(
            f"no collective force for the task '{task}' exists on {on}: national contingents"
        )
        pledges = ops.pledges.get("CPF", {})
    else:
        members = component.members
        component_id, component_name = component.force.id, component.force.name
        reasons.append(f"task '{task}': {component_name} ({component_id})")
        pledges = ops.pledges.get(component_id, {})
    sites = situation.sites or int(ops.sizes.default_sites.value)
    per_site = ops.sizes.personnel_per_site.by_intensity[situation.intensity]
    required = math.ceil(sites * per_site * (1 + ops.sizes.command_share.value))
    reasons.append(
        f"{sites} sites at {situation.intensity.value} intensity x {per_site:g} per site, plus "
        f"{ops.sizes.command_share.value:.0%} command and support: {required} personnel"
    )
    return Requirement(
        component=component_id,
        component_name=component_name,
        task=task,
        sites=sites,
        required=required,
        members=members,
        pledges={code: int(value.value) for code, value in pledges.items()},
        reasons=tuple(reasons),
    )


def contributors(requirement: Requirement, crisis: Crisis, assessment: Assessment) -> list[str]:
    """Members of the component willing to deploy: not the host, no party, none standing aside."""
    parties = set(crisis.situation.opposing_states)
    stances = assessment.positions
    return [
        code
        for code in requirement.members
        if code in stances
        and code != crisis.situation.territory
        and code not in parties
        and stances[code].stance not in (Stance.ABSTAINS, Stance.APPELLANT)
        and stances[code].ceiling >= Measure.DEPLOYMENT
    ]


def contributions(
    world: World, requirement: Requirement, willing: list[str], required: int
) -> tuple[dict[str, int], list[str]]:
    """What each willing member sends towards `required` personnel: its pledge (cut back in
    proportion where the pledges exceed the need), the power-projection provider the rest."""
    provider = world.ops.airlift.provider
    reasons = []
    pledged = {
        code: requirement.pledges[code]
        for code in willing
        if code != provider and code in requirement.pledges
    }
    sizes = _scale(pledged, required)
    if sizes != pledged:
        reasons.append("the pledges exceed what the tasks need and are cut back in proportion")
    if provider in willing:
        rest = required - sum(sizes.values())
        if rest > 0:
            sizes[provider] = rest
            reasons.append(f"{provider} fills the rest ({rest}) and flies the force in")
        else:
            reasons.append(f"the pledges cover the tasks; {provider} flies the force in")
    return sizes, reasons


def plan_force(world: World, crisis: Crisis, assessment: Assessment) -> ForcePlan | None:
    if assessment.outcome is not Measure.DEPLOYMENT:
        return None
    requirement = force_requirement(world, crisis)
    return _from_pledges(world, crisis, requirement, contributors(requirement, crisis, assessment))


def plan_for(world: World, crisis: Crisis, willing: Set[str]) -> ForcePlan:
    """The force for a deployment that the members in `willing` accept (voting, not the
    appellant): the sweeps' milestones, where each row has its own willing members."""
    requirement = force_requirement(world, crisis)
    parties = set(crisis.situation.opposing_states)
    members = [
        code
        for code in requirement.members
        if code in willing and code != crisis.situation.territory and code not in parties
    ]
    return _from_pledges(world, crisis, requirement, members)


def _from_pledges(
    world: World, crisis: Crisis, requirement: Requirement, willing: list[str]
) -> ForcePlan:
    sizes, said = contributions(world, requirement, willing, requirement.required)
    provider, host = world.ops.airlift.provider, crisis.situation.territory
    reasons = [*requirement.reasons, *said]
    if provider not in willing:
        reasons.append(_airlift_reason(provider, host))
    per_vehicle = world.ops.sizes.personnel_per_vehicle.value
    contingents = tuple(
        Contingent(code, personnel, max(1, round(personnel / per_vehicle)))
        for code, personnel in sorted(sizes.items())
        if personnel > 0
    )
    return _plan(requirement, contingents, provider in willing or provider == host, reasons)


def plan_from_offers(
    world: World, crisis: Crisis, requirement: Requirement, accepted: Sequence[Contingent]
) -> ForcePlan:
    """The force made of the contingents a lead accepted (an exercise's force generation), in
    place of the pledges: the provider's aircraft fly it in where the provider sends a contingent
    or is the host."""
    provider, host = world.ops.airlift.provider, crisis.situation.territory
    contingents = tuple(sorted((c for c in accepted if c.personnel > 0), key=lambda c: c.code))
    reasons = [*requirement.reasons, "the contingents the lead accepted from the offers"]
    codes = {c.code for c in contingents}
    if provider in codes:
        reasons.append(f"{provider} sends a contingent and flies the force in")
    else:
        reasons.append(_airlift_reason(provider, host))
    return _plan(requirement, contingents, provider in codes or provider == host, reasons)


def _airlift_reason(provider: str, host: str) -> str:
    if provider == host:
        return f"{provider} is the host: its own forces are on the spot and its aircraft fly the others in"
    return f"{provider} takes no part: no airlift, contingents travel by their own means"


def _plan(
    requirement: Requirement,
    contingents: tuple[Contingent, ...],
    airlift: bool,
    reasons: list[str],
) -> ForcePlan:
    personnel = sum(c.personnel for c in contingents)
    if not contingents:
        reasons.append("no member is able and willing to send a contingent: no force is generated")
    elif personnel < requirement.required:
        reasons.append(
            f"shortfall: {requirement.required - personnel} personnel short of what the tasks need"
        )
    return ForcePlan(
        component=requirement.component,
        component_name=requirement.component_name,
        task=requirement.task,
        sites=requirement.sites,
        required=requirement.required,
        personnel=personnel,
        vehicles=sum(c.vehicles for c in contingents),
        contingents=contingents,
        airlift=airlift,
        reasons=tuple(reasons),
    )
