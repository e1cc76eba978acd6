"""`csto org` and `csto article`: the organization and its law on a date."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from csto.cli.common import AtOption, JsonOption, app, handles_errors, out, parse_date, print_json
from csto.domain import default_organization
from csto.domain.snapshot import article_on, organization_on


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
