"""The legal conditions of a question, each a small rule citing the provision it rests on.

The facts are read as the organization stood the day before the question's date (`before`): a
decision taken on a date is not yet part of the record it is decided on (an accession signed that
day, a rotation adopted at the same session). The provisions are those in force on the date itself.

    Condition                     one condition: what was checked, met or not, binding or not
    conditions(org, q, governing, governed, lead_days)
                                  every condition of the question, in order

A binding condition that fails rejects the question whatever the members think. The one condition
that does not bind is the Secretary General's rotation: it is a Council decision the Council may set
aside by consensus, so a nominee out of turn is not barred; the state whose turn it is objects
instead (politics/stances.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.errors import NotFound
from csto.domain.models import RelationLevel, Status
from csto.domain.organization import Organization
from csto.domain.question import Action, Question, QuestionKind
from csto.law.regime import Citation

GONE = (Status.PARTICIPATION_ENDED, Status.MEMBERSHIP_SUSPENDED)


class Condition(Contract):
    name: str
    met: bool
    binding: bool = Field(default=True, description="false: failing it does not bar the question")
    text: str
    citations: tuple[Citation, ...] = ()
    sources: tuple[str, ...] = Field(default=(), description="the data records behind it")


def day_before(q: Question) -> date:
    return q.date - timedelta(days=1)


def conditions(
    org: Organization,
    q: Question,
    governing: tuple[Citation, ...],
    governed: bool,
    lead_days: int,
) -> list[Condition]:
    before = day_before(q)
    cites = governing[:1]  # the question's own article
    out: list[Condition] = [
        Condition(
            name="governed",
            met=governed,
            text="a provision of the organization governs the question on the date"
            if governed
            else "no provision of the organization governs this question on the date",
            citations=governing,
        )
    ]
    body = org.body(q.decided_by.data_id)
    out.append(
        Condition(
            name="body_sits",
            met=body.established <= q.date,
            text=f"the {body.name} exists (established {body.established.isoformat()})"
            if body.established <= q.date
            else f"the {body.name} did not exist yet (established {body.established.isoformat()})",
            sources=(body.source,),
        )
    )
    out += _KIND_RULES[q.kind](org, q, before, cites, lead_days)
    return out


def _status(org: Organization, code: str, before: date) -> tuple[Status, tuple[str, ...]]:
    status = org.status(code, before)
    event = org.last_status_event(code, before) if code in org.state_codes else None
    return status, ((event.source,) if event else ())


def _at_war_with_member(org: Organization, code: str, before: date) -> list[str]:
    return [
        s.code
        for s in org.members(before)
        if s.code != code and org.relation(s.code, code, before)[0] is RelationLevel.WAR
    ]


def _membership(
    org: Organization, q: Question, before: date, cites: tuple[Citation, ...], _: int
) -> list[Condition]:
    status, sources = _status(org, q.state, before)
    if q.kind is QuestionKind.ADMISSION:
        standing = Condition(
            name="not_a_member",
            met=status is Status.NON_MEMBER,
            text=f"{q.state} has never been a party"
            if status is Status.NON_MEMBER
            else f"{q.state} is {status.value.replace('_', ' ')}: that is not an admission",
            citations=cites,
            sources=sources,
        )
    else:
        standing = Condition(
            name="was_a_member",
            met=status in GONE,
            text=f"{q.state}'s standing is {status.value.replace('_', ' ')}",
            citations=cites,
            sources=sources,
        )
    war = _at_war_with_member(org, q.state, before)
    purposes = Condition(
        name="shares_purposes",
        met=not war,
        text=f"{q.state} is at war with no member, so it can share the purposes and principles"
        if not war
        else f"{q.state} is at war with {', '.join(war)}: it cannot share the purpose of "
        "protecting the members' territory",
        citations=cites,
    )
    return [standing, purposes]


def _suspension(
    org: Organization, q: Question, before: date, cites: tuple[Citation, ...], _: int
) -> list[Condition]:
    status, sources = _status(org, q.state, before)
    ground = status is Status.PARTICIPATION_FROZEN or q.by == q.state
    why = (
        f"{q.state} has itself stopped taking part (its participation is frozen)"
        if status is Status.PARTICIPATION_FROZEN
        else f"{q.state} itself asks for it"
        if q.by == q.state
        else f"{q.state} takes part and honours its obligations: there is no ground"
    )
    return [
        Condition(
            name="is_a_member",
            met=status.is_member,
            text=f"{q.state}'s standing is {status.value.replace('_', ' ')}",
            sources=sources,
        ),
        Condition(
            name="ground_for_suspension",
            met=ground,
            text=f"a member that fails its obligations may be suspended: {why}",
            citations=cites,
            sources=sources,
        ),
    ]


def _status_grant(
    org: Organization, q: Question, before: date, cites: tuple[Citation, ...], _: int
) -> list[Condition]:
    out: list[Condition] = []
    held = [g for g in org.grants_on(before) if g.code == q.state and g.status == q.kind.value]
    if q.action is Action.WITHDRAW:
        return [
            Condition(
                name="holds_status",
                met=bool(held),
                text=f"{q.state} holds {q.kind.value} status at {held[0].at}"
                if held
                else f"{q.state} holds no {q.kind.value} status to withdraw",
                citations=cites,
                sources=tuple(g.source for g in held),
            )
        ]
    if q.applicant is not None:
        out.append(
            Condition(
                name="not_a_member",
                met=True,
                text=f"{q.applicant.name} is a parliament or organization, not a member state",
                citations=cites,
            )
        )
    else:
        status, sources = _status(org, q.state, before)
        out.append(
            Condition(
                name="not_a_member",
                met=not status.is_member,
                text=f"{q.state} is not a member"
                if not status.is_member
                else f"{q.state} is a member: a status is for others",
                citations=cites,
                sources=sources,
            )
        )
    if q.kind is QuestionKind.PARTNER:
        try:
            version = org.article("CHARTER", "20", q.date)
            exists = version.in_force and bool(version.version.params.get("partner_status"))
        except NotFound:  # before the charter was signed
            exists = False
        out.append(
            Condition(
                name="partner_status_exists",
                met=exists,
                text="the charter provides for partner status"
                if exists
                else "the charter does not provide for partner status on the date",
                citations=cites,
            )
        )
    if q.applicant is None:
        out.append(
            Condition(
                name="does_not_hold_it",
                met=not held,
                text=f"{q.state} does not hold the status yet"
                if not held
                else f"{q.state} already holds {q.kind.value} status",
                sources=tuple(g.source for g in held),
            )
        )
    return out


def _stationing(
    org: Organization, q: Question, before: date, cites: tuple[Citation, ...], _: int
) -> list[Condition]:
    assert q.host is not None  # the format requires it for stationing
    host, host_sources = _status(org, q.host, before)
    status, sources = _status(org, q.state, before)
    return [
        Condition(
            name="host_is_a_member",
            met=host.is_member,
            text=f"{q.host}, the host, is a member"
            if host.is_member
            else f"{q.host} is not a member: the organization has no say on its territory",
            sources=host_sources,
        ),
        Condition(
            name="forces_of_a_non_member",
            met=not status.is_member,
            text=f"the forces would be {q.state}'s, a state outside the organization"
            if not status.is_member
            else f"{q.state} is a member: its forces come under the collective security system, "
            "not under the rule for non-members' bases",
            citations=cites,
            sources=sources,
        ),
    ]


def _secretary_general(
    org: Organization, q: Question, before: date, cites: tuple[Citation, ...], lead_days: int
) -> list[Condition]:
    if q.action is Action.WITHDRAW:
        sg = org.secretary_general(before)
        holds = sg is not None and sg.state == q.state and q.nominee in (None, sg.name)
        return [
            Condition(
                name="holds_post",
                met=holds,
                text=f"{sg.name}, a national of {sg.state}, holds the post"
                if sg is not None and holds
                else f"no national of {q.state}"
                + (f" named {q.nominee}" if q.nominee else "")
                + " holds the post",
                citations=cites,
                sources=(sg.source,) if sg else (),
            )
        ]
    status, sources = _status(org, q.state, before)
    out = [
        Condition(
            name="nominee_state_is_a_member",
            met=status.is_member,
            text=f"the nominee is a national of {q.state}, a member"
            if status.is_member
            else f"{q.state} is not a member: the post is for members' nationals",
            citations=cites,
            sources=sources,
        )
    ]
    rotation = org.rotation
    if rotation is not None:
        turn = rotation.appointment_turn(before, lead_days)
        rot_sources = (rotation.source, *rotation.sources)
        if turn is None:
            out.append(
                Condition(
                    name="rotation",
                    met=True,
                    binding=False,
                    text=f"no rotation yet (decided on {rotation.decided.isoformat()}): "
                    "a national of any member may be appointed",
                    sources=(rotation.source,),
                )
            )
        else:
            span = f"{turn.start.isoformat()} to {turn.end.isoformat()}"
            out.append(
                Condition(
                    name="rotation",
                    met=turn.state == q.state,
                    binding=False,
                    text=f"the appointment is for {turn.state}'s turn ({span}) under the rotation "
                    f"decided on {rotation.decided.isoformat()}"
                    + ("" if turn.state == q.state else f"; the nominee is from {q.state}"),
                    sources=rot_sources,
                )
            )
    return out


_KIND_RULES = {
    QuestionKind.ADMISSION: _membership,
    QuestionKind.RETURN: _membership,
    QuestionKind.SUSPENSION: _suspension,
    QuestionKind.OBSERVER: _status_grant,
    QuestionKind.PARTNER: _status_grant,
    QuestionKind.STATIONING: _stationing,
    QuestionKind.SECRETARY_GENERAL: _secretary_general,
}
