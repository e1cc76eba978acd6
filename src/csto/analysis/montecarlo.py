"""Monte Carlo sweeps over an uncertainty spec, batched for any executor, with 95% intervals.

    SweepTask, BatchResult    one batch of scenarios and what came back
    run_batch(world, task)    draw the batch's scenarios from its own seed and decide them (the
                              rules kernel, csto.engine.fast); for a few of its deployments, draw
                              the lifecycle's milestones (csto.sim.milestones)
    sweep(world, spec, base, ...)   every lever x every batch; probabilities with Wilson
                              intervals, Sobol indices (csto.analysis.sensitivity: one design for
                              all levers, computed beside the batches, off the main thread),
                              milestones, failed batches; with `on_rows` each batch's rows go to
                              the caller as the batch arrives (Parquet), and nothing is kept
    SweepResult.report()      the typed answer (csto.analysis.report): `csto sweep --json`

The World travels to the workers once per executor (csto.analysis.executors), not in each task.

Seeds come from numpy's SeedSequence: batch i of a sweep with seed S always draws the same numbers,
whatever the executor, so local, process and Dask runs agree exactly. Every lever sees the same
scenarios (common random numbers), so differences between levers are the levers' own.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from csto.analysis.executors import Executor, LocalExecutor
from csto.analysis.report import (
    LeverReport,
    MilestoneDays,
    MilestoneReport,
    OutcomeShare,
    SweepReport,
)
from csto.analysis.sensitivity import SensitivityTask, run_sensitivity
from csto.analysis.spec import SweepSpec, Variable, scenarios
from csto.domain.crisis import Crisis, Measure
from csto.engine.fast import decided, decisions
from csto.forces import plan_for
from csto.law import CrisisBatch
from csto.law.batch import INTENSITIES, KINDS
from csto.politics.russia import ACTS
from csto.sim.milestones import MILESTONES, milestones
from csto.world import World

DEFAULT_BATCH = 250_000  # a tenth of a second or more of work per task on one core
DEFAULT_MILESTONES = 10_000  # lifecycles drawn per lever, from scenarios decided as a deployment
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
    milestone_rows: int = 0  # deployments of this batch whose lifecycle milestones are drawn


@dataclass(frozen=True)
class BatchResult:
    lever: str
    index: int
    counts: np.ndarray  # (6,) outcomes on the ladder
    russia: np.ndarray  # (3,) Russia's own course: nothing, bilateral, unilateral
    inputs: dict[str, np.ndarray] | None = None  # per input: codes or values, when rows are kept
    outcome: np.ndarray | None = None  # (size,) ladder values, when rows are kept
    milestones: dict[str, np.ndarray] | None = None  # hours from the appeal, per milestone


def _milestones(
    world: World,
    task: SweepTask,
    variables: list[Variable],
    u: np.ndarray,
    batch: CrisisBatch,
    outcome: np.ndarray,
    willing: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Milestones of the first `milestone_rows` deployments: one lifecycle drawn per scenario,
    with the force planned from who accepts the deployment in that scenario."""
    rows = np.flatnonzero(outcome == Measure.DEPLOYMENT)[: task.milestone_rows]
    regime = world.regime_for(task.spec.levers[task.lever])
    base = task.base
    sites = np.full(len(rows), base.situation.sites or 0, dtype=np.int64)
    for j, var in enumerate(variables):
        if var.name == "situation.sites":
            sites = var.decode(u[rows, j])
    keys = np.column_stack(
        [willing[rows], batch.kind[rows], batch.intensity[rows], sites, batch.ordinal[rows]]
    ).astype(np.int64)
    out = {m: np.empty(len(rows)) for m in MILESTONES}
    if not len(rows):
        return out
    groups, inverse = np.unique(keys, axis=0, return_inverse=True)
    for g, (mask, kind, intensity, site_count, ordinal) in enumerate(groups):
        members = {c for m, c in enumerate(regime.members) if (int(mask) >> m) & 1}
        situation = base.situation.model_copy(
            update={
                "kind": KINDS[int(kind)],
                "intensity": INTENSITIES[int(intensity)],
                "sites": int(site_count) or None,
            }
        )
        crisis = base.model_copy(
            update={"situation": situation, "date": date.fromordinal(int(ordinal))}
        )
        plan = plan_for(world, crisis, members)
        where = np.flatnonzero(inverse.ravel() == g)
        drawn = milestones(plan, situation.intensity, world.ops, len(where), rng)
        for m in MILESTONES:
            out[m][where] = drawn[m]
    return out


