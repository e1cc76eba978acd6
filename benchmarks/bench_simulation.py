"""Lifecycles per second (SimPy and vectorised), storing a run, against SimPy's own event rate.

    .venv/bin/python benchmarks/bench_simulation.py [--seconds 3] [--ks-runs 10000] [--json]

On one pinned core, in one run:
- SimPy's bare event rate (a process yielding timeouts) and the events one Kazakhstan lifecycle
  takes (counted): their quotient is SimPy's floor for that lifecycle;
- the lifecycle alone (the decision taken), and the full run (`csto.sim.simulate`: assess, plan
  the force, the lifecycle, the typed Run);
- storing a run in SQLite (`save_run` in one transaction: the run, its decision, positions,
  events, situation reports, contingents), median of --store-runs;
- the vectorised milestones (csto.sim.milestones), and their two-sample Kolmogorov-Smirnov tests
  against --ks-runs SimPy lifecycles, milestone by milestone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import simpy
from scipy.stats import ks_2samp

from csto.domain import DATA_DIR
from csto.engine import assess
from csto.forces import plan_force
from csto.service.running import open_store
from csto.sim import simulate
from csto.sim.lifecycle import Lifecycle
from csto.sim.milestones import MILESTONES, milestones
from csto.sim.run import MILESTONES as EVENT_OF
from csto.store.repository import save_run
from csto.world import World


def rate(fn: Callable[[int], object], seconds: float) -> float:
    fn(0)  # warm caches
    calls = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(calls)
        calls += 1
    return calls / (time.perf_counter() - start)


def simpy_events(_: int, n: int = 20_000) -> int:
    env = simpy.Environment()

    def ticker(env: simpy.Environment):  # type: ignore[no-untyped-def]
        for _ in range(n):
            yield env.timeout(1)

    env.process(ticker(env))
    env.run()
    return n


def simpy_events_in(run: Callable[[], object]) -> int:
    """How many events SimPy processes in one call of `run` (counted by wrapping Environment.step)."""
    original = simpy.Environment.step
    count = 0

    def counting(self: simpy.Environment) -> None:
        nonlocal count
        count += 1
        original(self)

    simpy.Environment.step = counting  # type: ignore[method-assign]
    try:
        run()
    finally:
        simpy.Environment.step = original  # type: ignore[method-assign]
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent on each rate")
    parser.add_argument("--ks-runs", type=int, default=10_000)
    parser.add_argument("--store-runs", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    world = World.load(DATA_DIR)
    crisis = world.cases.get("kazakhstan-2022")
    decision = assess(world, crisis)
    plan = plan_force(world, crisis, decision)
    assert plan is not None
    org, ops = world.org, world.ops
    per_run = simpy_events_in(lambda: Lifecycle(crisis, decision, plan, org, ops, 0).run())
    bare = simpy_events(0) and rate(simpy_events, args.seconds) * 20_000
    life = rate(lambda s: Lifecycle(crisis, decision, plan, org, ops, s).run(), args.seconds)
    full = rate(lambda s: simulate(world, crisis, seed=s), args.seconds)

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'runs.db'}")
        runs = [simulate(world, crisis, seed=s) for s in range(args.store_runs)]
        times = []
        for run in runs:
            start = time.perf_counter()
            with store.transaction() as session:
                save_run(session, run)
            times.append(time.perf_counter() - start)
        store.close()
    store_ms = statistics.median(times) * 1000

    rng = np.random.default_rng(0)
    vector = (
        rate(lambda _: milestones(plan, crisis.situation.intensity, ops, 10_000, rng), args.seconds)
        * 10_000
    )
    start = time.perf_counter()
    simpy_hours: dict[str, list[float]] = {m: [] for m in MILESTONES}
    for seed in range(args.ks_runs):
        log = Lifecycle(crisis, decision, plan, org, ops, seed).run()
        for m in MILESTONES:
            event = log.first(EVENT_OF[m])
            simpy_hours[m].append(event.time if event else float("nan"))
    simpy_seconds = time.perf_counter() - start
    drawn = milestones(
        plan, crisis.situation.intensity, ops, args.ks_runs, np.random.default_rng(1)
    )
    ks = {}
    for m in MILESTONES:
        test = ks_2samp(np.array(simpy_hours[m]), drawn[m])
        ks[m] = {
            "statistic": round(float(test.statistic), 4),
            "pvalue": round(float(test.pvalue), 4),
        }

    result = {
        "simpy_events_per_s": round(bare),
        "simpy_events_per_lifecycle": per_run,
        "simpy_floor_lifecycles_per_s": round(bare / per_run, 1),
        "lifecycle_per_s": round(life, 1),
        "full_runs_per_s": round(full, 1),
        "lifecycle_vs_floor": round(life / (bare / per_run), 3),
        "store_run_ms_sqlite": round(store_ms, 2),
        "vectorised_milestones_per_s": round(vector),
        "vectorised_vs_simpy_lifecycle": round(vector / life, 1),
        "ks_runs_each": args.ks_runs,
        "ks_simpy_seconds": round(simpy_seconds, 1),
        "ks": ks,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name, value in result.items():
        if name != "ks":
            print(
                f"{name:<32} {value:>12,}" if isinstance(value, int | float) else f"{name} {value}"
            )
    for m, t in ks.items():
        print(f"KS {m:<22} D = {t['statistic']:.4f}  p = {t['pvalue']:.4f}")


if __name__ == "__main__":
    main()
