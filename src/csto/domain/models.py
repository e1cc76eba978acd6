"""Frozen typed models of the organization, as the data files describe it.

    Source, Fact            every fact names where it comes from (a seed file or a URL)
    Status, EventKind       a member state's dated events and the status they lead to
    State, StateEvent       a state and its membership events
    Instrument, Article,    the treaty, the charter and the other instruments, article by
      ArticleVersion          article, each version with its valid-from date
    DutyRule, DutyTrigger   a procedural obligation an article version sets off (law/duties.py)
    Body, DatedText         the bodies: who sits, role, decision rule (dated)
    SecretaryGeneral        the Secretaries General with their terms
    StatusGrant             observer and partner statuses
    Force, ForceFigure      the collective forces, their members and size by date
    Relation                dated bilateral relations used by the politics layer
    Leader, MoscowStance    members' leaders and the provider's dated stance toward each
    BilateralInstrument     the provider's own security instruments with other states
    Dependence              each member's dated dependence on the provider (arms, bases, economy)

The models check the shape of one record; checks across records (event order, overlapping terms,
codes that must name a known state) live in the loader, which knows the file each record came from.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from csto.domain.iso import is_iso3

SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
URL = re.compile(r"^https?://\S+$")


def _check_source(value: str) -> str:
    if SEED_FILE.match(value) or URL.match(value):
        return value
    raise ValueError("allowed: a seed file name such as 003_1f94ba21bfbbbeeb.txt or an http(s) URL")


def _check_iso3(value: str) -> str:
    if is_iso3(value):
        return value
    raise ValueError(
        "allowed: an ISO 3166-1 alpha-3 country code in capitals, such as ARM, KAZ or RUS"
    )


Source = Annotated[str, AfterValidator(_check_source)]
ISO3 = Annotated[
    str,
    AfterValidator(_check_iso3),
    WithJsonSchema(
        {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 3166-1 alpha-3"}
    ),
]


class Frozen(BaseModel):
    """Base: immutable, and unknown keys are an error rather than silently dropped."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )


class Status(StrEnum):
    """A state's standing towards the treaty on one date; exactly one holds on every date."""

    NON_MEMBER = "non_member"
    MEMBER = "member"
    PARTICIPATION_FROZEN = "participation_frozen"
    PARTICIPATION_ENDED = "participation_ended"
    MEMBERSHIP_SUSPENDED = "membership_suspended"

    @property
    def is_member(self) -> bool:
        return self in (Status.MEMBER, Status.PARTICIPATION_FROZEN)


class EventKind(StrEnum):
    SIGNATURE = "signature"
    ACCESSION = "accession"
    ENTRY_INTO_FORCE = "entry_into_force"
    END_OF_PARTICIPATION = "end_of_participation"
    RESTORATION = "restoration"
    SUSPENSION = "suspension"
    FREEZING = "freezing"
    UNFREEZING = "unfreezing"
    DECLARATION = "declaration"


# Which status each kind of event may follow, and the status it leads to (None: no change).
TRANSITIONS: dict[EventKind, tuple[frozenset[Status], Status | None]] = {
    EventKind.SIGNATURE: (frozenset({Status.NON_MEMBER}), Status.MEMBER),
    EventKind.ACCESSION: (frozenset({Status.NON_MEMBER}), Status.MEMBER),
    EventKind.ENTRY_INTO_FORCE: (frozenset({Status.MEMBER}), None),
    EventKind.END_OF_PARTICIPATION: (
        frozenset({Status.MEMBER, Status.PARTICIPATION_FROZEN}),
        Status.PARTICIPATION_ENDED,
    ),
    EventKind.RESTORATION: (
        frozenset({Status.PARTICIPATION_ENDED, Status.MEMBERSHIP_SUSPENDED}),
        Status.MEMBER,
    ),
    EventKind.SUSPENSION: (
        frozenset({Status.MEMBER, Status.PARTICIPATION_FROZEN}),
        Status.MEMBERSHIP_SUSPENDED,
    ),
    EventKind.FREEZING: (frozenset({Status.MEMBER}), Status.PARTICIPATION_FROZEN),
    EventKind.UNFREEZING: (frozenset({Status.PARTICIPATION_FROZEN}), Status.MEMBER),
    EventKind.DECLARATION: (frozenset({Status.MEMBER, Status.PARTICIPATION_FROZEN}), None),
}


class Fact(Frozen):
    """Anything that carries a source and may be marked uncertain ([?] in the reference)."""

    source: Source
    uncertain: bool = False
    note: str | None = None


class StateEvent(Fact):
    date: date
    kind: EventKind


class State(Frozen):
    code: ISO3
    name: str = Field(min_length=1)
    events: tuple[StateEvent, ...] = Field(min_length=1)


