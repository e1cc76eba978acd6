"""The chart of a simulated run, for every outcome: what happened when, and who was in theatre.

    plan(run)                 the rows of the upper panel, in the order they begin: each phase as
                              bars (Council, consultations, mission travel and stay, assistance on
                              its way, deployment, operations, handover, withdrawal) and each
                              milestone or event as a marker (appeal, decision, statement,
                              assistance dispatched, mission report, first arrival, ...)
    personnel(run)            each contingent's strength in theatre over time
    timeline_figure(run)      the plan; below it, only when forces deployed, the contingents'
                              strengths stacked (so two equal contingents cannot hide each other)
    save_timeline(run, path)  .png, .svg, or .html with the events as a table

Every milestone the run reports is a marker whose gid is the milestone's name, so a test can find
it on the chart. Dates are labelled by matplotlib's concise formatter: a run of hours shows hours,
and no label repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csto.plots.page import (
    chart_text,
    check_plot_path,
    dates,
    html_table,
    pyplot,
    render_figure,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Phases: label, the event that opens one, the event that closes it, colour.
PHASES = (
    ("Council", "appeal", "decision", "#9e9e9e"),
    ("Consultations", "consultations_opened", "consultations_closed", "#17becf"),
    ("Mission travel", "mission_departed", "mission_arrived", "#c49c94"),
    ("Mission on the spot", "mission_arrived", "mission_left", "#8c564b"),
    ("Mission travel", "mission_left", "mission_returned", "#c49c94"),
    ("Assistance on its way", "decision", "assistance_dispatched", "#bcbd22"),
    ("Deployment", "decision", "deployment_complete", "#1f77b4"),
    ("Operations", "deployment_complete", "handover_started", "#2ca02c"),
    ("Handover", "handover_started", "handover", "#ff7f0e"),
    ("Withdrawal", "handover", "withdrawal_complete", "#9467bd"),
)
# Events drawn as markers: kind -> label. The milestones carry their milestone's name as gid.
MARKS = {
    "situation": "Situation",
    "appeal": "Appeal",
    "decision": "Decision",
    "statement": "Statement",
    "no_collective_action": "No collective action",
    "assistance_dispatched": "Assistance dispatched",
    "mission_report": "Mission report",
    "force_generation": "Force generated",
    "no_force_generated": "No force generated",
    "first_arrival": "First arrival (advance party)",
    "deployment_complete": "Deployment complete",
    "mission_complete": "Tasks complete",
    "handover": "Handover complete",
    "withdrawal_complete": "Withdrawal complete",
}
MILESTONE_EVENTS = {  # milestone -> the event kind that marks it
    "appeal": "appeal",
    "decision": "decision",
    "first_arrival": "first_arrival",
    "deployment_complete": "deployment_complete",
    "handover": "handover",
    "withdrawal_complete": "withdrawal_complete",
}
QUIET = ("arrival", "departure", "returned")  # one per sortie: the lower panel shows them
ROW_HEIGHT = 0.32  # inches per row of the plan
FORCE_HEIGHT = 3.2  # inches for the contingents' panel


@dataclass
class Row:
    label: str
    colour: str
    spans: list[tuple[datetime, datetime]] = field(default_factory=list)
    marks: list[datetime] = field(default_factory=list)
    gid: str | None = None

    @property
    def begins(self) -> datetime:
        return min([s for s, _ in self.spans] + self.marks)


def _times(run: dict[str, Any]) -> list[tuple[str, datetime]]:
    """(kind, time) for every event, the first arrival renamed as its milestone."""
    found, first = [], True
    for e in run["events"]:
        kind = e["kind"]
        if kind == "arrival" and first:
            kind, first = "first_arrival", False
        found.append((kind, datetime.fromisoformat(e["time"])))
    return found


def plan(run: dict[str, Any]) -> list[Row]:
    times = _times(run)
    rows: dict[str, Row] = {}
    for label, opens, closes, colour in PHASES:
        starts = [t for k, t in times if k == opens]
        ends = [t for k, t in times if k == closes]
        for start in starts:
            end = next((t for t in ends if t >= start), None)
            if end is None:
                continue
            rows.setdefault(label, Row(label, colour)).spans.append((start, end))
    milestone_of = {kind: name for name, kind in MILESTONE_EVENTS.items()}
    for kind, t in times:
        if kind in MARKS:
            row = rows.setdefault(
                "mark:" + kind, Row(MARKS[kind], "#333333", gid=milestone_of.get(kind))
            )
            row.marks.append(t)
    return sorted(rows.values(), key=lambda r: (r.begins, bool(r.spans)))  # a mark opens its phase


def personnel(run: dict[str, Any]) -> dict[str, list[tuple[datetime, int]]]:
    """Each contingent's personnel in theatre after each landing and each departure home."""
    levels: dict[str, list[tuple[datetime, int]]] = {}
    strength = run["forces"]["contingents"]
    for code in sorted(strength, key=lambda c: (-strength[c], c)):  # the largest at the bottom
        level, steps = 0, []
        for e in run["events"]:
            if e["actor"] != code or e["kind"] not in ("arrival", "departure"):
                continue
            if e["kind"] == "arrival":
                level += e["details"]["personnel"]
            elif not e["details"].get("inbound", True):
                level -= e["details"]["personnel"]
            else:
                continue
            steps.append((datetime.fromisoformat(e["time"]), level))
        if steps:
            levels[code] = steps
    return levels


