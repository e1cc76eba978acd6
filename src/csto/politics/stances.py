"""Each member's yes or no on a question, with its reasons, from the same dated relations, traits and
parameters as its position on a crisis.

The relations are the regime's compiled table (law/regime.py) for the epoch of the day before the
question; the parameters are data/politics.yaml's, `ties_threshold` shared with the crisis factor
`ties`; a member whose participation is frozen stands aside where the rule allows it, as on a crisis.

A question that gives the state something (admission, return, a status, the post, a base) is
supported unless a factor makes a member object (FOR_FACTORS):
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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal

import numpy as np
from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.errors import DataError, Problem
from csto.domain.models import DecisionRule, RelationLevel, Status, TraitName
from csto.domain.offices import Turn
from csto.domain.organization import Organization
from csto.domain.question import Question, QuestionKind
from csto.law.conditions import day_before
from csto.law.regime import Regime
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


# --- parameters ------------------------------------------------------------------------------------
def _param(org: Organization, name: str, read: Callable[[Any], Any], allowed: str) -> Any:
    value = org.parameter(name).value
    try:
        return read(value)
    except (ValueError, TypeError):
        raise DataError(
            "politics.yaml", [Problem(f"parameters[{name}].value", value, f"allowed: {allowed}")]
        ) from None


def _level(org: Organization, name: str) -> int:
    levels = ", ".join(r.value for r in RelationLevel)
    return int(_param(org, name, lambda v: RelationLevel(str(v)).rank, levels))


def _share(value: Any) -> float:
    if isinstance(value, bool) or not 0 <= float(value) <= 1:
        raise ValueError(value)
    return float(value)


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(value)
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(value)
    return value


def lead_days(org: Organization) -> int:
    return int(_param(org, "appointment_lead_days", _days, "a whole number of days, 0 or more"))


# --- the scene -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scene:
    org: Organization
    regime: Regime
    q: Question
    epoch: int
    before: date
    turn: Turn | None  # the rotation's turn an appointment is for (Secretary General only)

    def rank(self, a: str, b: str) -> int:
        """The relation rank between two states, from the regime's table (neutral with no record)."""
        r = self.regime
        ma = int(r.member_of_universe[r.universe_index[a]])
        if ma >= 0:
            return int(r.relation[self.epoch, ma, r.universe_index[b]])
        mb = int(r.member_of_universe[r.universe_index[b]])
        if mb >= 0:
            return int(r.relation[self.epoch, mb, r.universe_index[a]])
        return RelationLevel.NEUTRAL.rank

    def level(self, a: str, b: str) -> str:
        return list(RelationLevel)[self.rank(a, b)].value

    def source(self, a: str, b: str) -> tuple[str, ...]:
        _, rel = self.org.relation(a, b, self.before)
        return (rel.source,) if rel else ()

    def outside(self, code: str) -> bool:
        return not self.org.status(code, self.before).is_member

    def adversaries(self, subject: str, threshold: int) -> list[str]:
        """Outside states whose relations with `subject` are at most `threshold`."""
        r = self.regime
        found: set[int] = set()
        m = int(r.member_of_universe[r.universe_index[subject]])
        if m >= 0:
            row = r.relation[self.epoch, m, :-1]
            found.update(int(u) for u in np.flatnonzero(row <= threshold))
        column = r.relation[self.epoch, :, r.universe_index[subject]]
        found.update(r.universe_index[r.members[d]] for d in np.flatnonzero(column <= threshold))
        codes = sorted(r.universe[u] for u in found)
        return [c for c in codes if c != subject and self.outside(c)]

    def matter(self) -> str:
        q, s = self.q, self.q.applicant.name if self.q.applicant else self.q.state
        return {
            QuestionKind.ADMISSION: f"admitting {s}",
            QuestionKind.RETURN: f"{s}'s return",
            QuestionKind.SUSPENSION: f"suspending {s}",
            QuestionKind.OBSERVER: f"observer status for {s}",
            QuestionKind.PARTNER: f"partner status for {s}",
            QuestionKind.STATIONING: f"{s}'s forces on {q.host}'s territory",
            QuestionKind.SECRETARY_GENERAL: f"a Secretary General from {s}",
        }[q.kind]


Hit = tuple[str, str | None, tuple[str, ...]] | None  # reason, parameter, sources


def _evidence(org: Organization, parameter: str | None) -> tuple[str, ...]:
    return org.parameter(parameter).evidence if parameter else ()


