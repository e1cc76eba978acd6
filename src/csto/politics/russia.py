"""What the power-projection provider (Russia) does outside the organization: the second answer.

Beside the Council's decision, each crisis gets one of `nothing | bilateral | unilateral`, the
first of these rules that applies (docs/model.md, section 6):

    at_war          the provider is itself at war with a state on the other side, or a party to a war
                    abroad against it, and the crisis is in that war's theatre (its own soil or the
                    other state's)                                              -> unilateral
    own_soil        the crisis is on the provider's own territory at an intensity its armed forces
                    meet (own_forces_min_intensity)                             -> unilateral
    inside          the Council sends forces and the provider is among them     -> nothing (it acts
                                                                                   inside the organization)
    instrument      one of the provider's bilateral instruments with the state concerned covers the
                    crisis, the provider has not turned against its leader, and someone asked,
                    another state is on the other side, or the intensity is one its forces would
                    meet                                                         -> bilateral
    mediation       the provider is close to a state on the other side of a crisis that involves a
                    member: it deals with both sides itself                      -> bilateral
    otherwise                                                                   -> nothing

CST Art. 8 leaves the parties' other treaties and their right of self-defence untouched: this is the
legal room for the provider's own course.

    RussiaCourse(acts, rule)       (n,) codes of RussiaAct and the index of the rule that decided
    course(batch, regime, law, pos, outcome, tracer=None)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from csto.domain.crisis import Kind, Measure, RussiaAct
from csto.domain.models import RelationLevel
from csto.law.batch import KINDS, CrisisBatch
from csto.law.regime import Regime
from csto.law.rules import LegalResult
from csto.law.tracer import Tracer
from csto.politics.positions import Positions

ACTS = tuple(RussiaAct)
K_WAR_ABROAD = KINDS.index(Kind.WAR_ABROAD)


@dataclass(frozen=True)
class Context:
    batch: CrisisBatch
    regime: Regime
    law: LegalResult
    positions: Positions
    outcome: np.ndarray  # (n,) the Council's decision

    @property
    def e(self) -> np.ndarray:
        return self.batch.epoch

    def provider_relation(self) -> list[np.ndarray]:
        """Per opponent slot, (n,) the provider's relation rank with that opponent (-1: no state)."""
        p = self.regime.provider
        out = []
        for k in range(self.batch.opponents.shape[1]):
            opp = self.batch.opponents[:, k]
            rank = self.regime.relation[self.e, p, np.where(opp >= 0, opp, -1)]
            out.append(np.where(opp >= 0, rank, -1))
        return out


Rule = Callable[[Context], np.ndarray]


def at_war(c: Context) -> np.ndarray:
    """In the theatre of its own war: on its soil or on the territory of the state it fights."""
    war_abroad = c.batch.kind == K_WAR_ABROAD
    p_universe = c.regime.universe_index[c.regime.members[c.regime.provider]]
    hit = np.zeros(len(c.batch), dtype=bool)
    for k, rank in enumerate(c.provider_relation()):
        fighting = (rank == RelationLevel.WAR.rank) | (
            war_abroad & (rank >= 0) & (rank <= RelationLevel.HOSTILE.rank)
        )
        theatre = (c.batch.territory == p_universe) | (c.batch.territory == c.batch.opponents[:, k])
        hit |= fighting & theatre
    return hit


def own_soil(c: Context) -> np.ndarray:
    p_universe = c.regime.universe_index[c.regime.members[c.regime.provider]]
    intense = c.batch.intensity >= c.batch.param(c.regime, "own_forces_min_intensity")
    return np.asarray((c.batch.territory == p_universe) & intense)


def inside(c: Context) -> np.ndarray:
    p = c.regime.provider
    joins = c.positions.present[:, p] & (c.positions.ceiling[:, p] >= Measure.DEPLOYMENT)
    return np.asarray((c.outcome >= Measure.DEPLOYMENT) & joins)


