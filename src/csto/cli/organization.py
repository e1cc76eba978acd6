"""`csto org` and `csto article`: the organization and its law on a date."""

from __future__ import annotations

from typing import Annotated

import typer

from csto.cli.common import (
    AtOption,
    JsonOption,
    app,
    escape,
    handles_errors,
    note_horizon,
    out,
    parse_date,
    print_json,
    print_table,
    world,
)


@app.command()
@handles_errors
def org(at: AtOption = None, as_json: JsonOption = False) -> None:
    """The organization on a date: members, bodies, the chair, the Secretary General and the next
    by rotation, forces, instruments, membership benefits."""
    from csto.domain.snapshot import organization_on

    on = parse_date(at)
    w = world()
    answer = organization_on(w.org, on)
    note_horizon(w, on)
    if as_json:
        print_json(answer)
        return
    snap = answer.dump()
    out.print(f"[bold]The Collective Security Treaty Organization on {snap['date']}[/]")
    state_columns = ("code", "name", "status", "since")
    print_table(
        "Member states",
        state_columns,
        [(r["code"], r["name"], r["status"], r["since"] or "") for r in snap["members"]],
        styles=["yellow" if r["status"] != "member" else "" for r in snap["members"]],
    )
    former = [(r["code"], r["name"], r["status"], r["since"] or "") for r in snap["former"]]
    print_table("Former or suspended", state_columns, former)
    sg = snap["secretary_general"]
    sg_text = (
        "none"
        if sg is None
        else f"{sg['name']} ({sg['state']})" + (" (acting)" if sg["acting"] else "")
    )
    out.print(f"Secretary General: [bold]{sg_text}[/]")
    nxt = snap["next_secretary_general"]
    if nxt is not None:
        out.print(f"Next Secretary General by rotation: [bold]{nxt['state']}[/], due {nxt['due']}")
    chair = snap["chair"]
    if chair is not None:
        flag = " (uncertain)" if chair["uncertain"] else ""
        out.print(
            f"Chair of the Collective Security Council: [bold]{chair['name']}[/] "
            f"({chair['start']} to {chair['end']}){flag}"
        )
    print_table(
        "Bodies",
        ("id", "name", "who sits", "decides by"),
        [(b["id"], b["name"], b["who_sits"], b["decides_by"]) for b in snap["bodies"]],
    )
    print_table(
        "Collective forces",
        ("id", "name", "members", "personnel", "as of"),
        [
            (
                f["id"],
                f["name"],
                " ".join(f["members"]),
                f"{f['personnel']:,}" if f["personnel"] else "-",
                f["figure_as_of"] or "",
            )
            for f in snap["forces"]
        ],
    )
    print_table(
        "Membership benefits",
        ("benefit", "since", "who gets it", "former members outside it"),
        [
            (b["name"], b["since"], " ".join(b["entitled"]), " ".join(b["outside"]))
            for b in snap["benefits"]
        ],
    )
    print_table(
        "Instruments",
        ("id", "title", "signed", "status"),
        [(i["id"], i["title"], i["signed"], i["status"]) for i in snap["instruments"]],
    )


@app.command()
@handles_errors
def article(
    instrument: Annotated[str, typer.Argument(help="Instrument id, e.g. CST or CHARTER.")],
    number: Annotated[str, typer.Argument(help="Article number, e.g. 4.")],
    at: AtOption = None,
    as_json: JsonOption = False,
) -> None:
    """The version of an article in force on a date, with its valid-from date and source."""
    from csto.domain.snapshot import article_on

    on = parse_date(at)
    w = world()
    answer = article_on(w.org, instrument, number, on)
    note_horizon(w, on)
    if as_json:
        print_json(answer)
        return
    data = answer.dump()
    state = "in force" if data["in_force"] else "signed, not yet in force"
    out.print(
        f"[bold]{data['instrument_title']}, Art. {data['article']}[/] — {data['heading']}\n"
        f"version {data['version']}, valid from {data['valid_from']} ({state} on {data['date']})"
        + (" [yellow]uncertain[/]" if data["uncertain"] else "")
    )
    out.print(data["text"])
    out.print(f"[dim]source: {data['source']}[/]")


@app.command()
@handles_errors
def sources(
    source_id: Annotated[
        str | None,
        typer.Argument(help="One source, by the id the data cites (a seed file name or a URL)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The sources register: every source the data cites, with title, author, publisher, date, URL."""
    from csto.domain.errors import NotFound

    org = world().org
    entries = list(org.sources)
    if source_id is not None:
        entry = org.source(source_id)
        if entry is None:
            raise NotFound("source in the register", source_id)
        entries = [entry]
    if as_json:
        print_json([e.model_dump(mode="json") for e in entries])
        return
    print_table(
        f"Sources register ({len(entries)} {'entry' if len(entries) == 1 else 'entries'})",
        ("id", "citation"),
        [(escape(e.id), escape(e.citation())) for e in entries],
    )
