"""Each member's yes or no on a question, with its reasons, from the same dated relations, traits and
parameters as its position on a crisis.

The relations are the regime's compiled table (law/regime.py) for the epoch of the day before the
question; the parameters are data/politics.yaml's, `ties_threshold` shared with the crisis factor
`ties`; a member whose participation is frozen stands aside where the rule allows it, as on a crisis.

A question that gives the state something (admission, return, a status, the post, a base) is
supported unless a factor makes a member object (FOR_FACTORS, politics/objections.py):
    hostile            its relations with the state are at most `objection_threshold`
    adversary_ties     it is tied (`ties_threshold`) more closely to the state's adversary, an outside
                       state whose relations with it are at most `adversary_threshold`, than to the
                       state; from the start of the state's own turn as Secretary General the
                       rotation overrides this (`rotation_binds_in_turn`)
    rival_base         it provides the power projection (trait) and the state whose forces would be
                       stationed is less close to it than `base_tolerance`
    turn_passed_over   the appointment is for its own turn under the rotation, and the nominee is not
    rest_of_turn       less than `rest_of_turn_min_share` of the nominee's state's running turn is left
A question that takes something away (suspension, withdrawal) is opposed by a member without a
grievance: it is supported only where the state itself asks, has stopped taking part, or the member
is at odds with it. The member that puts the question supports it; the host supports a base; the
member concerned by a suspension does not vote.

    Stance, Reason                   a member's answer and why
    QuestionStances                  the Positions (1 x M, the two-step ladder) and the answers
    question_stances(org, regime, q, rule, epoch)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import numpy as np
from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.models import DecisionRule, Status
from csto.domain.organization import Organization
from csto.domain.question import Question, QuestionKind
from csto.law.conditions import day_before
from csto.law.regime import Regime
from csto.politics.objections import (
    FOR_FACTORS,
    Scene,
    at_odds,
    evidence,
    lead_days,
    tie_to_adversary,
)
from csto.politics.positions import Positions


class Stance(StrEnum):
    SUPPORTS = "supports"
    OBJECTS = "objects"
    ABSTAINS = "abstains"
    CONCERNED = "concerned"  # the member a suspension is about: it does not vote


class Reason(Contract):
    rule: str
    effect: Literal["supports", "objects", "abstains", "does_not_vote"]
    reason: str
    parameter: str | None = Field(default=None, description="the parameter (data/politics.yaml)")
    evidence: tuple[str, ...] = Field(default=(), description="the parameter's evidence")
    sources: tuple[str, ...] = Field(default=(), description="the dated records behind it")


@dataclass(frozen=True)
class QuestionStances:
    positions: Positions  # (1, M): ceiling 1 = yes, 0 = no
    stances: dict[str, Stance]  # members taking part, by code
    reasons: dict[str, tuple[Reason, ...]]


def _reason(org: Organization, rule: str, effect: Any, hit: tuple[Any, ...]) -> Reason:
    why, parameter, sources = hit
    return Reason(
        rule=rule,
        effect=effect,
        reason=why,
        parameter=parameter,
        evidence=evidence(org, parameter),
        sources=tuple(dict.fromkeys(sources)),
    )


# --- one member's answer ---------------------------------------------------------------------------
def _own(s: Scene, m: str) -> Reason | None:
    """The members whose answer the question itself gives: who puts it, the host, the nominee's."""
    q = s.q
    if m == q.by:
        return Reason(rule="puts_the_question", effect="supports", reason="it puts the question")
    if q.kind is QuestionKind.STATIONING and m == q.host:
        return Reason(rule="host", effect="supports", reason="it asks to host the forces")
    if m in q.subjects and q.favourable:
        return Reason(rule="concerned", effect="supports", reason="the question is its own")
    return None


_NEUTRAL = Reason(
    rule="neutral_politics",
    effect="supports",
    reason="every political factor is switched off (reform neutral-politics): it does not object",
)


