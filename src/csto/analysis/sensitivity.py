"""Sobol sensitivity indices of the outcome (SALib), on a Saltelli design over the uncertain inputs.

    sobol_indices(variables, base, regime, samples, seed)
        {"method", "base_samples", "evaluations", "outcome": {input: {"S1", "S1_conf", "ST", "ST_conf"}},
         "deployment": {...}} -- for the ladder level and for the deployment indicator
    SensitivityTask, run_sensitivity(world, task)
        every lever's indices from one Saltelli design, drawn once: the task a sweep hands its
        executor beside the batches (a thread here, a worker of the pool or the cluster)

Each input is a uniform number mapped to its categories by inverse CDF, so a categorical input's
index measures how much its draw (with its probabilities) drives the outcome. The base sample size
is the largest power of two whose design fits in the sweep's sample budget, at most 2**14.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from csto.analysis.spec import SweepSpec, Variable, scenarios
from csto.domain.crisis import Crisis, Measure
from csto.engine.fast import outcomes
from csto.law import Regime
from csto.world import World

MAX_BASE = 1 << 14
MIN_BASE = 1 << 6


def base_size(samples: int, inputs: int) -> int:
    budget = max(MIN_BASE, samples // (inputs + 2))
    return int(min(MAX_BASE, 1 << int(np.floor(np.log2(budget)))))


def _indices(problem: dict[str, Any], y: np.ndarray, seed: int) -> dict[str, dict[str, float]]:
    if np.allclose(y, y[0]):  # nothing varies: every index is zero
        return {
            name: {"S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
            for name in problem["names"]
        }
    # SALib ignores a seed of 0 (it tests `if seed:`) and then draws from numpy's global state.
    result = sobol_analyze.analyze(
        problem, y, calc_second_order=False, seed=seed + 1, num_resamples=100
    )
    return {
        name: {
            "S1": float(result["S1"][j]),
            "S1_conf": float(result["S1_conf"][j]),
            "ST": float(result["ST"][j]),
            "ST_conf": float(result["ST_conf"][j]),
        }
        for j, name in enumerate(problem["names"])
    }


def _problem(variables: list[Variable]) -> dict[str, Any]:
    return {
        "num_vars": len(variables),
        "names": [v.name for v in variables],
        "bounds": [[0.0, 1.0]] * len(variables),
    }


def _design(variables: list[Variable], samples: int, seed: int) -> np.ndarray:
    n = base_size(samples, len(variables))
    u = sobol_sample.sample(
        _problem(variables), n, calc_second_order=False, scramble=True, seed=seed
    )
    return np.asarray(np.clip(u, 0.0, np.nextafter(1.0, 0.0)))


def sobol_indices(
    variables: list[Variable],
    base: Crisis,
    regime: Regime,
    samples: int,
    seed: int,
    design: np.ndarray | None = None,
) -> dict[str, Any]:
    problem = _problem(variables)
    n = base_size(samples, len(variables))
    u = design if design is not None else _design(variables, samples, seed)
    decided = outcomes(scenarios(variables, base, regime, u), regime)
    return {
        "method": "Sobol (Saltelli design, SALib), first-order S1 and total ST with 95% confidence",
        "base_samples": n,
        "evaluations": len(u),
        "outcome": _indices(problem, decided.astype(float), seed),
        "deployment": _indices(problem, (decided == Measure.DEPLOYMENT).astype(float), seed),
    }


@dataclass(frozen=True)
class SensitivityTask:
    spec: SweepSpec
    base: Crisis
    samples: int
    seed: int


def run_sensitivity(world: World, task: SensitivityTask) -> dict[str, dict[str, Any]]:
    """Sobol indices for every lever of the spec, on one design drawn once."""
    variables = task.spec.variables()
    design = _design(variables, task.samples, task.seed)
    return {
        name: sobol_indices(
            variables, task.base, world.regime_for(reforms), task.samples, task.seed, design
        )
        for name, reforms in task.spec.levers.items()
    }
