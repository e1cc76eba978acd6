"""The legal rules: which provisions apply to a crisis on its date, and the highest measure they allow.

Default logic over arrays (one row per crisis): allowances from the provisions that apply raise the
ceiling from "statement"; exceptions then cap it. Each rule is a small function of the Context that
returns where it applies and the measure; the tables ALLOWANCES and CAPS hold each rule with the
provisions it rests on and the reason it gives. Rules read article parameters through the regime, so
the version in force on each crisis's date decides.

    Facts, derive(batch, regime)   columns derived once and shared with the political rules
    Context                        batch, regime, facts and epochs, handed to every rule
    ALLOWANCES, CAPS               the rule tables
    LegalResult, legal(batch, regime, tracer=None)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from csto.domain.crisis import ATTACKS, STABILISATION, Involvement, Kind, Measure
from csto.law.batch import INVOLVEMENTS, KINDS, CrisisBatch
from csto.law.regime import FROZEN_CODE, Regime
from csto.law.tracer import Cite, Ledger, Tracer

K_BORDER = KINDS.index(Kind.BORDER_CLASH)
K_INTERNAL = KINDS.index(Kind.INTERNAL_UNREST)
K_TERROR = KINDS.index(Kind.TERRORISM)
K_CROSS = KINDS.index(Kind.CROSS_BORDER_THREAT)
F_CLAIMED = INVOLVEMENTS.index(Involvement.CLAIMED)
ATTACK_CODES = np.array([KINDS.index(k) for k in ATTACKS], dtype=np.int8)
STABILISATION_CODES = np.array([KINDS.index(k) for k in STABILISATION], dtype=np.int8)


@dataclass(frozen=True)
class Facts:
    """Columns derived once per batch; every rule reads these rather than recomputing."""

    present: np.ndarray  # (n, M) member on the date
    frozen: np.ndarray  # (n, M) participation frozen
    subject: np.ndarray  # (n,) universe index of the member concerned (appellant), -1
    subject_member: np.ndarray  # (n,)
    has_request: np.ndarray  # (n,) an appeal, or a regime where no request is needed
    own_territory: np.ndarray  # (n,) it happens on the subject's territory
    territory_member: np.ndarray  # (n,)
    opponent_member: np.ndarray  # (n, K) the opponent in slot k is a member on the date
    state_opponent: np.ndarray  # (n,) some non-member state is on the other side
    framed: np.ndarray  # (n,) foreign involvement claimed or evidenced
    internal: np.ndarray  # (n,)
    unframed_internal: np.ndarray  # (n,) internal and presented as purely domestic
    attack: np.ndarray  # (n,) armed attack or border clash
    terror_or_threat: np.ndarray  # (n,) terrorism or a threat across a border
    stabilisation: np.ndarray  # (n,) unrest, terrorism or threat across a border


def derive(batch: CrisisBatch, regime: Regime) -> Facts:
    status = regime.status[batch.epoch]  # (n, M)
    mou = regime.member_of_universe
    rows = np.arange(len(batch))

    def member_on_date(universe_idx: np.ndarray) -> np.ndarray:
        m = mou[universe_idx]  # index -1 reads the last slot, which is -1 too
        ok = m >= 0
        r = rows.reshape((-1,) + (1,) * (m.ndim - 1))
        return np.asarray(ok & regime.is_member(status[r, np.where(ok, m, 0)]))

    territory_member = member_on_date(batch.territory)
    kind = batch.kind
    internal = kind == K_INTERNAL
    framed = batch.foreign >= F_CLAIMED
    attack = np.isin(kind, ATTACK_CODES)
    terror_or_threat = (kind == K_TERROR) | (kind == K_CROSS)
    has_appeal = batch.has_appeal
    if regime.request_needed:
        subject = batch.appellant.astype(np.int32)
        has_request = has_appeal
    else:  # the member attacked on its own territory is the one concerned, asked or not
        stand_in = ~has_appeal & territory_member & attack
        subject = np.where(
            has_appeal, batch.appellant, np.where(stand_in, batch.territory, -1)
        ).astype(np.int32)
        has_request = has_appeal | stand_in
    opponent_member = member_on_date(batch.opponents) & (batch.opponents >= 0)
    return Facts(
        present=regime.is_member(status),
        frozen=status == FROZEN_CODE,
        subject=subject,
        subject_member=member_on_date(subject),
        has_request=has_request,
        own_territory=(subject >= 0) & (subject == batch.territory),
        territory_member=territory_member,
        opponent_member=opponent_member,
        state_opponent=np.asarray(((batch.opponents >= 0) & ~opponent_member).any(axis=1)),
        framed=framed,
        internal=internal,
        unframed_internal=internal & ~framed,
        attack=attack,
        terror_or_threat=terror_or_threat,
        stabilisation=np.isin(kind, STABILISATION_CODES),
    )


@dataclass(frozen=True)
class Context:
    batch: CrisisBatch
    regime: Regime
    f: Facts

    @property
    def e(self) -> np.ndarray:
        return self.batch.epoch

    def live(self, instrument: str, article: str) -> np.ndarray:
        return np.asarray(self.regime.article(instrument, article).in_force()[self.e])

    def flag(self, instrument: str, article: str, name: str, equals: object = True) -> np.ndarray:
        return np.asarray(self.regime.article(instrument, article).flag(name, equals)[self.e])

    def max_measure(self, instrument: str, article: str) -> np.ndarray:
        return np.asarray(self.regime.article(instrument, article).measure()[self.e])

    def requested(self, instrument: str, article: str) -> np.ndarray:
        """The provision's request condition holds: asked for, or no request needed by this version."""
        return np.asarray(
            self.batch.has_appeal | ~self.flag(instrument, article, "requires_request")
        )

    @property
    def on_own(self) -> np.ndarray:
        return np.asarray(self.f.subject_member & self.f.own_territory & self.f.has_request)

    def art2_threat(self) -> np.ndarray:
        """A threat to the member's own security as this version of Art. 2 defines it."""
        covered = ~self.f.unframed_internal | self.flag("CST", "2", "covers_stability")
        return np.asarray(self.on_own & self.live("CST", "2") & covered)