def run_batch(world: World, task: SweepTask) -> BatchResult:
    regime = world.regime_for(task.spec.levers[task.lever])
    variables = task.spec.variables()
    rng = np.random.default_rng(task.seed)
    u = rng.random((task.size, len(variables)))
    batch = scenarios(variables, task.base, regime, u)
    drawn = None
    if task.milestone_rows:
        outcome, acts, willing = decided(batch, regime)
        drawn = _milestones(world, task, variables, u, batch, outcome, willing, rng)
    else:
        outcome, found = decisions(batch, regime)
        assert found is not None
        acts = found
    counts = np.bincount(outcome, minlength=len(Measure)).astype(np.int64)
    own = np.bincount(acts, minlength=len(ACTS)).astype(np.int64)
    if not task.keep_rows:
        return BatchResult(task.lever, task.index, counts, own, milestones=drawn)
    inputs = {var.name: var.decode(u[:, j]) for j, var in enumerate(variables)}
    return BatchResult(task.lever, task.index, counts, own, inputs, outcome, drawn)


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


def milestone_report(
    hours: dict[str, dict[int, np.ndarray]], within: tuple[float, ...]
) -> MilestoneReport | None:
    # in batch order, whatever order the batches finished in: the same report on every executor
    drawn = {
        m: np.concatenate([v[i] for i in sorted(v)]) if v else np.zeros(0) for m, v in hours.items()
    }
    runs = len(drawn["decision"])
    if runs == 0:
        return None
    days = {}
    for m, h in drawn.items():
        reached = h[~np.isnan(h)] / 24.0
        if len(reached):
            p10, p50, p90 = (float(x) for x in np.percentile(reached, [10, 50, 90]))
            days[m] = MilestoneDays(
                reached=len(reached) / runs, mean=float(reached.mean()), p10=p10, p50=p50, p90=p90
            )
        else:
            days[m] = MilestoneDays(reached=0.0, mean=None, p10=None, p50=None, p90=None)
    shares = {}
    complete = drawn["deployment_complete"]
    for d in within:
        hits = int(np.sum(complete <= 24.0 * d))  # NaN (no force) is never within
        p, low, high = wilson(hits, runs)
        shares[f"deployment_complete<={d:g}d"] = OutcomeShare(p=p, low=low, high=high, count=hits)
    return MilestoneReport(runs=runs, days=days, within=shares)


@dataclass
class LeverResult:
    lever: str
    reforms: tuple[str, ...]
    counts: np.ndarray
    sensitivity: dict[str, Any]
    russia: np.ndarray = field(default_factory=lambda: np.zeros(len(ACTS), dtype=np.int64))
    hours: dict[str, dict[int, np.ndarray]] = field(
        default_factory=lambda: {m: {} for m in MILESTONES}
    )
    within: tuple[float, ...] = (4.0,)

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
            milestones=milestone_report(self.hours, self.within),
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
    seconds: float = 0.0

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
            milestones=first.milestones,
            levers=levers,
            failed_batches=tuple(self.failed),
            seconds=round(self.seconds, 3),
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
    on_rows: Callable[[BatchResult], None] | None = None,
    milestone_runs: int = 0,
    within: tuple[float, ...] = (4.0,),
) -> SweepResult:
    """Every lever over the same scenarios; `base` is the spec's base crisis, resolved by the caller.
    With `keep_rows`, each batch's rows are handed to `on_rows` as the batch arrives."""
    if samples < 1:
        raise ValueError("samples must be at least 1")
    started = time.perf_counter()
    executor = executor or LocalExecutor()
    variables = spec.variables()
    sizes = [min(batch_size, samples - start) for start in range(0, samples, batch_size)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    per_batch = [math.ceil(milestone_runs * size / samples) for size in sizes]
    tasks = [
        SweepTask(spec, base, lever, i, size, seeds[i], keep_rows, per_batch[i])
        for lever in spec.levers
        for i, size in enumerate(sizes)
    ]
    levers = {
        name: LeverResult(
            name, spec.levers[name], np.zeros(len(Measure), dtype=np.int64), {}, within=within
        )
        for name in spec.levers
    }
    analysis = (
        executor.submit(run_sensitivity, SensitivityTask(spec, base, samples, seed), world)
        if sobol
        else None
    )
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
            if result.milestones is not None:
                for m, h in result.milestones.items():
                    lever.hours[m][result.index] = h
            if keep_rows and on_rows is not None:
                on_rows(result)
        if progress:
            progress(task.size)
    if analysis is not None:
        for name, indices in analysis.result().items():
            levers[name].sensitivity = indices
    return SweepResult(
        spec,
        samples,
        seed,
        executor.name,
        batch_size,
        variables,
        levers,
        failed,
        time.perf_counter() - started,
    )
