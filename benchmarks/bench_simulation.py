"""Full crisis lifecycles per second on one core, against SimPy's own event rate in the same run.

    .venv/bin/python benchmarks/bench_simulation.py [--seconds 3]

Baseline: a bare SimPy process yielding timeouts (SimPy's floor: its own event loop, nothing else).
Measured: `csto.sim.simulate` on kazakhstan-2022 (decision, force plan, airlift, operations,
withdrawal, situation reports), and the lifecycle alone with the decision already taken.
Ratios, not absolute numbers, are what to compare between machines.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import simpy

from csto.domain import default_organization
from csto.domain.crisis import find_case
from csto.domain.operations import default_operations
from csto.engine import assess
from csto.forces import plan_force
from csto.sim import simulate
from csto.sim.lifecycle import Lifecycle


def rate(fn: Callable[[int], int], seconds: float) -> tuple[float, float]:
    """(calls per second, units per second) of fn(i) -> units, over about `seconds`."""
    fn(0)  # warm caches
    calls = units = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        units += fn(calls)
        calls += 1
    elapsed = time.perf_counter() - start
    return calls / elapsed, units / elapsed


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
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent on each measurement")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    crisis = find_case("kazakhstan-2022")
    org, ops = default_organization(), default_operations()
    decision = assess(crisis)
    plan = plan_force(crisis, decision, org, ops)
    simpy_per_run = simpy_events_in(lambda: Lifecycle(crisis, decision, plan, org, ops, 0).run())

    def full(seed: int) -> int:
        return len(simulate(crisis, seed=seed).log.events)

    def lifecycle_only(seed: int) -> int:
        return len(Lifecycle(crisis, decision, plan, org, ops, seed).run().events)

    _, simpy_rate = rate(simpy_events, args.seconds)
    full_rate, _ = rate(full, args.seconds)
    life_rate, _ = rate(lifecycle_only, args.seconds)
    simpy_floor = simpy_rate / simpy_per_run
    result = {
        "simpy_events_per_s": round(simpy_rate),
        "simpy_events_per_lifecycle": simpy_per_run,
        "simpy_floor_lifecycles_per_s": round(simpy_floor, 1),
        "full_runs_per_s": round(full_rate, 1),
        "lifecycle_only_per_s": round(life_rate, 1),
        "full_vs_floor": round(full_rate / simpy_floor, 3),
        "lifecycle_vs_floor": round(life_rate / simpy_floor, 3),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"SimPy bare event rate:        {result['simpy_events_per_s']:>10,} events/s")
    print(f"SimPy events per lifecycle:   {simpy_per_run:>10,} (counted)")
    print(
        f"SimPy floor for that work:    {simpy_floor:>10,.1f} lifecycles/s (bare event rate / events per lifecycle)"
    )
    print(
        f"full run (assess + simulate): {full_rate:>10,.1f} runs/s   ratio to floor {result['full_vs_floor']:.3f}"
    )
    print(
        f"lifecycle only:               {life_rate:>10,.1f} runs/s   ratio to floor {result['lifecycle_vs_floor']:.3f}"
    )


if __name__ == "__main__":
    main()
