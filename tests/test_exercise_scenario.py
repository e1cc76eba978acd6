"""Scenario files and their master events list: the shipped ones load and validate against the
published schema, the CSV form round-trips, and each kind of mistake is named by its key path."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from csto.cli import app
from csto.domain.errors import ScenarioError
from csto.domain.yamlfiles import load_yaml
from csto.exercise import load_scenario, scenario_argument, scenario_text
from csto.exercise.mel import parse_mel, write_mel
from csto.exercise.scenario import SCENARIOS_DIR, parse_offset, shipped_scenarios

from .worlds import WORLD

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _schema(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((ROOT / "docs" / "schemas" / f"{name}.schema.json").read_text())  # type: ignore[no-any-return]


def test_two_scenarios_are_shipped_and_valid() -> None:
    assert set(shipped_scenarios()) == {"kazakhstan-2022", "southern-shield"}
    for name in shipped_scenarios():
        jsonschema.validate(
            load_yaml(SCENARIOS_DIR / f"{name}.yaml"),
            _schema("scenario"),
            cls=jsonschema.Draft202012Validator,
        )
        s = scenario_argument(WORLD, name)
        assert s.mel
        assert s.objectives
        assert "DIRECTOR" in s.seat_ids
        assert "SEC" in s.seat_ids
    defence = scenario_argument(WORLD, "southern-shield")
    assert defence.crisis.situation.kind.value == "armed_attack"
    assert defence.crisis.appeal is not None
    assert defence.crisis.appeal.invokes.value == "art4"
    assert "exercise" in defence.title.lower()
    assert defence.crisis.record is None


def test_scenario_check_prints_json_that_validates() -> None:
    result = runner.invoke(app, ["scenario", "check", "kazakhstan-2022", "--json"])
    assert result.exit_code == 0, result.output
    jsonschema.validate(
        json.loads(result.stdout), _schema("scenario-summary"), cls=jsonschema.Draft202012Validator
    )
    bad = runner.invoke(app, ["scenario", "check", "no-such-scenario"])
    assert bad.exit_code == 2
    assert "kazakhstan-2022" in bad.stderr


@pytest.mark.parametrize("name", ["kazakhstan-2022", "southern-shield"])
def test_the_mel_round_trips_through_csv(name: str) -> None:
    mel = scenario_argument(WORLD, name).mel
    assert parse_mel(write_mel(mel), "mel.csv") == mel


def test_a_scenario_reads_its_mel_from_a_csv_beside_it(tmp_path: Path) -> None:
    mel = scenario_argument(WORLD, "kazakhstan-2022").mel
    (tmp_path / "mel.csv").write_text(write_mel(mel))
    (tmp_path / "s.yaml").write_text(
        yaml.safe_dump(
            {
                "format": 1,
                "id": "csv",
                "title": "t",
                "crisis": "kazakhstan-2022",
                "mel_csv": "mel.csv",
            }
        )
    )
    assert load_scenario(WORLD, tmp_path / "s.yaml").mel == mel
    result = runner.invoke(
        app, ["scenario", "mel", "kazakhstan-2022", "--out", str(tmp_path / "out.csv")]
    )
    assert result.exit_code == 0
    assert (tmp_path / "out.csv").read_text() == write_mel(mel)


@pytest.mark.parametrize(
    ("csv_text", "where"),
    [
        ("id,title\nx,y\n", "row 1"),
        (
            "id,at,when_event,when_measure,when_inject,when_engine_at_least,when_engine_below,delay,audience,title,body,facts\nbad id,0:10,,,,,,,all,t,b,\n",
            "row 2.id",
        ),
        (
            "id,at,when_event,when_measure,when_inject,when_engine_at_least,when_engine_below,delay,audience,title,body,facts\nx,0:10,,,,,,,all,t,b,intensity\n",
            "row 2.facts",
        ),
        (
            "id,at,when_event,when_measure,when_inject,when_engine_at_least,when_engine_below,delay,audience,title,body,facts\nx,,riot,,,,,,all,t,b,\n",
            "row 2.when.event",
        ),
    ],
)
def test_a_bad_csv_row_is_named(csv_text: str, where: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_mel(csv_text, "mel.csv")
    assert caught.value.problems[0].path.startswith(where), caught.value.problems


BASE = {"format": 1, "id": "s", "title": "t", "crisis": "kazakhstan-2022"}


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"mel": [{"id": "a", "title": "t"}]}, "mel[0]", "exactly one of 'at'"),
        (
            {"mel": [{"id": "a", "at": "0:10", "when": {"event": "appeal_filed"}, "title": "t"}]},
            "mel[0]",
            "exactly one",
        ),
        (
            {"mel": [{"id": "a", "at": "0:10", "audience": ["XYZ"], "title": "t"}]},
            "mel[0].audience",
            "SEC",
        ),
        (
            {
                "mel": [
                    {"id": "a", "at": "0:10", "title": "t"},
                    {"id": "a", "at": "0:20", "title": "u"},
                ]
            },
            "mel[1].id",
            "once",
        ),
        (
            {"mel": [{"id": "a", "at": "0:10", "title": "t", "facts": {"intensity": "extreme"}}]},
            "mel[0].facts.intensity",
            "high",
        ),
        (
            {"mel": [{"id": "a", "at": "0:10", "title": "t", "facts": {"territory": "RUS"}}]},
            "mel[0].facts.territory",
            "unknown",
        ),
        (
            {
                "mel": [
                    {"id": "a", "when": {"event": "inject_released", "inject": "b"}, "title": "t"}
                ]
            },
            "mel[0].when.inject",
            "inject in the mel",
        ),
        ({"mel": [{"id": "a", "at": "25h", "title": "t"}]}, "mel[0].at", "0:30"),
        ({"chair": "UKR"}, "chair", "member"),
        ({"seats": {"briefs": {"NATO": "x"}}}, "seats.briefs.NATO", "KAZ"),
        ({"crisis": "no-such-case"}, "crisis", "kazakhstan-2022"),
        ({"crisis": ["a"]}, "crisis", "crisis mapping"),
        ({"rate": 0}, "rate", "greater than 0"),
        ({"start": "2022-01-05T08:00:00"}, "start", "zone"),
        (
            {
                "objectives": [
                    {"id": "o", "text": "t", "met_when": {"event": "appeal_filed", "within": "x"}}
                ]
            },
            "objectives[0].met_when.within",
            "0:30",
        ),
    ],
)
def test_each_mistake_in_a_scenario_is_named(changes: dict, path: str, words: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ScenarioError) as caught:
        scenario_text(WORLD, yaml.safe_dump({**BASE, **changes}), "s.yaml")
    paths = [p.path for p in caught.value.problems]
    assert any(p.startswith(path) for p in paths), (paths, str(caught.value))
    assert words in str(caught.value), str(caught.value)


def test_offsets() -> None:
    assert parse_offset("0:30") == 1800
    assert parse_offset("1d 06:00") == 108_000
    assert parse_offset("+26:15") == 26 * 3600 + 900
    for bad in ("30", "1:5", "400d 0:00", 30, "tomorrow"):
        with pytest.raises(ValueError, match="allowed"):
            parse_offset(bad)
