"""Crisis files, format 1: the public contract for describing a crisis to the engine.

    Measure            the ladder of collective measures, weakest first
    Invokes, Kind,     the closed vocabularies of the format
      Involvement, Intensity
    Appeal, Situation, Record, Crisis   the file's parts; `record` is what history did and is
                                        never read by the engine
    load_crisis(path)  read and validate one file (CrisisFileError on anything wrong)
    case_ids(), find_case(id_or_path)   the shipped case base under data/cases/
    crisis_hash(crisis) content hash of the facts (the record excluded)

The format may grow only by optional keys. Keys added so far beyond the first draft:
`situation.un_mandate` (default false): the UN Security Council has mandated action there;
`situation.sites` (optional): how many key sites a force would have to guard or hold.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StrictBool,
)

from csto.domain.errors import CrisisFileError, NotFound, Problem
from csto.domain.loader import DATA_DIR, load_yaml, validate
from csto.domain.models import ISO3, Frozen, Source

CASES_DIR = DATA_DIR / "cases"
NON_STATE = "non_state"


class Measure(IntEnum):
    """Collective measures, weakest first (shared/reference/cases.md)."""

    NONE = 0
    STATEMENT = 1
    CONSULTATIONS = 2
    ASSISTANCE = 3
    MISSION = 4
    DEPLOYMENT = 5

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: object) -> Measure:
        if isinstance(value, Measure):
            return value
        if isinstance(value, str) and value.upper() in cls.__members__:
            return cls[value.upper()]
        allowed = " < ".join(m.label for m in cls)
        raise ValueError(f"allowed: a ladder value, one of {allowed}")


def _measure(value: object) -> Measure:
    return Measure.parse(value)


MeasureField = Annotated[
    Measure, BeforeValidator(_measure), PlainSerializer(lambda m: m.label, return_type=str)
]


class Invokes(StrEnum):
    ART2 = "art2"
    ART4 = "art4"
    ASSISTANCE = "assistance"


DEFAULT_ASK = {
    Invokes.ART2: Measure.CONSULTATIONS,
    Invokes.ART4: Measure.DEPLOYMENT,
    Invokes.ASSISTANCE: Measure.ASSISTANCE,
}


class Kind(StrEnum):
    ARMED_ATTACK = "armed_attack"
    BORDER_CLASH = "border_clash"
    INTERNAL_UNREST = "internal_unrest"
    TERRORISM = "terrorism"
    CROSS_BORDER_THREAT = "cross_border_threat"
    WAR_ABROAD = "war_abroad"


class Involvement(StrEnum):
    NONE = "none"
    CLAIMED = "claimed"
    EVIDENCED = "evidenced"


class Intensity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def _opponent(value: str) -> str:
    if value == NON_STATE:
        return value
    if len(value) == 3 and value.isupper() and pycountry.countries.get(alpha_3=value) is not None:
        return value
    raise ValueError("allowed: an ISO 3166-1 alpha-3 state code such as AZE, or non_state")


Opponent = Annotated[str, AfterValidator(_opponent)]


def _ask(value: Measure | None) -> Measure | None:
    if value is Measure.NONE:
        raise ValueError("allowed: a measure to ask for, from statement up to deployment")
    return value


class Appeal(Frozen):
    by: ISO3
    invokes: Invokes
    asks: Annotated[MeasureField | None, AfterValidator(_ask)] = None

    @property
    def ask(self) -> Measure:
        return self.asks if self.asks is not None else DEFAULT_ASK[self.invokes]


class Situation(Frozen):
    kind: Kind
    territory: ISO3
    opponents: tuple[Opponent, ...] = Field(min_length=1, max_length=4)
    foreign_involvement: Involvement
    intensity: Intensity
    government_at_risk: StrictBool = False
    casualties: int | None = Field(default=None, ge=0)
    un_mandate: StrictBool = False
    sites: int | None = Field(default=None, ge=1, le=1000)

    @property
    def opposing_states(self) -> tuple[str, ...]:
        return tuple(o for o in self.opponents if o != NON_STATE)


class Record(Frozen):
    outcome: MeasureField
    acceptable: tuple[MeasureField, ...] = ()
    sources: tuple[Source, ...] = ()
    note: str | None = None

    @property
    def accepted(self) -> frozenset[Measure]:
        return frozenset((self.outcome, *self.acceptable))


class Crisis(Frozen):
    format: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=1)
    date: date
    appeal: Appeal | None = None
    situation: Situation
    record: Record | None = None

    def facts(self) -> dict[str, Any]:
        """The crisis without its record: everything the engine may read."""
        return self.model_dump(mode="json", exclude={"record"})


def crisis_hash(crisis: Crisis) -> str:
    """sha256 of the facts in canonical JSON; the record does not change the hash."""
    canonical = json.dumps(crisis.facts(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_crisis(raw: Any, file: Path | str) -> Crisis:
    if not isinstance(raw, dict):
        raise CrisisFileError(
            file, [Problem("", raw, "allowed: a mapping with format, id, title, date, situation")]
        )
    return validate(Crisis, raw, file, error=CrisisFileError)


def load_crisis(path: Path) -> Crisis:
    return parse_crisis(load_yaml(path, error=CrisisFileError), path)


def case_path(file_or_id: str) -> Path | None:
    """The file a crisis argument names: a path, or a shipped case's file (None if neither)."""
    path = Path(file_or_id)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path if path.exists() else None
    case = CASES_DIR / f"{file_or_id}.yaml"
    return case if case.exists() else None


def case_file_hash(file_or_id: str) -> str | None:
    """sha256 of the crisis file's bytes, for the receipt."""
    path = case_path(file_or_id)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path else None


def case_ids() -> list[str]:
    return sorted(p.stem for p in CASES_DIR.glob("*.yaml"))


def find_case(file_or_id: str) -> Crisis:
    """A crisis from a file path, or from the id of a shipped case."""
    path = case_path(file_or_id)
    if path is not None:
        return load_crisis(path)
    if Path(file_or_id).suffix in (".yaml", ".yml"):
        raise CrisisFileError(file_or_id, [Problem("", file_or_id, "the file does not exist")])
    raise NotFound("crisis file or case", file_or_id, tuple(case_ids()))