Rule = Callable[[Context], tuple[np.ndarray, np.ndarray | int]]


@dataclass(frozen=True)
class LegalRule:
    name: str
    cites: Callable[[Context], tuple[Cite, ...]]
    reason: str
    rule: Rule
    parameter: str | None = None


def _cites(*keys: tuple[str, str]) -> Callable[[Context], tuple[Cite, ...]]:
    return lambda _c: keys


# --- allowances -------------------------------------------------------------------------------------
def political_means(c: Context) -> tuple[np.ndarray, int]:
    return np.ones(len(c.batch), dtype=bool), int(Measure.STATEMENT)


def art2_consultations(c: Context) -> tuple[np.ndarray, int]:
    return np.asarray(c.f.subject_member & c.f.has_request & c.live("CST", "2")), int(
        Measure.CONSULTATIONS
    )


def art2_measures(c: Context) -> tuple[np.ndarray, np.ndarray]:
    return c.art2_threat(), c.max_measure("CST", "2")


def art4_aggression(c: Context) -> np.ndarray:
    """Aggression against the member on its own territory, as the version in force defines it."""
    f = c.f
    case = f.attack | (f.framed & (f.internal | (c.batch.kind == K_TERROR)))
    aggressor = c.flag("CST", "4", "aggressor", "any") | f.state_opponent
    # The request itself is in `on_own`: the appeal, or the member attacked where no request is needed.
    return np.asarray(c.on_own & c.live("CST", "4") & case & aggressor)


def art4_collective_defence(c: Context) -> tuple[np.ndarray, np.ndarray]:
    return art4_aggression(c), c.max_measure("CST", "4")


def peacekeeping(c: Context) -> tuple[np.ndarray, np.ndarray]:
    # Not for domestic disorder (non-interference), not against an invading state (collective defence).
    f = c.f
    fits = (~f.unframed_internal & ~f.attack) | (c.batch.kind == K_BORDER)
    on_members = c.on_own & c.requested("PK", "3") & fits
    abroad = (
        f.subject_member
        & c.batch.has_appeal
        & ~f.territory_member
        & c.batch.un_mandate
        & c.flag("PK", "3", "outside_territory", "unsc_decision")
    )
    return np.asarray((on_members | abroad) & c.live("PK", "3")), c.max_measure("PK", "3")


