"""`csto simulate` and `csto runs`: the crisis from appeal to withdrawal, and the stored runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from csto.cli.common import (
    CrisisArgument,
    DbOption,
    JsonOption,
    ReformOption,
    app,
    handles_errors,
    out,
    print_json,
)
from csto.domain.crisis import find_case
from csto.plots import check_plot_path, save_timeline
from csto.settings import Settings
from csto.sim import simulate as simulate_crisis
from csto.store import Store

runs_app = typer.Typer(help="Stored runs.", no_args_is_help=True)
app.add_typer(runs_app, name="runs")
QUIET_EVENTS = ("arrival", "departure", "returned")  # one per sortie: the chart shows them


def _store(db: str | None) -> Store:
    return Store(db or Settings().db)


def print_run(run: dict[str, Any]) -> None:
    crisis = run["crisis"]
    out.print(
        f"[bold]{escape(crisis['title'])}[/] ({crisis['date']}): outcome [bold green]{run['outcome']}[/]"
    )
    out.print(f"[dim]run {run['run_id']}, seed {run['seed']}[/]")
    milestones = Table(title="Milestones", title_justify="left")
    milestones.add_column("milestone")
    milestones.add_column("when")
    for name, when in run["milestones"].items():
        milestones.add_row(name.replace("_", " "), when or "-")
    out.print(milestones)
    forces = run["forces"]
    if forces["personnel"]:
        title = (
            f"{forces['component_name']}: {forces['personnel']:,} personnel, {forces['vehicles']} vehicles, "
            f"{forces['sorties']} sorties"
        )
        table = Table(title=title, title_justify="left")
        for col in ("member", "personnel", "vehicles"):
            table.add_column(col)
        for code, personnel in forces["contingents"].items():
            table.add_row(code, f"{personnel:,}", str(forces["vehicles_by_contingent"][code]))
        out.print(table)
    events = Table(title="Timeline", title_justify="left")
    for col in ("when", "event", "who"):
        events.add_column(col)
    for e in run["events"]:
        if e["kind"] not in QUIET_EVENTS:
            events.add_row(e["time"], e["kind"].replace("_", " "), escape(e["actor"]))
    out.print(events)
    hub = run["sitreps"][0]["hub"] if run["sitreps"] else "the Crisis Response Center"
    out.print(f"{len(run['sitreps'])} situation reports through {hub}")


@app.command()
@handles_errors
def simulate(
    crisis: CrisisArgument,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed; the same seed gives the same run.")
    ] = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write a timeline chart: FILE.png, FILE.svg or FILE.html."),
    ] = None,
    reform: ReformOption = None,
) -> None:
    """Simulate the crisis from appeal to withdrawal and store the run."""
    if plot is not None:
        check_plot_path(plot)
    result = simulate_crisis(find_case(crisis), seed=seed, reforms=tuple(reform or ()))
    run = result.as_dict()
    if plot is not None:
        save_timeline(run, plot)
    with _store(db) as store:
        store.save(result)
    if as_json:
        print_json(run)
        return
    print_run(run)
    if plot is not None:
        out.print(f"timeline chart written to {plot}")


@runs_app.command("list")
@handles_errors
def runs_list(db: DbOption = None, as_json: JsonOption = False, limit: int = 50) -> None:
    """Stored runs, newest first."""
    with _store(db) as store:
        rows = store.list(limit=limit)
    if as_json:
        print_json(rows)
        return
    table = Table(title="Stored runs", title_justify="left")
    for col in ("run id", "crisis", "date", "seed", "reforms", "outcome", "stored"):
        table.add_column(col, no_wrap=col == "run id")
    for r in rows:
        table.add_row(
            r["run_id"],
            escape(r["crisis"]),
            r["date"],
            str(r["seed"]),
            " ".join(r["reforms"]),
            r["outcome"],
            r["created_at"],
        )
    out.print(table)


@runs_app.command("show")
@handles_errors
def runs_show(run_id: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """One stored run, as `csto simulate` printed it."""
    with _store(db) as store:
        run = store.show(run_id)
    if as_json:
        print_json(run)
    else:
        print_run(run)