def _answer_for(s: Scene, m: str) -> tuple[Stance, list[Reason]]:
    own = _own(s, m)
    if own is not None:
        return Stance.SUPPORTS, [own]
    if s.regime.neutral_politics:
        return Stance.SUPPORTS, [_NEUTRAL]
    found = [
        _reason(s.org, name, "objects", hit)
        for name, factor in FOR_FACTORS
        if (hit := factor(s, m)) is not None
    ]
    if found:
        return Stance.OBJECTS, found
    tie = tie_to_adversary(s, m)
    if tie is not None:
        subject, other = tie[0], tie[1]
        if tie[2]:  # closer to the adversary, yet the rotation binds it
            why = (
                f"it is closer to {other} ({s.level(m, other)}), {subject}'s adversary, than to "
                f"{subject}, but the rotation gives {subject} the post and its turn has begun"
            )
            parameter = "rotation_binds_in_turn"
        else:
            why = (
                f"it is tied to {other} ({s.level(m, other)}), {subject}'s adversary, but no less "
                f"closely to {subject} ({s.level(m, subject)}), so it does not object"
            )
            parameter = "ties_threshold"
        hit = (why, parameter, (*s.source(m, other), *s.source(m, subject)))
        return Stance.SUPPORTS, [_reason(s.org, "adversary_ties", "supports", hit)]
    why = f"nothing in its relations gives it a reason to object to {s.matter()}"
    return Stance.SUPPORTS, [Reason(rule="no_objection", effect="supports", reason=why)]


def _answer_against(s: Scene, m: str) -> tuple[Stance, list[Reason]]:
    q = s.q
    if q.by == m:
        why = "it puts the question"
        return Stance.SUPPORTS, [Reason(rule="puts_the_question", effect="supports", reason=why)]
    if s.regime.neutral_politics:
        return Stance.SUPPORTS, [_NEUTRAL]
    if q.by == q.state:
        why = f"{q.state} itself asks for it"
        return Stance.SUPPORTS, [Reason(rule="own_request", effect="supports", reason=why)]
    frozen = s.org.status(q.state, s.before) is Status.PARTICIPATION_FROZEN
    if q.kind is QuestionKind.SUSPENSION and frozen:
        event = s.org.last_status_event(q.state, s.before)
        why = f"{q.state} has itself stopped taking part"
        sources = (event.source,) if event else ()
        return Stance.SUPPORTS, [
            Reason(rule="stopped_taking_part", effect="supports", reason=why, sources=sources)
        ]
    subject = at_odds(s, m)
    if subject is not None:
        why = f"its relations with {subject} are {s.level(m, subject)}: it backs the proposal"
        hit = (why, "objection_threshold", s.source(m, subject))
        return Stance.SUPPORTS, [_reason(s.org, "grievance", "supports", hit)]
    taken = {
        QuestionKind.SUSPENSION: "its membership",
        QuestionKind.SECRETARY_GENERAL: "its national's post",
    }.get(q.kind, f"its {q.kind.value} status")
    why = f"it has no grievance against {q.state} and will not take away {taken}"
    return Stance.OBJECTS, [Reason(rule="no_grievance", effect="objects", reason=why)]


def question_stances(
    org: Organization, regime: Regime, q: Question, rule: DecisionRule, epoch: int
) -> QuestionStances:
    """Every member's answer on the day before the question (`epoch` is that day's)."""
    before = day_before(q)
    turn = None
    if q.kind is QuestionKind.SECRETARY_GENERAL and org.rotation is not None:
        turn = org.rotation.appointment_turn(before, lead_days(org))
    scene = Scene(org, regime, q, epoch, before, turn)
    n = len(regime.members)
    ceiling = np.zeros((1, n), dtype=np.int8)
    present = np.zeros((1, n), dtype=bool)
    abstain = np.zeros((1, n), dtype=bool)
    stances: dict[str, Stance] = {}
    reasons: dict[str, tuple[Reason, ...]] = {}
    standing = [org.status(code, before) for code in regime.members]
    abstention = rule is DecisionRule.CONSENSUS_WITH_ABSTENTION
    for k, code in enumerate(regime.members):
        if not standing[k].is_member:
            continue
        if q.kind is QuestionKind.SUSPENSION and code == q.state:
            stances[code] = Stance.CONCERNED
            why = "the member concerned does not take part in the decision"
            reasons[code] = (Reason(rule="concerned", effect="does_not_vote", reason=why),)
            continue
        stance, found = (_answer_for if q.favourable else _answer_against)(scene, code)
        involved = code in (q.by, q.host, q.state)
        if abstention and standing[k] is Status.PARTICIPATION_FROZEN and not involved:
            event = org.last_status_event(code, before)
            found.append(
                Reason(
                    rule="abstention",
                    effect="abstains",
                    reason="its participation is frozen: it stands aside without blocking",
                    sources=(event.source,) if event else (),
                )
            )
            stance = Stance.ABSTAINS
            abstain[0, k] = True
        present[0, k] = True
        ceiling[0, k] = 0 if stance is Stance.OBJECTS else 1
        stances[code] = stance
        reasons[code] = tuple(found)
    appellant = np.zeros((1, n), dtype=bool)
    positions = Positions(ceiling=ceiling, abstain=abstain, present=present, appellant=appellant)
    return QuestionStances(positions, stances, reasons)
