"""Force generation: components, contingents, sizes; the airlift is simulated in csto.sim."""

from csto.forces.generation import (
    Contingent,
    ForcePlan,
    Requirement,
    choose_component,
    contributions,
    contributors,
    force_requirement,
    plan_for,
    plan_force,
    plan_from_offers,
)

__all__ = [
    "Contingent",
    "ForcePlan",
    "Requirement",
    "choose_component",
    "contributions",
    "contributors",
    "force_requirement",
    "plan_for",
    "plan_force",
    "plan_from_offers",
]
