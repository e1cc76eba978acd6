"""Sweeps as a new user meets them: failed batches are a failure, not a success with null numbers;
a long sweep says what it will cost before it starts and waits for a yes; the bar shows the time
left; the chart and the rows say where they went."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import csto.analysis.montecarlo as montecarlo
import csto.service.calibration as calibration
from csto.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kazakhstan-2022-sweep.yaml"


def _sweep(*args: str) -> Any:
    return runner.invoke(app, ["sweep", str(EXAMPLE), *args], env={"COLUMNS": "200"})


@pytest.fixture
def out_of_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(world: object, task: montecarlo.SweepTask) -> montecarlo.BatchResult:
        raise MemoryError()

    monkeypatch.setattr(montecarlo, "run_batch", exhausted)


@pytest.mark.usefixtures("out_of_memory")
def test_a_sweep_whose_batches_all_fail_exits_non_zero_and_says_why() -> None:
    result = _sweep("--samples", "4000", "--batch-size", "1000", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # the report still comes, for a script to look into
    assert data["completed"] == 0
    assert data["outcomes"]["deployment"]["p"] is None
    line = " ".join(result.stderr.split())
    assert "error: the sweep failed: 8 of 8 batches failed (100.0% of a lever's scenarios" in line
    assert "MemoryError() in baseline batch 0-3, majority-vote batch 0-3" in line
    assert "smaller --batch-size" in line


@pytest.mark.usefixtures("out_of_memory")
def test_table_mode_never_crashes_on_missing_values() -> None:
    result = _sweep("--samples", "2000", "--batch-size", "1000")
    assert result.exit_code == 1
    rows = [line for line in result.stdout.splitlines() if line.startswith("│ deployment")]
    assert rows
    assert "-" in rows[0]
    assert "None" not in result.stdout


def test_a_few_failed_batches_warn_until_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    real = montecarlo.run_batch

    def one_lost(world: Any, task: montecarlo.SweepTask) -> montecarlo.BatchResult:
        if task.index == 0 and task.lever == "baseline":
            raise RuntimeError("worker lost")
        return real(world, task)

    monkeypatch.setattr(montecarlo, "run_batch", one_lost)
    tolerated = _sweep("--samples", "20000", "--batch-size", "100", "--json")
    assert tolerated.exit_code == 0, tolerated.output
    assert "warning: 1 of 400 batches failed (0.5% of a lever's scenarios)" in " ".join(
        tolerated.stderr.split()
    )
    strict = _sweep("--samples", "20000", "--batch-size", "100", "--max-failed", "0")
    assert strict.exit_code == 1
    assert "more than the 0.0% allowed" in " ".join(strict.stderr.split())


def test_a_huge_sweep_is_estimated_and_needs_yes() -> None:
    result = _sweep("--samples", "1000000000000")
    assert result.exit_code == 2
    line = " ".join(result.stderr.split())
    assert re.search(r"2,000,000,000,000 scenarios will take about [\d.,]+ (days|years)", line)
    assert "pass --yes to start it anyway, or lower --samples" in line
    assert result.stdout == ""


def test_the_estimate_alone(tmp_path: Path) -> None:
    shown = _sweep("--samples", "50000000", "--estimate")
    assert shown.exit_code == 0, shown.output
    assert "100,000,000 scenarios will take about" in shown.stdout
    assert "calibrated on 250,000 scenarios per lever" in shown.stdout
    data = json.loads(_sweep("--samples", "50000000", "--estimate", "--json").stdout)
    assert data["scenarios"] == 100_000_000
    assert data["seconds"] > 0
    with_rows = json.loads(
        _sweep(
            "--samples", "50000000", "--estimate", "--json", "--out", str(tmp_path / "x.parquet")
        ).stdout
    )
    # the rows go to the file batch by batch: they cost one batch, not 10^8 rows
    assert data["peak_bytes"] <= with_rows["peak_bytes"] < data["peak_bytes"] + 50_000_000


def test_yes_starts_a_sweep_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calibration, "ESTIMATE_ABOVE", 0)
    monkeypatch.setattr(calibration, "CONFIRM_SECONDS", 0.0)
    refused = _sweep("--samples", "3000")
    assert refused.exit_code == 2
    assert "--yes" in refused.stderr
    started = _sweep("--samples", "3000", "--yes")
    assert started.exit_code == 0, started.output
    assert "estimate: 6,000 scenarios will take about" in " ".join(started.stderr.split())


def test_the_estimate_is_in_proportion(monkeypatch: pytest.MonkeyPatch) -> None:
    from csto.service.sweeping import load_sweep

    from .worlds import WORLD

    spec, base = load_sweep(WORLD, EXAMPLE)
    small = calibration.estimate_sweep(WORLD, spec, base, 10_000_000)
    large = calibration.estimate_sweep(WORLD, spec, base, 1_000_000_000)
    assert 10 < large.seconds / small.seconds < 1000  # about 100: linear, within timing noise
    pooled = calibration.estimate_sweep(WORLD, spec, base, 1_000_000_000, "process", workers=4)
    assert pooled.workers == 4
    assert pooled.seconds < large.seconds


def test_the_progress_bar_shows_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from csto.cli import common

    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120)
    lazy = type(common.err)
    plain = lazy.resolve
    monkeypatch.setattr(
        lazy, "resolve", lambda self: terminal if self is common.err else plain(self)
    )
    result = _sweep("--samples", "20000", "--batch-size", "1000")
    assert result.exit_code == 0, result.output
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "sweep" in drawn
    assert re.search(r"elapsed \d+:\d\d:\d\d left (\d+:\d\d:\d\d|-:--:--)", drawn), drawn


def test_plot_and_out_say_where_the_files_went(tmp_path: Path) -> None:
    plot, rows = tmp_path / "s.png", tmp_path / "s.parquet"
    shown = _sweep("--samples", "2000", "--plot", str(plot), "--out", str(rows))
    assert shown.exit_code == 0, shown.output
    assert f"chart written to {plot}" in shown.stdout
    assert f"4,000 rows written to {rows}" in shown.stdout
    quiet = _sweep("--samples", "2000", "--plot", str(plot), "--json")
    json.loads(quiet.stdout)
    assert f"chart written to {plot}" in quiet.stderr


def test_simulate_plot_says_where_the_file_went_in_json_mode_too(tmp_path: Path) -> None:
    plot = tmp_path / "t.png"
    db = f"sqlite:///{tmp_path / 'r.db'}"
    result = runner.invoke(
        app, ["simulate", "armenia-2021", "--db", db, "--plot", str(plot), "--json"]
    )
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert f"timeline chart written to {plot}" in result.stderr


def test_one_scenario_is_worded_so() -> None:
    result = _sweep("--samples", "1")
    assert result.exit_code == 0, result.output
    assert ": 1 scenario per lever" in result.stdout
