"""The `csto` command line (Typer + Rich).

    csto org      --at DATE [--json]        the organization on a date
    csto article  INSTRUMENT N [--at DATE]  the version of an article in force on a date
    csto assess   FILE_OR_CASE_ID           the Council's decision on a crisis, every step cited
    csto replay   [--check]                 the historical cases: record against model
    csto reforms                            the counterfactual regimes --reform accepts
    csto simulate FILE_OR_CASE_ID           the crisis from appeal to withdrawal, stored in the run store
    csto runs list | show RUN_ID            stored runs

Every command that reports takes --json. Errors csto raises on purpose are printed as one clear
message (no traceback) and exit with status 2.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from csto.domain import CstoError, default_organization
from csto.domain.crisis import find_case
from csto.domain.snapshot import article_on, organization_on
from csto.engine import assess as assess_crisis
from csto.engine.replay import replay as replay_cases
from csto.law import REFORMS
from csto.plots import save_timeline
from csto.settings import Settings
from csto.sim import simulate as simulate_crisis
from csto.store import Store

app = typer.Typer(
    name="csto",
    help="An executable model of the Collective Security Treaty Organization.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn csto's own errors into one message on stderr and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except CstoError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper


def parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2022-01-05", param_hint="--at"
        ) from None


AtOption = Annotated[
    str | None, typer.Option("--at", help="The date, YYYY-MM-DD (default: today).")
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")
]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


@app.command()
@handles_errors
def org(at: AtOption = None, as_json: JsonOption = False) -> None:
    """The organization on a date: members, bodies, Secretary General, forces, instruments."""
    on = parse_date(at)
    snap = organization_on(default_organization(), on)
    if as_json:
        print_json(snap)
        return
    out.print(f"[bold]The Collective Security Treaty Organization on {snap['date']}[/]")
    members = Table(title="Member states", title_justify="left")
    for col in ("code", "name", "status", "since"):
        members.add_column(col)
    for row in snap["members"]:
        style = "yellow" if row["status"] != "member" else ""
        members.add_row(row["code"], row["name"], row["status"], row["since"] or "", style=style)
    out.print(members)
    if snap["former"]:
        former = Table(title="Former or suspended", title_justify="left")
        for col in ("code", "name", "status", "since"):
            former.add_column(col)
        for row in snap["former"]:
            former.add_row(row["code"], row["name"], row["status"], row["since"] or "")
        out.print(former)
    sg = snap["secretary_general"]
    sg_text = (
        "none"
        if sg is None
        else f"{sg['name']} ({sg['state']}){' (acting)' if sg['acting'] else ''}"
    )
    out.print(f"Secretary General: [bold]{sg_text}[/]")
    if snap["bodies"]:
        bodies = Table(title="Bodies", title_justify="left")
        for col in ("id", "name", "who sits", "decides by"):
            bodies.add_column(col)
        for b in snap["bodies"]:
            bodies.add_row(b["id"], b["name"], b["who_sits"], b["decides_by"])
        out.print(bodies)
    if snap["forces"]:
        forces = Table(title="Collective forces", title_justify="left")
        for col in ("id", "name", "members", "personnel", "as of"):
            forces.add_column(col)
        for f in snap["forces"]:
            personnel = f"{f['personnel']:,}" if f["personnel"] else "-"
            forces.add_row(
                f["id"], f["name"], " ".join(f["members"]), personnel, f["figure_as_of"] or ""
            )
        out.print(forces)
    inst = Table(title="Instruments", title_justify="left")
    for col in ("id", "title", "signed", "status"):
        inst.add_column(col)
    for i in snap["instruments"]:
        inst.add_row(i["id"], i["title"], i["signed"], i["status"])
    out.print(inst)


@app.command()
@handles_errors
def article(
    instrument: Annotated[str, typer.Argument(help="Instrument id, e.g. CST or CHARTER.")],
    number: Annotated[str, typer.Argument(help="Article number, e.g. 4.")],
    at: AtOption = None,
    as_json: JsonOption = False,
) -> None:
    """The version of an article in force on a date, with its valid-from date and source."""
    on = parse_date(at)
    data = article_on(default_organization(), instrument, number, on)
    if as_json:
        print_json(data)
        return
    state = "in force" if data["in_force"] else "signed, not yet in force"
    out.print(
        f"[bold]{data['instrument_title']}, Art. {data['article']}[/] — {data['heading']}\n"
        f"version {data['version']}, valid from {data['valid_from']} ({state} on {data['date']})"
        + (" [yellow]uncertain[/]" if data["uncertain"] else "")
    )
    out.print(data["text"])
    out.print(f"[dim]source: {data['source']}[/]")


ReformOption = Annotated[
    list[str] | None,
    typer.Option("--reform", help="A counterfactual regime (repeatable); see `csto reforms`."),
]


def _step_line(step: dict[str, Any]) -> str:
    cites = "; ".join(
        f"{c['instrument']} {'Art. ' + c['article'] if c['article'] != '*' else ''} ({c['label']}, from {c['version']})".replace(
            "  ", " "
        )
        for c in step["citations"]
    )
    param = f" [dim]parameter {step['parameter']}[/]" if step.get("parameter") else ""
    where = f" [cyan]{cites}[/]" if cites else ""
    return f"{step['effect']} [bold]{step['value']}[/]: {step['reason']}{where}{param}"


def _explain_tree(data: dict[str, Any]) -> Tree:
    tree = Tree(
        f"[bold]{data['crisis']['title']}[/] ({data['crisis']['date']}): outcome [bold green]{data['outcome']}[/]"
    )
    law = tree.add(
        f"Law: ceiling [bold]{data['legal']['ceiling']}[/], owed at least {data['legal']['floor']}"
    )
    for step in data["legal"]["steps"]:
        law.add(_step_line(step))
    tree.add(f"Asked: {data['asked'] or 'no appeal'}")
    positions = tree.add("Positions")
    for code, pos in data["positions"].items():
        node = positions.add(f"{code}: [bold]{pos['ceiling']}[/] ({pos['stance']})")
        for step in pos["reasons"]:
            node.add(_step_line(step))
    proc = data["procedure"]
    cite = proc["citation"]
    cite_text = (
        f" [cyan]{cite['instrument']} Art. {cite['article']} ({cite['label']}, from {cite['version']})[/]"
        if cite
        else ""
    )
    tree.add(f"Council: {proc['rule']}{cite_text}")
    if data["blocked_by"]:
        blocked = tree.add("Blocked")
        for measure, codes in data["blocked_by"].items():
            blocked.add(f"{measure}: {' '.join(codes)}")
    return tree


@app.command()
@handles_errors
def assess(
    crisis: Annotated[
        str, typer.Argument(help="A crisis file (YAML, format 1) or the id of a shipped case.")
    ],
    as_json: JsonOption = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print the reasoning as a tree.")
    ] = False,
    reform: ReformOption = None,
) -> None:
    """The Council's decision on a crisis: the law, each member's position, who blocks what."""
    found = find_case(crisis)
    reforms = tuple(reform or ())
    result = assess_crisis(found, reforms).as_dict()
    if reforms:
        result["baseline_outcome"] = assess_crisis(found).outcome.label
    if as_json:
        print_json(result)
        return
    if explain:
        out.print(_explain_tree(result))
        return
    out.print(f"[bold]{result['crisis']['title']}[/] ({result['crisis']['date']})")
    line = f"Outcome: [bold green]{result['outcome']}[/]   legal ceiling: {result['legal']['ceiling']}   asked: {result['asked'] or 'no appeal'}"
    if reforms:
        line += f"   reforms: {', '.join(reforms)} (baseline: {result['baseline_outcome']})"
    out.print(line)
    table = Table(title="Positions", title_justify="left")
    for col in ("member", "accepts up to", "stance", "reasons"):
        table.add_column(col)
    for code, pos in result["positions"].items():
        reasons = "; ".join(s["reason"] for s in pos["reasons"])
        table.add_row(code, pos["ceiling"], pos["stance"], reasons)
    out.print(table)
    for measure, codes in result["blocked_by"].items():
        out.print(f"{measure} blocked by {' '.join(codes)}")
    cites = ", ".join(
        f"{c['instrument']} Art. {c['article']} ({c['label']})"
        for c in result["legal"]["citations"]
    )
    out.print(f"[dim]law: {cites}[/]")


@app.command()
@handles_errors
def replay(
    as_json: JsonOption = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if any case's model outcome misses its record.")
    ] = False,
    reform: ReformOption = None,
) -> None:
    """Replay the historical cases: what history recorded against what the model decides."""
    rows = replay_cases(reforms=tuple(reform or ()))
    misses = [r for r in rows if r.match is False]
    if as_json:
        print_json(
            {
                "cases": [r.as_dict() for r in rows],
                "matched": len(rows) - len(misses),
                "total": len(rows),
            }
        )
    else:
        table = Table(title="Replay of the historical record", title_justify="left")
        for col in ("case", "date", "record", "also acceptable", "model", "match"):
            table.add_column(col, no_wrap=col != "also acceptable")
        for r in rows:
            mark = "[green]yes[/]" if r.match else ("[red]NO[/]" if r.match is False else "-")
            table.add_row(
                r.case,
                r.date,
                r.record.label if r.record is not None else "-",
                " ".join(m.label for m in r.acceptable),
                r.model.label,
                mark,
            )
        out.print(table)
        out.print(f"{len(rows) - len(misses)} of {len(rows)} cases match their record")
    if check and misses:
        raise typer.Exit(1)


@app.command()
def reforms(as_json: JsonOption = False) -> None:
    """The counterfactual regimes that --reform accepts."""
    if as_json:
        print_json({name: r.doc for name, r in REFORMS.items()})
        return
    for name, r in REFORMS.items():
        out.print(f"[bold]{name}[/]: {r.doc}")


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL of the run store (default: $CSTO_DB, else SQLite in your data folder).",
    ),
]
runs_app = typer.Typer(help="Stored runs.", no_args_is_help=True)
app.add_typer(runs_app, name="runs")


def _store(db: str | None) -> Store:
    return Store(db or Settings().db)


def _print_run(run: dict[str, Any]) -> None:
    out.print(
        f"[bold]{run['crisis']['title']}[/] ({run['crisis']['date']}): outcome [bold green]{run['outcome']}[/]"
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
        table = Table(
            title=f"{forces['component_name']}: {forces['personnel']:,} personnel, {forces['vehicles']} vehicles, {forces['sorties']} sorties",
            title_justify="left",
        )
        for col in ("member", "personnel", "vehicles"):
            table.add_column(col)
        for code, personnel in forces["contingents"].items():
            table.add_row(code, f"{personnel:,}", str(forces["vehicles_by_contingent"][code]))
        out.print(table)
    events = Table(title="Timeline", title_justify="left")
    for col in ("when", "event", "who"):
        events.add_column(col)
    for e in run["events"]:
        if e["kind"] in ("arrival", "departure", "returned"):
            continue
        events.add_row(e["time"], e["kind"].replace("_", " "), e["actor"])
    out.print(events)
    out.print(
        f"{len(run['sitreps'])} situation reports through {run['sitreps'][0]['hub'] if run['sitreps'] else 'the Crisis Response Center'}"
    )


@app.command()
@handles_errors
def simulate(
    crisis: Annotated[
        str, typer.Argument(help="A crisis file (YAML, format 1) or the id of a shipped case.")
    ],
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
    result = simulate_crisis(find_case(crisis), seed=seed, reforms=tuple(reform or ()))
    run = result.as_dict()
    if plot is not None:
        save_timeline(run, plot)
    with _store(db) as store:
        store.save(result)
    if as_json:
        print_json(run)
    else:
        _print_run(run)
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
            r["crisis"],
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
        _print_run(run)


def main() -> None:  # pragma: no cover - the console script calls `app` directly
    app()
