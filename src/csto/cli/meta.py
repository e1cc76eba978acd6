"""`csto --version` and `csto schema`: what this csto is, and the JSON Schemas it publishes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csto.cli.common import app, handles_errors, out


def _version(value: bool) -> None:
    if not value:
        return
    from csto import RULES_VERSION, __version__
    from csto.domain import DATA_DIR
    from csto.domain.loader import data_files, data_hash

    digest = data_hash(data_files(DATA_DIR), DATA_DIR)
    out.print(f"csto {__version__} (rules {RULES_VERSION}), data {digest[:12]}")
    raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print csto's, the rules' and the data's version.",
        ),
    ] = False,
) -> None:
    """An executable model of the Collective Security Treaty Organization."""


@app.command()
@handles_errors
def schema(
    name: Annotated[
        str | None,
        typer.Argument(help="One schema (assessment, run, sweep, crisis, ...); none: list them."),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            metavar="FOLDER",
            help="Write every schema as NAME.schema.json into this folder.",
        ),
    ] = None,
) -> None:
    """The JSON Schemas of every --json answer and of the input files."""
    from csto.service import schemas

    if write is not None:
        for path in schemas.write_schemas(write):
            out.print(f"wrote {path}")
        return
    if name is None:
        for known in schemas.names():
            out.print(known)
        return
    import sys

    sys.stdout.write(schemas.render(name))
