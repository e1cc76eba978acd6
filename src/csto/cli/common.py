"""What every command shares: the app, consoles, error handling, options, JSON and citation text.

Commands import the engine, the store and the analysis inside their functions, so that `csto --help`
and each command load only what they use (docs/benchmarks.md: start-up).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from csto.cli.help import Typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from csto.domain.contract import Contract
    from csto.world import World

app = Typer(
    name="csto",
    help="An executable model of the Collective Security Treaty Organization.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


class _LazyConsole:
    """A Rich console made on first use: a command that prints JSON never imports Rich."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def resolve(self) -> Console:
        """The Console itself, for what needs the real object (a Progress bar enters it with
        `with`, which a proxy's __getattr__ cannot serve)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.resolve(), name)


out: Any = _LazyConsole()
err: Any = _LazyConsole(stderr=True)


def escape(text: str) -> str:
    """Text shown as is in Rich output: markup in it (from a crisis title, say) is not obeyed, and
    control characters (terminal escape codes) are shown as \\x1b-style text, not sent."""
    from rich.markup import escape as rich_escape

    from csto.domain.wording import for_terminal

    return rich_escape(for_terminal(text))


def new_table(title: str) -> Table:
    from rich.table import Table

    return Table(title=title, title_justify="left")


# Optional dependencies (pyproject.toml extras) by the module a command would import.
OPTIONAL = {
    "matplotlib": "plots",
    "SALib": "analysis",
    "scipy": "analysis",
    "pandas": "analysis",
    "pyarrow": "analysis",
    "distributed": "distributed",
    "dask": "distributed",
    "fastapi": "server",
    "uvicorn": "server",
    "jinja2": "server",
}

P = ParamSpec("P")
R = TypeVar("R")


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn csto's own errors into one message on stderr (and, with --json, the typed error on
    stdout), exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from csto.domain.errors import CstoError, error_report

        try:
            return fn(*args, **kwargs)
        except ModuleNotFoundError as exc:
            extra = OPTIONAL.get((exc.name or "").split(".")[0])
            if extra is None:
                raise
            err.print(
                f"[bold red]error:[/] this command needs the optional '{extra}' part of csto "
                f"({exc.name} is not installed): pip install 'csto[{extra}]'",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(2) from None
        except CstoError as exc:
            err.print("[bold red]error:[/] " + escape(str(exc)), highlight=False, soft_wrap=True)
            if kwargs.get("as_json"):
                print_json(error_report(exc))
            raise typer.Exit(2) from None

    return wrapper


def world() -> World:
    from csto.world import default_world

    return default_world()


def parse_date(value: str | None, option: str = "--at") -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        from csto.domain.wording import why_not_a_date

        raise typer.BadParameter(why_not_a_date(value), param_hint=option) from None


def note_horizon(w: World, on: date) -> None:
    """A warning on stderr when `on` lies after the data's last dated fact (stdout stays clean
    for --json)."""
    from csto.domain.wording import past_horizon

    warning = past_horizon(on, w.org.horizon)
    if warning is not None:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)


def print_json(data: Contract | Any) -> None:
    if hasattr(data, "model_dump_json"):
        sys.stdout.write(data.model_dump_json(indent=2) + "\n")
        return
    import json

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
    table = new_table(title)
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


def duty_line(d: dict[str, Any]) -> str:
    """One duty a decision sets off: who owes what to whom, and on what basis."""
    basis = "; ".join([cite_text(c) for c in d["basis"]] + list(d["also"]))
    flag = " [yellow]uncertain[/]" if d.get("uncertain") else ""
    return (
        f"{escape(d['owed_by'])} → {escape(d['owed_to'])}: {escape(d['text'])} "
        f"[cyan]{escape(basis)}[/]{flag}"
    )


AtOption = Annotated[
    str | None, typer.Option("--at", metavar="DATE", help="The date, YYYY-MM-DD (default: today).")
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON for scripts instead of tables.")
]
ReformOption = Annotated[
    list[str] | None,
    typer.Option(
        "--reform", metavar="NAME", help="A counterfactual regime (repeatable); see `csto reforms`."
    ),
]
CrisisArgument = Annotated[
    str, typer.Argument(help="A crisis file (YAML, format 1) or the id of a shipped case.")
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="SQLAlchemy URL of the run store (default: $CSTO_DB, else SQLite in your data folder).",
    ),
]
