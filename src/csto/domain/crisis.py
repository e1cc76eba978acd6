"""Crisis files, format 1: the public contract for describing a crisis to the engine.

    Measure, MeasureField   the ladder of collective measures, weakest first (labels in files)
    Invokes, Kind,          the closed vocabularies of the format
      Involvement, Intensity, RussiaAct
    ATTACKS, STABILISATION  the kinds that are aggression on a territory, and those a force stabilises
    Appeal, Situation, Record, Crisis   the file's parts; `record` is what history did and is
                                        never read by the engine
    HORIZON                 the dates a crisis file may carry
    parse_crisis(raw, file), load_crisis(path)   validate (CrisisFileError on anything wrong)
    crisis_hash(crisis)     content hash of the facts (the record excluded)

The format may grow only by optional keys. Keys added so far beyond the first draft:
`situation.un_mandate` (default false): the UN Security Council has mandated action there;
`situation.sites` (optional): how many key sites a force would have to guard or hold;
`situation.host_consent` (optional): the consent of a non-member host to the organization's presence;
`coding` (optional text): why the facts were coded so (the engine never reads it);
`record.russia` (optional): what Russia did outside the organization.

The shipped case base is a catalogue (csto.domain.catalogue); this module only parses.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    StrictBool,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from csto.domain.errors import CrisisFileError, Problem
from csto.domain.iso import is_iso3
from csto.domain.loader import validate
from csto.domain.models import ISO3, Frozen, Source
from csto.domain.yamlfiles import describe, load_yaml

NON_STATE = "non_state"
# The dates a crisis file may carry. Dates before the treaty are refused by the engine with their
# own message; the upper bound keeps every simulated timestamp far inside Python's calendar.
HORIZON = (date(1900, 1, 1), date(2100, 12, 31))


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


LADDER = tuple(m.label for m in Measure)
MeasureField = Annotated[
    Measure,
    BeforeValidator(_measure),
    PlainSerializer(lambda m: m.label, return_type=str),
    WithJsonSchema({"type": "string", "enum": list(LADDER)}),
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


# Aggression against a territory (CST Art. 4), and the situations a force would stabilise.
ATTACKS = (Kind.ARMED_ATTACK, Kind.BORDER_CLASH)
STABILISATION = (Kind.INTERNAL_UNREST, Kind.TERRORISM, Kind.CROSS_BORDER_THREAT)


class Involvement(StrEnum):
    NONE = "none"
    CLAIMED = "claimed"
    EVIDENCED = "evidenced"


class Intensity(StrEnum):
    """What a peacekeeping force would face (docs/crisis-format.md gives the scale):
    low: no organised armed resistance; localised unrest or skirmishes;
    medium: organised armed groups or sustained clashes over a region;
    high: war or sustained combat between organised forces over a large area."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _INTENSITY_RANK[self]


_INTENSITY_RANK = {i: k for k, i in enumerate(Intensity)}


class RussiaAct(StrEnum):
    """What Russia does outside the organization: nothing, acts under a bilateral instrument or
    with the host's consent, or acts on its own without either."""

    NOTHING = "nothing"
    BILATERAL = "bilateral"
    UNILATERAL = "unilateral"


def _opponent(value: str) -> str:
    if value == NON_STATE or is_iso3(value):
        return value
    raise ValueError("allowed: an ISO 3166-1 alpha-3 state code such as AZE, or non_state")


Opponent = Annotated[
    str,
    AfterValidator(_opponent),
    WithJsonSchema({"type": "string", "pattern": "^([A-Z]{3}|non_state)$"}),
]


def _in_horizon(value: date) -> date:
    low, high = HORIZON
    if not low <= value <= high:
        raise ValueError(f"allowed: a date from {low.isoformat()} to {high.isoformat()}")
    return value


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


# The most deaths each intensity admits (docs/crisis-format.md: low, a few hundred; medium, hundreds).
MAX_DEATHS = {Intensity.LOW: 1_000, Intensity.MEDIUM: 10_000}


class Situation(Frozen):
    kind: Kind
    territory: ISO3
    opponents: tuple[Opponent, ...] = Field(min_length=1, max_length=4)
    foreign_involvement: Involvement
    intensity: Intensity
    government_at_risk: StrictBool = False
    casualties: int | None = Field(default=None, ge=0, le=10_000_000)
    un_mandate: StrictBool = False
    sites: int | None = Field(default=None, ge=1, le=1000)
    host_consent: StrictBool | None = Field(
        default=None,
        description="for events on a non-member's territory: does that state's government consent "
        "to the organization's presence? (null: not stated)",
    )

    @property
    def opposing_states(self) -> tuple[str, ...]:
        return tuple(o for o in self.opponents if o != NON_STATE)

    @field_validator("opponents")
    @classmethod
    def _not_the_territory(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        kind, territory = info.data.get("kind"), info.data.get("territory")
        if kind in ATTACKS and territory in value:
            raise ValueError(
                f"allowed: states other than the territory's own ({territory}) in a {kind.value.replace('_', ' ')}; "
                "a state fighting abroad is coded war_abroad"
            )
        return value

    @field_validator("casualties")
    @classmethod
    def _within_the_scale(cls, value: int | None, info: ValidationInfo) -> int | None:
        intensity = info.data.get("intensity")
        if not isinstance(intensity, Intensity):
            return value
        most = MAX_DEATHS.get(intensity)
        if value is not None and most is not None and value > most:
            raise ValueError(
                f"allowed: at most {most:,} deaths at intensity {intensity.value} (the scale of "
                "docs/crisis-format.md): a higher intensity, or a check of the figure"
            )
        return value


class Record(Frozen):
    outcome: MeasureField
    acceptable: tuple[MeasureField, ...] = ()
    russia: RussiaAct | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None

    @property
    def accepted(self) -> frozenset[Measure]:
        return frozenset((self.outcome, *self.acceptable))


class Crisis(Frozen):
    format: Literal[1]
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=1, max_length=300)
    date: Annotated[date, AfterValidator(_in_horizon)]
    appeal: Appeal | None = None
    situation: Situation
    coding: str | None = Field(default=None, max_length=4000)
    record: Record | None = None

    @field_validator("situation")
    @classmethod
    def _appeal_fits(cls, value: Situation, info: ValidationInfo) -> Situation:
        appeal = info.data.get("appeal")
        if appeal is not None and value.kind is Kind.WAR_ABROAD and value.territory == appeal.by:
            raise ValueError(
                "allowed: a war abroad is fought outside the appellant's territory; an attack on "
                "its own territory is coded armed_attack or border_clash"
            )
        return value

    def facts(self) -> dict[str, Any]:
        """The crisis without its record: everything the engine may read."""
        return self.model_dump(mode="json", exclude={"record"})


def crisis_hash(crisis: Crisis) -> str:
    """sha256 of the facts in canonical JSON; the record does not change the hash."""
    canonical = json.dumps(crisis.facts(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_crisis(raw: Any, file: Path | str) -> Crisis:
    if not isinstance(raw, dict):
        allowed = "allowed: a mapping with format, id, title, date, situation"
        raise CrisisFileError(file, [Problem("", _Shown(describe(raw)), allowed)])
    return validate(Crisis, raw, file, error=CrisisFileError)


class _Shown(str):
    def __repr__(self) -> str:
        return str(self)


def load_crisis(path: Path) -> Crisis:
    return parse_crisis(load_yaml(path, error=CrisisFileError), path)
