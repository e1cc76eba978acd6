"""The lifecycle's milestones by vectorised Monte Carlo: many runs at once, no event loop.

The SimPy lifecycle (csto.sim.lifecycle) is the definition; this draws the same durations from the
same data (data/operations.yaml) for an appealed deployment and combines them the same way:
- the decision: the Council's hours;
- each contingent ready after its readiness hours; with the provider's airlift, every load waits
  in order of request for the first free aircraft (a first-come, first-served queue with
  `aircraft_deploy` servers: each load leaves at max(its request, the earliest free aircraft), lands
  half a round trip later, and the aircraft is free again a whole round trip after it left);
  without, each contingent travels by its own means;
- deployment complete at the last landing; operations for the intensity's days; the handover;
- the withdrawal: every load queued at the handover for `aircraft_withdraw` aircraft.
The distributions are checked against the SimPy lifecycle's, milestone by milestone, by two-sample
Kolmogorov-Smirnov tests (tests/test_milestones.py; 10,000 runs each in benchmarks/).

    MILESTONES                      the milestones drawn, in order
    milestones(plan, intensity, ops, runs, rng)   {milestone: (runs,) hours from the appeal}
"""

from __future__ import annotations

import numpy as np

from csto.domain.crisis import Intensity
from csto.domain.operations import Operations, Range
from csto.forces import ForcePlan
from csto.sim.lifecycle import loads

MILESTONES = ("decision", "first_arrival", "deployment_complete", "handover", "withdrawal_complete")


def _draw(r: Range, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    b = r.range
    if b.low == b.high:
        return np.full(shape, b.mode)
    return rng.triangular(b.low, b.mode, b.high, shape)


def _queue(requests: np.ndarray, aircraft: int, trips: np.ndarray) -> np.ndarray:
    """Landing times of loads served first come, first served by `aircraft` servers.
    requests, trips: (R, J) with each row's loads already in order of request."""
    runs, jobs = requests.shape
    free = np.zeros((runs, aircraft))
    landed = np.empty((runs, jobs))
    rows = np.arange(runs)
    for j in range(jobs):
        a = free.argmin(axis=1)
        start = np.maximum(requests[:, j], free[rows, a])
        landed[:, j] = start + trips[:, j] / 2
        free[rows, a] = start + trips[:, j]
    return landed


def milestones(
    plan: ForcePlan, intensity: Intensity, ops: Operations, runs: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Hours from the appeal to each milestone of a deployment; NaN where no force is generated."""
    t = ops.timings
    decision = _draw(t.council_hours, rng, (runs,))
    out = {name: np.full(runs, np.nan) for name in MILESTONES}
    out["decision"] = decision
    if not plan.contingents:
        return out
    ready = np.column_stack(
        [decision + _draw(ops.readiness(c.code), rng, (runs,)) for c in plan.contingents]
    )
    counts = [len(loads(c, ops)) for c in plan.contingents]
    if plan.airlift:
        requests = np.repeat(ready, counts, axis=1)  # contingent by contingent, load by load
        order = np.argsort(requests, axis=1, kind="stable")
        queued = np.take_along_axis(requests, order, axis=1)
        trips = _draw(t.sortie_round_trip_hours, rng, queued.shape)
        landed = _queue(queued, int(ops.airlift.aircraft_deploy.value), trips)
    else:
        landed = ready + _draw(t.own_means_travel_hours, rng, ready.shape)
    out["first_arrival"] = landed.min(axis=1)
    complete = landed.max(axis=1)
    out["deployment_complete"] = complete
    handover = (
        complete
        + 24.0 * t.operations_days.by_intensity[intensity]
        + 24.0 * float(t.handover_days.value)
    )
    out["handover"] = handover
    if plan.airlift:
        jobs = sum(counts)
        requests = np.repeat(handover[:, None], jobs, axis=1)
        trips = _draw(t.sortie_round_trip_hours, rng, requests.shape)
        home = _queue(requests, int(ops.airlift.aircraft_withdraw.value), trips)
    else:
        home = handover[:, None] + _draw(
            t.own_means_travel_hours, rng, (runs, len(plan.contingents))
        )
    out["withdrawal_complete"] = home.max(axis=1)
    return out
