"""A simulated run as a typed answer: the one contract of `csto simulate --json`, the store and the API.

    RunStatus      running -> complete | failed
    Milestones     appeal, decision, first arrival, deployment complete, handover, withdrawal
    ForcesReport   the force generated: component, task, contingents, shortfall, airlift
    SitrepRecord   one situation report through the Crisis Response Center
    EventRecord    one thing that happened
    Run            the whole run, with the crisis facts it ran on and the full assessment

Times are UTC, to the second.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.crisis import Crisis, MeasureField
from csto.engine import Assessment


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"
    FAILED = "failed"


class Milestones(Contract):
    appeal: datetime | None
    decision: datetime | None
    first_arrival: datetime | None = Field(
        description="the first aircraft (the advance party) lands"
    )
    deployment_complete: datetime | None
    handover: datetime | None
    withdrawal_complete: datetime | None


class ForcesReport(Contract):
    personnel: int
    vehicles: int
    contingents: dict[str, int] = Field(description="personnel by contributing member")
    vehicles_by_contingent: dict[str, int]
    component: str | None = Field(description="the collective force's id, or NATIONAL")
    component_name: str | None
    task: str | None
    sites: int | None
    required: int = Field(description="personnel the tasks need")
    shortfall: int
    airlift: bool = Field(description="the power-projection provider's aircraft fly the force")
    sorties: int
    reasons: tuple[str, ...]


class SitrepRecord(Contract):
    time: datetime
    author: str
    hub: str
    phase: str
    personnel: int
    sites: int
    text: str


class EventRecord(Contract):
    time: datetime
    kind: str
    actor: str
    details: dict[str, Any] = Field(default_factory=dict)


class Run(Contract):
    run_id: str
    status: RunStatus = RunStatus.COMPLETE
    crisis: Crisis = Field(description="the facts the run used (the record is not part of them)")
    seed: int = Field(ge=0)
    reforms: tuple[str, ...]
    outcome: MeasureField
    milestones: Milestones
    forces: ForcesReport
    sitreps: tuple[SitrepRecord, ...]
    events: tuple[EventRecord, ...]
    assessment: Assessment
    inputs_hash: str = Field(description="sha256 of (crisis facts, seed, reforms, data, engine)")
