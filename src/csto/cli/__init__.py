"""The `csto` command line (Typer + Rich), one module per group of commands.

    csto org      --at DATE [--json]        the organization on a date            (organization.py)
    csto article  INSTRUMENT N [--at DATE]  the version of an article in force    (organization.py)
    csto assess   FILE_OR_CASE_ID           the Council's decision, every step cited (decision.py)
    csto replay   [--check]                 the historical cases and questions: record against model
                                                                                   (decision.py)
    csto decide   FILE_OR_QUESTION_ID       the Council's other questions: adopted or rejected (council.py)
    csto reforms                            the counterfactual regimes             (decision.py)
    csto simulate FILE_OR_CASE_ID           appeal to withdrawal, stored           (runs.py)
    csto runs list | show RUN_ID            stored runs                            (runs.py)
    csto db upgrade | check                 the run store's schema and integrity  (runs.py)
    csto sweep    SPEC --samples N          Monte Carlo, intervals, Sobol indices  (analysis.py)
    csto schema   [NAME] [--write DIR]      the published JSON Schemas            (meta.py)
    csto serve    [--demo] [--workers N]    the crisis exercise's server           (serve.py)
    csto scenario list | check | mel        exercise scenarios                    (serve.py)
    csto --version

Every command that reports takes --json. Errors csto raises on purpose are printed as one clear
message (no traceback) and exit with status 2. Commands import what they use inside themselves.
"""

import gc
import os

# Start-up builds many long-lived objects (modules, classes, schemas) and frees almost none: the
# collector's young-generation passes over them are wasted work, so they run far less often.
gc.set_threshold(50_000, 20, 20)
# csto uses no pydantic plugins; looking for them costs every command a scan of installed packages.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from csto.cli import analysis, council, decision, meta, organization, runs, serve  # noqa: E402
from csto.cli.common import app  # noqa: E402

__all__ = [
    "analysis",
    "app",
    "council",
    "decision",
    "main",
    "meta",
    "organization",
    "runs",
    "serve",
]


def main() -> None:
    """The `csto` console script: run the command, then leave without tearing down every module.

    Freeing numpy's, pydantic's and typer's objects one by one at interpreter exit costs about a
    quarter of a short command's whole time (docs/benchmarks.md). Every command has closed its
    store, its pools and its files by the time it returns, so once the streams are flushed and the
    exit handlers have run, nothing is left to tear down that the operating system does not free.
    An unexpected exception still ends the normal way, with its traceback."""
    import atexit
    import sys

    code: object = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a closed pipe (csto ... | head): nothing to print to
        pass
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is not None:
        run_exit_handlers()
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # a message, as sys.exit("...") would print it
        print(code, file=sys.stderr)
        status = 1
    os._exit(status)
