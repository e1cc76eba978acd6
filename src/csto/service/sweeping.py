"""Sweeping an uncertainty spec as the CLI and the server do, executor lifecycle included.

load_sweep(world, path)     the spec and its base crisis (from the catalogue or a file)
run_sweep(world, spec, base, samples, ...)   the executor is made, used and closed here;
                             the result is a SweepReport, with the Parquet rows if asked
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from csto.analysis import SweepReport, load_spec, make_executor, sweep
from csto.analysis.montecarlo import DEFAULT_BATCH
from csto.analysis.spec import SweepSpec
from csto.domain.crisis import Crisis, load_crisis
from csto.world import World


def load_sweep(world: World, path: Path) -> tuple[SweepSpec, Crisis]:
    spec = load_spec(path, world.cases.ids())
    base = world.cases.get(spec.base) if spec.base in world.cases else load_crisis(Path(spec.base))
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
) -> SweepReport:
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
            keep_rows=out is not None,
            progress=progress,
        )
    finally:
        pool.close()
    report = result.report()
    if out is not None:
        from csto.analysis.output import write_parquet

        report = report.model_copy(update={"parquet_rows": write_parquet(result, out)})
    return report
