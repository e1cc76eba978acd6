"""Exercise scenarios (YAML, format 1): a base crisis, a master events list, seats and objectives.

    format: 1
    id: my-exercise
    title: An exercise on a shipped case
    crisis: <case id>                # a shipped case id, a crisis file (relative), or a crisis inline
    demo: false                      # the scenario `csto serve --demo` opens (one shipped one)
    start: 2022-01-05T12:00:00Z      # exercise time when play begins (default: the crisis date, 00:00)
    rate: 60                         # exercise seconds per wall-clock second (default 1)
    settings: {players_see_assessment: true, motion_hours: 2, request_hours: 12}
    seats: {observers: 1, briefs: {KAZ: "...", SEC: "..."}}
    mel:                             # the master events list (or mel_csv: a CSV file beside it)
      - {id: riots, at: "0:30", audience: all, title: ..., body: ..., facts: {intensity: medium}}
      - {id: tasking, when: {event: motion_adopted, measure: deployment, delay: "1:00"}, ...}
    objectives:
      - {id: swift, text: The Council decides within a day., met_when: {event: motion_closed, within: "24:00"}}

    Offset, parse_offset(text)   "H:MM" or "Nd H:MM" of exercise time, as seconds
    Condition, Inject, Objective, Seats, Settings, Scenario   the parts
    ScenarioFile                 the file as written (its JSON Schema is published as "scenario")
    ScenarioSummary              a scenario checked, in brief
    load_scenario(world, path), scenario_text(world, text, name)   validate, resolve, check seats
    shipped_scenarios(), demo_scenario(world)   the scenarios in csto/data/scenarios; the demo

A scenario names seats by id (csto.exercise.seats): member states by ISO 3166 code, SEC for the
Secretariat and its Crisis Response Center, DIRECTOR for the white cell, OBS1.. for observers. An
audience is `all`, `members`, or a list of seat ids; the director sees everything in any case.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StrictBool,
    WithJsonSchema,
)

from csto.domain import DATA_DIR
from csto.domain.contract import Contract
from csto.domain.crisis import Crisis, Intensity, Involvement, MeasureField, parse_crisis
from csto.domain.errors import CrisisFileError, DataError, Problem, ScenarioError
from csto.domain.loader import validate
from csto.domain.models import Frozen
from csto.domain.yamlfiles import load_yaml, parse_yaml
from csto.exercise.seats import seat_ids
from csto.world import World

SCENARIOS_DIR = DATA_DIR / "scenarios"
OFFSET_RE = re.compile(r"^\+?(?:(\d{1,3})d\s*)?(\d{1,4}):([0-5]\d)$")
MAX_OFFSET = 366 * 86_400
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def parse_offset(value: object) -> int:
    """'0:30' -> 1800; '1d 06:00' -> 108000. Exercise time after the start (or after a condition)."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError("allowed: text such as '0:30' (hours:minutes) or '1d 06:00', not a number")
    if not isinstance(value, str) or not (found := OFFSET_RE.match(value.strip())):
        raise ValueError("allowed: an offset such as '0:30' (hours:minutes) or '1d 06:00'")
    days, hours, minutes = (int(g) if g else 0 for g in found.groups())
    seconds = days * 86_400 + hours * 3600 + minutes * 60
    if seconds > MAX_OFFSET:
        raise ValueError("allowed: an offset of at most 366 days")
    return seconds


def format_offset(seconds: int) -> str:
    days, rest = divmod(seconds, 86_400)
    text = f"{rest // 3600}:{rest % 3600 // 60:02d}"
    return f"{days}d {text}" if days else text


Offset = Annotated[
    int,
    BeforeValidator(parse_offset),
    PlainSerializer(format_offset, return_type=str),
    WithJsonSchema({"type": "string", "pattern": OFFSET_RE.pattern}),
]


