"""Charts a person would rather look at than read, for every outcome: a simulated run's timeline and
a sweep's probabilities and sensitivities, as PNG, SVG or a self-contained HTML page.

    page.py      formats, PlotError, check_plot_path, save_figure (the HTML page), matplotlib on use
    timeline.py  timeline_figure(run), save_timeline(run, path)
    sweep.py     sweep_figure(report), save_sweep(report, path), ranked_inputs(indices)

matplotlib is imported only when a chart is drawn.
"""

from csto.plots.page import PLOT_FORMATS, PlotError, check_plot_path, save_figure
from csto.plots.sweep import ranked_inputs, save_sweep, sweep_figure
from csto.plots.timeline import save_timeline, timeline_figure

__all__ = [
    "PLOT_FORMATS",
    "PlotError",
    "check_plot_path",
    "ranked_inputs",
    "save_figure",
    "save_sweep",
    "save_timeline",
    "sweep_figure",
    "timeline_figure",
]
