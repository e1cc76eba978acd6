"""Force generation: components, contingents, sizes; the airlift is simulated in csto.sim."""

from csto.forces.generation import Contingent, ForcePlan, choose_component, plan_for, plan_force

__all__ = ["Contingent", "ForcePlan", "choose_component", "plan_for", "plan_force"]
