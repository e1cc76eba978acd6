"""`csto decide`: the Council's decision on one of its other questions (admission, return,
suspension, observer and partner status, stationing of a non-member's forces, the Secretary General).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.tree import Tree

from csto.cli.common import (
    JsonOption,
    ReformOption,
    app,
    cite_text,
    duty_line,
    escape,
    handles_errors,
    out,
    print_json,
    print_table,
    world,
)

QuestionArgument = Annotated[
    str, typer.Argument(help="A question file (YAML, format 1) or the id of a shipped question.")
]


def _cites(citations: list[dict[str, Any]]) -> str:
    return "; ".join(cite_text(c) for c in citations)


def _reason_line(r: dict[str, Any]) -> str:
    extra = f" [dim]parameter {r['parameter']}[/]" if r.get("parameter") else ""
    sources = f" [dim]({escape(', '.join(r['sources']))})[/]" if r.get("sources") else ""
    return f"{r['effect']}: {escape(r['reason'])}{extra}{sources}"


def decision_tree(data: dict[str, Any]) -> Tree:
    from rich.tree import Tree

    q = data["question"]
    tree = Tree(
        f"[bold]{escape(q['title'])}[/] ({q['date']}, {data['kind']}): "
        f"[bold green]{data['outcome']}[/]"
    )
    proc = data["procedure"]
    node = tree.add(
        f"Procedure: {proc['body_name']}, {proc['rule']}"
        + (f" [cyan]{escape(_cites(proc['citations']))}[/]" if proc["citations"] else "")
    )
    node.add(escape(proc["note"]))
    law = tree.add("Legal conditions")
    for c in data["legal"]["conditions"]:
        mark = "[green]met[/]" if c["met"] else "[red]not met[/]"
        binding = "" if c["binding"] else " [dim](does not bind)[/]"
        cites = f" [cyan]{escape(_cites(c['citations']))}[/]" if c["citations"] else ""
        law.add(f"{c['name']}: {mark}{binding}: {escape(c['text'])}{cites}")
    positions = tree.add("Positions")
    for code, pos in data["positions"].items():
        member = positions.add(f"{code}: [bold]{pos['stance']}[/]")
        for r in pos["reasons"]:
            member.add(_reason_line(r))
    if data["blocked_by"]:
        tree.add(f"Blocked by: {' '.join(data['blocked_by'])}")
    if data["barred_by"]:
        tree.add(f"Barred by the law: {', '.join(data['barred_by'])}")
    if data["duties"]:
        duties = tree.add("Duties")
        for d in data["duties"]:
            duties.add(duty_line(d))
    return tree


@app.command()
@handles_errors
def decide(
    question: QuestionArgument,
    as_json: JsonOption = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print the reasoning as a tree.")
    ] = False,
    reform: ReformOption = None,
) -> None:
    """The Council's decision on a question: adopted or rejected, the law, each member's answer."""
    from csto.service.deciding import decide_with_baseline
    from csto.service.inputs import question_argument

    w = world()
    reforms = tuple(reform or ())
    answer = decide_with_baseline(w, question_argument(w, question), reforms)
    if as_json:
        print_json(answer)
        return
    data = answer.dump()
    if explain:
        out.print(decision_tree(data))
        return
    q = data["question"]
    out.print(f"[bold]{escape(q['title'])}[/] ({q['date']}, {data['kind']})")
    proc = data["procedure"]
    line = f"Outcome: [bold green]{data['outcome']}[/]   {proc['body_name']}, {proc['rule']}"
    if reforms:
        line += f"   reforms: {', '.join(reforms)} (baseline: {data['baseline_outcome']})"
    out.print(line)
    print_table(
        "Legal conditions",
        ("condition", "met", "why"),
        [
            (c["name"], "yes" if c["met"] else "NO", escape(c["text"]))
            for c in data["legal"]["conditions"]
        ],
    )
    print_table(
        "Positions",
        ("member", "stance", "reasons"),
        [
            (code, pos["stance"], escape("; ".join(r["reason"] for r in pos["reasons"])))
            for code, pos in data["positions"].items()
        ],
    )
    if data["blocked_by"]:
        out.print(f"blocked by {' '.join(data['blocked_by'])}")
    for d in data["duties"]:
        out.print(duty_line(d))
    if proc["citations"]:
        out.print(f"[dim]governed by: {escape(_cites(proc['citations']))}[/]")