class ConditionEvent(StrEnum):
    """What an inject or objective may wait for: a Council decision, play, or the simulation."""

    APPEAL_FILED = "appeal_filed"
    MOTION_OPENED = "motion_opened"
    MOTION_CLOSED = "motion_closed"
    MOTION_ADOPTED = "motion_adopted"
    MOTION_REJECTED = "motion_rejected"
    FORCE_REQUESTED = "force_requested"
    DEPLOYMENT_ORDERED = "deployment_ordered"
    FIRST_ARRIVAL = "first_arrival"
    DEPLOYMENT_COMPLETE = "deployment_complete"
    HANDOVER = "handover"
    WITHDRAWAL_COMPLETE = "withdrawal_complete"
    SITREP_RELEASED = "sitrep_released"
    INJECT_RELEASED = "inject_released"


class EngineFinding(Frozen):
    """A finding of the engine on the exercise's current crisis facts."""

    outcome_at_least: MeasureField | None = None
    outcome_below: MeasureField | None = None


class Condition(Frozen):
    event: ConditionEvent | None = None
    measure: MeasureField | None = Field(default=None, description="for motion events")
    inject: str | None = Field(default=None, description="for inject_released: which inject")
    engine: EngineFinding | None = None
    delay: Offset = Field(default=0, description="exercise time after the condition is met")
    within: Offset | None = Field(
        default=None,
        description="objectives only: met only if it happens this soon after the start",
    )


def _audience(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[\s,;]+", value) if v]
    if not isinstance(value, list | tuple) or not value:
        raise ValueError("allowed: all, members, or a list of seat ids such as [KAZ, SEC]")
    return tuple(str(v) for v in value)


Audience = Annotated[
    tuple[str, ...],
    BeforeValidator(_audience),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]


class FactChanges(Frozen):
    """What an inject may change in the crisis facts (csto.domain.crisis.Situation)."""

    intensity: Intensity | None = None
    foreign_involvement: Involvement | None = None
    government_at_risk: StrictBool | None = None
    casualties: int | None = Field(default=None, ge=0, le=10_000_000)
    sites: int | None = Field(default=None, ge=1, le=1000)
    un_mandate: StrictBool | None = None

    def changed(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class Inject(Frozen):
    id: str = Field(pattern=SLUG, max_length=60)
    at: Offset | None = Field(default=None, description="exercise time after the start")
    when: Condition | None = None
    audience: Audience = ("all",)
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=8000)
    facts: FactChanges | None = None


class Objective(Frozen):
    id: str = Field(pattern=SLUG, max_length=60)
    text: str = Field(min_length=1, max_length=1000)
    met_when: Condition | None = None


class Settings(Frozen):
    players_see_assessment: bool = Field(
        default=True,
        description="player seats see the engine's assessment; false: the white cell only",
    )
    motion_hours: float = Field(default=2.0, gt=0, le=720, description="default voting time")
    request_hours: float = Field(default=12.0, gt=0, le=720, description="default time for offers")
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="the simulation's seed")


class Seats(Frozen):
    observers: int = Field(default=1, ge=0, le=9)
    briefs: dict[str, Annotated[str, Field(max_length=8000)]] = Field(
        default_factory=dict,
        description="seat id -> a brief only that seat (and the director) sees",
    )


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("allowed: a time with its zone, such as 2022-01-05T12:00:00Z")
    return value.astimezone(UTC)


class ScenarioFile(Frozen):
    """An exercise scenario as written in its YAML file."""

    format: Literal[1]
    id: str = Field(pattern=SLUG, max_length=80)
    title: str = Field(min_length=1, max_length=300)
    note: str | None = Field(default=None, max_length=4000)
    demo: bool = Field(default=False, description="the shipped scenario `csto serve --demo` opens")
    crisis: str | dict[str, Any] = Field(
        description="a shipped case id, a crisis file relative to the scenario, or a crisis inline"
    )
    start: Annotated[datetime, AfterValidator(_utc)] | None = None
    rate: float = Field(default=1.0, gt=0, le=3600, description="exercise seconds per wall second")
    chair: str | None = Field(default=None, description="the member chairing the Council")
    settings: Settings = Field(default_factory=Settings)
    seats: Seats = Field(default_factory=Seats)
    mel: tuple[Inject, ...] = Field(default=(), description="the master events list")
    mel_csv: str | None = Field(
        default=None,
        max_length=300,
        description="or: the master events list in a CSV file beside the scenario",
    )
    objectives: tuple[Objective, ...] = ()