def crdf_ca(c: Context) -> tuple[np.ndarray, np.ndarray]:
    area = c.regime.article("CRDF-CA", "3").area("area", c.regime.universe_index)
    in_area = area[c.e, c.batch.territory]
    fits = c.f.attack | c.f.terror_or_threat
    applies = c.on_own & c.requested("CRDF-CA", "3") & c.live("CRDF-CA", "3") & fits & in_area
    return np.asarray(applies), c.max_measure("CRDF-CA", "3")


def crrf(c: Context) -> tuple[np.ndarray, np.ndarray]:
    fits = c.f.attack | c.f.terror_or_threat | (c.f.internal & c.f.framed)
    party = c.regime.parties["CRRF"][c.f.subject]
    return np.asarray(c.on_own & c.live("CRRF", "*") & fits & party), c.max_measure("CRRF", "*")


def monitoring(c: Context) -> tuple[np.ndarray, np.ndarray]:
    applies = c.on_own & c.requested("MONITORING", "*") & c.live("MONITORING", "*")
    return np.asarray(applies), c.max_measure("MONITORING", "*")


ALLOWANCES: tuple[LegalRule, ...] = (
    LegalRule(
        "political_means",
        _cites(("CHARTER", "3"), ("CST", "2")),
        "statements and calls for restraint need no legal basis; political means come first",
        political_means,
    ),
    LegalRule(
        "art2_consultations",
        _cites(("CST", "2")),
        "a member's request opens consultations on a security question touching its interests",
        art2_consultations,
    ),
    LegalRule(
        "art2_measures",
        _cites(("CST", "2")),
        "a threat to the member's own security (as this version of Art. 2 defines it) calls for measures to remove it",
        art2_measures,
    ),
    LegalRule(
        "art4_collective_defence",
        _cites(("CST", "4")),
        "aggression against the member on its own territory, as this version of Art. 4 defines the aggressor, "
        "engages collective defence",
        art4_collective_defence,
    ),
    LegalRule(
        "pk_basis",
        _cites(("PK", "3"), ("PK-2021", "*")),
        "a peacekeeping operation at the member's official request, on its territory or under a UN Security "
        "Council decision",
        peacekeeping,
    ),
    LegalRule(
        "crdf-ca_basis",
        _cites(("CRDF-CA", "3")),
        "the Central Asian rapid deployment forces, in their region at a party's request",
        crdf_ca,
    ),
    LegalRule(
        "crrf_basis",
        _cites(("CRRF", "*")),
        "the rapid reaction force against aggression, terrorism and threats across borders, on a party's territory",
        crrf,
    ),
    LegalRule(
        "monitoring_basis",
        _cites(("MONITORING", "*")),
        "a monitoring mission sent to the crisis at the member's request",
        monitoring,
    ),
)


# --- exceptions ---------------------------------------------------------------------------------------
def not_in_force(c: Context) -> tuple[np.ndarray, int]:
    # Before entry into force no body of the treaty exists to act, or even to speak.
    return np.asarray(~c.live("CST", "2")), int(Measure.NONE)


def no_request(c: Context) -> tuple[np.ndarray, int]:
    return np.asarray(~c.f.has_request), c.batch.param(c.regime, "no_appeal_cap")


def no_request_cites(c: Context) -> tuple[Cite, ...]:
    art4_requires = c.flag("CST", "4", "requires_request")
    return (("CST", "4", art4_requires), ("PK", "3"))


def appellant_not_member(c: Context) -> tuple[np.ndarray, int]:
    return np.asarray(c.batch.has_appeal & ~c.f.subject_member), int(Measure.NONE)


def dispute_between_members(c: Context) -> tuple[np.ndarray, int]:
    applies = c.f.opponent_member.any(axis=1) & c.flag("CST", "1", "members_disputes_peaceful")
    return np.asarray(applies), c.batch.param(c.regime, "members_dispute_cap")


def outside_members_territory(c: Context) -> tuple[np.ndarray, int]:
    mandated = c.batch.un_mandate & c.flag("CST", "6", "outside_territory", "un_mandate")
    return np.asarray(~c.f.territory_member & ~mandated), c.batch.param(
        c.regime, "outside_territory_cap"
    )