def instrument(c: Context) -> np.ndarray:
    p_universe = c.regime.universe_index[c.regime.members[c.regime.provider]]
    subject = c.law.facts.subject
    # The state concerned: the appellant, or where nobody (or the provider itself) asked, the territory.
    concerned = np.where((subject >= 0) & (subject != p_universe), subject, c.batch.territory)
    covered = c.regime.bilateral[c.e, concerned, c.batch.kind]
    subject_m = np.maximum(c.regime.member_of_universe[concerned], 0)
    is_member = c.regime.member_of_universe[concerned] >= 0
    dropped = is_member & (c.regime.backing[c.e, subject_m] < 0)
    # Asked for help, another state on the other side, or a threat its forces would meet: a small
    # domestic incident needs nothing of its own.
    weighty = (
        c.law.facts.has_request
        | c.law.facts.state_opponent
        | (c.batch.intensity >= c.batch.param(c.regime, "own_forces_min_intensity"))
    )
    return np.asarray(covered & ~dropped & weighty)


def mediation(c: Context) -> np.ndarray:
    threshold = c.batch.param(c.regime, "ties_threshold")
    close = np.zeros(len(c.batch), dtype=bool)
    for rank in c.provider_relation():
        close |= rank >= threshold
    f = c.law.facts
    member_side = f.territory_member | f.subject_member
    # A member fights the state on the other side abroad (a war a member is in).
    fighting = np.zeros(len(c.batch), dtype=bool)
    for k in range(c.batch.opponents.shape[1]):
        opp = c.batch.opponents[:, k]
        ranks = c.regime.relation[c.e, :, np.where(opp >= 0, opp, -1)]  # (n, M)
        fighting |= ((ranks == RelationLevel.WAR.rank) & f.present).any(axis=1) & (opp >= 0)
    return np.asarray(close & (member_side | fighting))


@dataclass(frozen=True)
class CourseRule:
    name: str
    acts: RussiaAct
    reason: str
    rule: Rule


RULES: tuple[CourseRule, ...] = (
    CourseRule(
        "at_war",
        RussiaAct.UNILATERAL,
        "it is itself at war with the state on the other side and fights with its own forces",
        at_war,
    ),
    CourseRule(
        "own_soil",
        RussiaAct.UNILATERAL,
        "the crisis is on its own territory, where its own armed forces meet it",
        own_soil,
    ),
    CourseRule(
        "inside",
        RussiaAct.NOTHING,
        "the organization sends forces and it takes part: it acts inside the organization",
        inside,
    ),
    CourseRule(
        "instrument",
        RussiaAct.BILATERAL,
        "its own bilateral instrument with the state concerned covers this crisis",
        instrument,
    ),
    CourseRule(
        "mediation",
        RussiaAct.BILATERAL,
        "it is close to the state on the other side and deals with both sides itself",
        mediation,
    ),
)


@dataclass(frozen=True)
class RussiaCourse:
    acts: np.ndarray  # (n,) index into ACTS
    rule: np.ndarray  # (n,) index into RULES, -1: none applied (nothing)


def course(
    batch: CrisisBatch,
    regime: Regime,
    law: LegalResult,
    pos: Positions,
    outcome: np.ndarray,
    tracer: Tracer | None = None,
) -> RussiaCourse:
    c = Context(batch, regime, law, pos, outcome)
    n = len(batch)
    acts = np.full(n, ACTS.index(RussiaAct.NOTHING), dtype=np.int8)
    decided = np.full(n, -1, dtype=np.int8)
    for i, r in enumerate(RULES):
        hit = r.rule(c) & (decided < 0)
        acts[hit] = ACTS.index(r.acts)
        decided[hit] = i
        if tracer:
            tracer.note(r.name, "russia", hit, 0, "sets", (("CST", "8"),), r.reason)
    if tracer:
        tracer.note(
            "no_own_course",
            "russia",
            decided < 0,
            0,
            "sets",
            (("CST", "8"),),
            "none of its own instruments, wars or interests calls for action of its own",
        )
    return RussiaCourse(acts=acts, rule=decided)
