"""The vectorised milestones against the SimPy lifecycle: two-sample Kolmogorov-Smirnov tests.

The suite runs 2,000 SimPy lifecycles against 10,000 vectorised draws (about ten seconds);
benchmarks/bench_milestones.py runs 10,000 against 10,000. With 2,000 and 10,000 runs a KS test
detects a shift of a few percent of a milestone's spread; the last test shows it catches an airlift
with half the aircraft."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from scipy.stats import ks_2samp

from csto.engine import assess
from csto.forces import plan_force
from csto.sim.lifecycle import Lifecycle
from csto.sim.milestones import MILESTONES, milestones
from csto.sim.run import MILESTONES as EVENT_OF

from .worlds import WORLD, case

SIMPY_RUNS = 2_000
VECTOR_RUNS = 10_000


@cache
def simpy_hours(case_id: str) -> dict[str, np.ndarray]:
    crisis = case(case_id)
    a = assess(WORLD, crisis)
    plan = plan_force(WORLD, crisis, a)
    found: dict[str, list[float]] = {m: [] for m in MILESTONES}
    for seed in range(SIMPY_RUNS):
        log = Lifecycle(crisis, a, plan, WORLD.org, WORLD.ops, seed).run()
        for m in MILESTONES:
            event = log.first(EVENT_OF[m]) if m != "withdrawal_complete" else log.first(m)
            found[m].append(event.time if event else np.nan)
    return {m: np.array(v) for m, v in found.items()}


def vector_hours(case_id: str, **ops_changes: object) -> dict[str, np.ndarray]:
    crisis = case(case_id)
    plan = plan_force(WORLD, crisis, assess(WORLD, crisis))
    assert plan is not None
    ops = WORLD.ops
    if ops_changes:
        airlift = ops.airlift.model_copy(update=ops_changes)
        ops = ops.model_copy(update={"airlift": airlift})
    rng = np.random.default_rng(12345)
    return milestones(plan, crisis.situation.intensity, ops, VECTOR_RUNS, rng)


@pytest.mark.parametrize("milestone", MILESTONES)
def test_each_milestone_has_the_simpy_lifecycles_distribution(milestone: str) -> None:
    simpy, vector = simpy_hours("kazakhstan-2022"), vector_hours("kazakhstan-2022")
    assert not np.isnan(simpy[milestone]).any()
    result = ks_2samp(simpy[milestone], vector[milestone])
    assert result.pvalue > 0.001, (milestone, result)


def test_the_ks_test_sees_an_airlift_with_half_the_aircraft() -> None:
    simpy = simpy_hours("kazakhstan-2022")
    deploy = WORLD.ops.airlift.aircraft_deploy
    fewer = vector_hours(
        "kazakhstan-2022", aircraft_deploy=deploy.model_copy(update={"value": deploy.value / 2})
    )
    assert ks_2samp(simpy["deployment_complete"], fewer["deployment_complete"]).pvalue < 1e-9
