"""The `csto` command line (Typer + Rich), one module per group of commands.

    csto org      --at DATE [--json]        the organization on a date            (organization.py)
    csto article  INSTRUMENT N [--at DATE]  the version of an article in force    (organization.py)
    csto assess   FILE_OR_CASE_ID           the Council's decision, every step cited (decision.py)
    csto replay   [--check]                 the historical cases: record against model (decision.py)
    csto reforms                            the counterfactual regimes             (decision.py)
    csto simulate FILE_OR_CASE_ID           appeal to withdrawal, stored           (runs.py)
    csto runs list | show RUN_ID            stored runs                            (runs.py)
    csto sweep    SPEC --samples N          Monte Carlo, intervals, Sobol indices  (analysis.py)

Every command that reports takes --json. Errors csto raises on purpose are printed as one clear
message (no traceback) and exit with status 2.
"""

from csto.cli import analysis, decision, organization, runs
from csto.cli.common import app

__all__ = ["analysis", "app", "decision", "organization", "runs"]
