"""`csto sweep`: Monte Carlo over an uncertainty spec, with intervals, Sobol indices and levers."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csto.cli.common import (
    JsonOption,
    app,
    err,
    escape,
    handles_errors,
    new_table,
    note_horizon,
    out,
    print_json,
    world,
)

if TYPE_CHECKING:
    from csto.analysis.spec import SweepSpec
    from csto.domain.crisis import Crisis
    from csto.world import World

EXECUTORS = ("local", "process", "dask")  # csto.analysis.executors.EXECUTORS, without importing it
DEFAULT_BATCH = 250_000  # csto.analysis.montecarlo.DEFAULT_BATCH (a test keeps the two equal)
DEFAULT_MILESTONES = 10_000  # csto.analysis.montecarlo.DEFAULT_MILESTONES (the same test)


@app.command()
@handles_errors
def sweep(
    spec: Annotated[Path, typer.Argument(help="An uncertainty spec (YAML); see docs/sweeps.md.")],
    samples: Annotated[
        int, typer.Option("--samples", metavar="N", min=1, help="Scenarios per lever.")
    ] = 100_000,
    seed: Annotated[
        int,
        typer.Option("--seed", min=0, help="The same seed gives the same result on any executor."),
    ] = 0,
    executor: Annotated[
        str,
        typer.Option(
            "--executor", metavar="NAME", help=f"Where batches run: {', '.join(EXECUTORS)}."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Address of a running Dask scheduler (with --executor dask).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", metavar="N", min=1, help="Worker processes (process, dask)."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", metavar="N", min=1, help="Scenarios per task.")
    ] = DEFAULT_BATCH,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE", help="Write every scenario to FILE.parquet."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            metavar="FILE",
            help="Chart of probabilities and sensitivities: .png/.svg/.html.",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Start a sweep estimated to take over 10 minutes or half the memory, unasked.",
        ),
    ] = False,
    estimate_only: Annotated[
        bool,
        typer.Option(
            "--estimate", help="Print the time and memory estimate (a short calibration) and stop."
        ),
    ] = False,
    max_failed: Annotated[
        float,
        typer.Option(
            "--max-failed",
            metavar="SHARE",
            min=0.0,
            max=1.0,
            help="Exit 1 when failed batches lose more than this share of a lever's scenarios.",
        ),
    ] = 0.01,
    milestones: Annotated[
        int,
        typer.Option(
            "--milestones",
            min=0,
            help="Lifecycles drawn per lever from the scenarios decided as a deployment (0: none).",
        ),
    ] = DEFAULT_MILESTONES,
    within: Annotated[
        list[float] | None,
        typer.Option(
            "--within",
            min=0,
            help="Report P(deployment complete within DAYS of the appeal); repeat for several.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Probabilities of each outcome with 95% intervals, and what drives them (Sobol indices)."""
    from csto.domain.errors import check_output_path
    from csto.domain.wording import counted
    from csto.plots import check_plot_path
    from csto.service.sweeping import failures, load_sweep, run_sweep

    w = world()
    parsed, base = load_sweep(w, spec)
    note_horizon(w, base.date)
    if out_file is not None:
        check_output_path(out_file, (".parquet",), "output")
    if plot is not None:
        check_plot_path(plot)
    if _estimate(
        w,
        parsed,
        base,
        samples,
        executor,
        workers,
        batch_size,
        out_file,
        yes,
        estimate_only,
        as_json,
    ):
        return
    with _progress(samples * len(parsed.levers)) as advance:
        report = run_sweep(
            w,
            parsed,
            base,
            samples,
            seed=seed,
            executor=executor,
            scheduler=scheduler,
            workers=workers,
            batch_size=batch_size,
            out=out_file,
            progress=advance,
            milestone_runs=milestones,
            within=tuple(within or (4.0,)),
        )
    data = report.dump()
    failed = failures(report, max_failed)
    if plot is not None:
        from csto.plots import save_sweep

        save_sweep(data, plot)
    if as_json:
        print_json(report)
    else:
        _print_report(data, parsed.title or parsed.base, samples, seed, executor)
    # Where the files went, and what failed: on stderr with --json, so stdout stays one document.
    tell = err if as_json else out
    if plot is not None:
        tell.print(f"chart written to {plot}", highlight=False, soft_wrap=True)
    if out_file is not None and data["parquet_rows"] is not None:
        rows = counted(data["parquet_rows"], "row")
        tell.print(f"{rows} written to {out_file}", highlight=False, soft_wrap=True)
    if failed is not None:
        colour = "red" if failed.beyond else "yellow"
        label = "error: the sweep failed" if failed.beyond else "warning"
        err.print(
            f"[bold {colour}]{label}:[/] {escape(failed.text)}", highlight=False, soft_wrap=True
        )
        if failed.beyond:
            raise typer.Exit(1)


