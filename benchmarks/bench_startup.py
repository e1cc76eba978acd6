"""Start-up of whole `csto` processes against `python -c "import numpy"`, in the same run.

Runs each command and the numpy baseline in alternation (paired), N rounds, and reports the median
wall time and peak memory (max RSS) of each, and each median's ratio to the baseline's. The goal
(docs/benchmarks.md): `csto --help` and `csto assess kazakhstan-2022 --json` at most 3x the baseline.

    python benchmarks/bench_startup.py [--rounds N] [--json]

The first run of `csto assess` writes the World's cache (csto.world.cached_world); it is run once
before timing, as any user's second command would find it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CSTO = shutil.which("csto", path=str(BIN)) or "csto"
COMMANDS = {
    "baseline: python -c 'import numpy'": [sys.executable, "-c", "import numpy"],
    "csto --help": [CSTO, "--help"],
    "csto assess kazakhstan-2022 --json": [CSTO, "assess", "kazakhstan-2022", "--json"],
    "csto org --at 2016-06-01 --json": [CSTO, "org", "--at", "2016-06-01", "--json"],
}


def run_once(argv: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: its own stdout to /dev/null, then the command
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execv(argv[0], argv)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed")
    return elapsed, usage.ru_maxrss  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    subprocess.run(COMMANDS["csto assess kazakhstan-2022 --json"], capture_output=True, check=True)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    memory: dict[str, list[int]] = {name: [] for name in COMMANDS}
    for _ in range(args.rounds):
        for name, argv in COMMANDS.items():  # paired: every round runs each command once
            elapsed, rss = run_once(argv)
            times[name].append(elapsed)
            memory[name].append(rss)
    baseline = statistics.median(next(iter(times.values())))
    rows = {
        name: {
            "median_s": round(statistics.median(values), 4),
            "ratio": round(statistics.median(values) / baseline, 2),
            "max_rss_mib": round(statistics.median(memory[name]) / 1024, 1),
        }
        for name, values in times.items()
    }
    if args.json:
        print(
            json.dumps(
                {"rounds": args.rounds, "python": sys.version.split()[0], "results": rows}, indent=2
            )
        )
        return
    print(f"{args.rounds} paired rounds, Python {sys.version.split()[0]}")
    for name, row in rows.items():
        print(
            f"  {name:40s} {row['median_s']:.3f} s  {row['ratio']:5.2f}x  {row['max_rss_mib']:6.1f} MiB"
        )


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