def _stack(levels: dict[str, list[tuple[datetime, int]]]) -> tuple[list[datetime], list[list[int]]]:
    """The contingents' step functions on one shared time axis."""
    axis = sorted({t for steps in levels.values() for t, _ in steps})
    series = []
    for steps in levels.values():
        values, k, current = [], 0, 0
        for t in axis:
            while k < len(steps) and steps[k][0] <= t:
                current = steps[k][1]
                k += 1
            values.append(current)
        series.append(values)
    return axis, series


def timeline_figure(run: dict[str, Any]) -> Figure:
    plt, mdates = pyplot(), dates()
    rows = plan(run)
    levels = personnel(run)
    plan_height = max(1.6, ROW_HEIGHT * len(rows) + 0.9)
    heights = [plan_height] + ([FORCE_HEIGHT] if levels else [])
    fig, axes = plt.subplots(
        len(heights),
        1,
        figsize=(10, sum(heights) + 0.6),
        sharex=True,
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    ax_plan = axes[0][0]
    for y, row in enumerate(rows):
        for start, end in row.spans:
            left = mdates.date2num(start)
            ax_plan.barh(y, mdates.date2num(end) - left, left=left, height=0.6, color=row.colour)
        if row.marks:
            ax_plan.plot(
                row.marks,
                [y] * len(row.marks),
                linestyle="none",
                marker="D",
                markersize=6,
                color=row.colour,
                gid=row.gid,
            )
    ax_plan.set_yticks(range(len(rows)), [r.label for r in rows], fontsize=8)
    ax_plan.set_ylim(len(rows) - 0.4, -0.6)  # the first row on top
    ax_plan.grid(axis="x", color="#eeeeee")
    ax_plan.set_axisbelow(True)
    crisis = run["crisis"]
    ax_plan.set_title(
        chart_text(f"{crisis['title']} ({crisis['date']}): {run['outcome']}, seed {run['seed']}")
    )
    everything = [t for _, t in _times(run)]
    start, end = min(everything), max(everything)
    margin = max((end - start) * 0.03, (end - start) / 50 or _hour())
    ax_plan.set_xlim(start - margin, end + margin)
    if levels:
        ax_force = axes[1][0]
        axis, series = _stack(levels)
        labels = [f"{code} ({run['forces']['contingents'][code]:,})" for code in levels]
        ax_force.stackplot(axis, series, labels=labels, step="post", alpha=0.85)
        ax_force.set_ylabel("personnel in theatre")
        ax_force.legend(
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=8,
            title="contingent",
            title_fontsize=8,
            frameon=False,
        )
        ax_force.grid(axis="y", color="#eeeeee")
        for row in rows:
            for t in row.marks if row.gid else ():
                ax_force.axvline(t, color="#999999", linewidth=0.6, linestyle=":")
    bottom = axes[-1][0]
    locator = mdates.AutoDateLocator()
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    bottom.set_xlabel("UTC")
    fig.tight_layout()
    figure: Figure = fig
    return figure


def _hour() -> Any:
    from datetime import timedelta

    return timedelta(hours=1)


def save_timeline(run: dict[str, Any], path: Path) -> None:
    check_plot_path(path)
    path.write_bytes(render_timeline(run, path.suffix))


def render_timeline(run: dict[str, Any], fmt: str) -> bytes:
    """The chart and, below it, the events as `csto simulate` lists them."""
    events = []
    for (kind, _), e in zip(_times(run), run["events"], strict=True):
        if kind in QUIET:
            continue
        label = (
            MARKS["first_arrival"].lower() if kind == "first_arrival" else kind.replace("_", " ")
        )
        events.append((e["time"].replace("T", " ").replace("Z", " UTC"), label, e["actor"]))
    crisis = run["crisis"]
    appendix = "<h2>Events</h2>" + html_table(("when", "event", "who"), events)
    return render_figure(
        timeline_figure(run),
        fmt,
        f"{crisis['title']} ({crisis['date']}): {run['outcome']}",
        appendix,
    )
