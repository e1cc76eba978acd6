"""Sweeping an uncertainty spec as the CLI and the server do, executor lifecycle included.

load_sweep(world, path)     the spec and its base crisis (from the catalogue or a file)
run_sweep(world, spec, base, samples, ...)   the executor is made, used and closed here;
                             the result is a SweepReport; with `out`, each batch's rows are
                             written to the Parquet file as the batch arrives
failures(report, max_failed) which batches failed and why, grouped by error; `beyond` when more
                             than max_failed of some lever's scenarios were lost (the CLI then
                             exits 1, whatever the table shows)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from csto.analysis import SweepReport, load_spec, make_executor, sweep
from csto.analysis.montecarlo import DEFAULT_BATCH, DEFAULT_MILESTONES
from csto.analysis.spec import SpecError, SweepSpec
from csto.domain.crisis import Crisis, load_crisis
from csto.domain.errors import Problem
from csto.world import World


def load_sweep(world: World, path: Path) -> tuple[SweepSpec, Crisis]:
    spec = load_spec(path, world.cases.ids())
    base = world.cases.get(spec.base) if spec.base in world.cases else load_crisis(Path(spec.base))
    first = date.fromordinal(int(world.regime.epoch_starts[0]))
    for var in spec.variables():
        if var.name == "date" and var.numbers.get("low", var.low) < first.toordinal():
            raise SpecError(
                path,
                [
                    Problem(
                        "date.low",
                        var.dist.model_dump() if var.dist else None,
                        f"allowed: from {first}, when the treaty was signed",
                    )
                ],
            )
    return spec, base


def run_sweep(
    world: World,
    spec: SweepSpec,
    base: Crisis,
    samples: int,
    seed: int = 0,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH,
    out: Path | None = None,
    progress: Callable[[int], None] | None = None,
    milestone_runs: int = DEFAULT_MILESTONES,
    within: tuple[float, ...] = (4.0,),
) -> SweepReport:
    rows = None
    if out is not None:
        from csto.analysis.output import ParquetRows

        rows = ParquetRows(out, spec.variables(), batch_size)
    pool = make_executor(executor, scheduler, workers)
    try:
        result = sweep(
            world,
            spec,
            base,
            samples,
            seed=seed,
            executor=pool,
            batch_size=batch_size,
            keep_rows=rows is not None,
            progress=progress,
            on_rows=rows.write if rows is not None else None,
            milestone_runs=milestone_runs,
            within=within,
        )
    finally:
        pool.close()
    report = result.report()
    if rows is not None:
        report = report.model_copy(update={"parquet_rows": rows.close()})
    return report


MAX_FAILED = 0.01  # a sweep that lost more than 1% of a lever's scenarios has failed


@dataclass(frozen=True)
class Failures:
    batches: int  # failed, every lever
    of: int  # batches in the sweep, every lever
    worst: float  # the largest share of one lever's scenarios lost
    beyond: bool  # worst > the threshold
    text: str


def _ranges(numbers: list[int]) -> str:
    """[0, 1, 2, 5] -> "0-2, 5"."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def failures(report: SweepReport, max_failed: float = MAX_FAILED) -> Failures | None:
    """None when every batch completed."""
    failed = report.failed_batches
    if not failed:
        return None
    lost: dict[str, int] = {}
    by_error: dict[str, dict[str, list[int]]] = {}
    for f in failed:
        lost[f["lever"]] = lost.get(f["lever"], 0) + int(f["size"])
        by_error.setdefault(str(f["error"]), {}).setdefault(f["lever"], []).append(int(f["batch"]))
    worst = max(n / report.samples for n in lost.values())
    per_lever = -(-report.samples // report.batch_size)
    total = per_lever * len(report.levers)
    reasons = "; ".join(
        f"{error} in {', '.join(f'{lever} batch {_ranges(batches)}' for lever, batches in where.items())}"
        for error, where in by_error.items()
    )
    hint = ""
    if any("MemoryError" in e for e in by_error):
        hint = "; a smaller --batch-size needs less memory per task"
    beyond = worst > max_failed
    share = f"{worst:.1%} of a lever's scenarios" + (
        f", more than the {max_failed:.1%} allowed" if beyond else ""
    )
    plural = "batch" if total == 1 else "batches"
    text = f"{len(failed)} of {total} {plural} failed ({share}): {reasons}{hint}"
    return Failures(len(failed), total, worst, beyond, text)
