"""`csto serve` and `csto scenario`: the crisis exercise's server, and its scenario files.

    csto serve [--host 127.0.0.1] [--port 8000] [--db URL] [--workers N] [--demo]
    csto scenario list | check FILE_OR_ID [--json] | mel FILE_OR_ID [--out FILE.csv]

The server's packages (FastAPI, uvicorn) are imported inside `serve` only. The parent process
brings the store's schema to HEAD once, before any worker starts; workers only check it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from csto.cli.common import (
    DbOption,
    JsonOption,
    app,
    escape,
    handles_errors,
    out,
    print_json,
    world,
)
from csto.cli.help import Typer

scenario_app = Typer(help="Exercise scenarios for `csto serve`.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")
ScenarioArgument = Annotated[
    str, typer.Argument(help="A scenario file (YAML, format 1) or the id of a shipped scenario.")
]


def demo_db() -> str:
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("csto", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'csto-demo.db'}"


@app.command()
@handles_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    db: DbOption = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Worker processes (PostgreSQL only).")
    ] = 1,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Start with the Kazakhstan demo exercise and print its links."),
    ] = False,
    tick: Annotated[
        float, typer.Option("--tick", min=0.05, max=60, help="Seconds between the loop's rounds.")
    ] = 0.5,
) -> None:
    """Serve crisis exercises: people play the member states, the engine keeps the treaty."""
    import uvicorn

    from csto.domain.errors import UsageError
    from csto.service.running import store_at

    if demo and db is None:
        db = demo_db()
    store = store_at(db)
    try:
        if workers > 1 and store.sqlite:
            raise UsageError(
                "--workers needs PostgreSQL (--db postgresql://user@host/db): a SQLite store serves one process"
            )
        current = store.revision()
        store.upgrade()  # once, here, before any worker starts (workers only check the revision)
        store.check_writable()
        url = store.url
        if current != store.revision():
            out.print(f"store {escape(store.shown)}: schema brought to {store.revision()}")
        if demo:
            from csto.exercise import Exercises
            from csto.exercise.scenario import demo_scenario

            exercises = Exercises(world(), store)
            scenario = demo_scenario(world())
            created = exercises.create(scenario)
            base = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
            print(f"Demo exercise {created.exercise_id}: {scenario.title}")
            for seat, token in created.tokens.items():
                label = "director (white cell)" if seat == "DIRECTOR" else seat
                print(f"  {label:<22} {base}/join/{token}")
            print(
                "Each link opens its seat once. The clock starts paused: the director resumes it."
            )
    finally:
        store.close()
    os.environ["CSTO_SERVE_DB"] = url
    os.environ["CSTO_SERVE_TICK"] = str(tick)
    uvicorn.run(
        "csto.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        timeout_graceful_shutdown=3,
    )


@scenario_app.command("list")
@handles_errors
def scenario_list(as_json: JsonOption = False) -> None:
    """The shipped scenarios."""
    from csto.exercise.scenario import ScenarioSummary, scenario_argument, shipped_scenarios

    found = [ScenarioSummary.of(scenario_argument(world(), s)) for s in shipped_scenarios()]
    if as_json:
        print_json([s.dump() for s in found])
        return
    for s in found:
        out.print(
            f"[bold]{s.id}[/]: {escape(s.title)} ({s.injects} injects, seats {', '.join(s.seats)})"
        )


@scenario_app.command("check")
@handles_errors
def scenario_check(scenario: ScenarioArgument, as_json: JsonOption = False) -> None:
    """Validate a scenario: its crisis, its master events list, its seats and objectives."""
    from csto.exercise.scenario import ScenarioSummary, scenario_argument

    summary = ScenarioSummary.of(scenario_argument(world(), scenario))
    if as_json:
        print_json(summary)
        return
    out.print(
        f"[green]ok[/]: {escape(summary.title)}: crisis {summary.crisis}, start {summary.start.isoformat()}, "
        f"{summary.injects} injects, {summary.objectives} objectives, seats {', '.join(summary.seats)}"
    )


@scenario_app.command("mel")
@handles_errors
def scenario_mel(
    scenario: ScenarioArgument,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the CSV here (default: standard output).")
    ] = None,
) -> None:
    """The master events list as CSV, for a spreadsheet; a scenario reads one back with
    `mel_csv: FILE.csv`."""
    from csto.domain.errors import check_output_path
    from csto.exercise.mel import write_mel
    from csto.exercise.scenario import scenario_argument

    if out_file is not None:
        check_output_path(out_file, (".csv",), "master events list")
    text = write_mel(scenario_argument(world(), scenario).mel)
    if out_file is None:
        print(text, end="")
    else:
        out_file.write_text(text, encoding="utf-8")
        out.print(f"wrote {out_file}")
