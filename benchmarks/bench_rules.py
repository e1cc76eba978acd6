"""Scenarios per second for the decision rules, four ways, measured in one run on one core.

    .venv/bin/python benchmarks/bench_rules.py [--samples 1000000] [--json]

(a) the vectorized rules as sweeps use them (csto.engine.fast.outcomes: each distinct scenario
    decided once by csto.engine.evaluate, outcomes spread back), and evaluate on every row;
(b) the engine called once per scenario (evaluate on a batch of one, no trace; and `assess`, the
    fully explained call behind `csto assess`);
(c) the same decision as a Mesa model (benchmarks/mesa_council.py), checked against the engine;
(d) a bare numpy pass over the same input arrays: one reduction per column, the memory floor.
Scenarios are drawn from examples/kazakhstan-2022-sweep.yaml. Ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: no threaded BLAS anywhere

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from mesa_council import CouncilModel

from csto.analysis import load_spec
from csto.analysis.spec import scenarios
from csto.domain import default_organization
from csto.domain.crisis import find_case
from csto.engine import assess, evaluate
from csto.engine.fast import outcomes
from csto.law import compile_regime, legal
from csto.law.batch import INTENSITIES, INVOLVEMENTS

SPEC = Path(__file__).parent.parent / "examples" / "kazakhstan-2022-sweep.yaml"


def timed(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument(
        "--per-scenario", type=int, default=2_000, help="scenarios for the slow paths (b), (c)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # pin to one core

    spec = load_spec(SPEC)
    variables = spec.variables()
    base = find_case(spec.base)
    regime = compile_regime(default_organization())
    u = np.random.default_rng(0).random((args.samples, len(variables)))
    batch = scenarios(variables, base, regime, u)
    columns = list(batch.columns().values())

    vector_s = timed(lambda: outcomes(batch, regime))
    raw_s = timed(lambda: evaluate(batch, regime), repeat=1)
    floor_s = timed(lambda: [np.add.reduce(c, dtype=np.int64) for c in columns])

    k = args.per_scenario
    rows = [batch.take(np.array([i])) for i in range(k)]
    one_s = timed(lambda: [evaluate(r, regime) for r in rows], repeat=1)
    crises = []
    for i in range(min(k, 500)):  # `assess` needs Crisis objects: rebuild the scenario as one
        sit = base.situation.model_copy(
            update={
                "foreign_involvement": INVOLVEMENTS[int(batch.foreign[i])],
                "intensity": INTENSITIES[int(batch.intensity[i])],
                "government_at_risk": bool(batch.government_at_risk[i]),
            }
        )
        crises.append(base.model_copy(update={"situation": sit}))
    assess_s = timed(lambda: [assess(c) for c in crises], repeat=1) * k / len(crises)

    law = legal(batch.take(np.arange(k)), regime)
    models = []
    for i in range(k):
        scenario = {
            name: (int(v[i]) if v.ndim == 1 else [int(x) for x in v[i]])
            for name, v in (
                ("epoch", batch.epoch),
                ("appellant", batch.appellant),
                ("asks", batch.asks),
                ("kind", batch.kind),
                ("foreign", batch.foreign),
                ("intensity", batch.intensity),
                ("government_at_risk", batch.government_at_risk),
                ("opponents", batch.opponents),
            )
        }
        scenario["params"] = {
            n: int(v[i]) for n, v in batch.overrides.items() if n != "provider_committed"
        }
        if "provider_committed" in batch.overrides:
            scenario["provider_committed"] = bool(batch.overrides["provider_committed"][i])
        models.append((scenario, int(law.ceiling[i]), int(law.floor[i])))
    mesa_out: list[int] = []
    mesa_s = timed(
        lambda: mesa_out.__init__([CouncilModel(regime, s, c, f).decide() for s, c, f in models]),
        repeat=1,
    )
    engine_out = outcomes(batch.take(np.arange(k)), regime)
    mismatches = int((np.array(mesa_out) != engine_out).sum())

    n = args.samples
    rates = {
        "vectorized": n / vector_s,
        "vectorized_every_row": n / raw_s,
        "engine_per_scenario": k / one_s,
        "assess_per_scenario": k / assess_s,
        "mesa": k / mesa_s,
        "numpy_floor": n / floor_s,
    }
    result = {
        "samples": n,
        "scenarios_per_s": {name: round(r) for name, r in rates.items()},
        "ratios": {
            "vectorized_vs_mesa": round(rates["vectorized"] / rates["mesa"], 1),
            "vectorized_vs_engine_per_scenario": round(
                rates["vectorized"] / rates["engine_per_scenario"], 1
            ),
            "vectorized_every_row_vs_mesa": round(rates["vectorized_every_row"] / rates["mesa"], 1),
            "floor_vs_vectorized": round(rates["numpy_floor"] / rates["vectorized"], 2),
            "floor_vs_vectorized_every_row": round(
                rates["numpy_floor"] / rates["vectorized_every_row"], 1
            ),
        },
        "mesa_mismatches": mismatches,
        "distinct_scenarios": len(
            np.unique(
                np.column_stack(
                    [
                        batch.foreign,
                        batch.intensity,
                        batch.government_at_risk,
                        *batch.overrides.values(),
                    ]
                ),
                axis=0,
            )
        ),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name, r in result["scenarios_per_s"].items():
        print(f"{name:<22} {r:>14,} scenarios/s")
    for name, r in result["ratios"].items():
        print(f"{name:<36} {r:>8}x")
    print(f"Mesa outcomes differing from the engine: {mismatches} of {k}")


if __name__ == "__main__":
    main()
