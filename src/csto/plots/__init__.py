"""Charts a person would rather look at than read, for every outcome: a simulated run's timeline and
a sweep's probabilities and sensitivities, as PNG, SVG or a self-contained HTML page.

    page.py      formats, PlotError, check_plot_path, render_figure (bytes of a .png, .svg or a
                 self-contained .html page), save_figure, matplotlib on use
    timeline.py  timeline_figure(run), render_timeline(run, fmt) -> bytes, save_timeline(run, path)
    sweep.py     sweep_figure(report), render_sweep(report, fmt) -> bytes, save_sweep(report, path),
                 ranked_inputs(indices)

matplotlib is imported only when a chart is drawn.
"""

from csto.plots.page import PLOT_FORMATS, PlotError, check_plot_path, render_figure, save_figure
from csto.plots.sweep import ranked_inputs, render_sweep, save_sweep, sweep_figure
from csto.plots.timeline import render_timeline, save_timeline, timeline_figure

__all__ = [
    "PLOT_FORMATS",
    "PlotError",
    "check_plot_path",
    "ranked_inputs",
    "render_figure",
    "render_sweep",
    "render_timeline",
    "save_figure",
    "save_sweep",
    "save_timeline",
    "sweep_figure",
    "timeline_figure",
]
