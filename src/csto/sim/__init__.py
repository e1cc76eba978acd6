"""The crisis lifecycle (SimPy) and the Crisis Response Center's reports."""

from csto.sim.log import Event, RunLog, Sitrep
from csto.sim.report import EventRecord, ForcesReport, Milestones, Run, RunStatus, SitrepRecord
from csto.sim.run import MILESTONES, simulate

__all__ = [
    "MILESTONES",
    "Event",
    "EventRecord",
    "ForcesReport",
    "Milestones",
    "Run",
    "RunLog",
    "RunStatus",
    "Sitrep",
    "SitrepRecord",
    "simulate",
]
