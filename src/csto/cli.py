"""The `csto` command line (Typer + Rich).

    csto org      --at DATE [--json]        the organization on a date
    csto article  INSTRUMENT N [--at DATE]  the version of an article in force on a date

Every command that reports takes --json. Errors csto raises on purpose are printed as one clear
message (no traceback) and exit with status 2.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from csto.domain import CstoError, default_organization
from csto.domain.snapshot import article_on, organization_on

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


def main() -> None:  # pragma: no cover - the console script calls `app` directly
    app()
