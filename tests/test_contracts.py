"""Contracts of the code itself: published schemas, the JSON every command prints, the layering,
where the default World may be built, and what a what-if may never change."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csto.cli import app
from csto.domain.crisis import parse_crisis
from csto.domain.models import (
    TRANSITIONS,
    EventKind,
    Relation,
    RelationLevel,
    StateEvent,
    Trait,
    TraitName,
)
from csto.engine import assess
from csto.service import schemas
from csto.sim import simulate

from .strategies import crisis_dicts
from .worlds import WORLD, case_ids

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schemas"
runner = CliRunner()


def validate(name: str, data: Any) -> None:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("name", schemas.names())
def test_the_shipped_schemas_are_the_models(name: str) -> None:
    shipped = (SCHEMAS / f"{name}.schema.json").read_text()
    assert shipped == schemas.render(name), "regenerate with: csto schema --write docs/schemas"


def test_every_answer_validates_against_its_schema(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'runs.db'}"
    example = ROOT / "examples" / "kazakhstan-2022-sweep.yaml"
    answers = {
        "assessment": ["assess", "kazakhstan-2022", "--json"],
        "run": ["simulate", "kazakhstan-2022", "--json", "--db", db],
        "runs": ["runs", "list", "--json", "--db", db],
        "sweep": ["sweep", str(example), "--samples", "2000", "--batch-size", "1000", "--json"],
        "replay": ["replay", "--json"],
        "organization": ["org", "--at", "2016-06-01", "--json"],
        "article": ["article", "CST", "4", "--at", "2015-01-01", "--json"],
        "store-check": ["db", "check", "--json", "--db", db],
        "sweep-estimate": ["sweep", str(example), "--samples", "10000", "--estimate", "--json"],
    }
    for name, args in answers.items():
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (name, result.output)
        validate(name, json.loads(result.stdout))
    error = runner.invoke(app, ["assess", "no-such-case", "--json"])
    assert error.exit_code == 2
    validate("error", json.loads(error.stdout))


def test_a_wrong_answer_fails_its_schema() -> None:
    data = json.loads(runner.invoke(app, ["assess", "kazakhstan-2022", "--json"]).stdout)
    data["outcome"] = "invasion"
    with pytest.raises(jsonschema.ValidationError):
        validate("assessment", data)


def test_the_shipped_cases_validate_against_the_crisis_schema() -> None:
    from csto.domain.yamlfiles import load_yaml

    for case_id in case_ids():
        validate("crisis", load_yaml(WORLD.cases.path(case_id)))


def test_the_receipt_holds_hashes_and_versions_and_the_trace_appears_once() -> None:
    data = assess(WORLD, WORLD.cases.get("kazakhstan-2022")).dump()
    assert set(data["receipt"]) == {
        "engine_version",
        "data_hash",
        "crisis_hash",
        "file_hash",
        "reforms",
    }
    text = json.dumps(data)
    first_step = json.dumps(data["legal"]["steps"][0])
    assert text.count(first_step) == 1


# --- layering ----------------------------------------------------------------------------------
def test_the_layers_depend_downward_only() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_layering_contract_fails_when_a_lower_layer_imports_a_higher_one(
    tmp_path: Path,
) -> None:
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    law = tmp_path / "src" / "csto" / "law" / "rules.py"
    law.write_text(law.read_text() + "\nfrom csto.engine import assess  # noqa\n")
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0
    assert "csto.law.rules -> csto.engine" in done.stdout


def test_only_the_edges_build_the_default_world() -> None:
    allowed = {ROOT / "src" / "csto" / "world.py"}
    offenders = []
    for path in (ROOT / "src" / "csto").rglob("*.py"):
        parts = path.relative_to(ROOT / "src" / "csto").parts
        if path in allowed or "cli" in parts or "api" in parts:  # the edges: CLI and server
            continue
        tree = ast.parse(path.read_text())
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        if names & {"default_world", "cached_world"}:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_public_surfaces_are_pinned() -> None:
    import csto.domain
    import csto.engine
    import csto.sim
    import csto.store

    for module in (csto.domain, csto.engine, csto.sim, csto.store):
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)
    assert (ROOT / "src" / "csto" / "py.typed").exists()


# --- what-ifs never change the World they came from ------------------------------------------
STATE_CODES = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
PROBES = [
    parse_crisis(
        {
            "format": 1,
            "id": f"probe-{i}",
            "title": "probe",
            "date": day,
            "appeal": {"by": by, "invokes": "art4"},
            "situation": {
                "kind": kind,
                "territory": by,
                "opponents": opponents,
                "foreign_involvement": "claimed",
                "intensity": "low",
                "government_at_risk": True,
            },
        },
        "probe.yaml",
    )
    for i, (day, by, kind, opponents) in enumerate(
        [
            ("2022-01-05", "KAZ", "internal_unrest", ["non_state"]),
            ("2021-05-14", "ARM", "border_clash", ["AZE"]),
            ("2010-06-12", "KGZ", "internal_unrest", ["non_state"]),
            ("2015-03-01", "TJK", "armed_attack", ["AFG"]),
        ]
    )
]


def _answers() -> list[dict[str, Any]]:
    out = [assess(WORLD, c).dump() for c in PROBES]
    out += [assess(WORLD, WORLD.cases.get(c)).dump() for c in case_ids()]
    out.append({"members": [s.code for s in WORLD.org.members(date(2022, 1, 5))]})
    out.append(
        {"regime": WORLD.regime.status.tobytes(), "relations": WORLD.regime.relation.tobytes()}
    )
    return out


BASELINE = _answers()


@st.composite
def changes(draw: st.DrawFn) -> dict[str, Any]:
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2024, 12, 31)))
    kind = draw(st.sampled_from(["events", "relations", "traits", "parameters"]))
    source = "https://example.org/what-if"
    if kind == "events":  # an event the state's status allows, after its last recorded event
        code = draw(st.sampled_from(STATE_CODES))
        after = max(e.date for e in WORLD.org.state(code).events)
        status = WORLD.org.status(code, after)
        allowed = sorted(k for k, (sources, _) in TRANSITIONS.items() if status in sources)
        event = draw(st.sampled_from(allowed))
        when = after + timedelta(days=draw(st.integers(1, 400)))
        return {"events": {code: [StateEvent(date=when, kind=event, source=source)]}}
    if kind == "relations":
        a = draw(st.sampled_from(STATE_CODES))
        b = draw(
            st.sampled_from(["AZE", "CHN", "AFG", "UKR", "TUR", *STATE_CODES]).filter(
                lambda x: x != a
            )
        )
        level = draw(st.sampled_from(list(RelationLevel)))
        return {"relations": [Relation(a=a, b=b, valid_from=day, level=level, source=source)]}
    if kind == "traits":
        trait = draw(
            st.sampled_from(
                [(TraitName.CAPACITY, "committed"), (TraitName.PRECEDENT_SENSITIVITY, "high")]
            )
        )
        code = draw(st.sampled_from(STATE_CODES))
        return {
            "traits": [
                Trait(code=code, trait=trait[0], value=trait[1], valid_from=day, source=source)
            ]
        }
    name, value = draw(
        st.sampled_from(
            [
                ("ties_cap", "statement"),
                ("cost_cap", "none"),
                ("no_appeal_cap", "none"),
                ("stabilisation_max_intensity", "low"),
            ]
        )
    )
    return {"parameters": {name: value}}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(change=changes(), probe=crisis_dicts())
def test_a_what_if_never_changes_the_world_it_came_from(
    change: dict[str, Any], probe: dict[str, Any]
) -> None:
    other = WORLD.what_if(**change)
    crisis = parse_crisis(probe, "probe.yaml")
    assess(other, crisis)  # use the what-if: its caches fill, its answers may differ
    simulate(other, PROBES[0])
    assert _answers() == BASELINE


def test_a_what_if_does_change_its_own_answers() -> None:
    left = WORLD.what_if(
        events={
            "KAZ": [
                StateEvent(
                    date=date(2021, 1, 1),
                    kind=EventKind.END_OF_PARTICIPATION,
                    source="https://example.org/x",
                )
            ]
        }
    )
    assert assess(left, PROBES[0]).outcome.label == "none"
    assert assess(WORLD, PROBES[0]).outcome.label == "deployment"
    assert left.data_hash != WORLD.data_hash
