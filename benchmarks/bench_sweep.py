"""Sweeps at scale: flat memory with --out, Dask's scaling from one worker to two, 10^9 samples.

    .venv/bin/python benchmarks/bench_sweep.py memory  [--samples 100000000]
    .venv/bin/python benchmarks/bench_sweep.py scaling [--samples 20000000]
    .venv/bin/python benchmarks/bench_sweep.py billion [--samples 1000000000]

memory   `csto sweep` on the example spec with --out (local executor): wall time, rows written and
         the peak memory of the process (sampled every 50 ms with psutil, and the kernel's max RSS).
scaling  the same sweep on a Dask LocalCluster of 1 worker and of 2 (both started and warmed
         before the clock), in alternating rounds; median throughput of each, the speed-up, the
         efficiency (speed-up / 2), and whether the reports are identical (they must be: batch i
         always draws the same numbers).
billion  `csto sweep --executor dask --workers 2` on the example spec with 10^9 samples per lever:
         wall time, throughput, and the peak memory of the whole process tree (client, scheduler,
         nanny and worker processes), summed and per process.
Each prints JSON; docs/benchmarks.md records the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).parent.parent
SPEC = ROOT / "examples" / "kazakhstan-2022-sweep.yaml"
CSTO = str(Path(sys.executable).parent / "csto")


def watched(command: list[str]) -> dict[str, Any]:
    """Run a command; sample the RSS of its process tree every 50 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak_sum = peak_one = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_sum, peak_one
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                sizes = []
                for p in tree:
                    with contextlib.suppress(psutil.Error):  # a process may have just ended
                        sizes.append(p.memory_info().rss)
                peak_sum = max(peak_sum, sum(sizes))
                peak_one = max(peak_one, max(sizes, default=0))
            except psutil.Error:
                pass
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, _ = proc.communicate()
    done.set()
    thread.join()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with {proc.returncode}")
    return {
        "seconds": round(seconds, 1),
        "peak_tree_mib": round(peak_sum / 2**20, 1),
        "peak_process_mib": round(peak_one / 2**20, 1),
        "max_rss_children_mib": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "report": json.loads(out),
    }


def memory(samples: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "sweep.parquet"
        found = watched(
            [CSTO, "sweep", str(SPEC), "--samples", str(samples), "--out", str(out), "--json"]
        )
        found["parquet_mib"] = round(out.stat().st_size / 2**20, 1)
    report = found.pop("report")
    found["rows_written"] = report["parquet_rows"]
    found["samples_per_lever"] = samples
    found["levers"] = len(report["levers"])
    return found


def scaling(samples: int, batch: int, rounds: int = 3) -> dict[str, Any]:
    from csto.analysis import make_executor, sweep
    from csto.domain import DATA_DIR
    from csto.service.sweeping import load_sweep
    from csto.world import World

    world = World.load(DATA_DIR)
    spec, base = load_sweep(world, SPEC)
    pools = {workers: make_executor("dask", workers=workers) for workers in (1, 2)}
    times: dict[int, list[float]] = {1: [], 2: []}
    reports = {}
    try:
        for pool in pools.values():  # warm the workers: the kernel's cache loaded, the World sent
            sweep(world, spec, base, 4 * batch, batch_size=batch, executor=pool)
        for _ in range(rounds):  # alternate, so that a noisy moment hits both sides alike
            for workers, pool in pools.items():
                start = time.perf_counter()
                result = sweep(
                    world,
                    spec,
                    base,
                    samples,
                    batch_size=batch,
                    executor=pool,
                    milestone_runs=10_000,
                )
                times[workers].append(time.perf_counter() - start)
                report = result.report().dump()
                reports[workers] = {k: v for k, v in report.items() if k not in ("seconds",)}
    finally:
        for pool in pools.values():
            pool.close()
    runs = {
        w: {
            "seconds": round(statistics.median(t), 2),
            "rounds": [round(x, 2) for x in t],
            "scenarios_per_s": round(samples * len(spec.levers) / statistics.median(t)),
        }
        for w, t in times.items()
    }
    speedup = runs[1]["seconds"] / runs[2]["seconds"]
    return {
        "samples_per_lever": samples,
        "batch_size": batch,
        "one_worker": runs[1],
        "two_workers": runs[2],
        "speedup": round(speedup, 2),
        "efficiency": round(speedup / 2, 3),
        "identical_results": reports[1] == reports[2],
    }


def billion(samples: int, batch: int) -> dict[str, Any]:
    found = watched(
        [
            CSTO,
            "sweep",
            str(SPEC),
            "--samples",
            str(samples),
            "--executor",
            "dask",
            "--workers",
            "2",
            "--batch-size",
            str(batch),
            "--json",
        ]
    )
    report = found.pop("report")
    found["samples_per_lever"] = samples
    found["levers"] = len(report["levers"])
    found["completed"] = report["completed"]
    found["failed_batches"] = len(report["failed_batches"])
    found["scenarios_per_s"] = round(samples * len(report["levers"]) / report["seconds"])
    found["p_deployment"] = report["p_deployment"]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=("memory", "scaling", "billion"))
    parser.add_argument("--samples", type=int)
    parser.add_argument("--batch-size", type=int, default=1_000_000)
    args = parser.parse_args()
    header = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {round(psutil.virtual_memory().total / 2**30)} GiB, Python {platform.python_version()}",
    }
    if args.what == "memory":
        result = memory(args.samples or 100_000_000)
    elif args.what == "scaling":
        result = scaling(args.samples or 20_000_000, args.batch_size)
    else:
        result = billion(args.samples or 1_000_000_000, args.batch_size)
    print(json.dumps({**header, args.what: result}, indent=2))


if __name__ == "__main__":
    main()
