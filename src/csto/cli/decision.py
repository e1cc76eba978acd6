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
    duty_line,
    escape,
    handles_errors,
    new_table,
    note_horizon,
    out,
    print_json,
    world,
)


def _add_line(node: Any, line: dict[str, Any], notes: dict[str, int]) -> None:
    """One line of the argument; its sources become numbered notes listed once, at the end."""
    cites = "; ".join(line["cites"])
    where = f" [cyan]{escape(cites)}[/]" if cites else ""
    refs = "".join(f"[{notes.setdefault(src, len(notes) + 1)}]" for src in line["sources"])
    leaf = node.add(f"{escape(line['text'])}{where}" + (f" [dim]{escape(refs)}[/]" if refs else ""))
    for record in line["records"]:
        leaf.add(f"[dim]{escape(record)}[/]")


def explain_tree(data: dict[str, Any]) -> Tree:
    """The explanation (engine/explain.py) as a Rich tree, in its own order, with its sources as
    numbered notes at the end."""
    from rich.tree import Tree

    notes: dict[str, int] = {}
    sources = notes
    crisis, ex = data["crisis"], data["explanation"]
    tree = Tree(
        f"[bold]{escape(crisis['title'])}[/] ({crisis['date']}): outcome [bold green]{data['outcome']}[/]"
    )
    tree.add(escape(ex["summary"]))
    law = tree.add(f"The law: up to [bold]{data['legal']['ceiling']}[/]")
    for line in ex["law"]:
        _add_line(law, line, sources)
    tree.add(f"The appeal: {escape(ex['asked'])}")
    members = tree.add("The members")
    for group in ex["members"]:
        status = f", {escape(group['status'])}" if group["status"] else ""
        stance = "stands aside" if group["stance"] == "abstains" else group["stance"]
        label = f"{' '.join(group['members'])}: [bold]{group['ceiling']}[/] ({stance}{status})"
        if group["stance"] == "abstains":
            label = f"{' '.join(group['members'])}: stand aside, no vote{status}"
        node = members.add(label)
        for line in group["lines"]:
            _add_line(node, line, sources)
    council = tree.add("The Council")
    _add_line(council, ex["procedure"], sources)
    for blocked in ex["blocked"]:
        council.add(escape(blocked))
    russia = tree.add("Russia outside the organization")
    _add_line(russia, ex["russia"], sources)
    if data.get("duties"):
        duties = tree.add("Duties the decision sets off")
        for duty in data["duties"]:
            duties.add(duty_line(duty))
    if notes:
        listed = tree.add("Sources")
        for source, number in notes.items():
            listed.add(f"[dim]{escape(f'[{number}]')}[/] {escape(source)}")
    return tree


@app.command()
@handles_errors
def assess(
    crisis: CrisisArgument,
    as_json: JsonOption = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help="Print the reasoning as a tree, with its dated data and sources."
        ),
    ] = False,
    reform: ReformOption = None,
) -> None:
    """The Council's decision on a crisis: the law, each member's position, who blocks what."""
    from csto.service.assessing import assess_with_baseline
    from csto.service.inputs import crisis_argument

    w = world()
    reforms = tuple(reform or ())
    given = crisis_argument(w, crisis)
    note_horizon(w, given.crisis.date)
    answer = assess_with_baseline(w, given, reforms)
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
    ex = result["explanation"]
    out.print(escape(ex["summary"]))
    table = new_table("Positions")
    for col in ("members", "accept up to", "stance", "why"):
        table.add_column(col)
    for group in ex["members"]:
        stance = group["stance"] + (f" ({group['status']})" if group["status"] else "")
        table.add_row(
            " ".join(group["members"]),
            "-" if group["stance"] == "abstains" else group["ceiling"],
            escape(stance),
            escape("; ".join(line["text"] for line in group["lines"])),
        )
    out.print(table)
    for blocked in ex["blocked"]:
        out.print(escape(blocked))
    out.print(f"Russia outside the organization: [bold]{escape(ex['russia']['text'])}[/]")
    for duty in result["duties"]:
        out.print("duty: " + duty_line(duty))
    out.print(
        f"[dim]law: {escape(', '.join(cite_text(c) for c in result['legal']['citations']))}[/]"
    )


