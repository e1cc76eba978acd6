"""Typed views of the organization on a date: `csto org --json`, `csto article --json`, the API.

OrganizationSnapshot, organization_on(org, d)   members, former members, bodies, Secretary
                                                General, forces, instruments, statuses
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


class OrganizationSnapshot(Contract):
    date: date
    members: tuple[StateRow, ...]
    former: tuple[StateRow, ...] = Field(description="participation ended or membership suspended")
    bodies: tuple[BodyRow, ...]
    secretary_general: OfficialRow | None
    forces: tuple[ForceRow, ...]
    instruments: tuple[InstrumentRow, ...]
    statuses: tuple[StatusRow, ...]


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
