"""`csto simulate`, `csto runs` and `csto db`: the crisis from appeal to withdrawal, the stored runs,
and the store itself."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from csto.cli.common import (
    CrisisArgument,
    DbOption,
    JsonOption,
    ReformOption,
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
from csto.cli.help import Typer

runs_app = Typer(help="Stored runs.", no_args_is_help=True)
app.add_typer(runs_app, name="runs")
db_app = Typer(help="The run store: upgrade its schema, check it.", no_args_is_help=True)
app.add_typer(db_app, name="db")
SHOWN_PROBLEMS = 5  # `csto db check` lists the first few; SQLite reports up to 100
QUIET_EVENTS = ("arrival", "departure", "returned")  # one per sortie: the chart shows them
SEED_MAX = 2**31 - 1  # the store keeps a seed as a 32-bit integer (PostgreSQL INTEGER)


def _when(value: str | None) -> str:
    return value.replace("T", " ").replace("Z", " UTC") if value else "-"


def print_run(run: dict[str, Any]) -> None:
    from csto.domain.wording import counted

    crisis = run["crisis"]
    out.print(
        f"[bold]{escape(crisis['title'])}[/] ({crisis['date']}): outcome [bold green]{run['outcome']}[/]"
    )
    out.print(f"[dim]run {run['run_id']}, seed {run['seed']}[/]")
    milestones = new_table("Milestones")
    milestones.add_column("milestone")
    milestones.add_column("when")
    for name, when in run["milestones"].items():
        milestones.add_row(name.replace("_", " "), _when(when))
    out.print(milestones)
    forces = run["forces"]
    if forces["personnel"]:
        title = (
            f"{escape(forces['component_name'] or 'National contingents')}: "
            f"{counted(forces['personnel'], 'person', 'personnel')}, "
            f"{counted(forces['vehicles'], 'vehicle')}, {counted(forces['sorties'], 'sortie')}"
        )
        table = new_table(title)
        for col in ("member", "personnel", "vehicles"):
            table.add_column(col)
        for code, personnel in forces["contingents"].items():
            table.add_row(code, f"{personnel:,}", str(forces["vehicles_by_contingent"][code]))
        out.print(table)
    events = new_table("Timeline")
    for col in ("when", "event", "who"):
        events.add_column(col)
    advance_shown = False
    for e in run["events"]:
        kind = e["kind"].replace("_", " ")
        if e["kind"] == "arrival" and not advance_shown:
            kind, advance_shown = "first arrival (advance party)", True  # the milestone
        elif e["kind"] in QUIET_EVENTS:
            continue
        events.add_row(_when(e["time"]), kind, escape(e["actor"]))
    out.print(events)
    hub = run["sitreps"][0]["hub"] if run["sitreps"] else "Crisis Response Center"
    the = "" if hub.lower().startswith("the ") else "the "
    reports = counted(len(run["sitreps"]), "situation report")
    out.print(f"{reports} through {the}{escape(hub)}")


@app.command()
@handles_errors
def simulate(
    crisis: CrisisArgument,
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, max=SEED_MAX, help="Random seed; the same seed gives the same run."
        ),
    ] = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            metavar="FILE",
            help="Write a timeline chart: FILE.png, FILE.svg or FILE.html.",
        ),
    ] = None,
    reform: ReformOption = None,
) -> None:
    """Simulate the crisis from appeal to withdrawal and store the run."""
    from csto.plots import check_plot_path
    from csto.service.inputs import crisis_argument
    from csto.service.running import open_store, simulate_and_save

    if plot is not None:
        check_plot_path(plot)
    w = world()
    given = crisis_argument(w, crisis)
    note_horizon(w, given.crisis.date)
    with open_store(db) as store:  # checked, upgraded and writable before the work starts
        run = simulate_and_save(w, given, store, seed=seed, reforms=tuple(reform or ()))
    if plot is not None:
        from csto.plots import save_timeline

        save_timeline(run.dump(), plot)
    if as_json:
        print_json(run)
    else:
        print_run(run.dump())
    if plot is not None:  # with --json, on stderr: stdout stays one JSON document
        (err if as_json else out).print(
            f"timeline chart written to {plot}", highlight=False, soft_wrap=True
        )


@runs_app.command("list")
@handles_errors
def runs_list(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[
        int,
        typer.Option("--limit", metavar="N", min=1, max=1_000_000, help="At most this many runs."),
    ] = 50,
    status: Annotated[
        str, typer.Option("--status", help="complete (default), running, failed, or all.")
    ] = "complete",
) -> None:
    """Stored runs, newest first."""
    from csto.domain.errors import UsageError
    from csto.service.running import open_store
    from csto.sim import RunStatus
    from csto.store import list_runs

    allowed = [s.value for s in RunStatus] + ["all"]
    if status not in allowed:
        raise UsageError(f"--status {status!r}: allowed: {', '.join(allowed)}")
    wanted = None if status == "all" else RunStatus(status)
    with open_store(db, write=False) as store, store.reading() as session:
        rows = list_runs(session, limit=limit, status=wanted)
    if as_json:
        print_json([r.dump() for r in rows])
        return
    if not rows:
        out.print(f"no {'' if status == 'all' else status + ' '}runs stored in {store.shown}")
        return
    table = new_table("Stored runs")
    for col in ("run id", "status", "crisis", "date", "seed", "reforms", "outcome", "stored"):
        table.add_column(col, no_wrap=col == "run id")
    for r in rows:
        table.add_row(
            r.run_id,
            r.status.value,
            escape(r.crisis),
            r.date.isoformat(),
            str(r.seed),
            " ".join(r.reforms),
            r.outcome.label if r.outcome is not None else "-",
            r.created_at.isoformat(timespec="seconds"),
        )
    out.print(table)


@runs_app.command("show")
@handles_errors
def runs_show(
    run_id: Annotated[str, typer.Argument(help="The run id that `csto simulate` printed.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One stored run, as `csto simulate` printed it."""
    from csto.service.running import open_store
    from csto.store import get_run

    with open_store(db, write=False) as store, store.reading() as session:
        run = get_run(session, run_id)
    if as_json:
        print_json(run)
    else:
        print_run(run.dump())


