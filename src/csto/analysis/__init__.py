"""Analysis: Monte Carlo sweeps with intervals, Sobol sensitivity, executors (local, process, Dask)."""

from csto.analysis.executors import EXECUTORS, make_executor
from csto.analysis.montecarlo import SweepResult, sweep, wilson
from csto.analysis.report import SweepReport
from csto.analysis.spec import SpecError, SweepSpec, load_spec

__all__ = [
    "EXECUTORS",
    "SpecError",
    "SweepReport",
    "SweepResult",
    "SweepSpec",
    "load_spec",
    "make_executor",
    "sweep",
    "wilson",
]
