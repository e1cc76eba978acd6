"""Sweeps: the vectorized rules against the engine, intervals, Sobol, executors, Parquet, specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from csto.analysis import SpecError, make_executor, wilson
from csto.analysis import montecarlo as sweep_module
from csto.analysis.montecarlo import SweepResult
from csto.analysis.spec import SweepSpec
from csto.cli import app
from csto.domain.crisis import Measure, parse_crisis
from csto.engine import assess, evaluate
from csto.engine.fast import outcomes
from csto.law import CrisisBatch
from csto.service.sweeping import load_sweep

from .strategies import coherent
from .worlds import WORLD

EXAMPLE = Path(__file__).parent.parent / "examples" / "kazakhstan-2022-sweep.yaml"
runner = CliRunner()
STATES = ["ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB", "UKR", "CHN", "AFG", "POL"]


def load_spec(path: Path) -> SweepSpec:
    return load_sweep(WORLD, path)[0]


def sweep(spec: SweepSpec, samples: int, **kwargs: Any) -> SweepResult:
    base = WORLD.cases.get(spec.base) if spec.base in WORLD.cases else load_sweep(WORLD, EXAMPLE)[1]
    return sweep_module.sweep(WORLD, spec, base, samples, **kwargs)


def random_crises(n: int, seed: int) -> list[Any]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        by = str(rng.choice(STATES))
        opponents = [
            str(o)
            for o in rng.choice([*STATES, "non_state"], size=rng.integers(1, 4), replace=False)
            if o != by
        ]
        raw = {
            "format": 1,
            "id": f"random-{i}",
            "title": "random",
            "date": str(np.datetime64("1992-05-15") + int(rng.integers(0, 13000))),
            "appeal": None
            if rng.random() < 0.2
            else {"by": by, "invokes": str(rng.choice(["art2", "art4", "assistance"]))},
            "situation": {
                "kind": str(
                    rng.choice(
                        [
                            "armed_attack",
                            "border_clash",
                            "internal_unrest",
                            "terrorism",
                            "cross_border_threat",
                            "war_abroad",
                        ]
                    )
                ),
                "territory": str(rng.choice(STATES)),
                "opponents": opponents or ["non_state"],
                "foreign_involvement": str(rng.choice(["none", "claimed", "evidenced"])),
                "intensity": str(rng.choice(["low", "medium", "high"])),
                "government_at_risk": bool(rng.random() < 0.5),
                "un_mandate": bool(rng.random() < 0.1),
            },
        }
        out.append(parse_crisis(coherent(raw), "random.yaml"))
    return out


def test_vectorized_rules_equal_the_engine_on_thousands_of_crises() -> None:
    regime = WORLD.regime
    crises = random_crises(2500, seed=7)
    batch = CrisisBatch.from_crises(crises, regime)
    fast = outcomes(batch, regime)
    direct = evaluate(batch, regime).outcome
    one_by_one = np.array([assess(WORLD, c).outcome for c in crises], dtype=np.int8)
    np.testing.assert_array_equal(fast, direct)
    np.testing.assert_array_equal(direct, one_by_one)
    assert len(np.unique(one_by_one)) >= 4  # the sample reaches most of the ladder


def test_per_scenario_parameters_match_a_regime_with_those_parameters() -> None:
    regime = WORLD.regime
    crises = random_crises(800, seed=3)
    batch = CrisisBatch.from_crises(crises, regime)
    for name, value in (
        ("ties_cap", Measure.STATEMENT),
        ("cost_cap", Measure.ASSISTANCE),
        ("no_appeal_cap", Measure.NONE),
    ):
        overridden = CrisisBatch(
            **{
                **batch.__dict__,
                "overrides": {name: np.full(len(batch), int(value), dtype=np.int8)},
            }
        )
        changed = regime.replace(params={**regime.params, name: int(value)})
        np.testing.assert_array_equal(
            outcomes(overridden, regime), evaluate(batch, changed).outcome
        )


def test_wilson_interval() -> None:
    p, low, high = wilson(30, 100)
    assert p == 0.3
    assert 0.21 < low < 0.3 < high < 0.4
    assert wilson(0, 50)[1] == 0.0


def test_sweep_probabilities_intervals_and_sensitivity() -> None:
    result = sweep(load_spec(EXAMPLE), 40_000, seed=4, batch_size=10_000).report().dump()
    assert result["samples"] == result["completed"] == 40_000
    total = sum(o["p"] for o in result["outcomes"].values())
    assert total == pytest.approx(1.0)
    for o in result["outcomes"].values():
        assert o["low"] <= o["p"] <= o["high"]
    assert result["p_deployment"] == result["outcomes"]["deployment"]
    indices = result["sensitivity"]["outcome"]
    assert set(indices) == set(result["inputs"])
    assert max(indices, key=lambda k: indices[k]["ST"]) in (
        "situation.foreign_involvement",
        "situation.government_at_risk",
        "situation.intensity",  # the showcase of a low-cost operation turns on it
    )
    assert set(result["russia"]) == {"nothing", "bilateral", "unilateral"}
    assert sum(r["count"] for r in result["russia"].values()) == result["completed"]
    assert set(result["levers"]) == {"baseline", "majority-vote"}
    assert (
        result["levers"]["majority-vote"]["p_deployment"]["p"]
        > result["levers"]["baseline"]["p_deployment"]["p"]
    )
    assert result["failed_batches"] == []


def test_same_seed_same_result_on_every_executor() -> None:
    spec = load_spec(EXAMPLE)
    local = sweep(spec, 20_000, seed=9, batch_size=5_000).report().dump()
    for name in ("process", "dask"):
        pool = make_executor(name, workers=2)
        try:
            other = sweep(spec, 20_000, seed=9, batch_size=5_000, executor=pool).report().dump()
        finally:
            pool.close()
        assert other.pop("executor") == name
        other.pop("seconds")
        assert {k: v for k, v in local.items() if k not in ("executor", "seconds")} == other
    # milestones too: gathered in batch order, whichever batch finished first
    with_milestones = sweep(spec, 20_000, seed=9, batch_size=5_000, milestone_runs=2_000)
    pool = make_executor("process", workers=2)
    try:
        other_ms = sweep(
            spec, 20_000, seed=9, batch_size=5_000, milestone_runs=2_000, executor=pool
        )
    finally:
        pool.close()
    assert with_milestones.report().milestones == other_ms.report().milestones
    different = sweep(spec, 20_000, seed=10, batch_size=5_000).report().dump()
    assert different["outcomes"] != local["outcomes"]


def test_a_failed_batch_is_reported_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    real = sweep_module.run_batch

    def flaky(world: object, task: sweep_module.SweepTask) -> sweep_module.BatchResult:
        if task.index == 1 and task.lever == "baseline":
            raise RuntimeError("worker lost")
        return real(world, task)  # type: ignore[arg-type]

    monkeypatch.setattr(sweep_module, "run_batch", flaky)
    result = (
        sweep(load_spec(EXAMPLE), 30_000, seed=1, batch_size=10_000, sobol=False).report().dump()
    )
    assert result["failed_batches"] == [
        {"lever": "baseline", "batch": 1, "size": 10_000, "error": "RuntimeError('worker lost')"}
    ]
    assert result["levers"]["baseline"]["samples"] == 20_000
    assert result["levers"]["majority-vote"]["samples"] == 30_000


def test_cli_sweep_json_parquet_and_plot(tmp_path: Path) -> None:
    out, plot = tmp_path / "s.parquet", tmp_path / "s.png"
    args = [
        "sweep",
        str(EXAMPLE),
        "--samples",
        "20000",
        "--batch-size",
        "5000",
        "--out",
        str(out),
        "--plot",
        str(plot),
        "--json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"samples", "outcomes", "sensitivity"}
    assert set(data["outcomes"]) == {m.label for m in Measure}
    assert all(set(o) >= {"p", "low", "high"} for o in data["outcomes"].values())
    table = pq.read_table(out)
    assert table.num_rows == 40_000
    assert set(table.column_names) == {"lever", "sample", "outcome", *data["inputs"]}
    frame = table.to_pandas()
    baseline = frame[frame["lever"] == "baseline"]
    assert (
        int((baseline["outcome"] == "deployment").sum()) == data["outcomes"]["deployment"]["count"]
    )
    assert plot.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"situation": {"colour": {"choice": {"red": 1}}}},
            "situation.colour: got 'colour'; allowed fields",
        ),
        (
            {"situation": {"intensity": {"choice": {"extreme": 1}}}},
            "situation.intensity: got ['extreme']; allowed values: low, medium, high",
        ),
        (
            {"parameters": {"ties_cap": {"choice": {"war": 1}}}},
            "parameters.ties_cap: got ['war']; allowed values: none",
        ),
        (
            {"parameters": {"no_such": {"choice": {"low": 1}}}},
            "parameters.no_such: got 'no_such'; allowed: one of",
        ),
        (
            {"levers": {"x": ["world-government"]}},
            "levers.x: got ['world-government']; allowed reforms",
        ),
        ({"provider_committed": {"bernoulli": 1.5}}, "provider_committed.bernoulli: got 1.5"),
        ({"format": 2}, "format: got 2"),
    ],
)
def test_bad_specs_are_named(tmp_path: Path, change: dict[str, Any], expected: str) -> None:
    raw = yaml.safe_load(EXAMPLE.read_text()) | change
    file = tmp_path / "spec.yaml"
    file.write_text(yaml.safe_dump(raw))
    with pytest.raises(SpecError) as caught:
        load_spec(file)
    assert str(caught.value).startswith(f"{file}: ")
    assert expected in str(caught.value)
    result = runner.invoke(app, ["sweep", str(file), "--samples", "10"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_the_cli_defaults_are_the_sweeps() -> None:
    from csto.cli import analysis as cli_analysis

    assert cli_analysis.DEFAULT_BATCH == sweep_module.DEFAULT_BATCH
    assert cli_analysis.DEFAULT_MILESTONES == sweep_module.DEFAULT_MILESTONES


WIDE = Path(__file__).parent.parent / "examples" / "wide-sweep.yaml"


def test_continuous_inputs_are_drawn_on_their_scale_and_written_as_such(tmp_path: Path) -> None:
    spec, base = load_sweep(WORLD, WIDE)
    variables = {v.name: v for v in spec.variables()}
    u = np.random.default_rng(0).random(200_000)
    sites = variables["situation.sites"].decode(u)
    assert sites.min() >= 4
    assert sites.max() <= 30
    assert abs(np.median(sites) - 15.6) < 0.5  # the triangle (4, 14, 30) has its median near 15.6
    casualties = variables["situation.casualties"].decode(u)
    assert casualties.min() >= 0  # truncated at zero
    cap = variables["parameters.regime_survival_cap"].decode(u)
    assert set(np.unique(cap)) <= set(range(int(Measure.STATEMENT), int(Measure.DEPLOYMENT) + 1))
    dates = variables["date"].decode(u)
    assert dates.min() >= np.datetime64("2000-01-01").astype(int) + 719163

    out = tmp_path / "wide.parquet"
    report = sweep_module.sweep(
        WORLD, spec, base, 30_000, batch_size=10_000, keep_rows=True, sobol=False
    )
    assert report.samples == 30_000
    from csto.analysis.output import ParquetRows

    rows = ParquetRows(out, report.variables, 10_000)
    again = sweep_module.sweep(
        WORLD,
        spec,
        base,
        30_000,
        batch_size=10_000,
        keep_rows=True,
        sobol=False,
        on_rows=rows.write,
    )
    assert rows.close() == 60_000
    table = pq.read_table(out)
    assert str(table.schema.field("date").type) == "date32[day]"
    assert str(table.schema.field("situation.sites").type) == "int64"
    frame = table.to_pandas()
    assert set(frame["parameters.cost_cap"].unique()) <= {m.label for m in Measure}
    baseline = frame[frame["lever"] == "baseline"]
    counts = again.levers["baseline"].counts
    assert int((baseline["outcome"] == "deployment").sum()) == counts[Measure.DEPLOYMENT]
    # nearly every scenario is distinct: the rules see a different crisis on almost every row
    assert (
        frame[[c for c in frame.columns if c not in ("sample", "outcome")]].duplicated().mean()
        < 0.01
    )


def test_milestones_are_reported_per_lever() -> None:
    spec, base = load_sweep(WORLD, EXAMPLE)
    result = sweep_module.sweep(
        WORLD,
        spec,
        base,
        40_000,
        batch_size=10_000,
        sobol=False,
        milestone_runs=4_000,
        within=(4.0, 30.0),
    ).report()
    found = result.levers["baseline"].milestones
    assert found is not None
    assert 3_000 <= found.runs <= 4_000
    assert list(found.days) == [
        "decision",
        "first_arrival",
        "deployment_complete",
        "handover",
        "withdrawal_complete",
    ]
    days = found.days["deployment_complete"]
    assert days.p10 is not None
    assert days.p90 is not None
    assert 0 < days.p10 <= days.p50 <= days.p90  # type: ignore[operator]
    soon, late = found.within["deployment_complete<=4d"], found.within["deployment_complete<=30d"]
    assert soon.p is not None
    assert late.p is not None
    assert 0.0 <= soon.p <= late.p <= 1.0
    assert result.milestones == found
    assert (
        sweep_module.sweep(WORLD, spec, base, 10_000, batch_size=10_000, sobol=False)
        .report()
        .milestones
        is None
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"situation": {"sites": {"uniform": {"low": 30, "high": 4}}}},
            "situation.sites: got {'low': 30.0, 'high': 4.0}; allowed: low <= mode <= high",
        ),
        (
            {"situation": {"sites": {"choice": {"4": 1}}}},
            "situation.sites: got {'choice': {'4': 1.0}}; allowed: {uniform",
        ),
        (
            {"parameters": {"cost_cap": {"uniform": {"low": "war", "high": "mission"}}}},
            "parameters.cost_cap.low: got 'war'; allowed: a number or one of none, statement",
        ),
        (
            {"situation": {"casualties": {"normal": {"mean": 5, "sd": -1}}}},
            "situation.casualties.normal.sd: got -1",
        ),
        ({"date": {"uniform": {"low": "1980-01-01", "high": "2000-01-01"}}}, "date.low: got"),
        ({"date": {"bernoulli": 0.5}}, "date: got {'bernoulli': 0.5}; allowed: {uniform"),
        ({"situation": {"kind": {"gamma": {"k": 2}}}}, "allowed: {choice: {value: weight"),
    ],
)
def test_bad_continuous_specs_are_named(
    tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    raw = yaml.safe_load(EXAMPLE.read_text()) | change
    file = tmp_path / "spec.yaml"
    file.write_text(yaml.safe_dump(raw))
    with pytest.raises(SpecError) as caught:
        load_spec(file)
    assert expected in str(caught.value)
    result = runner.invoke(app, ["sweep", str(file), "--samples", "10"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_the_dask_workers_run_without_the_malloc_setting_and_no_dashboard_port() -> None:
    import os

    pool = make_executor("dask", workers=1)
    try:
        env = pool.client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))  # type: ignore[attr-defined]
        assert list(env.values()) == [None]
        scheduler = pool.cluster.scheduler  # type: ignore[attr-defined]
        assert scheduler.http_server.port != 8787  # a free port: never in the way of another
        assert scheduler.address.startswith("tcp://127.0.0.1:")
    finally:
        pool.close()
