"""Charts for every outcome: phases and events without empty panels, every milestone on the chart,
equal contingents both visible, dates labelled once, the sweep's chart in its table's order, and
--plot x.html a real page."""

from __future__ import annotations

import json
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import pytest
from matplotlib.collections import PolyCollection
from typer.testing import CliRunner

from csto.cli import app
from csto.domain.crisis import parse_crisis
from csto.plots import ranked_inputs, save_sweep, sweep_figure, timeline_figure
from csto.sim import simulate

from .worlds import WORLD, case

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kazakhstan-2022-sweep.yaml"
BORDER_ATTACK = {  # a deployment blocked by the attacker's partners: a mission goes instead
    "format": 1,
    "id": "border-attack",
    "title": "Attack across the border",
    "date": "2022-09-13",
    "appeal": {"by": "ARM", "invokes": "art4"},
    "situation": {
        "kind": "armed_attack",
        "territory": "ARM",
        "opponents": ["AZE"],
        "foreign_involvement": "evidenced",
        "intensity": "high",
    },
}


def _run(name: str) -> dict[str, Any]:
    crisis = parse_crisis(BORDER_ATTACK, "m.yaml") if name == "border-attack" else case(name)
    return simulate(WORLD, crisis).dump()


def _rows(fig: Any) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


# One case per outcome without forces, and the rows its chart must show.
WITHOUT_FORCES = [
    (
        "border-attack",
        "mission",
        {"Council", "Mission travel", "Mission on the spot", "Mission report"},
    ),
    ("afghan-spillover-1999", "assistance", {"Consultations", "Assistance dispatched", "Decision"}),
    ("afghan-border-1996", "consultations", {"Council", "Consultations", "Appeal"}),
    ("georgia-2008", "statement", {"Statement"}),
    ("armenia-2018", "none", set()),
]


@pytest.mark.parametrize(("name", "outcome", "rows"), WITHOUT_FORCES)
def test_a_run_without_forces_draws_its_phases_and_events_and_no_empty_panel(
    name: str, outcome: str, rows: set[str], tmp_path: Path
) -> None:
    run = _run(name)
    assert run["outcome"] == outcome, "the case must keep its outcome for this test to mean it"
    fig = timeline_figure(run)
    assert len(fig.axes) == 1  # no "personnel in theatre" panel on a 0-1 axis
    assert rows <= set(_rows(fig))
    assert len(_rows(fig)) >= 2  # something happened, and the chart shows it
    fig.savefig(tmp_path / f"{name}.png")
    assert (tmp_path / f"{name}.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("name", ["kazakhstan-2022", "afghan-spillover-1999", "border-attack"])
def test_every_milestone_and_event_is_on_the_chart(name: str) -> None:
    run = _run(name)
    fig = timeline_figure(run)
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    for event in run["events"]:  # the chart does not end before the outcome's own event
        assert low < mdates.date2num(datetime.fromisoformat(event["time"])) < high, event
    marks = {line.get_gid(): line for line in ax.get_lines() if line.get_gid()}
    for milestone, when in run["milestones"].items():
        if when is None:
            assert milestone not in marks
            continue
        assert milestone in marks, milestone
        x = mdates.date2num(marks[milestone].get_xdata())
        assert mdates.date2num(datetime.fromisoformat(when)) in list(x)


def test_equal_contingents_both_stay_visible() -> None:
    run = _run("kazakhstan-2022")
    strengths = run["forces"]["contingents"]
    assert strengths["ARM"] == strengths["BLR"], "the case must have two equal contingents"
    fig = timeline_figure(run)
    ax_force = fig.axes[1]
    bands = [c for c in ax_force.collections if isinstance(c, PolyCollection)]
    assert len(bands) == len(strengths)
    labels = [t.get_text() for t in ax_force.get_legend().get_texts()]
    assert {"ARM (100)", "BLR (100)"} <= set(labels)
    for band in bands:  # stacked: every band has its own area, none drawn over another
        extent = band.get_paths()[0].get_extents()
        assert extent.height > 0
    tops = sorted(band.get_paths()[0].get_extents().y1 for band in bands)
    assert tops[-1] == pytest.approx(sum(strengths.values()))


@pytest.mark.parametrize("name", ["kazakhstan-2022", "afghan-spillover-1999", "armenia-2018"])
def test_date_labels_do_not_repeat(name: str) -> None:
    fig = timeline_figure(_run(name))
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[-1].get_xticklabels() if t.get_text()]
    assert labels
    assert len(labels) == len(set(labels)), labels


