"""The organization on any date, derived from the validated data.

    Organization            all records, plus queries by date:
      .status(code, d)        the one status a state has on d
      .members(d), .former(d) who is in, who has left or been suspended
      .article(id, n, d)      the version of an article in force on d
      .instruments_on(d)      instruments signed by d, in force or not yet
      .bodies(d)              bodies with their composition and decision rule on d
      .secretary_general(d)   the Secretary General on d, or None
      .forces(d)              forces with their members and latest size figure on d
      .horizon                the data's last dated fact: later dates are extrapolated
      .relation(a, b, d)      the level of relations between two states on d
      .chair(d)               the chair of the Collective Security Council on d, or None
      .rotation               the Secretary General's rotation (domain/offices.py), or None
      .benefits_on(d)         each membership benefit with who gets it and who is outside it
    ArticleInForce, BodyOnDate, ForceOnDate   the answers, small frozen records

Every query refuses a date before the treaty was signed (DateOutOfRange).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from csto.domain.benefits import Benefit, Loss, entitled, outside
from csto.domain.errors import DateOutOfRange, NotFound
from csto.domain.models import (
    TRANSITIONS,
    Article,
    ArticleVersion,
    BilateralInstrument,
    Body,
    DatedRule,
    DatedText,
    Dependence,
    Force,
    ForceFigure,
    Instrument,
    Leader,
    MoscowStance,
    Parameter,
    Relation,
    RelationLevel,
    SecretaryGeneral,
    SourceEntry,
    State,
    StateEvent,
    Status,
    StatusGrant,
    Trait,
    TraitName,
)
from csto.domain.offices import Chair, Rotation, chair_on

FOUNDING_INSTRUMENT = "CST"


@dataclass(frozen=True)
class ArticleInForce:
    instrument: Instrument
    article: Article
    version: ArticleVersion
    in_force: bool  # False while the instrument is signed but not yet in force


@dataclass(frozen=True)
class BodyOnDate:
    body: Body
    composition: DatedText
    decides_by: DatedRule


@dataclass(frozen=True)
class ForceOnDate:
    force: Force
    members: tuple[str, ...]
    figure: ForceFigure | None


@dataclass(frozen=True)
class BenefitOnDate:
    benefit: Benefit
    entitled: tuple[str, ...]
    outside: tuple[tuple[str, Loss | None], ...]  # former members, with the recorded loss


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per loaded data set
class Organization:
    states: tuple[State, ...]
    instruments: tuple[Instrument, ...]
    bodies: tuple[Body, ...]
    secretaries_general: tuple[SecretaryGeneral, ...]
    grants: tuple[StatusGrant, ...]
    forces: tuple[Force, ...]
    relations: tuple[Relation, ...]
    parameters: tuple[Parameter, ...]
    traits: tuple[Trait, ...]
    leaders: tuple[Leader, ...]
    dependence: tuple[Dependence, ...]
    provider: str  # the state whose bilateral instruments bilateral.yaml lists
    bilateral: tuple[BilateralInstrument, ...]
    sources: tuple[SourceEntry, ...]  # the register (data/sources.yaml)
    data_hash: str
    chairs: tuple[Chair, ...] = ()
    rotation: Rotation | None = None
    benefits: tuple[Benefit, ...] = ()

    # Derived tables are cached on the instance (functools.cached_property writes to the instance's
    # own __dict__), so a copy made with dataclasses.replace starts with no cache and can never
    # write into its original's.
    @cached_property
    def _timelines(self) -> dict[str, tuple[tuple[date, ...], tuple[Status, ...]]]:
        out = {}
        for state in self.states:
            dates: list[date] = []
            statuses: list[Status] = []
            status = Status.NON_MEMBER
            for event in state.events:
                leads_to = TRANSITIONS[event.kind][1]
                if leads_to is not None and leads_to != status:
                    status = leads_to
                    dates.append(event.date)
                    statuses.append(status)
            out[state.code] = (tuple(dates), tuple(statuses))
        return out

    # --- dates -------------------------------------------------------------------------------
    @cached_property
    def earliest(self) -> date:
        """The date the founding treaty was signed; nothing exists before it."""
        return self.instrument(FOUNDING_INSTRUMENT).signed

    def check_date(self, on: date) -> date:
        if on < self.earliest:
            raise DateOutOfRange(on, self.earliest)
        return on

    @cached_property
    def change_dates(self) -> tuple[date, ...]:
        """Every date on which some dated fact changes: the boundaries of constant epochs."""
        found: set[date] = {self.earliest}
        for dates, _ in self._timelines.values():
            found.update(dates)
        for inst in self.instruments:
            found.update(d for d in (inst.signed, inst.in_force, inst.ended) if d is not None)
            for art in inst.articles:
                found.update(v.valid_from for v in art.versions)
        for body in self.bodies:
            found.update(r.valid_from for r in body.decides_by)
        found.update(r.valid_from for r in self.relations)
        found.update(t.valid_from for t in self.traits)
        for leader in self.leaders:
            found.add(leader.start)
            if leader.end is not None:
                found.add(leader.end + timedelta(days=1))  # the first day without this incumbent
            found.update(s.valid_from for s in leader.moscow)
        found.update(d.valid_from for d in self.dependence)
        for pact in self.bilateral:
            found.update(d for d in (pact.start, pact.ended) if d is not None)
        return tuple(sorted(d for d in found if d >= self.earliest))

    @cached_property
    def horizon(self) -> date:
        """The data's last dated fact: a state event, an article version, a rule, a relation, a
        trait, an appointment, a force's figure. A later date is answered by extrapolation: what
        held then is assumed to hold still. (The end of a term in office, being scheduled rather
        than observed, does not count.)"""
        found = set(self.change_dates)
        found.update(sg.start for sg in self.secretaries_general)
        found.update(g.start for g in self.grants)
        for force in self.forces:
            found.add(force.established)
            found.update(f.as_of for f in force.figures)
            found.update(m.valid_from for m in force.members)
        return max(found)

    # --- states ------------------------------------------------------------------------------
    @cached_property
    def state_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.states)

    def state(self, code: str) -> State:
        for s in self.states:
            if s.code == code:
                return s
        raise NotFound("state", code, self.state_codes)

    def status(self, code: str, on: date) -> Status:
        self.check_date(on)
        timeline = self._timelines.get(code)
        if timeline is None:
            return Status.NON_MEMBER
        dates, statuses = timeline
        i = bisect_right(dates, on)
        return statuses[i - 1] if i else Status.NON_MEMBER

    def members(self, on: date) -> list[State]:
        return [s for s in self.states if self.status(s.code, on).is_member]

    def former(self, on: date) -> list[State]:
        gone = (Status.PARTICIPATION_ENDED, Status.MEMBERSHIP_SUSPENDED)
        return [s for s in self.states if self.status(s.code, on) in gone]

    def last_status_event(self, code: str, on: date) -> StateEvent | None:
        """The event that set the state's status on `on` (None for a state that never joined)."""
        last = None
        for event in self.state(code).events:
            if event.date <= on and TRANSITIONS[event.kind][1] is not None:
                last = event
        return last

    # --- instruments and articles -------------------------------------------------------------
    def instrument(self, instrument_id: str) -> Instrument:
        wanted = instrument_id.upper()
        for inst in self.instruments:
            if inst.id == wanted:
                return inst
        raise NotFound("instrument", instrument_id, tuple(i.id for i in self.instruments))

    def instruments_on(self, on: date) -> list[tuple[Instrument, bool]]:
        """(instrument, in force?) for every instrument signed by `on` and not ended by then."""
        self.check_date(on)
        out = []
        for inst in self.instruments:
            if inst.signed <= on and (inst.ended is None or on < inst.ended):
                out.append((inst, inst.in_force is not None and inst.in_force <= on))
        return out

    def article(self, instrument_id: str, number: str, on: date) -> ArticleInForce:
        self.check_date(on)
        inst = self.instrument(instrument_id)
        art = next((a for a in inst.articles if a.number == str(number)), None)
        if art is None:
            raise NotFound(
                f"article of {inst.id}", str(number), tuple(a.number for a in inst.articles)
            )
        if on < inst.signed:
            raise NotFound(
                f"version of {inst.id} Art. {art.number} on",
                f"{on.isoformat()}: the instrument was signed only on {inst.signed.isoformat()}",
            )
        in_force_versions = [v for v in art.versions if v.valid_from <= on]
        instrument_live = inst.in_force is not None and inst.in_force <= on
        if in_force_versions and instrument_live:
            return ArticleInForce(inst, art, in_force_versions[-1], True)
        return ArticleInForce(inst, art, art.versions[0], False)

    # --- bodies, officials, forces, relations -------------------------------------------------
    def bodies_on(self, on: date) -> list[BodyOnDate]:
        self.check_date(on)
        out = []
        for body in self.bodies:
            if body.established > on:
                continue
            comp = [c for c in body.composition if c.valid_from <= on]
            rule = [r for r in body.decides_by if r.valid_from <= on]
            if comp and rule:
                out.append(BodyOnDate(body, comp[-1], rule[-1]))
        return out

    def body(self, body_id: str) -> Body:
        for body in self.bodies:
            if body.id == body_id:
                return body
        raise NotFound("body", body_id, tuple(b.id for b in self.bodies))

    def secretary_general(self, on: date) -> SecretaryGeneral | None:
        self.check_date(on)
        for sg in self.secretaries_general:
            if sg.start <= on and (sg.end is None or on <= sg.end):
                return sg
        return None

    def grants_on(self, on: date) -> list[StatusGrant]:
        self.check_date(on)
        return [g for g in self.grants if g.start <= on and (g.end is None or on <= g.end)]

    def forces_on(self, on: date) -> list[ForceOnDate]:
        self.check_date(on)
        out = []
        for force in self.forces:
            if force.established > on:
                continue
            members = [m for m in force.members if m.valid_from <= on]
            figures = [f for f in force.figures if f.as_of <= on]
            out.append(
                ForceOnDate(
                    force,
                    members[-1].members if members else (),
                    figures[-1] if figures else None,
                )
            )
        return out

    def chair(self, on: date) -> Chair | None:
        self.check_date(on)
        return chair_on(self.chairs, on)

    def benefits_on(self, on: date) -> list[BenefitOnDate]:
        self.check_date(on)
        codes = self.state_codes
        return [
            BenefitOnDate(
                b,
                tuple(entitled(b, codes, self.status, on)),
                tuple(outside(b, codes, self.status, on)),
            )
            for b in self.benefits
            if b.start <= on
        ]

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise NotFound("model parameter", name, tuple(p.name for p in self.parameters))

    def trait(self, code: str, name: TraitName, on: date) -> Trait | None:
        """The latest value of a member's trait on `on` (None where the data sets none)."""
        found: Trait | None = None
        for t in self.traits:  # the latest dated record wins; on a tie, the one listed later
            later = found is None or t.valid_from >= found.valid_from
            if t.code == code and t.trait is name and t.valid_from <= on and later:
                found = t
        return found

    @cached_property
    def _register(self) -> dict[str, SourceEntry]:
        return {entry.id: entry for entry in self.sources}

    def source(self, source_id: str) -> SourceEntry | None:
        """The register's entry for a cited source (None where the register lacks it)."""
        return self._register.get(source_id)

    def cite(self, source_id: str) -> str:
        """A cited source in full where the register has it, else its id."""
        entry = self.source(source_id)
        return entry.citation() if entry else source_id

    def leader(self, code: str, on: date) -> Leader | None:
        """The member's incumbent on `on` (None where the data lists none)."""
        for leader in self.leaders:
            if (
                leader.code == code
                and leader.start <= on
                and (leader.end is None or on <= leader.end)
            ):
                return leader
        return None

    def moscow_stance(self, code: str, on: date) -> tuple[MoscowStance, Leader | None, Any]:
        """The provider's stance toward the member's incumbent on `on`, the incumbent, and the dated
        record it comes from (neutral, with no record, where the data says nothing)."""
        leader = self.leader(code, on)
        if leader is None:
            return MoscowStance.NEUTRAL, None, None
        found = None
        for stance in leader.moscow:
            if stance.valid_from <= on:
                found = stance
        return (found.stance if found else MoscowStance.NEUTRAL), leader, found

    def dependence_on(self, code: str, on: date) -> Dependence | None:
        found = None
        for record in self.dependence:
            if record.code == code and record.valid_from <= on:
                found = record
        return found

    def bilateral_on(self, partner: str, on: date) -> list[BilateralInstrument]:
        """The provider's instruments with `partner` in effect on `on`."""
        return [
            inst
            for inst in self.bilateral
            if inst.partner == partner
            and inst.start is not None
            and inst.start <= on
            and (inst.ended is None or on < inst.ended)
        ]

    def relation(self, a: str, b: str, on: date) -> tuple[RelationLevel, Relation | None]:
        """The level of relations between a and b on `on` (neutral with no record); the latest
        dated record wins, and on a tie the one listed later (so a what-if overrides the data)."""
        found: Relation | None = None
        for rel in self.relations:
            if (
                {rel.a, rel.b} == {a, b}
                and rel.valid_from <= on
                and (found is None or rel.valid_from >= found.valid_from)
            ):
                found = rel
        return (found.level if found else RelationLevel.NEUTRAL), found
