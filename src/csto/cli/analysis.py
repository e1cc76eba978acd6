"""`csto sweep`: Monte Carlo over an uncertainty spec, with intervals, Sobol indices and levers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csto.cli.common import (
    JsonOption,
    app,
    err,
    escape,
    handles_errors,
    new_table,
    out,
    print_json,
    world,
)

EXECUTORS = ("local", "process", "dask")  # csto.analysis.executors.EXECUTORS, without importing it
DEFAULT_BATCH = 250_000  # csto.analysis.montecarlo.DEFAULT_BATCH (a test keeps the two equal)


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
    as_json: JsonOption = False,
) -> None:
    """Probabilities of each outcome with 95% intervals, and what drives them (Sobol indices)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from csto.domain.errors import check_output_path
    from csto.plots import check_plot_path
    from csto.service.sweeping import load_sweep, run_sweep

    w = world()
    parsed, base = load_sweep(w, spec)
    if out_file is not None:
        check_output_path(out_file, (".parquet",), "output")
    if plot is not None:
        check_plot_path(plot)
    total = samples * len(parsed.levers)
    with Progress(
        TextColumn("[bold]sweep"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("scenarios", total=total)
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
            progress=lambda n: bar.advance(task, n),
        )
    data = report.dump()
    if plot is not None:
        from csto.plots import save_sweep

        save_sweep(data, plot)
    if as_json:
        print_json(report)
        return
    out.print(
        f"[bold]{escape(parsed.title or parsed.base)}[/]: {samples:,} scenarios per lever, seed {seed}, executor {executor}"
    )
    table = new_table("Outcome probabilities (95% interval)")
    table.add_column("outcome")
    for name in data["levers"]:
        table.add_column(name)
    for label in data["outcomes"]:
        cells = []
        for lever in data["levers"].values():
            o = lever["outcomes"][label]
            cells.append(f"{o['p']:.4f} [{o['low']:.4f}, {o['high']:.4f}]")
        table.add_row(label, *cells)
    out.print(table)
    russia = new_table("Russia outside the organization (95% interval)")
    russia.add_column("Russia")
    for name in data["levers"]:
        russia.add_column(name)
    for act in ("nothing", "bilateral", "unilateral"):
        cells = []
        for lever in data["levers"].values():
            o = lever["russia"][act]
            cells.append(f"{o['p']:.4f} [{o['low']:.4f}, {o['high']:.4f}]")
        russia.add_row(act, *cells)
    out.print(russia)
    sens = new_table(f"Sobol indices of the outcome ({next(iter(data['levers']))})")
    for col in ("input", "S1", "ST"):
        sens.add_column(col)
    for name, s in sorted(data["sensitivity"]["outcome"].items(), key=lambda kv: -kv[1]["ST"]):
        sens.add_row(
            name, f"{s['S1']:.3f} ± {s['S1_conf']:.3f}", f"{s['ST']:.3f} ± {s['ST_conf']:.3f}"
        )
    out.print(sens)
    if data["failed_batches"]:
        err.print(
            f"[yellow]{len(data['failed_batches'])} batches failed[/]: {data['failed_batches']}"
        )
    if out_file is not None:
        out.print(f"{data['parquet_rows']:,} rows written to {out_file}")