@pytest.mark.parametrize("name", ["kazakhstan-2022", "afghan-spillover-1999", "border-attack"])
def test_every_label_fits_inside_the_figure(name: str) -> None:
    run = _run(name)
    fig = timeline_figure(run)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = fig.bbox
    for ax in fig.axes:
        for text in [ax.title, *ax.get_yticklabels(), *ax.texts]:
            extent = text.get_window_extent(renderer)
            assert box.x0 <= extent.x0, text.get_text()
            assert extent.x1 <= box.x1, text.get_text()
            axes_box = ax.get_window_extent(renderer)
            if text in ax.texts:  # a label inside the plot stays inside it
                assert axes_box.x0 <= extent.x0, text.get_text()
                assert extent.x1 <= axes_box.x1, text.get_text()
    assert run["outcome"] in fig.axes[0].get_title()


def _sweep_report() -> dict[str, Any]:
    result = runner.invoke(app, ["sweep", str(EXAMPLE), "--samples", "4000", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_sweep_chart_orders_and_labels_as_its_table() -> None:
    report = _sweep_report()
    fig = sweep_figure(report)
    ax_outcomes, ax_russia, ax_sobol = fig.axes
    assert [t.get_text() for t in ax_outcomes.get_xticklabels()] == list(report["outcomes"])
    assert ax_outcomes.get_title() == "Outcome probabilities (95% interval)"
    assert [t.get_text() for t in ax_russia.get_xticklabels()] == [
        "nothing",
        "bilateral",
        "unilateral",
    ]
    first = next(iter(report["levers"]))
    assert ax_sobol.get_title() == f"Sobol indices of the outcome ({first})"
    ranked = [name for name, _ in ranked_inputs(report["sensitivity"]["outcome"])]
    shown = [t.get_text() for t in ax_sobol.get_yticklabels()]
    assert shown == ranked  # the full names, as in the table
    low, high = ax_sobol.get_ylim()
    assert low > high  # the table's first row is on top
    table = runner.invoke(
        app, ["sweep", str(EXAMPLE), "--samples", "4000"], env={"COLUMNS": "200"}
    ).stdout
    positions = [table.index(name) for name in ranked]
    assert positions == sorted(positions)


def test_a_sweep_where_nothing_completed_still_draws(tmp_path: Path) -> None:
    report = _sweep_report()
    for lever in report["levers"].values():
        for key in ("outcomes", "russia"):
            for share in lever[key].values():
                share.update(p=None, low=None, high=None, count=0)
    save_sweep(report, tmp_path / "empty.png")
    assert (tmp_path / "empty.png").read_bytes()[:4] == b"\x89PNG"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[str] = []
        self.declarations: list[str] = []
        self.processing: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.refs += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_pi(self, data: str) -> None:
        self.processing.append(data)


def _check_page(path: Path, title: str) -> _Page:
    text = path.read_text()
    assert text.startswith("<!doctype html>")
    page = _Page()
    page.feed(text)
    assert page.declarations == ["doctype html"]
    assert page.processing == []  # no <?xml ...?> in the body
    assert page.tags[:4] == ["html", "head", "meta", "meta"]
    assert {"title", "style", "body", "h1", "figure", "svg", "table"} <= set(page.tags)
    assert page.tags.count("svg") == 1
    assert not {"script", "link", "img", "iframe", "object"} & set(page.tags)
    assert all(ref.startswith("#") for ref in page.refs)  # nothing fetched from elsewhere
    assert f"<title>{title}" in text
    return page


def test_plot_html_is_a_self_contained_page(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    page = tmp_path / "run.html"
    done = runner.invoke(app, ["simulate", "kazakhstan-2022", "--db", db, "--plot", str(page)])
    assert done.exit_code == 0, done.output
    _check_page(page, "Unrest in Kazakhstan")
    assert "first arrival (advance party)" in page.read_text()
    sweep_page = tmp_path / "sweep.html"
    swept = runner.invoke(
        app, ["sweep", str(EXAMPLE), "--samples", "2000", "--plot", str(sweep_page)]
    )
    assert swept.exit_code == 0, swept.output
    parsed = _check_page(sweep_page, "Sweep of kazakhstan-2022")
    assert parsed.tags.count("table") == 3


def test_charts_render_to_bytes_for_a_server() -> None:
    from csto.plots import render_sweep, render_timeline
    from csto.sim import simulate

    from .worlds import WORLD, case

    run = simulate(WORLD, case("kazakhstan-2022")).dump()
    assert render_timeline(run, "png")[:4] == b"\x89PNG"
    assert render_timeline(run, ".svg").lstrip().startswith(b"<?xml")
    page = render_timeline(run, "html").decode()
    assert page.startswith("<!doctype html>")
    assert "<svg" in page
    with pytest.raises(Exception, match="allowed plot formats"):
        render_timeline(run, "gif")
    assert callable(render_sweep)
