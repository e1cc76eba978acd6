"""The chart of a sweep, ordered and labelled as `csto sweep` prints its tables.

    ranked_inputs(indices)    the inputs by total Sobol index, largest first (ties by name): the
                              order of the table and of the chart
    sweep_figure(report)      outcome probabilities per lever with 95% intervals, Russia's own
                              course likewise, and the first lever's Sobol indices, each panel
                              titled as its table
    save_sweep(report, path)  .png, .svg, or .html with the three tables below the chart

A probability no scenario produced (every batch failed: p is null) is drawn as nothing and said so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from csto.domain.wording import counted
from csto.plots.page import (
    chart_text,
    check_plot_path,
    html_table,
    pyplot,
    render_figure,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ACTS = ("nothing", "bilateral", "unilateral")


def ranked_inputs(indices: dict[str, dict[str, float]]) -> list[tuple[str, dict[str, float]]]:
    return sorted(indices.items(), key=lambda kv: (-kv[1]["ST"], kv[0]))


def _shares(
    ax: Axes, levers: dict[str, Any], key: str, labels: list[str], title: str, legend: bool
) -> None:
    """Grouped bars: one group per label, one bar per lever, in the table's order."""
    width = 0.8 / max(1, len(levers))
    missing = False
    for k, (name, lever) in enumerate(levers.items()):
        shares = [lever[key][label] for label in labels]
        ps = [s["p"] if s["p"] is not None else 0.0 for s in shares]
        missing = missing or any(s["p"] is None for s in shares)
        low = [p - s["low"] if s["p"] is not None else 0.0 for p, s in zip(ps, shares, strict=True)]
        high = [
            s["high"] - p if s["p"] is not None else 0.0 for p, s in zip(ps, shares, strict=True)
        ]
        xs = [i + (k - (len(levers) - 1) / 2) * width for i in range(len(labels))]
        ax.bar(xs, ps, width, yerr=[low, high], capsize=3, label=chart_text(name))
    ax.set_xticks(range(len(labels)), labels, rotation=20)
    ax.set_ylabel("probability")
    ax.set_ylim(0, 1)
    ax.set_title(title, fontsize=10)
    if legend:  # once: the panels share the levers' colours
        ax.legend(fontsize=8, title="lever")
    if missing:
        ax.text(0.5, 0.5, "no scenario completed", transform=ax.transAxes, ha="center")


def sweep_figure(report: dict[str, Any]) -> Figure:
    plt = pyplot()
    levers = report["levers"]
    first = next(iter(levers))
    fig = plt.figure(figsize=(12, 8.5))
    grid = fig.add_gridspec(2, 2, width_ratios=[3, 2], height_ratios=[1, 1])
    _shares(
        fig.add_subplot(grid[0, 0]),
        levers,
        "outcomes",
        list(report["outcomes"]),
        "Outcome probabilities (95% interval)",
        legend=True,
    )
    _shares(
        fig.add_subplot(grid[0, 1]),
        levers,
        "russia",
        list(ACTS),
        "Russia outside the organization (95% interval)",
        legend=False,
    )
    ax_s = fig.add_subplot(grid[1, :])
    ranked = ranked_inputs(report["sensitivity"].get("outcome", {}))
    ys = list(range(len(ranked)))
    for offset, key, label in ((-0.2, "S1", "S1 (first order)"), (0.2, "ST", "ST (total)")):
        ax_s.barh(
            [y + offset for y in ys],
            [s[key] for _, s in ranked],
            0.4,
            xerr=[s[f"{key}_conf"] for _, s in ranked],
            label=label,
        )
    ax_s.set_yticks(ys, [chart_text(name) for name, _ in ranked], fontsize=8)
    ax_s.set_ylim(len(ranked) - 0.5, -0.5)  # the table's first row on top
    ax_s.set_xlabel("Sobol index of the outcome")
    ax_s.set_title(f"Sobol indices of the outcome ({chart_text(first)})", fontsize=10)
    ax_s.legend(fontsize=8)
    scenarios = counted(report["samples"], "scenario")
    fig.suptitle(chart_text(f"{report['base']}: {scenarios} per lever, seed {report['seed']}"))
    fig.tight_layout()
    figure: Figure = fig
    return figure


def _cell(o: dict[str, Any]) -> str:
    return "-" if o["p"] is None else f"{o['p']:.4f} [{o['low']:.4f}, {o['high']:.4f}]"


def save_sweep(report: dict[str, Any], path: Path) -> None:
    check_plot_path(path)
    path.write_bytes(render_sweep(report, path.suffix))


def render_sweep(report: dict[str, Any], fmt: str) -> bytes:
    levers = report["levers"]
    names = list(levers)
    outcomes = [
        (label, *(_cell(levers[n]["outcomes"][label]) for n in names))
        for label in report["outcomes"]
    ]
    russia = [(act, *(_cell(levers[n]["russia"][act]) for n in names)) for act in ACTS]
    sobol = [
        (name, f"{s['S1']:.3f} ± {s['S1_conf']:.3f}", f"{s['ST']:.3f} ± {s['ST_conf']:.3f}")
        for name, s in ranked_inputs(report["sensitivity"].get("outcome", {}))
    ]
    numeric = range(1, len(names) + 1)
    appendix = (
        "<h2>Outcome probabilities (95% interval)</h2>"
        + html_table(("outcome", *names), outcomes, numeric)
        + "<h2>Russia outside the organization (95% interval)</h2>"
        + html_table(("Russia", *names), russia, numeric)
        + f"<h2>Sobol indices of the outcome ({names[0]})</h2>"
        + html_table(("input", "S1", "ST"), sobol, (1, 2))
    )
    return render_figure(sweep_figure(report), fmt, f"Sweep of {report['base']}", appendix)