@db_app.command("upgrade")
@handles_errors
def db_upgrade(
    db: DbOption = None,
    create_folder: Annotated[
        bool,
        typer.Option(
            "--create-folder", help="Create a SQLite file's folder if it does not exist yet."
        ),
    ] = False,
) -> None:
    """Bring the store's schema to this csto's newest revision (safe to run from many processes)."""
    from csto.service.running import store_at

    with store_at(db, create_folder=create_folder) as store:
        before = store.revision()
        store.ready(auto_upgrade=True)
        out.print(f"{store.shown}: schema at {store.revision()} (was {before or 'empty'})")


@db_app.command("check")
@handles_errors
def db_check(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Check the store: the database's integrity and the schema's revision. Exit 1 on a problem."""
    from csto.service.running import store_at

    with store_at(db) as store:
        problems = store.integrity()
        shown = store.shown
    if as_json:
        from csto.store import StoreCheck

        print_json(StoreCheck(store=shown, ok=not problems, problems=tuple(problems)))
    elif problems:
        for p in problems[:SHOWN_PROBLEMS]:
            err.print(f"[red]problem:[/] {escape(p)}", highlight=False, soft_wrap=True)
        if len(problems) > SHOWN_PROBLEMS:
            more = len(problems) - SHOWN_PROBLEMS
            err.print(f"... and {more} more (--json lists them all)", highlight=False)
        schema_only = all(p.startswith(("schema revision", "no csto schema")) for p in problems)
        advice = (
            "`csto db upgrade --db URL` brings the schema to this csto's"
            if schema_only
            else "keep a copy of the file; SQLite's `sqlite3 FILE .recover` salvages what it can"
        )
        count = f"{len(problems)} {'problem' if len(problems) == 1 else 'problems'}"
        err.print(f"{shown}: {count}; {advice}", highlight=False, soft_wrap=True)
    else:
        out.print(f"{shown}: ok")
    if problems:
        raise typer.Exit(1)
