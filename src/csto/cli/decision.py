"""`csto assess`, `csto replay`, `csto reforms`: the Council's decision on a crisis, and history replayed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.tree import Tree

from csto.cli.common import (
    CrisisArgument,
    JsonOption,
    ReformOption,
    app,
    cite_text,
    escape,
    handles_errors,
    new_table,
    out,
    print_json,
    world,
)


def _step_line(step: dict[str, Any]) -> str:
    cites = "; ".join(cite_text(c) for c in step["citations"])
    param = f" [dim]parameter {step['parameter']}[/]" if step.get("parameter") else ""
    where = f" [cyan]{escape(cites)}[/]" if cites else ""
    return f"{step['effect']} [bold]{step['value']}[/]: {escape(step['reason'])}{where}{param}"


def explain_tree(data: dict[str, Any]) -> Tree:
    from rich.tree import Tree

    crisis = data["crisis"]
    tree = Tree(
        f"[bold]{escape(crisis['title'])}[/] ({crisis['date']}): outcome [bold green]{data['outcome']}[/]"
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
    cite = f" [cyan]{escape(cite_text(proc['citation']))}[/]" if proc["citation"] else ""
    tree.add(f"Council: {proc['rule']}{cite}")
    if data["blocked_by"]:
        blocked = tree.add("Blocked")
        for measure, codes in data["blocked_by"].items():
            blocked.add(f"{measure}: {' '.join(codes)}")
    return tree


@app.command()
@handles_errors
def assess(
    crisis: CrisisArgument,
    as_json: JsonOption = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print the reasoning as a tree.")
    ] = False,
    reform: ReformOption = None,
) -> None:
    """The Council's decision on a crisis: the law, each member's position, who blocks what."""
    from csto.service.assessing import assess_with_baseline
    from csto.service.inputs import crisis_argument

    w = world()
    reforms = tuple(reform or ())
    answer = assess_with_baseline(w, crisis_argument(w, crisis), reforms)
    if as_json:
        print_json(answer)
        return
    result = answer.dump()
    if explain:
        out.print(explain_tree(result))
        return
    out.print(f"[bold]{escape(result['crisis']['title'])}[/] ({result['crisis']['date']})")
    line = (
        f"Outcome: [bold green]{result['outcome']}[/]   legal ceiling: {result['legal']['ceiling']}"
        f"   asked: {result['asked'] or 'no appeal'}"
    )
    if reforms:
        line += f"   reforms: {', '.join(reforms)} (baseline: {result['baseline_outcome']})"
    out.print(line)
    table = new_table("Positions")
    for col in ("member", "accepts up to", "stance", "reasons"):
        table.add_column(col)
    for code, pos in result["positions"].items():
        table.add_row(
            code,
            pos["ceiling"],
            pos["stance"],
            escape("; ".join(s["reason"] for s in pos["reasons"])),
        )
    out.print(table)
    for measure, codes in result["blocked_by"].items():
        out.print(f"{measure} blocked by {' '.join(codes)}")
    out.print(
        f"[dim]law: {escape(', '.join(cite_text(c) for c in result['legal']['citations']))}[/]"
    )


@app.command()
@handles_errors
def replay(
    as_json: JsonOption = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if any case's model outcome misses its record.")
    ] = False,
    reform: ReformOption = None,
    cases: Annotated[
        Path | None,
        typer.Option(
            "--cases", help="A folder of crisis files to replay instead of the shipped cases."
        ),
    ] = None,
) -> None:
    """Replay the historical cases: what history recorded against what the model decides."""
    from csto.engine.replay import replay as replay_cases

    w = world() if cases is None else world().with_cases(cases)
    result = replay_cases(w, reforms=tuple(reform or ()))
    rows = result.cases
    misses = [r for r in rows if r.match is False]
    if as_json:
        print_json(result)
    else:
        table = new_table("Replay of the historical record")
        for col in ("case", "date", "record", "also acceptable", "model", "match"):
            table.add_column(col, no_wrap=col != "also acceptable")
        for r in rows:
            mark = "[green]yes[/]" if r.match else ("[red]NO[/]" if r.match is False else "-")
            record = r.record.label if r.record is not None else "-"
            table.add_row(
                r.case,
                r.date.isoformat(),
                record,
                " ".join(m.label for m in r.acceptable),
                r.model.label,
                mark,
            )
        out.print(table)
        acc = result.accuracy
        out.print(
            f"{acc.acceptable} of {acc.scored} cases match their record or an acceptable "
            f"alternative; {acc.primary} of {acc.scored} give the recorded outcome itself"
        )
    if check and misses:
        raise typer.Exit(1)


@app.command()
def reforms(as_json: JsonOption = False) -> None:
    """The counterfactual regimes that --reform accepts."""
    from csto.law import REFORMS

    if as_json:
        print_json({name: r.doc for name, r in REFORMS.items()})
        return
    for name, r in REFORMS.items():
        out.print(f"[bold]{name}[/]: {r.doc}")
