"""The dated data behind each political reason: which relation, trait, leader, instrument or
dependence record a factor read, in words, with its source.

    ground(step, code, crisis, org)   the step with `records` and `sources` filled in

A factor reads the compiled regime (arrays); this module finds, for one crisis and one member, the
records of the Organization those arrays were compiled from, so that an analyst can quote them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from csto.domain.crisis import Crisis
from csto.domain.models import TraitName
from csto.domain.organization import Organization
from csto.law import Step

Found = list[tuple[str, str]]  # (record in words, source)


def _relation(org: Organization, a: str, b: str, on: date) -> Found:
    level, rel = org.relation(a, b, on)
    if rel is None:
        return []
    started = f", started by {rel.initiator}" if rel.initiator else ""
    note = f": {rel.note}" if rel.note else ""
    text = (
        f"relation {rel.a}-{rel.b} {level.value} from {rel.valid_from.isoformat()}{started}{note}"
    )
    return [(text, rel.source)]


def _trait(org: Organization, code: str, name: TraitName, on: date) -> Found:
    trait = org.trait(code, name, on)
    if trait is None:
        return []
    note = f": {trait.note}" if trait.note else ""
    return [
        (
            f"{code} {name.value} = {trait.value} from {trait.valid_from.isoformat()}{note}",
            trait.source,
        )
    ]


def _leader(org: Organization, code: str, on: date) -> Found:
    stance, leader, record = org.moscow_stance(code, on)
    if leader is None:
        return []
    out = [
        (
            f"{code}'s {leader.office}: {leader.name}, in office from {leader.start.isoformat()}",
            leader.source,
        )
    ]
    if record is not None:
        note = f": {record.note}" if record.note else ""
        out.append(
            (
                f"the provider's stance toward {leader.name}: {stance.value} from {record.valid_from.isoformat()}{note}",
                record.source,
            )
        )
    return out


def _opponents(crisis: Crisis) -> tuple[str, ...]:
    return crisis.situation.opposing_states


def _subject(crisis: Crisis) -> str | None:
    return crisis.appeal.by if crisis.appeal else None


def ground(step: Step, code: str, crisis: Crisis, org: Organization) -> Step:
    finder = FINDERS.get(step.rule)
    if finder is None:
        return step
    found = finder(org, code, crisis, step)
    if not found:
        return step
    return step.model_copy(
        update={
            "records": tuple(t for t, _ in found),
            "sources": tuple(dict.fromkeys(s for _, s in found)),
        }
    )


def _ties(org: Organization, code: str, crisis: Crisis, step: Step) -> Found:
    state = step.details.get("state")
    return _relation(org, code, state, crisis.date) if state else []


def _entanglement(org: Organization, code: str, crisis: Crisis, step: Step) -> Found:
    subject = _subject(crisis)
    return [
        r for o in _opponents(crisis) if subject for r in _relation(org, subject, o, crisis.date)
    ]


def _incumbent(org: Organization, code: str, crisis: Crisis, step: Step) -> Found:
    subject = _subject(crisis)
    return _leader(org, subject, crisis.date) if subject else []


def _bilateral(org: Organization, code: str, crisis: Crisis, step: Step) -> Found:
    subject = _subject(crisis)
    kind = crisis.situation.kind.value
    return [
        (
            f"{inst.name} ({inst.id}), {inst.kind.value} with {inst.partner} from {inst.start}, covers {kind}",
            inst.source,
        )
        for inst in (org.bilateral_on(subject, crisis.date) if subject else [])
        if kind in inst.covers
    ]


def _dependence(org: Organization, code: str, crisis: Crisis, step: Step) -> Found:
    record = org.dependence_on(code, crisis.date)
    if record is None:
        return []
    text = (
        f"{code}'s dependence on the provider from {record.valid_from.isoformat()}: arms {record.arms}, "
        f"bases {record.bases}, economy {record.economy} (mean {record.score:.2f} of 3)"
    )
    return [(text, s) for s in record.sources]


def _status(org: Organization, code: str, crisis: Crisis, step: Step) -> Found:
    event = org.last_status_event(code, crisis.date)
    if event is None:
        return []
    note = f": {event.note}" if event.note else ""
    return [(f"{code} {event.kind.value} on {event.date.isoformat()}{note}", event.source)]


def _trait_finder(
    name: TraitName, of_provider: bool = False
) -> Callable[[Organization, str, Crisis, Step], Found]:
    def find(org: Organization, code: str, crisis: Crisis, step: Step) -> Found:
        return _trait(org, org.provider if of_provider else code, name, crisis.date)

    return find


FINDERS: dict[str, Callable[[Organization, str, Crisis, Step], Found]] = {
    "ties": _ties,
    "entanglement": _entanglement,
    "precedent": _trait_finder(TraitName.PRECEDENT_SENSITIVITY),
    "non_recognition": _trait_finder(TraitName.RECOGNISES_ANNEXATIONS),
    "committed_capacity": _trait_finder(TraitName.CAPACITY),
    "regime_not_at_risk": _trait_finder(TraitName.POWER_PROJECTION),
    "incumbent_support": _incumbent,
    "dropped_incumbent": _incumbent,
    "showcase": _incumbent,
    "bilateral_preference": _bilateral,
    "follow_provider": _dependence,
    "abstention": _status,
}