# --- factors of a question that gives the state something -----------------------------------------
def _at_odds(s: Scene, m: str) -> str | None:
    """The state the question is about with which the member is at odds, if any."""
    threshold = _level(s.org, "objection_threshold")
    return next(
        (x for x in s.q.subjects if x != m and s.rank(m, x) <= threshold),
        None,
    )


def hostile(s: Scene, m: str) -> Hit:
    subject = _at_odds(s, m)
    if subject is None:
        return None
    why = f"its relations with {subject} are {s.level(m, subject)}, so it objects to {s.matter()}"
    return why, "objection_threshold", s.source(m, subject)


def _rotation_binds(s: Scene) -> bool:
    t = s.turn
    begun = t is not None and t.start <= s.before and t.state == s.q.state
    binds = _param(s.org, "rotation_binds_in_turn", _flag, "true or false")
    return bool(s.q.kind is QuestionKind.SECRETARY_GENERAL and begun and binds)


def _tie_to_adversary(s: Scene, m: str) -> tuple[str, str, bool] | None:
    """(state, its adversary the member is tied to, closer to the adversary than to the state)."""
    ties = _level(s.org, "ties_threshold")
    threshold = _level(s.org, "adversary_threshold")
    found = None
    for subject in s.q.subjects:
        for other in s.adversaries(subject, threshold):
            if s.rank(m, other) < ties:
                continue
            closer = s.rank(m, other) > s.rank(m, subject)
            if closer:
                return subject, other, True
            found = found or (subject, other, False)
    return found


def adversary_ties(s: Scene, m: str) -> Hit:
    tie = _tie_to_adversary(s, m)
    if tie is None or not tie[2] or _rotation_binds(s):
        return None
    subject, other, _ = tie
    why = (
        f"it is closer to {other} ({s.level(m, other)}), whose relations with {subject} are "
        f"{s.level(subject, other)}, than to {subject}, so it objects to {s.matter()}"
    )
    return why, "ties_threshold", (*s.source(m, other), *s.source(subject, other))


def rival_base(s: Scene, m: str) -> Hit:
    if s.q.kind is not QuestionKind.STATIONING:
        return None
    trait = s.org.trait(m, TraitName.POWER_PROJECTION, s.before)
    if trait is None or trait.value != "yes":
        return None
    if s.rank(m, s.q.state) < _level(s.org, "base_tolerance"):
        why = (
            f"it provides the organization's power projection and will not have a base of "
            f"{s.q.state}, a rival power ({s.level(m, s.q.state)}), on a member's territory"
        )
        return why, "base_tolerance", (trait.source, *s.source(m, s.q.state))
    return None


def turn_passed_over(s: Scene, m: str) -> Hit:
    t = s.turn
    if s.q.kind is not QuestionKind.SECRETARY_GENERAL or t is None or t.state != m:
        return None
    if s.q.state == m:
        return None
    rotation = s.org.rotation
    assert rotation is not None
    why = (
        f"the rotation gives the post to {m} for {t.start.isoformat()} to {t.end.isoformat()}; "
        f"a nominee from {s.q.state} would take its turn"
    )
    return why, None, (rotation.source,)


def rest_of_turn(s: Scene, m: str) -> Hit:
    t = s.turn
    if s.q.kind is not QuestionKind.SECRETARY_GENERAL or t is None or m == s.q.state:
        return None
    if t.state != s.q.state or t.start > s.before:
        return None
    share = _param(s.org, "rest_of_turn_min_share", _share, "a share from 0 to 1")
    left = t.left(s.before)
    if left >= share:
        return None
    rotation = s.org.rotation
    assert rotation is not None
    nxt = rotation.next_turn(s.before)
    why = (
        f"only {left:.0%} of {s.q.state}'s turn is left (to {t.end.isoformat()}): it would move the "
        f"post on to {nxt.state}, next in the rotation, rather than fill the rest"
    )
    return why, "rest_of_turn_min_share", (rotation.source,)


FOR_FACTORS: tuple[tuple[str, Callable[[Scene, str], Hit]], ...] = (
    ("hostile", hostile),
    ("adversary_ties", adversary_ties),
    ("rival_base", rival_base),
    ("turn_passed_over", turn_passed_over),
    ("rest_of_turn", rest_of_turn),
)


def _reason(org: Organization, rule: str, effect: Any, hit: tuple[Any, ...]) -> Reason:
    why, parameter, sources = hit
    return Reason(
        rule=rule,
        effect=effect,
        reason=why,
        parameter=parameter,
        evidence=_evidence(org, parameter),
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
    tie = _tie_to_adversary(s, m)
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
    subject = _at_odds(s, m)
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