def non_interference(c: Context) -> tuple[np.ndarray, int]:
    applies = c.f.unframed_internal & c.flag("CHARTER", "5", "non_interference")
    return np.asarray(applies), c.batch.param(c.regime, "non_interference_cap")


CAPS: tuple[LegalRule, ...] = (
    LegalRule(
        "treaty_not_in_force",
        _cites(("CST", "2"), ("CST", "4")),
        "the treaty is signed but not yet in force: its bodies and mechanisms do not exist yet",
        not_in_force,
    ),
    LegalRule(
        "no_request",
        no_request_cites,
        "no member has formally asked for help, and collective measures follow a request",
        no_request,
        "no_appeal_cap",
    ),
    LegalRule(
        "appellant_not_member",
        _cites(("CST", "4"), ("CST", "2")),
        "the state asking for help is not a member on that date; the treaty's obligations run between members only",
        appellant_not_member,
    ),
    LegalRule(
        "dispute_between_members",
        _cites(("CST", "1")),
        "members stand on both sides: their disputes are to be settled peacefully and fall outside the mandate",
        dispute_between_members,
        "members_dispute_cap",
    ),
    LegalRule(
        "outside_members_territory",
        _cites(("CST", "6"), ("PK", "3")),
        "the events are outside members' recognised territory and no UN Security Council mandate covers them",
        outside_members_territory,
        "outside_territory_cap",
    ),
    LegalRule(
        "non_interference",
        _cites(("CHARTER", "5")),
        "the disorder is presented as domestic: a matter within national jurisdiction",
        non_interference,
        "non_interference_cap",
    ),
)


@dataclass(frozen=True)
class LegalResult:
    ceiling: np.ndarray  # (n,) int8 the highest measure the law allows
    floor: np.ndarray  # (n,) int8 what is owed in any case (Art. 2), never above the ceiling
    facts: Facts


def legal(batch: CrisisBatch, regime: Regime, tracer: Tracer | None = None) -> LegalResult:
    c = Context(batch, regime, derive(batch, regime))
    n = len(batch)
    ledger = Ledger(np.full(n, int(Measure.NONE)), "law", tracer)
    # Which measures some provision in force allows, crisis by crisis: a cap can only fall to one.
    allowed = np.zeros((n, len(Measure)), dtype=bool)
    allowed[:, Measure.NONE] = True
    granted: list[tuple[LegalRule, np.ndarray, np.ndarray]] = []
    for r in ALLOWANCES:
        applies, value = r.rule(c)
        levels = np.broadcast_to(np.asarray(value, dtype=np.int64), (n,))
        allowed[np.flatnonzero(applies), levels[applies]] = True
        granted.append((r, np.asarray(applies), levels))
        ledger.allow(
            r.name, applies, value, cites=r.cites(c), reason=r.reason, parameter=r.parameter
        )
    for r in CAPS:
        applies, value = r.rule(c)
        ledger.cap(r.name, applies, value, cites=r.cites(c), reason=r.reason, parameter=r.parameter)
    capped = ledger.value.copy()
    ladder = np.arange(len(Measure))
    ceiling = np.where(allowed & (ladder[None, :] <= capped[:, None]), ladder, 0).max(axis=1)
    ceiling = ceiling.astype(np.int8)
    if tracer:
        fell = ceiling < capped
        cites: list[Cite] = []  # the provisions that allow the measure the ceiling falls to
        for r, applies, levels in granted:
            mask = fell & applies & (levels == ceiling)
            cites += [(i, a, mask) for i, a, *_ in r.cites(c)]
        tracer.note(
            "authorised_measure",
            "law",
            fell,
            ceiling,
            "cap",
            tuple(cites),
            "no provision in force allows the capped measure itself: the ceiling falls to the highest one that does",
        )
    threat = c.art2_threat()
    floor = np.where(
        threat, np.minimum(batch.param(regime, "art2_floor"), ceiling), int(Measure.NONE)
    ).astype(np.int8)
    if tracer:
        tracer.note(
            "art2_obligation",
            "law",
            floor > Measure.NONE,
            floor,
            "floor",
            (("CST", "2"),),
            "the treaty obliges the members to start consultations at once when a member's security is threatened",
            parameter="art2_floor",
        )
    return LegalResult(ceiling=ceiling, floor=floor, facts=c.f)
