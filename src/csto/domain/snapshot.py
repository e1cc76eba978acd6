"""Typed views of the organization on a date: `csto org --json`, `csto article --json`, the API.

OrganizationSnapshot, organization_on(org, d)   members, former members, bodies, the chair, the
                                                Secretary General and whose turn is next, forces,
                                                instruments, statuses, membership benefits
ArticleReport, article_on(org, id, n, d)        one article's version in force, with its source
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.models import DecisionRule, Status
from csto.domain.organization import Organization

Day = date  # for fields declared after a field named `date`


class StateRow(Contract):
    code: str
    name: str
    status: Status
    since: date | None
    source: str | None


class BodyRow(Contract):
    id: str
    name: str
    who_sits: str
    role: str
    decides_by: DecisionRule
    source: str


class OfficialRow(Contract):
    name: str
    state: str
    acting: bool
    start: date
    end: date | None
    source: str


class ForceRow(Contract):
    id: str
    name: str
    role: str
    members: tuple[str, ...]
    personnel: int | None
    figure_as_of: date | None
    figure_kind: str | None
    source: str


class InstrumentRow(Contract):
    id: str
    title: str
    signed: date
    in_force: date | None
    status: str = Field(description="in_force, or signed (not yet in force)")
    source: str


class StatusRow(Contract):
    holder: str
    status: str
    at: str
    since: date


class ChairRow(Contract):
    state: str
    name: str
    start: date
    end: date
    session: str
    uncertain: bool
    source: str


class NextSecretaryGeneral(Contract):
    state: str = Field(description="the state whose turn is next under the rotation")
    due: date = Field(description="the first day of that turn")
    until: date = Field(description="the last day of that turn")
    running: str | None = Field(description="the state whose turn runs on the date, if any")
    basis: str = Field(description="the rotation decision: its date and order")
    source: str


class LossRow(Contract):
    state: str
    since: date | None
    note: str | None
    uncertain: bool
    source: str


class BenefitRow(Contract):
    id: str
    name: str
    instrument: str
    since: date
    who_gets_what: str
    entitled: tuple[str, ...] = Field(description="the states that get it on the date")
    outside: tuple[str, ...] = Field(description="former members, who do not")
    losses: tuple[LossRow, ...] = Field(description="recorded losses that cover the date")
    source: str


class OrganizationSnapshot(Contract):
    date: date
    members: tuple[StateRow, ...]
    former: tuple[StateRow, ...] = Field(description="participation ended or membership suspended")
    bodies: tuple[BodyRow, ...]
    chair: ChairRow | None = Field(description="the chair of the Collective Security Council")
    secretary_general: OfficialRow | None
    next_secretary_general: NextSecretaryGeneral | None = Field(
        description="whose turn is next under the rotation, and when; null before it was decided"
    )
    forces: tuple[ForceRow, ...]
    instruments: tuple[InstrumentRow, ...]
    statuses: tuple[StatusRow, ...]
    benefits: tuple[BenefitRow, ...] = Field(
        description="military-technical cooperation and training on preferential terms: who gets "
        "them, and the former members who lost them (what a state loses by leaving)"
    )


def _chair(org: Organization, on: date) -> ChairRow | None:
    chair = org.chair(on)
    if chair is None:
        return None
    name = next((s.name for s in org.states if s.code == chair.state), chair.state)
    return ChairRow(
        state=chair.state,
        name=name,
        start=chair.start,
        end=chair.end,
        session=chair.session,
        uncertain=chair.uncertain,
        source=chair.source,
    )


def _next_sg(org: Organization, on: date) -> NextSecretaryGeneral | None:
    rotation = org.rotation
    if rotation is None or on < rotation.decided:
        return None
    nxt = rotation.next_turn(on)
    running = rotation.turn_on(on)
    order = ", ".join(rotation.order)
    return NextSecretaryGeneral(
        state=nxt.state,
        due=nxt.start,
        until=nxt.end,
        running=running.state if running else None,
        basis=f"rotation decided on {rotation.decided.isoformat()}: {rotation.term_years}-year "
        f"turns from {rotation.first.isoformat()} in the order {order} ({rotation.order_basis.rstrip('.')})",
        source=rotation.source,
    )


def _benefits(org: Organization, on: date) -> tuple[BenefitRow, ...]:
    return tuple(
        BenefitRow(
            id=b.benefit.id,
            name=b.benefit.name,
            instrument=b.benefit.instrument,
            since=b.benefit.start,
            who_gets_what=b.benefit.who_gets_what,
            entitled=b.entitled,
            outside=tuple(code for code, _ in b.outside),
            losses=tuple(
                LossRow(
                    state=code,
                    since=loss.start,
                    note=loss.note,
                    uncertain=loss.uncertain,
                    source=loss.source,
                )
                for code, loss in b.outside
                if loss is not None
            ),
            source=b.benefit.source,
        )
        for b in org.benefits_on(on)
    )


def organization_on(org: Organization, on: date) -> OrganizationSnapshot:
    org.check_date(on)
    sg = org.secretary_general(on)

    def state_row(code: str, name: str) -> StateRow:
        event = org.last_status_event(code, on)
        return StateRow(
            code=code,
            name=name,
            status=org.status(code, on),
            since=event.date if event else None,
            source=event.source if event else None,
        )

    return OrganizationSnapshot(
        date=on,
        members=tuple(state_row(s.code, s.name) for s in org.members(on)),
        former=tuple(state_row(s.code, s.name) for s in org.former(on)),
        bodies=tuple(
            BodyRow(
                id=b.body.id,
                name=b.body.name,
                who_sits=b.composition.value,
                role=b.body.role,
                decides_by=b.decides_by.value,
                source=b.body.source,
            )
            for b in org.bodies_on(on)
        ),
        chair=_chair(org, on),
        secretary_general=None
        if sg is None
        else OfficialRow(
            name=sg.name,
            state=sg.state,
            acting=sg.acting,
            start=sg.start,
            end=sg.end,
            source=sg.source,
        ),
        next_secretary_general=_next_sg(org, on),
        forces=tuple(
            ForceRow(
                id=f.force.id,
                name=f.force.name,
                role=f.force.role,
                members=f.members,
                personnel=f.figure.personnel if f.figure else None,
                figure_as_of=f.figure.as_of if f.figure else None,
                figure_kind=f.figure.kind if f.figure else None,
                source=f.figure.source if f.figure else f.force.source,
            )
            for f in org.forces_on(on)
        ),
        instruments=tuple(
            InstrumentRow(
                id=inst.id,
                title=inst.title,
                signed=inst.signed,
                in_force=inst.in_force,
                status="in_force" if live else "signed",
                source=inst.source,
            )
            for inst, live in org.instruments_on(on)
        ),
        statuses=tuple(
            StatusRow(holder=g.holder, status=g.status, at=g.at, since=g.start)
            for g in org.grants_on(on)
        ),
        benefits=_benefits(org, on),
    )


class VersionRow(Contract):
    version: str
    valid_from: date


class ArticleReport(Contract):
    date: date
    instrument: str
    instrument_title: str
    article: str
    heading: str
    version: str
    valid_from: Day
    adopted: Day
    in_force: bool
    text: str
    uncertain: bool
    marker: str | None
    source: str
    note: str | None
    params: dict[str, Any]
    versions: tuple[VersionRow, ...]


def article_on(org: Organization, instrument_id: str, number: str, on: date) -> ArticleReport:
    found = org.article(instrument_id, number, on)
    v = found.version
    return ArticleReport(
        date=on,
        instrument=found.instrument.id,
        instrument_title=found.instrument.title,
        article=found.article.number,
        heading=found.article.heading,
        version=v.label,
        valid_from=v.valid_from,
        adopted=v.adopted,
        in_force=found.in_force,
        text=v.text,
        uncertain=v.uncertain,
        marker=v.marker,
        source=v.source,
        note=v.note,
        params=dict(v.params),
        versions=tuple(
            VersionRow(version=x.label, valid_from=x.valid_from) for x in found.article.versions
        ),
    )
