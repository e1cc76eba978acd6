"""How long a sweep will take and how much memory it will hold, from a short calibration run.

    SweepEstimate                 seconds, peak bytes, and what they were measured on
      .describe()                 "about 3 days and 1.2 GiB (calibrated on 20,000 scenarios)"
      .needs_confirmation         above CONFIRM_SECONDS or CONFIRM_MEMORY of this machine's memory
    estimate_sweep(world, spec, base, samples, ...)
                                  time CALIBRATION scenarios per lever in this process, measuring
                                  their memory with tracemalloc (numpy reports its arrays to it),
                                  and scale to the sweep asked for
    worth_estimating(spec, samples)   whether a sweep is big enough for a calibration to matter

The estimate scales linearly: scenarios per second on one core, divided among the workers a process
or Dask executor will use; memory is one batch's working set per worker, the rows for --out
included (each batch's rows are written to the Parquet file as the batch arrives, so they do not
add up). The interpreter and the World
(some tens of MiB) come on top. It is an estimate ("about"): a cluster or a busy machine differs.
"""

from __future__ import annotations

import os
import time
import tracemalloc

from pydantic import Field

from csto.analysis import sweep
from csto.analysis.executors import LocalExecutor
from csto.analysis.montecarlo import DEFAULT_BATCH
from csto.analysis.sensitivity import base_size, sobol_indices
from csto.analysis.spec import SweepSpec
from csto.domain.contract import Contract
from csto.domain.crisis import Crisis
from csto.domain.wording import counted
from csto.world import World

CALIBRATION = DEFAULT_BATCH  # at most this many scenarios per lever are timed (a tenth of a second)
ESTIMATE_ABOVE = 2_000_000  # scenarios in all (every lever): below this a sweep takes seconds
SHOW_SECONDS = 10.0  # an estimate this long or longer is printed before the sweep starts
CONFIRM_SECONDS = 600.0  # longer than this needs --yes (or a yes at the terminal's prompt)
CONFIRM_MEMORY = 0.5  # more than this share of the machine's memory needs --yes too
SOBOL_TRIAL = 1 << 10  # the Sobol base sample timed, then scaled to the sweep's (at most 2**14)


def machine_memory() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # not a POSIX system
        return None


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds < 3 * 365 * 86400:
        return f"{seconds / 86400:.1f} days"
    return f"{seconds / (365 * 86400):,.0f} years"


def _size(n: float) -> str:
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n / 1024:,.0f} KiB"


class SweepEstimate(Contract):
    """`csto sweep --estimate --json`: what a sweep would cost, before it runs."""

    seconds: float = Field(description="estimated wall-clock time")
    peak_bytes: int = Field(description="estimated memory held at once, all workers")
    calibrated_on: int = Field(description="scenarios per lever timed to make the estimate")
    scenarios: int = Field(description="scenarios in the sweep, every lever")
    workers: int
    machine_memory: int | None = Field(description="this machine's memory, bytes")

    def describe(self) -> str:
        parallel = f" on {counted(self.workers, 'worker')}" if self.workers > 1 else ""
        return (
            f"{counted(self.scenarios, 'scenario')} will take about {_duration(self.seconds)}"
            f"{parallel} and hold about {_size(self.peak_bytes)} of memory "
            f"(calibrated on {counted(self.calibrated_on, 'scenario')} per lever)"
        )

    @property
    def too_much_memory(self) -> bool:
        return (
            self.machine_memory is not None
            and self.peak_bytes > CONFIRM_MEMORY * self.machine_memory
        )

    @property
    def needs_confirmation(self) -> bool:
        return self.seconds > CONFIRM_SECONDS or self.too_much_memory

    @property
    def worth_showing(self) -> bool:
        return self.seconds >= SHOW_SECONDS or self.needs_confirmation


def worth_estimating(spec: SweepSpec, samples: int) -> bool:
    return samples * len(spec.levers) > ESTIMATE_ABOVE


def _workers(executor: str, workers: int | None) -> int:
    if executor == "local":
        return 1
    return workers or os.cpu_count() or 1


def _timed(world: World, spec: SweepSpec, base: Crisis, n: int, keep_rows: bool) -> float:
    """Seconds for one batch of n scenarios per lever (its rows handed on, as --out does)."""
    local = LocalExecutor()
    started = time.perf_counter()
    sweep(
        world,
        spec,
        base,
        n,
        executor=local,
        batch_size=n,
        keep_rows=keep_rows,
        sobol=False,
        on_rows=(lambda _batch: None) if keep_rows else None,
    )
    return time.perf_counter() - started


def estimate_sweep(
    world: World,
    spec: SweepSpec,
    base: Crisis,
    samples: int,
    executor: str = "local",
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH,
    keep_rows: bool = False,
) -> SweepEstimate:
    """One batch per lever, as large as the sweep's (at most CALIBRATION), timed and measured;
    one small Sobol design timed and scaled to the sweep's."""
    levers, inputs = len(spec.levers), len(spec.variables())
    n = min(samples, batch_size, CALIBRATION)
    _timed(world, spec, base, min(n, 100), False)  # rules compiled, caches warm
    tracemalloc.start()
    try:
        elapsed = _timed(world, spec, base, n, keep_rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    per_scenario = elapsed / (n * levers)
    regime = world.regime_for(next(iter(spec.levers.values())))
    trial_base = min(SOBOL_TRIAL, base_size(samples, inputs))
    started = time.perf_counter()
    sobol_indices(spec.variables(), base, regime, trial_base * (inputs + 2), 0)
    sobol = (time.perf_counter() - started) * base_size(samples, inputs) / trial_base * levers
    parallel = _workers(executor, workers)
    seconds = per_scenario * samples * levers / parallel + sobol
    working = peak / n * min(batch_size, samples)
    return SweepEstimate(
        seconds=seconds,
        peak_bytes=int(working * parallel),
        calibrated_on=n,
        scenarios=samples * levers,
        workers=parallel,
        machine_memory=machine_memory(),
    )


__all__ = ["SweepEstimate", "estimate_sweep", "worth_estimating"]
