"""The crisis lifecycle (SimPy) and the Crisis Response Center's reports."""

from csto.sim.log import Event, RunLog, Sitrep
from csto.sim.run import MILESTONES, RunResult, simulate

__all__ = ["MILESTONES", "Event", "RunLog", "RunResult", "Sitrep", "simulate"]
