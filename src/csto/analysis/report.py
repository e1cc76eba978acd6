"""A sweep as a typed answer: the one contract of `csto sweep --json` and the API.

OutcomeShare     a probability with its 95% Wilson interval and the count behind it
MilestoneDays    one milestone's distribution, in days from the appeal
MilestoneReport  the lifecycle's milestones over the scenarios decided as a deployment
LeverReport      one lever (a set of reforms): shares of each outcome, Sobol indices, milestones
SweepReport      the whole sweep; the top-level shares repeat the first lever's
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from csto.domain.contract import Contract


class OutcomeShare(Contract):
    p: float | None = Field(description="null when no scenario completed")
    low: float | None
    high: float | None
    count: int


class MilestoneDays(Contract):
    reached: float = Field(description="share of the drawn runs that reach it")
    mean: float | None
    p10: float | None
    p50: float | None
    p90: float | None


class MilestoneReport(Contract):
    runs: int = Field(
        description="lifecycles drawn (vectorised Monte Carlo), from scenarios decided as a deployment"
    )
    days: dict[str, MilestoneDays] = Field(
        description="decision, first_arrival, deployment_complete, handover, withdrawal_complete"
    )
    within: dict[str, OutcomeShare] = Field(
        description="'deployment_complete<=4d': P(deployment complete within 4 days of the appeal "
        "| a deployment was decided), with its Wilson interval"
    )


class LeverReport(Contract):
    reforms: tuple[str, ...]
    samples: int
    outcomes: dict[str, OutcomeShare] = Field(description="by ladder value")
    russia: dict[str, OutcomeShare] = Field(
        description="Russia's own course outside the organization: nothing, bilateral, unilateral"
    )
    p_deployment: OutcomeShare
    sensitivity: dict[str, Any] = Field(
        description="Sobol S1/ST with confidence, for the outcome and for deployment"
    )
    milestones: MilestoneReport | None = Field(
        default=None, description="null when milestones were not asked for or nothing deployed"
    )


class SweepReport(Contract):
    base: str
    samples: int = Field(description="scenarios asked for, per lever")
    completed: int = Field(description="scenarios decided, first lever")
    seed: int
    executor: str
    batch_size: int
    inputs: tuple[str, ...]
    outcomes: dict[str, OutcomeShare]
    p_deployment: OutcomeShare
    russia: dict[str, OutcomeShare]
    sensitivity: dict[str, Any]
    milestones: MilestoneReport | None = Field(default=None, description="the first lever's")
    levers: dict[str, LeverReport]
    failed_batches: tuple[dict[str, Any], ...]
    parquet_rows: int | None = None
    seconds: float | None = Field(default=None, description="wall time of the sweep")