def _estimate(
    w: World,
    spec: SweepSpec,
    base: Crisis,
    samples: int,
    executor: str,
    workers: int | None,
    batch_size: int,
    out_file: Path | None,
    yes: bool,
    estimate_only: bool,
    as_json: bool,
) -> bool:
    """Calibrate a long sweep and say what it will cost; refuse one over the limits unless the user
    says yes (--yes, or at the terminal's prompt). True when the command should stop here."""
    from csto.domain.errors import UsageError
    from csto.service.calibration import estimate_sweep, worth_estimating

    if not (estimate_only or worth_estimating(spec, samples)):
        return False
    estimate = estimate_sweep(
        w, spec, base, samples, executor, workers, batch_size, keep_rows=out_file is not None
    )
    if estimate_only:
        if as_json:
            print_json(estimate)
        else:
            out.print(estimate.describe(), highlight=False)
        return True
    if estimate.worth_showing:
        err.print(f"estimate: {estimate.describe()}", highlight=False, soft_wrap=True)
    if estimate.needs_confirmation and not yes:
        if sys.stdin.isatty() and err.is_terminal:
            if not typer.confirm("Start the sweep?", default=False, err=True):
                raise typer.Exit(1)
        else:
            raise UsageError(
                f"{estimate.describe()}: pass --yes to start it anyway, or lower --samples"
            )
    return False


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A bar with the scenarios done, the time spent and the time left (on a terminal only)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("[bold]sweep"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("elapsed"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=err.resolve(),
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("scenarios", total=total)
        yield lambda n: bar.advance(task, n)


def _share(o: dict[str, Any]) -> str:
    """A probability with its interval; '-' where no scenario completed (p is null)."""
    if o["p"] is None:
        return "-"
    return f"{o['p']:.4f} [{o['low']:.4f}, {o['high']:.4f}]"


def _print_report(data: dict[str, Any], title: str, samples: int, seed: int, executor: str) -> None:
    from csto.domain.wording import counted
    from csto.plots import ranked_inputs

    out.print(
        f"[bold]{escape(title)}[/]: {counted(samples, 'scenario')} per lever, seed {seed}, "
        f"executor {executor}"
    )
    table = new_table("Outcome probabilities (95% interval)")
    table.add_column("outcome")
    for name in data["levers"]:
        table.add_column(name)
    for label in data["outcomes"]:
        table.add_row(
            label, *(_share(lever["outcomes"][label]) for lever in data["levers"].values())
        )
    out.print(table)
    russia = new_table("Russia outside the organization (95% interval)")
    russia.add_column("Russia")
    for name in data["levers"]:
        russia.add_column(name)
    for act in ("nothing", "bilateral", "unilateral"):
        russia.add_row(act, *(_share(lever["russia"][act]) for lever in data["levers"].values()))
    out.print(russia)
    first = next(iter(data["levers"]))
    sens = new_table(f"Sobol indices of the outcome ({first})")
    for col in ("input", "S1", "ST"):
        sens.add_column(col)
    for name, s in ranked_inputs(data["sensitivity"].get("outcome", {})):
        sens.add_row(
            name, f"{s['S1']:.3f} ± {s['S1_conf']:.3f}", f"{s['ST']:.3f} ± {s['ST_conf']:.3f}"
        )
    out.print(sens)
    _print_milestones(data)


def _print_milestones(data: dict[str, Any]) -> None:
    lever_milestones = {k: v["milestones"] for k, v in data["levers"].items() if v["milestones"]}
    if not lever_milestones:
        return
    ms = new_table("Milestones of the deployments, days from the appeal (p10 / p50 / p90)")
    ms.add_column("milestone")
    for name in lever_milestones:
        ms.add_column(name)
    first = next(iter(lever_milestones.values()))
    for m in first["days"]:
        cells = []
        for found in lever_milestones.values():
            d = found["days"][m]
            cells.append(
                "-" if d["p50"] is None else f"{d['p10']:.1f} / {d['p50']:.1f} / {d['p90']:.1f}"
            )
        ms.add_row(m, *cells)
    for key in first["within"]:
        cells = []
        for found in lever_milestones.values():
            w = found["within"][key]
            cells.append(f"{w['p']:.3f} [{w['low']:.3f}, {w['high']:.3f}]")
        ms.add_row(f"P({key} | deployment)", *cells)
    out.print(ms)