class DutyTrigger(StrEnum):
    """What sets a duty off: measures decided on a crisis that rest on the article, any decision of
    the Collective Security Council, or a question of one kind."""

    CRISIS_MEASURES = "crisis_measures"
    COUNCIL_DECISION = "council_decision"
    ADMISSION = "admission"
    RETURN = "return"
    SUSPENSION = "suspension"
    OBSERVER = "observer"
    PARTNER = "partner"
    STATIONING = "stationing"
    SECRETARY_GENERAL = "secretary_general"


class DutyRule(Frozen):
    """A procedural obligation that follows from a decision, as the article version states it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    triggers: tuple[DutyTrigger, ...] = Field(min_length=1)
    min_measure: (
        Literal["statement", "consultations", "assistance", "mission", "deployment"] | None
    ) = Field(
        default=None,
        description="crisis_measures only: the weakest decided measure that sets it off",
    )
    kind: Literal["notification", "consultation", "consent", "obligation"]
    when: Literal["decided", "asked"] = Field(
        default="decided",
        description="decided: it follows an adopted decision; asked: it binds how the question is taken",
    )
    owed_by: str = Field(min_length=1)
    owed_to: str = Field(min_length=1)
    text: str = Field(min_length=1, description="our own paraphrase")
    also: tuple[str, ...] = Field(
        default=(),
        description="bases outside the organization's instruments, e.g. UN Charter Art. 51",
    )
    uncertain: bool = False
    note: str | None = None


class ArticleVersion(Fact):
    label: str = Field(min_length=1, description="short name of the version, e.g. '1992' or '2010'")
    adopted: date = Field(description="date the text was signed or decided")
    valid_from: date = Field(description="date the text takes effect")
    text: str = Field(min_length=1, description="our own paraphrase")
    marker: str | None = Field(default=None, pattern=r"^(V|S|V/S|S/\?|V/\?|\?)$")
    params: dict[str, str | int | bool | tuple[str, ...]] = Field(default_factory=dict)
    duties: tuple[DutyRule, ...] = ()


class Article(Frozen):
    number: str = Field(min_length=1)
    heading: str = Field(min_length=1)
    versions: tuple[ArticleVersion, ...] = Field(min_length=1)


class Instrument(Fact):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    title: str = Field(min_length=1)
    place: str | None = None
    signed: date
    in_force: date | None = None
    ended: date | None = None
    replaced_by: str | None = None
    parties: tuple[ISO3, ...] = ()
    summary: str | None = None
    articles: tuple[Article, ...] = ()


class DatedText(Fact):
    valid_from: date
    value: str = Field(min_length=1)


class DecisionRule(StrEnum):
    """How a body decides. The one encoding of the voting rule: the data's rules for each body, the
    compiled regime and every decision's `procedure` use it. `majority` exists only under a reform."""

    CONSENSUS = "consensus"
    CONSENSUS_WITH_ABSTENTION = "consensus_with_abstention"
    MAJORITY = "majority"
    NONE = "none"


class DatedRule(Fact):
    valid_from: date
    value: DecisionRule


class Body(Fact):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    name: str = Field(min_length=1)
    established: date
    role: str = Field(min_length=1)
    composition: tuple[DatedText, ...] = Field(min_length=1)
    decides_by: tuple[DatedRule, ...] = Field(min_length=1)


class SecretaryGeneral(Fact):
    name: str = Field(min_length=1)
    state: ISO3
    start: date
    end: date | None = None
    acting: bool = False


class StatusGrant(Fact):
    holder: str = Field(min_length=1)
    code: ISO3 | None = None
    status: str = Field(pattern=r"^(observer|partner|bid_blocked)$")
    at: str = Field(min_length=1, description="the body or organization that grants the status")
    start: date
    end: date | None = None


class ForceFigure(Fact):
    as_of: date
    personnel: int = Field(gt=0)
    kind: str = Field(default="estimate", pattern=r"^(planned|estimate|official)$")


class ForceMembership(Fact):
    valid_from: date
    members: tuple[ISO3, ...] = Field(min_length=1)


class Force(Fact):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    name: str = Field(min_length=1)
    established: date
    role: str = Field(min_length=1)
    tasks: tuple[str, ...] = ()
    area: tuple[ISO3, ...] = Field(
        default=(), description="states whose territory it covers; empty: its members'"
    )
    members: tuple[ForceMembership, ...] = Field(min_length=1)
    figures: tuple[ForceFigure, ...] = ()


class RelationLevel(StrEnum):
    """How close two states are, weakest first; the politics layer reads levels by name.
    `war`: the two are fighting each other."""

    WAR = "war"
    HOSTILE = "hostile"
    TENSE = "tense"
    NEUTRAL = "neutral"
    PARTNER = "partner"
    ALLY = "ally"

    @property
    def rank(self) -> int:
        return list(RelationLevel).index(self)


