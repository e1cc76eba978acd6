"""How `csto --help` reads: the commands in the README's order, and value names instead of types.

    ORDER            the top-level commands as the README introduces them
    Typer            typer.Typer whose commands and groups use the two classes below
    Group, Command   list commands in ORDER; show `--at DATE`, `--db URL`, `CRISIS`, and a flag as
                     just its name, where Typer would print `<str>`, `<bool>` or `{crisis}`

Typer's help prints each parameter's Python type beside it (`<bool>` on a flag, as if it took a
value). These classes replace that column, parameter by parameter, with the parameter's metavar
(given where a command declares the option, else its name in capitals) and nothing for a flag.
tests/test_conventions.py reads every command's help to keep it so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

ORDER = (
    "org",
    "article",
    "assess",
    "decide",
    "replay",
    "reforms",
    "simulate",
    "runs",
    "sweep",
    "sources",
    "schema",
    "db",
    "serve",
    "scenario",
)


def _plain(param: Any) -> Any:
    """The parameter, showing a value name (or nothing, for a flag) where Typer shows a type."""
    if getattr(param, "_csto_plain", False):
        return param
    if param.param_type_name == "argument":
        if param.metavar is None:
            param.metavar = param.name.upper()
        shown = None  # the argument's name column already says it
        name, optional = param.metavar, not param.required
        if hasattr(param, "_usage_display_name"):  # `CRISIS`, `[SOURCE_ID]`, not `{crisis}`
            param._usage_display_name = lambda: f"[{name}]" if optional else name
    elif getattr(param, "is_flag", False) or getattr(param, "count", False):
        shown = None
    else:
        shown = param.metavar or param.name.upper()
    # An attribute on the instance, read before the class's method: only help text changes.
    param.display_type_rich = lambda ctx, shown=shown: shown
    param._csto_plain = True
    return param


class Command(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return [_plain(p) for p in super().get_params(ctx)]


class Group(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return [_plain(p) for p in super().get_params(ctx)]

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: k for k, name in enumerate(ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(ORDER)), names.index(n)))


class Typer(typer.Typer):
    """typer.Typer whose groups and commands print their help as above."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", Group)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)
