"""`csto assess`, `csto replay`, `csto reforms`: the Council's decision on a crisis, and history replayed."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from csto.cli.common import (
    CrisisArgument,
    JsonOption,
    ReformOption,
    app,
    cite_text,
    handles_errors,
    out,
    print_json,
)
from csto.domain.crisis import case_file_hash, find_case
from csto.engine import assess as assess_crisis
from csto.engine.replay import replay as replay_cases
from csto.law import REFORMS


def _step_line(step: dict[str, Any]) -> str:
    cites = "; ".join(cite_text(c) for c in step["citations"])
    param = f" [dim]parameter {step['parameter']}[/]" if step.get("parameter") else ""
    where = f" [cyan]{escape(cites)}[/]" if cites else ""
    return f"{step['effect']} [bold]{step['value']}[/]: {escape(step['reason'])}{where}{param}"


def explain_tree(data: dict[str, Any]) -> Tree:
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
    found = find_case(crisis)
    reforms = tuple(reform or ())
    result = assess_crisis(found, reforms, file_hash=case_file_hash(crisis)).as_dict()
    if reforms:
        result["baseline_outcome"] = assess_crisis(found).outcome.label
    if as_json:
        print_json(result)
        return
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
    table = Table(title="Positions", title_justify="left")
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
            record = r.record.label if r.record is not None else "-"
            table.add_row(
                r.case, r.date, record, " ".join(m.label for m in r.acceptable), r.model.label, mark
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