class Relation(Fact):
    a: ISO3
    b: ISO3
    valid_from: date
    level: RelationLevel
    initiator: ISO3 | None = Field(
        default=None, description="for a war: the state that started it, where the record says so"
    )


class TraitName(StrEnum):
    """Dated political traits of a member, read by the politics layer."""

    POWER_PROJECTION = "power_projection"
    CAPACITY = "capacity"
    PRECEDENT_SENSITIVITY = "precedent_sensitivity"
    RECOGNISES_ANNEXATIONS = "recognises_annexations"


TRAIT_VALUES: dict[TraitName, tuple[str, ...]] = {
    TraitName.POWER_PROJECTION: ("no", "yes"),
    TraitName.CAPACITY: ("available", "committed"),
    TraitName.PRECEDENT_SENSITIVITY: ("normal", "high"),
    # Does the member recognise the territorial changes the power-projection provider has made?
    TraitName.RECOGNISES_ANNEXATIONS: ("no", "yes"),
}


class MoscowStance(StrEnum):
    """The power-projection provider's stance toward a member's incumbent leader."""

    BACKED = "backed"
    NEUTRAL = "neutral"
    DROPPED = "dropped"

    @property
    def score(self) -> int:
        return {MoscowStance.BACKED: 1, MoscowStance.NEUTRAL: 0, MoscowStance.DROPPED: -1}[self]


class DatedStance(Fact):
    valid_from: date
    stance: MoscowStance


class Leader(Fact):
    """A member's head of state (or the head of government who sits on the Council), with the
    provider's dated stance toward this incumbent."""

    code: ISO3
    name: str = Field(min_length=1)
    office: str = Field(default="president", min_length=1)
    start: date
    end: date | None = Field(default=None, description="the last day in office; none: incumbent")
    moscow: tuple[DatedStance, ...] = ()


class BilateralKind(StrEnum):
    UNION_STATE = "union_state"
    DEFENCE_TREATY = "defence_treaty"
    JOINT_GROUPING = "joint_grouping"
    BASE = "base"
    AIR_DEFENCE = "air_defence"
    BORDER_GUARD = "border_guard"  # the provider's troops hold the partner's own frontier
    MILITARY_COOPERATION = "military_cooperation"  # arms, equipment, specialists; no defence clause
    PEACEKEEPING = "peacekeeping"  # a contingent under a political statement with a fixed mandate


CRISIS_KINDS = (
    "armed_attack",
    "border_clash",
    "internal_unrest",
    "terrorism",
    "cross_border_threat",
    "war_abroad",
)  # csto.domain.crisis.Kind's values; a test keeps the two equal


def _check_kind(value: str) -> str:
    if value in CRISIS_KINDS:
        return value
    raise ValueError(f"allowed: a crisis kind, one of {', '.join(CRISIS_KINDS)}")


class BilateralInstrument(Fact):
    """One of the provider's own security instruments with another state, and the kinds of crisis
    under which it lets the provider act on that state's territory with its consent."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    name: str = Field(min_length=1)
    kind: BilateralKind
    partner: ISO3
    signed: date | None = None
    in_force: date | None = None
    ended: date | None = None
    covers: tuple[Annotated[str, AfterValidator(_check_kind)], ...] = ()

    @property
    def start(self) -> date | None:
        """The day it counts from: in force, else (no date found) signed."""
        return self.in_force or self.signed


class Dependence(Frozen):
    """A member's dependence on the provider, 0 (none) to 3 (deep), on three dimensions."""

    code: ISO3
    valid_from: date
    arms: int = Field(ge=0, le=3)
    bases: int = Field(ge=0, le=3)
    economy: int = Field(ge=0, le=3)
    sources: tuple[Source, ...] = Field(min_length=1)
    uncertain: bool = False
    note: str | None = None

    @property
    def score(self) -> float:
        return (self.arms + self.bases + self.economy) / 3


class Trait(Fact):
    code: ISO3
    trait: TraitName
    value: str
    valid_from: date


class Parameter(Frozen):
    """A global, documented model parameter: its value, what it means, and the evidence for it."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    value: str | int | float | bool
    doc: str = Field(min_length=1)
    evidence: tuple[Source, ...] = Field(min_length=1)


class SourceEntry(Frozen):
    """One entry of the sources register: what a reader needs to find a cited source."""

    id: Source = Field(description="exactly as the data cites it: a seed file name or a URL")
    title: str = Field(min_length=1)
    author: str | None = None
    publisher: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    verified: bool = True

    def citation(self) -> str:
        """Author, title, publisher, date, URL: the form an analyst pastes into a report."""
        parts = [self.author] if self.author else []
        parts.append(f"'{self.title}'")
        parts += [p for p in (self.publisher, self.date) if p]
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)
