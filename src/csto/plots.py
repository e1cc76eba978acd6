"""Charts a person would rather look at than read: the timeline of a simulated run.

timeline_figure(run)        matplotlib Figure: phases, and each contingent's build-up and draw-down
save_timeline(run, path)    .png, .svg or .html (a page with the chart and the event log)
"""

from __future__ import annotations

import html
import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csto.domain.errors import UsageError, check_output_path

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _pyplot() -> Any:
    """matplotlib, imported on first use: a command that draws nothing does not pay for it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _dates() -> Any:
    import matplotlib.dates as mdates

    return mdates


PHASES = [
    ("Council", "appeal", "decision", "#9e9e9e"),
    ("Deployment", "decision", "deployment_complete", "#1f77b4"),
    ("Operations", "deployment_complete", "handover_started", "#2ca02c"),
    ("Handover", "handover_started", "handover", "#ff7f0e"),
    ("Withdrawal", "handover", "withdrawal_complete", "#9467bd"),
    ("Consultations", "consultations_opened", "consultations_closed", "#17becf"),
    ("Mission on the spot", "mission_arrived", "mission_left", "#8c564b"),
]


PLOT_FORMATS = (".png", ".svg", ".html")


class PlotError(UsageError):
    """The plot cannot be written in the format asked for."""


def check_plot_path(path: Path) -> Path:
    return check_output_path(path, PLOT_FORMATS, "plot")


def _first(events: list[dict[str, Any]], kind: str) -> datetime | None:
    for e in events:
        if e["kind"] == kind:
            return datetime.fromisoformat(e["time"])
    return None


def timeline_figure(run: dict[str, Any]) -> Figure:
    plt, mdates = _pyplot(), _dates()
    events = run["events"]
    contingents = sorted(run["forces"]["contingents"])
    fig, (ax_phase, ax_force) = plt.subplots(
        2, 1, figsize=(10, 5.5), sharex=True, gridspec_kw={"height_ratios": [1, 3]}
    )
    shown = 0
    for name, start_kind, end_kind, colour in PHASES:
        start, end = _first(events, start_kind), _first(events, end_kind)
        if start and end:
            left, width = mdates.date2num(start), mdates.date2num(end) - mdates.date2num(start)
            ax_phase.barh(0, width, left=left, color=colour)
            # Labels alternate above and below the bar so that short phases do not overlap.
            ax_phase.text(left, 0.45 if shown % 2 == 0 else -0.95, name, fontsize=8, va="bottom")
            shown += 1
    ax_phase.set_yticks([])
    ax_phase.set_ylim(-1.0, 1.2)
    ax_phase.set_title(f"{run['crisis']['title']}: {run['outcome']} (seed {run['seed']})")

    for code in contingents:
        times, levels, level = [], [], 0
        for e in events:
            if e["actor"] != code or e["kind"] not in ("arrival", "departure"):
                continue
            if e["kind"] == "arrival":
                level += e["details"]["personnel"]
            elif not e["details"].get("inbound", True):
                level -= e["details"]["personnel"]
            else:
                continue
            times.append(datetime.fromisoformat(e["time"]))
            levels.append(level)
        if times:  # line styles tell apart contingents of equal size, whose lines coincide
            style = ("-", "--", ":", "-.")[contingents.index(code) % 4]
            label = f"{code} ({run['forces']['contingents'][code]:,})"
            ax_force.step(times, levels, where="post", linestyle=style, label=label)
    if contingents:
        ax_force.legend(loc="upper right", fontsize=8)
    ax_force.set_ylabel("personnel in theatre")
    ax_force.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    fig.tight_layout()
    figure: Figure = fig
    return figure


def save_figure(fig: Figure, path: Path, title: str, appendix_html: str = "") -> None:
    """Write a figure as .png, .svg, or .html (a page with the chart as SVG and an appendix)."""
    suffix = path.suffix.lower()
    try:
        check_plot_path(path)
        if suffix in (".png", ".svg"):
            fig.savefig(path, dpi=120)
            return
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        path.write_text(
            "<!doctype html><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;max-width:1000px;margin:auto}td{padding:2px 8px}</style>"
            f"<h1>{html.escape(title)}</h1>{buffer.getvalue()}{appendix_html}",
            encoding="utf-8",
        )
    finally:
        _pyplot().close(fig)


def save_timeline(run: dict[str, Any], path: Path) -> None:
    rows = "\n".join(
        f"<tr><td>{html.escape(e['time'])}</td><td>{html.escape(e['kind'])}</td><td>{html.escape(e['actor'])}</td></tr>"
        for e in run["events"]
        if e["kind"] not in ("arrival", "departure", "returned")
    )
    save_figure(
        timeline_figure(run), path, run["crisis"]["title"], f"<h2>Events</h2><table>{rows}</table>"
    )


def sweep_figure(result: dict[str, Any]) -> Figure:
    """Outcome probabilities with 95% intervals per lever, and the inputs' Sobol indices."""
    plt = _pyplot()
    levers = result["levers"]
    labels = list(result["outcomes"])
    fig, (ax_p, ax_s) = plt.subplots(1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [3, 2]})
    width = 0.8 / max(1, len(levers))
    for k, (name, lever) in enumerate(levers.items()):
        ps = [lever["outcomes"][m]["p"] for m in labels]
        lows = [max(0.0, p - lever["outcomes"][m]["low"]) for p, m in zip(ps, labels, strict=True)]
        highs = [
            max(0.0, lever["outcomes"][m]["high"] - p) for p, m in zip(ps, labels, strict=True)
        ]
        xs = [i + (k - (len(levers) - 1) / 2) * width for i in range(len(labels))]
        ax_p.bar(xs, ps, width, yerr=[lows, highs], capsize=3, label=name)
    ax_p.set_xticks(range(len(labels)), labels, rotation=20)
    ax_p.set_ylabel("probability")
    ax_p.set_ylim(0, 1)
    ax_p.legend(fontsize=8)
    ax_p.set_title(f"{result['base']}: {result['completed']:,} scenarios per lever")
    indices = result["sensitivity"].get("outcome", {})
    names = list(indices)
    ys = range(len(names))
    ax_s.barh(
        [y + 0.2 for y in ys],
        [indices[n]["ST"] for n in names],
        0.4,
        xerr=[indices[n]["ST_conf"] for n in names],
        label="total (ST)",
    )
    ax_s.barh(
        [y - 0.2 for y in ys],
        [indices[n]["S1"] for n in names],
        0.4,
        xerr=[indices[n]["S1_conf"] for n in names],
        label="first order (S1)",
    )
    ax_s.set_yticks(list(ys), [n.split(".")[-1] for n in names], fontsize=8)
    ax_s.set_xlabel("Sobol index of the outcome")
    ax_s.legend(fontsize=8)
    fig.tight_layout()
    figure: Figure = fig
    return figure


def save_sweep(result: dict[str, Any], path: Path) -> None:
    save_figure(sweep_figure(result), path, f"Sweep of {result['base']}")