class Scenario(Frozen):
    """A scenario resolved: its crisis read (the record kept only for the after-action report),
    its master events list read, its seats checked against the members on the crisis date."""

    id: str
    title: str
    note: str | None
    demo: bool = False
    crisis: Crisis
    start: datetime
    rate: float
    chair: str | None
    settings: Settings
    seats: Seats
    seat_ids: tuple[str, ...]
    mel: tuple[Inject, ...]
    objectives: tuple[Objective, ...]


class ScenarioSummary(Contract):
    """A scenario checked: what `csto scenario check --json` and POST /api/scenarios/check answer."""

    id: str
    title: str
    crisis: str
    start: datetime
    rate: float
    seats: tuple[str, ...]
    injects: int
    objectives: int

    @classmethod
    def of(cls, s: Scenario) -> ScenarioSummary:
        return cls(
            id=s.id,
            title=s.title,
            crisis=s.crisis.id,
            start=s.start,
            rate=s.rate,
            seats=s.seat_ids,
            injects=len(s.mel),
            objectives=len(s.objectives),
        )


def _crisis(world: World, given: str | dict[str, Any], folder: Path | None, name: str) -> Crisis:
    if isinstance(given, dict):
        return parse_crisis(given, f"{name}: crisis")
    if given in world.cases:
        return world.cases.get(given)
    path = Path(given)
    if folder is None or path.suffix.lower() not in (".yaml", ".yml") or path.is_absolute():
        allowed = (
            "allowed: a shipped case id ("
            + ", ".join(world.cases.ids())
            + "), a crisis mapping inline"
            + (", or a crisis file (.yaml) beside the scenario" if folder else "")
        )
        raise ScenarioError(name, [Problem("crisis", given, allowed)])
    file = folder / path
    try:
        return parse_crisis(load_yaml(file, error=CrisisFileError), file)
    except CrisisFileError as exc:
        if not file.is_file():
            raise ScenarioError(
                name, [Problem("crisis", given, "allowed: an existing crisis file")]
            ) from None
        raise exc from None


def resolve(world: World, raw: Any, name: str, folder: Path | None = None) -> Scenario:
    """Validate a parsed scenario and resolve its crisis, its CSV master events list and its seats."""
    from csto.exercise.mel import read_mel

    if not isinstance(raw, dict):
        raise ScenarioError(name, [Problem("", type(raw).__name__, "allowed: a mapping")])
    if "crisis" in raw and not isinstance(raw["crisis"], str | dict):
        allowed = "allowed: a shipped case id, a crisis file, or a crisis mapping inline"
        raise ScenarioError(name, [Problem("crisis", raw["crisis"], allowed)])
    written = validate(ScenarioFile, raw, name, error=ScenarioError)
    crisis = _crisis(world, written.crisis, folder, name)
    mel = written.mel
    if written.mel_csv is not None:
        csv_file = Path(written.mel_csv)
        if folder is None or written.mel or csv_file.is_absolute() or csv_file.suffix != ".csv":
            allowed = "allowed: a .csv file beside the scenario, instead of 'mel' (an upload names no file)"
            raise ScenarioError(name, [Problem("mel_csv", written.mel_csv, allowed)])
        mel = read_mel(folder / csv_file)
    members = tuple(s.code for s in world.org.members(crisis.date))
    seats = seat_ids(members, written.seats.observers)
    start = written.start or datetime.combine(crisis.date, time(0, 0), tzinfo=UTC)
    scenario = Scenario(
        id=written.id,
        title=written.title,
        note=written.note,
        demo=written.demo,
        crisis=crisis,
        start=start,
        rate=written.rate,
        chair=written.chair,
        settings=written.settings,
        seats=written.seats,
        seat_ids=seats,
        mel=mel,
        objectives=written.objectives,
    )
    problems = check(scenario, members)
    if problems:
        raise ScenarioError(name, problems)
    return scenario


