"""The published JSON Schemas: every answer csto prints with --json, and every input file format.

    names()               every published schema's name; each maps to a model and a mode:
                          "serialization" for answers, "validation" for input files
    schema(name)          the JSON Schema as a dict, with $schema and $id
    write_schemas(folder) docs/schemas/<name>.schema.json; a test keeps the shipped files equal

An editor with a YAML language server completes a crisis file from crisis.schema.json when the
file starts with `# yaml-language-server: $schema=<path or URL of crisis.schema.json>`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter

Mode = Literal["serialization", "validation"]
BASE_ID = "https://csto.example/schemas/"  # a name, not a place csto fetches anything from


def _registry() -> dict[str, tuple[Any, Mode, str]]:
    from csto.analysis.report import SweepReport
    from csto.analysis.spec import SweepSpec
    from csto.domain.crisis import Crisis
    from csto.domain.errors import ErrorReport
    from csto.domain.question import Question
    from csto.domain.snapshot import ArticleReport, OrganizationSnapshot
    from csto.engine.decision import Decision
    from csto.engine.replay import ReplayReport
    from csto.engine.report import Assessment
    from csto.exercise.events import LogEvent
    from csto.exercise.queries import SeatView
    from csto.exercise.report import AfterActionReport
    from csto.exercise.scenario import ScenarioFile, ScenarioSummary
    from csto.service.calibration import SweepEstimate
    from csto.sim.report import Run
    from csto.store.repository import RunSummary
    from csto.store.session import StoreCheck

    return {
        "assessment": (Assessment, "serialization", "csto assess --json"),
        "decision": (Decision, "serialization", "csto decide --json"),
        "run": (Run, "serialization", "csto simulate --json, csto runs show --json"),
        "runs": (list[RunSummary], "serialization", "csto runs list --json"),
        "sweep": (SweepReport, "serialization", "csto sweep --json"),
        "sweep-estimate": (SweepEstimate, "serialization", "csto sweep --estimate --json"),
        "replay": (ReplayReport, "serialization", "csto replay --json"),
        "organization": (OrganizationSnapshot, "serialization", "csto org --json"),
        "article": (ArticleReport, "serialization", "csto article --json"),
        "store-check": (StoreCheck, "serialization", "csto db check --json"),
        "error": (ErrorReport, "serialization", "any command's error with --json"),
        "exercise-view": (SeatView, "serialization", "csto serve: GET /api/exercises/{id}/view"),
        "exercise-event": (
            LogEvent,
            "serialization",
            "csto serve: each event of a seat's log and stream",
        ),
        "after-action": (
            AfterActionReport,
            "serialization",
            "csto serve: GET /api/exercises/{id}/report",
        ),
        "scenario-summary": (ScenarioSummary, "serialization", "csto scenario check --json"),
        "crisis": (Crisis, "validation", "a crisis file, format 1"),
        "question": (Question, "validation", "a question file for csto decide, format 1"),
        "scenario": (ScenarioFile, "validation", "an exercise scenario for csto serve, format 1"),
        "spec": (SweepSpec, "validation", "an uncertainty spec for csto sweep, format 1"),
    }


def names() -> list[str]:
    return list(_registry())


def schema(name: str) -> dict[str, Any]:
    registry = _registry()
    if name not in registry:
        from csto.domain.errors import NotFound

        raise NotFound("schema", name, tuple(registry))
    model, mode, used_by = registry[name]
    if isinstance(model, type) and issubclass(model, BaseModel):
        body = model.model_json_schema(mode=mode)
    else:
        body = TypeAdapter(model).json_schema(mode=mode)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_ID}{name}.schema.json",
        "description": f"csto: {used_by}",
        **body,
    }


def render(name: str) -> str:
    return json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names():
        path = folder / f"{name}.schema.json"
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written
