"""The decision rules, measured fairly: every side decides every row, on the same inputs, in one run.

    .venv/bin/python benchmarks/bench_rules.py [--samples 1000000] [--rounds 5] [--json]

Two specs: (a) examples/kazakhstan-2022-sweep.yaml (seven categorical inputs: few distinct
scenarios), (b) examples/wide-sweep.yaml (eighteen inputs, most continuous, random dates: nearly
every scenario distinct). For each, on one pinned core, medians over --rounds rounds:
- floor: one pass over the kernel's input arrays in their native dtypes (a max per column);
- kernel: the rules kernel on every row (fast.outcomes(memo=False): the columnar kernel,
  csto.engine.kernel.columns, where it applies), the figure sweeps get;
- row kernel: csto.engine.kernel.rows on every row (what decides where the columnar kernel does
  not apply: a majority vote, a batch of crises each with its own structure);
- traced: the traced path on every row (csto.engine.evaluate, the numpy rules `assess` runs);
- engine per scenario: `evaluate` on a batch of one, every input included (parameters too);
- Mesa: benchmarks/mesa_council.py, one model with its agents reused, computing everything it
  decides (law included) in the timed region, checked against the engine (mismatches printed);
- memoised: each distinct scenario decided once by the kernel (fast.outcomes(memo=True)), printed
  apart, as its share of the kernel's rate: it is not the honest figure where rows are distinct.
Ratios are taken pair by pair from the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: no threaded BLAS anywhere

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from mesa_council import CouncilModel, scenarios_of

from csto.analysis.spec import scenarios
from csto.domain import DATA_DIR
from csto.engine import evaluate, fast, kernel
from csto.service.sweeping import load_sweep
from csto.world import World

EXAMPLES = Path(__file__).parent.parent / "examples"
SPECS = {"example": EXAMPLES / "kazakhstan-2022-sweep.yaml", "wide": EXAMPLES / "wide-sweep.yaml"}


def median_seconds(fn: Callable[[], object], rounds: int) -> float:
    fn()  # warm: compiled, cached, paged in
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(world: World, spec_path: Path, n: int, k: int, rounds: int) -> dict[str, object]:
    spec, base = load_sweep(world, spec_path)
    variables = spec.variables()
    regime = world.regime
    u = np.random.default_rng(0).random((n, len(variables)))
    batch = scenarios(variables, base, regime, u)
    # the kernel's inputs, as it receives them: every column contiguous in its own dtype
    inputs = [np.ascontiguousarray(c) for c in batch.columns().values()]
    few = batch.take(np.arange(k))
    rows = [few.take(np.array([i])) for i in range(k)]
    slot_used = (batch.opponents >= 0).any(axis=0).tolist()
    model = CouncilModel(regime, slot_used)
    mesa_inputs = scenarios_of(few)
    mesa_out: list[int] = []

    def mesa_run() -> None:
        mesa_out[:] = [model.decide(s) for s in mesa_inputs]

    seconds = {
        "floor": median_seconds(lambda: [c.max() for c in inputs], rounds) / n,
        "kernel": median_seconds(lambda: fast.outcomes(batch, regime, memo=False), rounds) / n,
        "row_kernel": median_seconds(lambda: kernel.decide(batch, regime), rounds) / n,
        "memoised": median_seconds(lambda: fast.outcomes(batch, regime, memo=True), rounds) / n,
        "traced": median_seconds(lambda: evaluate(batch, regime), max(1, rounds // 2)) / n,
        "engine_per_scenario": median_seconds(lambda: [evaluate(r, regime) for r in rows], rounds)
        / k,
        "mesa": median_seconds(mesa_run, rounds) / k,
    }
    expected = evaluate(few, regime).outcome
    rates = {name: 1 / s for name, s in seconds.items()}
    keys = np.column_stack(
        [c.astype(np.int64) for c in batch.take(np.arange(min(n, 200_000))).columns().values()]
    )
    return {
        "spec": spec_path.name,
        "rows": n,
        "inputs": len(variables),
        "distinct_share_of_200k": round(len(np.unique(keys, axis=0)) / len(keys), 4),
        "bytes_per_row": int(sum(c.itemsize for c in inputs)),
        "scenarios_per_s": {name: round(r) for name, r in rates.items()},
        "ratios": {
            "floor / kernel": round(rates["floor"] / rates["kernel"], 1),
            "kernel / mesa": round(rates["kernel"] / rates["mesa"], 1),
            "kernel / engine_per_scenario": round(
                rates["kernel"] / rates["engine_per_scenario"], 1
            ),
            "kernel / traced": round(rates["kernel"] / rates["traced"], 1),
            "kernel / row_kernel": round(rates["kernel"] / rates["row_kernel"], 1),
            "memoised / kernel (memoisation's share)": round(
                rates["memoised"] / rates["kernel"], 2
            ),
            "mesa / engine_per_scenario": round(rates["mesa"] / rates["engine_per_scenario"], 1),
        },
        "kernel_vs_traced_mismatches": int(
            (fast.outcomes(batch, regime, memo=False) != evaluate(batch, regime).outcome).sum()
        ),
        "mesa_mismatches": int((np.array(mesa_out) != expected).sum()),
        "mesa_checked": k,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument(
        "--per-scenario", type=int, default=3_000, help="rows for Mesa and the engine per scenario"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # pin to one core
    world = World.load(DATA_DIR)
    result = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "rounds": args.rounds,
        "specs": {
            name: measure(world, path, args.samples, args.per_scenario, args.rounds)
            for name, path in SPECS.items()
        },
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['date']}, {result['machine']}, one core, medians of {args.rounds} rounds")
    for name, r in result["specs"].items():  # type: ignore[union-attr]
        print(
            f"\n{name} ({r['spec']}): {r['rows']:,} rows, {r['inputs']} inputs, "
            f"{r['distinct_share_of_200k']:.1%} of 200k rows distinct, {r['bytes_per_row']} input bytes/row"
        )
        order = [
            "floor",
            "kernel",
            "row_kernel",
            "traced",
            "engine_per_scenario",
            "mesa",
            "memoised",
        ]
        for path in order:
            note = (
                "   (memoisation: not the honest figure where rows are distinct)"
                if path == "memoised"
                else ""
            )
            print(f"  {path:<22} {r['scenarios_per_s'][path]:>14,} scenarios/s{note}")
        for ratio, value in r["ratios"].items():
            print(f"  {ratio:<42} {value:>8}x")
        print(
            f"  kernel vs traced path: {r['kernel_vs_traced_mismatches']} of {r['rows']:,} differ; "
            f"Mesa vs engine: {r['mesa_mismatches']} of {r['mesa_checked']:,} differ"
        )


if __name__ == "__main__":
    main()
