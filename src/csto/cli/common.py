"""What every command shares: the app, consoles, error handling, options, JSON and citation text."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from csto.domain import CstoError

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
            err.print("[bold red]error:[/] " + escape(str(exc)), highlight=False, soft_wrap=True)
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


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: Sequence[str] | None = None,
) -> None:
    """A titled Rich table; nothing at all when there are no rows."""
    if not rows:
        return
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for k, row in enumerate(rows):
        table.add_row(*row, style=styles[k] if styles else None)
    out.print(table)


def cite_text(c: dict[str, Any]) -> str:
    """'CST Art. 4 (2010, from 2012-12-19)', flagged where the text was signed but not yet in force."""
    article = "" if c["article"] == "*" else f" Art. {c['article']}"
    state = "" if c.get("in_force", True) else ", signed, not yet in force"
    return f"{c['instrument']}{article} ({c['label']}, from {c['version']}{state})"


AtOption = Annotated[
    str | None, typer.Option("--at", help="The date, YYYY-MM-DD (default: today).")
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")
]
ReformOption = Annotated[
    list[str] | None,
    typer.Option("--reform", help="A counterfactual regime (repeatable); see `csto reforms`."),
]
CrisisArgument = Annotated[
    str, typer.Argument(help="A crisis file (YAML, format 1) or the id of a shipped case.")
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL of the run store (default: $CSTO_DB, else SQLite in your data folder).",
    ),
]
