"""Why a member objects to a question: the scene it looks at and the factors, each a small rule
reading dated data and a documented parameter (data/politics.yaml).

    Scene                 the organization, the regime's epoch of the day before, the question,
                          and the rotation's turn an appointment is for
    Hit                   a factor's finding: (reason, parameter, sources) or None
    FOR_FACTORS           the factors of a question that gives the state something, in order:
                          hostile, adversary_ties, rival_base, turn_passed_over, rest_of_turn
    at_odds, tie_to_adversary, rotation_binds   what the factors (and stances.py) share
    param readers         lead_days(org) and the typed readers of the question parameters
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from csto.domain.errors import DataError, Problem
from csto.domain.models import RelationLevel, TraitName
from csto.domain.offices import Turn
from csto.domain.organization import Organization
from csto.domain.question import Question, QuestionKind
from csto.law.regime import Regime


# --- parameters ------------------------------------------------------------------------------------
def param(org: Organization, name: str, read: Callable[[Any], Any], allowed: str) -> Any:
    value = org.parameter(name).value
    try:
        return read(value)
    except (ValueError, TypeError):
        raise DataError(
            "politics.yaml", [Problem(f"parameters[{name}].value", value, f"allowed: {allowed}")]
        ) from None


def _level(org: Organization, name: str) -> int:
    levels = ", ".join(r.value for r in RelationLevel)
    return int(param(org, name, lambda v: RelationLevel(str(v)).rank, levels))


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
    return int(param(org, "appointment_lead_days", _days, "a whole number of days, 0 or more"))


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


def evidence(org: Organization, parameter: str | None) -> tuple[str, ...]:
    return org.parameter(parameter).evidence if parameter else ()


# --- factors of a question that gives the state something -----------------------------------------
def at_odds(s: Scene, m: str) -> str | None:
    """The state the question is about with which the member is at odds, if any."""
    threshold = _level(s.org, "objection_threshold")
    return next(
        (x for x in s.q.subjects if x != m and s.rank(m, x) <= threshold),
        None,
    )


def hostile(s: Scene, m: str) -> Hit:
    subject = at_odds(s, m)
    if subject is None:
        return None
    why = f"its relations with {subject} are {s.level(m, subject)}, so it objects to {s.matter()}"
    return why, "objection_threshold", s.source(m, subject)


def rotation_binds(s: Scene) -> bool:
    t = s.turn
    begun = t is not None and t.start <= s.before and t.state == s.q.state
    binds = param(s.org, "rotation_binds_in_turn", _flag, "true or false")
    return bool(s.q.kind is QuestionKind.SECRETARY_GENERAL and begun and binds)


def tie_to_adversary(s: Scene, m: str) -> tuple[str, str, bool] | None:
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
    tie = tie_to_adversary(s, m)
    if tie is None or not tie[2] or rotation_binds(s):
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
    share = param(s.org, "rest_of_turn_min_share", _share, "a share from 0 to 1")
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
