"""The assessment as an argument an analyst can quote: one text for the JSON, the terminal and the
exercise server.

    Line, MemberGroup, Explanation (engine/report.py): one sentence with the provisions it cites,
                  the dated data it rests on and the full citations of their sources (from the sources
                  register, data/sources.yaml); members who take the same position for the same
                  reasons, said once; and the whole: the law as one descending argument (what allows the most, then each cap
                  in the order applied, then what is owed); what was asked; the members whose
                  positions matter (the appellant with its own status, those who stand aside, those
                  who hold the outcome down, and the others in one group); the procedure; Russia's
                  own course
    explain(assessment, org, appellant=None)
"""

from __future__ import annotations

from collections.abc import Iterable

from csto.domain.crisis import Measure
from csto.domain.models import Status
from csto.domain.organization import Organization
from csto.engine.report import Assessment, Explanation, Line, MemberGroup, MemberPosition, Stance
from csto.law import Citation, Step


def cite_text(c: Citation) -> str:
    """'CST Art. 4 (2010, from 2012-12-19)', flagged where the text was signed but not in force."""
    article = "" if c.article == "*" else f" Art. {c.article}"
    state = "" if c.in_force else ", signed, not yet in force"
    return f"{c.instrument}{article} ({c.label}, from {c.version.isoformat()}{state})"


VERBS = {
    "allows": "allowed up to",
    "cap": "capped at",
    "floor": "owed at least",
    "sets": "at",
    "abstains": "stands aside",
    "accepts": "accepts",
}


MEMBER_VERBS = {
    "prior": "starts at",
    "appellant": "asks for",
    "follow_provider": "takes from the provider",
}
MEMBER_EFFECTS = {"allows": "raised to", "cap": "capped at", "floor": "owed at least"}


def _line(step: Step, org: Organization, member: bool = False) -> Line:
    measure = Measure(step.value).label
    verb = VERBS.get(step.effect, step.effect)
    if member:
        verb = MEMBER_VERBS.get(step.rule) or MEMBER_EFFECTS.get(step.effect, verb)
    head = f"{verb} {measure}: "
    if step.effect == "abstains":
        head = "stands aside without blocking: "
    parameter = f" (parameter {step.parameter})" if step.parameter else ""
    evidence = tuple(org.cite(e) for e in step.evidence)
    return Line(
        text=f"{head}{step.reason}{parameter}",
        cites=tuple(cite_text(c) for c in step.citations),
        records=step.records,
        sources=tuple(dict.fromkeys((*(org.cite(s) for s in step.sources), *evidence))),
    )


def _law(a: Assessment, org: Organization, appellant: str | None) -> tuple[Line, ...]:
    steps = a.legal.steps
    allows = sorted((s for s in steps if s.effect == "allows"), key=lambda s: -s.value)
    top = allows[0].value if allows else Measure.NONE
    lines = [_line(s, org) for s in allows if s.value == top]  # what allows the most
    lines += [_line(s, org) for s in allows if s.value != top]
    for s in steps:
        if s.effect == "cap":
            line = _line(s, org)
            if s.rule == "appellant_not_member" and appellant:
                line = _with_status(line, a, org, appellant)
            lines.append(line)
    lines += [_line(s, org) for s in steps if s.effect == "floor"]
    return tuple(_unique(lines))


def _with_status(line: Line, a: Assessment, org: Organization, code: str) -> Line:
    status = org.status(code, a.crisis.date)
    event = org.last_status_event(code, a.crisis.date) if code in org.state_codes else None
    since = f" since {event.date.isoformat()}" if event else ""
    return line.model_copy(
        update={"text": f"{line.text} ({code}: {status.value.replace('_', ' ')}{since})"}
    )


def _status(code: str, a: Assessment, org: Organization) -> str | None:
    status = org.status(code, a.crisis.date)
    if status is Status.MEMBER:
        return None
    event = org.last_status_event(code, a.crisis.date)
    since = f" since {event.date.isoformat()}" if event else ""
    return f"{status.value.replace('_', ' ')}{since}"