def check(scenario: Scenario, members: tuple[str, ...]) -> list[Problem]:
    """What the structure cannot say: seat ids, unique ids, one of at/when, facts that apply."""
    problems: list[Problem] = []
    known = set(scenario.seat_ids)
    audiences = "allowed: all, members, or seat ids: " + ", ".join(scenario.seat_ids)
    if scenario.chair is not None and scenario.chair not in members:
        problems.append(
            Problem(
                "chair",
                scenario.chair,
                "allowed: a member on the crisis date: " + ", ".join(members),
            )
        )
    for seat in scenario.seats.briefs:
        if seat not in known:
            problems.append(
                Problem(f"seats.briefs.{seat}", seat, "allowed: " + ", ".join(scenario.seat_ids))
            )
    ids = [i.id for i in scenario.mel]
    for k, inject in enumerate(scenario.mel):
        where = f"mel[{k}]"
        if ids.count(inject.id) > 1:
            problems.append(Problem(f"{where}.id", inject.id, "allowed: an id used once"))
        if (inject.at is None) == (inject.when is None):
            problems.append(
                Problem(
                    where,
                    inject.id,
                    "allowed: exactly one of 'at' (an offset) or 'when' (a condition)",
                )
            )
        for seat in inject.audience:
            if seat not in known and seat not in ("all", "members"):
                problems.append(Problem(f"{where}.audience", seat, audiences))
        if inject.when is not None:
            problems += _check_condition(inject.when, f"{where}.when", ids, objective=False)
        if inject.facts is not None:
            try:
                apply_facts(scenario.crisis, inject.facts.changed())
            except DataError as exc:
                problems += [Problem(f"{where}.facts", p.value, p.allowed) for p in exc.problems]
    objective_ids = [o.id for o in scenario.objectives]
    for k, objective in enumerate(scenario.objectives):
        if objective_ids.count(objective.id) > 1:
            problems.append(
                Problem(f"objectives[{k}].id", objective.id, "allowed: an id used once")
            )
        if objective.met_when is not None:
            problems += _check_condition(
                objective.met_when, f"objectives[{k}].met_when", ids, objective=True
            )
    return problems


def _check_condition(
    c: Condition, where: str, injects: list[str], objective: bool
) -> list[Problem]:
    problems = []
    if (c.event is None) == (c.engine is None):
        problems.append(Problem(where, c.event, "allowed: exactly one of 'event' or 'engine'"))
    if c.event is ConditionEvent.INJECT_RELEASED and c.inject not in injects:
        problems.append(
            Problem(f"{where}.inject", c.inject, "allowed: the id of an inject in the mel")
        )
    if c.within is not None and not objective:
        problems.append(Problem(f"{where}.within", c.within, "allowed only in objectives"))
    return problems


def apply_facts(crisis: Crisis, changes: dict[str, Any]) -> Crisis:
    """The crisis with situation fields changed, validated as a crisis file would be."""
    facts = crisis.facts()
    facts["situation"] = {**facts["situation"], **changes}
    return parse_crisis(facts, f"crisis {crisis.id} after an inject")


def load_scenario(world: World, path: Path) -> Scenario:
    return resolve(world, load_yaml(path, error=ScenarioError), str(path), path.parent)


def scenario_text(world: World, text: str, name: str = "scenario") -> Scenario:
    """An uploaded scenario: inline crisis or a case id; no file is opened."""
    return resolve(world, parse_yaml(text, name, ScenarioError), name)


def shipped_scenarios() -> list[str]:
    return sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))


def demo_scenario(world: World) -> Scenario:
    """The shipped scenario marked `demo: true`."""
    for name in shipped_scenarios():
        found = scenario_argument(world, name)
        if found.demo:
            return found
    raise ScenarioError(
        SCENARIOS_DIR, [Problem("demo", None, "allowed: one shipped scenario with demo: true")]
    )


def scenario_argument(world: World, arg: str) -> Scenario:
    """A shipped scenario's id, or a scenario file (.yaml/.yml)."""
    if arg in shipped_scenarios():
        return load_scenario(world, SCENARIOS_DIR / f"{arg}.yaml")
    path = Path(arg)
    if path.suffix.lower() not in (".yaml", ".yml"):
        from csto.domain.errors import NotFound

        raise NotFound("scenario", arg, tuple(shipped_scenarios()))
    return load_scenario(world, path)  # the safe loader refuses pipes, devices and large files
