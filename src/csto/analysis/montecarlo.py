"""Monte Carlo sweeps over an uncertainty spec, batched for any executor, with 95% intervals.

    SweepTask, BatchResult    one batch of scenarios and what came back
    run_batch(world, task)    draw the batch's scenarios from its own seed and decide them
    sweep(world, spec, base, ...)   every lever x every batch; probabilities with Wilson
                              intervals, Sobol indices (csto.analysis.sensitivity), failed batches
    SweepResult.report()      the typed answer (csto.analysis.report): `csto sweep --json`

The World travels to the workers once per executor (csto.analysis.executors), not in each task.

Seeds come from numpy's SeedSequence: batch i of a sweep with seed S always draws the same numbers,
whatever the executor, so local, process and Dask runs agree exactly. Every lever sees the same
scenarios (common random numbers), so differences between levers are the levers' own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from csto.analysis.executors import Executor, LocalExecutor
from csto.analysis.report import LeverReport, OutcomeShare, SweepReport
from csto.analysis.sensitivity import sobol_indices
from csto.analysis.spec import SweepSpec, Variable, scenarios
from csto.domain.crisis import Crisis, Measure
from csto.engine.fast import decisions
from csto.politics.russia import ACTS
from csto.world import World

DEFAULT_BATCH = (
    250_000  # about half a second or more of work per task on one core, sampling included
)
Z95 = 1.959963984540054


@dataclass(frozen=True)
class SweepTask:
    spec: SweepSpec
    base: Crisis
    lever: str
    index: int
    size: int
    seed: np.random.SeedSequence
    keep_rows: bool = False


@dataclass(frozen=True)
class BatchResult:
    lever: str
    index: int
    counts: np.ndarray  # (6,) outcomes on the ladder
    russia: np.ndarray  # (3,) Russia's own course: nothing, bilateral, unilateral
    inputs: np.ndarray | None = None  # (size, D) coded inputs, when rows are kept
    outcome: np.ndarray | None = None  # (size,) ladder values, when rows are kept


def run_batch(world: World, task: SweepTask) -> BatchResult:
    regime = world.regime_for(task.spec.levers[task.lever])
    variables = task.spec.variables()
    u = np.random.default_rng(task.seed).random((task.size, len(variables)))
    batch = scenarios(variables, task.base, regime, u)
    decided, acts = decisions(batch, regime)
    counts = np.bincount(decided, minlength=len(Measure)).astype(np.int64)
    assert acts is not None
    own = np.bincount(acts, minlength=len(ACTS)).astype(np.int64)
    if not task.keep_rows:
        return BatchResult(task.lever, task.index, counts, own)
    coded = np.column_stack([var.decode(u[:, j]) for j, var in enumerate(variables)])
    return BatchResult(task.lever, task.index, counts, own, coded.astype(np.int8), decided)


def wilson(successes: int, n: int) -> tuple[float, float, float] | tuple[None, None, None]:
    """Proportion with its 95% Wilson score interval."""
    if n == 0:  # nothing completed: no estimate (JSON null, not NaN)
        return None, None, None
    p = successes / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return p, low, high


@dataclass
class LeverResult:
    lever: str
    reforms: tuple[str, ...]
    counts: np.ndarray
    sensitivity: dict[str, Any]
    russia: np.ndarray = field(default_factory=lambda: np.zeros(len(ACTS), dtype=np.int64))
    rows: list[BatchResult] = field(default_factory=list)

    @property
    def samples(self) -> int:
        return int(self.counts.sum())

    def report(self) -> LeverReport:
        n = self.samples
        shares = {}
        for m in Measure:
            p, low, high = wilson(int(self.counts[m]), n)
            shares[m.label] = OutcomeShare(p=p, low=low, high=high, count=int(self.counts[m]))
        russia = {}
        for k, act in enumerate(ACTS):
            p, low, high = wilson(int(self.russia[k]), n)
            russia[act.value] = OutcomeShare(p=p, low=low, high=high, count=int(self.russia[k]))
        return LeverReport(
            reforms=self.reforms,
            samples=n,
            outcomes=shares,
            russia=russia,
            p_deployment=shares[Measure.DEPLOYMENT.label],
            sensitivity=self.sensitivity,
        )


@dataclass
class SweepResult:
    spec: SweepSpec
    samples: int
    seed: int
    executor: str
    batch_size: int
    variables: list[Variable]
    levers: dict[str, LeverResult]
    failed: list[dict[str, Any]]

    def report(self) -> SweepReport:
        levers = {name: lever.report() for name, lever in self.levers.items()}
        first = next(iter(levers.values()))
        return SweepReport(
            base=self.spec.base,
            samples=self.samples,
            completed=first.samples,
            seed=self.seed,
            executor=self.executor,
            batch_size=self.batch_size,
            inputs=tuple(v.name for v in self.variables),
            outcomes=first.outcomes,
            p_deployment=first.p_deployment,
            russia=first.russia,
            sensitivity=first.sensitivity,
            levers=levers,
            failed_batches=tuple(self.failed),
        )


def sweep(
    world: World,
    spec: SweepSpec,
    base: Crisis,
    samples: int,
    seed: int = 0,
    executor: Executor | None = None,
    batch_size: int = DEFAULT_BATCH,
    keep_rows: bool = False,
    progress: Callable[[int], None] | None = None,
    sobol: bool = True,
) -> SweepResult:
    """Every lever over the same scenarios; `base` is the spec's base crisis, resolved by the caller."""
    if samples < 1:
        raise ValueError("samples must be at least 1")
    executor = executor or LocalExecutor()
    variables = spec.variables()
    sizes = [min(batch_size, samples - start) for start in range(0, samples, batch_size)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    tasks = [
        SweepTask(spec, base, lever, i, size, seeds[i], keep_rows)
        for lever in spec.levers
        for i, size in enumerate(sizes)
    ]
    levers = {
        name: LeverResult(name, spec.levers[name], np.zeros(len(Measure), dtype=np.int64), {})
        for name in spec.levers
    }
    failed: list[dict[str, Any]] = []
    for task, result in executor.map(run_batch, tasks, world):
        if isinstance(result, BaseException):
            failed.append(
                {"lever": task.lever, "batch": task.index, "size": task.size, "error": repr(result)}
            )
        else:
            lever = levers[result.lever]
            lever.counts += result.counts
            lever.russia += result.russia
            if keep_rows:
                lever.rows.append(result)
        if progress:
            progress(task.size)
    for lever in levers.values():
        lever.rows.sort(key=lambda r: r.index)
        if sobol:
            regime = world.regime_for(lever.reforms)
            lever.sensitivity = sobol_indices(variables, base, regime, samples, seed)
    return SweepResult(spec, samples, seed, executor.name, batch_size, variables, levers, failed)