def binding(reasons: Iterable[Step]) -> list[Step]:
    """The steps that moved the position, in order: a cap or a raise that changed nothing (the
    value was already there) is left out of the argument; the JSON's `reasons` keep every step."""
    out: list[Step] = []
    value: int | None = None
    for step in reasons:
        if step.effect == "cap" and value is not None and step.value >= value:
            continue
        if step.effect == "allows" and value is not None and step.value <= value:
            continue
        if step.effect == "floor" and value is not None and step.value <= value:
            continue
        if step.effect in ("cap", "allows", "floor", "sets"):
            value = int(step.value)
        out.append(step)
    return out


def _unique(lines: Iterable[Line]) -> list[Line]:
    seen: dict[tuple[str, tuple[str, ...]], Line] = {}
    for line in lines:
        seen.setdefault((line.text, line.records), line)
    return list(seen.values())


def _members(a: Assessment, org: Organization) -> tuple[MemberGroup, ...]:
    groups: dict[tuple[object, ...], list[str]] = {}
    lines_of: dict[tuple[object, ...], tuple[Line, ...]] = {}
    position_of: dict[tuple[object, ...], MemberPosition] = {}
    for code, p in a.positions.items():
        lines = tuple(_unique(_line(s, org, member=True) for s in binding(p.reasons)))
        status = _status(code, a, org) if p.stance in (Stance.APPELLANT, Stance.ABSTAINS) else None
        key = (p.stance, p.ceiling, status, tuple((line.text, line.records) for line in lines))
        groups.setdefault(key, []).append(code)
        lines_of[key] = lines
        position_of[key] = p
    order = {
        Stance.APPELLANT: 0,
        Stance.BLOCKS: 1,
        Stance.DISSENTS: 2,
        Stance.ABSTAINS: 3,
        Stance.SUPPORTS: 4,
    }
    out = [
        MemberGroup(
            members=tuple(codes),
            ceiling=position_of[key].ceiling,
            stance=position_of[key].stance,
            status=key[2],
            lines=lines_of[key],
        )
        for key, codes in groups.items()
    ]
    return tuple(sorted(out, key=lambda g: (order[g.stance], -g.ceiling, g.members)))


def explain(a: Assessment, org: Organization, appellant: str | None = None) -> Explanation:
    """The argument for one assessment; `appellant` is the state that asked (member or not)."""
    blocked = tuple(f"{m} blocked by {', '.join(codes)}" for m, codes in a.blocked_by.items())
    asked = f"asked for {a.asked.label}" if a.asked is not None else "nobody asked"
    holding = [g for g in _members(a, org) if g.stance is Stance.BLOCKS]
    why = ""
    if holding:
        lowest = min(g.ceiling for g in holding)
        who = sorted(c for g in holding if g.ceiling == lowest for c in g.members)
        verb = "accepts" if len(who) == 1 else "accept"
        why = f"; {', '.join(who)} {verb} no more than {Measure(lowest).label}"
    elif a.outcome < a.legal.ceiling and a.asked is not None and a.asked < a.legal.ceiling:
        why = f"; the appeal asked for {a.asked.label}"
    summary = (
        f"Outcome: {a.outcome.label}. The law allows up to {a.legal.ceiling.label}{why}. "
        f"Russia outside the organization: {a.russia.acts.value}."
    )
    rule = a.procedure.rule.value.replace("_", " ")
    procedure = Line(
        text=f"the Council decides by {rule}",
        cites=(cite_text(a.procedure.citation),) if a.procedure.citation else (),
    )
    decisive = [s for s in a.russia.reasons if s.rule != "no_own_course"] or list(a.russia.reasons)
    russia = Line(
        text=f"{a.russia.acts.value}: " + "; ".join(s.reason for s in decisive[:1]),
        cites=tuple(dict.fromkeys(cite_text(c) for c in a.russia.citations)),
    )
    return Explanation(
        summary=summary,
        law=_law(a, org, appellant),
        asked=asked,
        members=_members(a, org),
        procedure=procedure,
        blocked=blocked,
        russia=russia,
    )
