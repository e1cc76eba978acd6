"""The simulation's golden file: Kazakhstan, seed 0, as examples/kazakhstan-2022.seed0.json holds it.

Any change to the lifecycle's output shows here. When a change is meant, regenerate the file with
`CSTO_GOLDEN=write python -m pytest tests/test_golden.py` and review the diff. The run id, the
receipt's hashes and the inputs hash are left out: they change with any edit of the data files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from csto.sim import simulate

from .worlds import WORLD, case

GOLDEN = Path(__file__).resolve().parent.parent / "examples" / "kazakhstan-2022.seed0.json"


def _stable(run: dict[str, Any]) -> dict[str, Any]:
    run = {k: v for k, v in run.items() if k not in ("run_id", "inputs_hash")}
    assessment = dict(run["assessment"])
    assessment["receipt"] = {
        k: v
        for k, v in assessment["receipt"].items()
        if k not in ("data_hash", "crisis_hash", "file_hash")
    }
    run["assessment"] = assessment
    return run


def test_the_kazakhstan_run_matches_its_golden_file() -> None:
    run = _stable(simulate(WORLD, case("kazakhstan-2022"), seed=0).dump())
    if os.environ.get("CSTO_GOLDEN") == "write":
        GOLDEN.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n")
    golden = json.loads(GOLDEN.read_text())
    assert run["milestones"] == golden["milestones"]
    assert run["forces"] == golden["forces"]
    assert run["events"] == golden["events"]
    assert run["sitreps"] == golden["sitreps"]
    assert run == golden