@app.command()
@handles_errors
def replay(
    as_json: JsonOption = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Exit 1 if any case's or question's model outcome misses its record."
        ),
    ] = False,
    reform: ReformOption = None,
    neutral_politics: Annotated[
        bool,
        typer.Option(
            "--neutral-politics",
            help="Switch every political factor off (the reform neutral-politics): what the law alone decides.",
        ),
    ] = False,
    cases: Annotated[
        Path | None,
        typer.Option(
            "--cases", help="A folder of crisis files to replay instead of the shipped cases."
        ),
    ] = None,
    questions: Annotated[
        Path | None,
        typer.Option(
            "--questions",
            help="A folder of question files to replay instead of the shipped questions.",
        ),
    ] = None,
) -> None:
    """Replay the historical cases and questions: what history recorded against the model."""
    from csto.engine.replay import replay as replay_cases

    w = world() if cases is None else world().with_cases(cases)
    w = w if questions is None else w.with_questions(questions)
    chosen = (*(reform or ()), *(("neutral-politics",) if neutral_politics else ()))
    result = replay_cases(w, reforms=chosen)
    rows = result.cases
    misses = [r.case for r in rows if r.match is False]
    if result.questions is not None:
        misses += [r.question for r in result.questions.questions if r.match is False]
    if as_json:
        print_json(result)
    else:
        title = "Replay of the historical record" + (
            f" (reforms: {', '.join(result.reforms)})" if result.reforms else ""
        )
        table = new_table(title)
        for col in (
            "case",
            "date",
            "record",
            "also acceptable",
            "model",
            "match",
            "Russia: record",
            "model",
        ):
            table.add_column(col, no_wrap=col not in ("also acceptable",))
        for r in rows:
            mark = "[green]yes[/]" if r.primary else ("[yellow]ok[/]" if r.match else "[red]NO[/]")
            if r.match is None:
                mark = "-"
            record = r.record.label if r.record is not None else "-"
            own = r.russia_record.value if r.russia_record is not None else "-"
            own_model = r.russia_model.value
            if r.russia_record is not None and r.russia_record != r.russia_model:
                own_model = f"[yellow]{own_model}[/]"
            table.add_row(
                r.case,
                r.date.isoformat(),
                record,
                " ".join(m.label for m in r.acceptable),
                r.model.label,
                mark,
                own,
                own_model,
            )
        out.print(table)
        acc = result.accuracy
        confusion = new_table("Confusion: recorded outcome (rows) against the model's (columns)")
        labels = ["none", "statement", "consultations", "assistance", "mission", "deployment"]
        confusion.add_column("record")
        for label in labels:
            confusion.add_column(label, justify="right")
        for label in labels:
            if label in result.confusion:
                row = result.confusion[label]
                confusion.add_row(label, *(str(row[m]) if row[m] else "." for m in labels))
        out.print(confusion)
        out.print(
            f"primary record: {acc.primary} of {acc.scored} cases "
            f"({_percent(acc.primary_rate)}); record or an acceptable alternative: "
            f"{acc.acceptable} of {acc.scored} ({_percent(acc.acceptable_rate)})"
        )
        out.print(
            f"{acc.acceptable} of {acc.scored} cases match their record or an acceptable alternative; "
            f"Russia's own course: {acc.russia_matched} of {acc.russia_scored} "
            f"({_percent(acc.russia_rate)})"
        )
        if result.questions is not None:
            _print_questions(result.questions)
    if check and misses:
        raise typer.Exit(1)


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


def _print_questions(section: Any) -> None:
    table = new_table("Replay of the Council's other questions")
    for col in ("question", "date", "record", "model", "match", "blocked by: record / model"):
        table.add_column(col, no_wrap=not col.startswith("blocked"))
    for r in section.questions:
        mark = "[green]yes[/]" if r.match else ("[red]NO[/]" if r.match is False else "-")
        blockers = ""
        if r.recorded_blocked_by or r.blocked_by:
            blockers = f"{' '.join(r.recorded_blocked_by) or '-'} / {' '.join(r.blocked_by) or '-'}"
        table.add_row(r.question, r.date.isoformat(), r.record or "-", r.model, mark, blockers)
    out.print(table)
    acc = section.accuracy
    out.print(
        f"questions, primary record: {acc.primary} of {acc.scored} "
        f"({_percent(acc.primary_rate)}); the recorded blockers match in "
        f"{acc.blockers_matched} of {acc.blockers_scored}"
    )


@app.command()
def reforms(as_json: JsonOption = False) -> None:
    """The counterfactual regimes that --reform accepts."""
    from csto.law import REFORMS

    if as_json:
        print_json({name: r.doc for name, r in REFORMS.items()})
        return
    for name, r in REFORMS.items():
        out.print(f"[bold]{name}[/]: {r.doc}")
