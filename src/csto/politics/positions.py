"""Each member's position: the highest measure it accepts, with its reasons, over arrays of crises.

Every member but the appellant starts from a prior (`member_prior`: words, talks and material help,
not its own people on the spot). Factors then move it, in this order (docs/model.md, section 4):

    raises      RAISES: collective defence against an attack by a state; the showcase of a low-cost
                stabilising operation for a leader the provider backs; the provider's support for a
                backed incumbent whose government is at risk (the provider alone)
    provider    PROVIDER_CAPS, for the power-projection provider alone: it drops a leader it has
                turned against; it prefers its own bilateral instrument where one covers the crisis;
                its forces are committed elsewhere; the government is not at risk
    caps        CAPS, for every member: party to the crisis; ties with a state on the other side;
                a war the appellant started or fights abroad; fear of precedent in internal unrest;
                the cost of a stabilising operation at high intensity; no consent from a non-member
                host; non-recognition of the provider's annexations; silence without a request where
                no member's security is touched
    follow      a member dependent on the provider takes the provider's final position: down freely,
                up only as far as its own caps allow

The appellant accepts exactly what it asked for; the Art. 2 obligation lifts every other position to
at least consultations where it applies; a member whose participation is frozen stands aside where
the Council's rule allows constructive abstention. With `neutral=True` no political factor runs:
every member keeps the prior (`csto replay --neutral-politics`).

    Positions                 ceiling (n, M), abstain (n, M), present (n, M), appellant (n, M)
    positions(batch, regime, law, tracer=None, neutral=False)
    Scene                     what the factors read; built once per batch
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from csto.domain.crisis import Intensity, Invokes, Involvement, Kind, Measure
from csto.domain.models import RelationLevel
from csto.law.batch import INVOKES, INVOLVEMENTS, KINDS, CrisisBatch
from csto.law.regime import Regime
from csto.law.rules import STABILISATION_CODES, LegalResult
from csto.law.tracer import Ledger, Tracer

K_INTERNAL = KINDS.index(Kind.INTERNAL_UNREST)
K_ARMED = KINDS.index(Kind.ARMED_ATTACK)
K_TERROR = KINDS.index(Kind.TERRORISM)
F_EVIDENCED = INVOLVEMENTS.index(Involvement.EVIDENCED)
WAR = RelationLevel.WAR.rank
HOSTILE = RelationLevel.HOSTILE.rank


@dataclass(frozen=True)
class Positions:
    ceiling: np.ndarray  # (n, M) int8
    abstain: np.ndarray  # (n, M) bool
    present: np.ndarray  # (n, M) bool
    appellant: np.ndarray  # (n, M) bool


@dataclass(frozen=True)
class Scene:
    """What the factors look at: the crises, the regime, the law's facts, and derived relations."""

    batch: CrisisBatch
    regime: Regime
    law: LegalResult
    slots: tuple[int, ...]  # opponent slots holding a state somewhere in the batch
    slot_ranks: tuple[
        np.ndarray, ...
    ]  # per such slot, (n, M) relation rank of m with that opponent
    slot_started: tuple[np.ndarray, ...]  # per slot, (n, M): m started the war with that opponent
    subject_m: np.ndarray  # (n,) data index of the appellant (0 where none: mask with has_request)
    provider: np.ndarray  # (n, M) the power-projection provider's cell
    tracing: bool

    @property
    def e(self) -> np.ndarray:
        return self.batch.epoch

    @property
    def f(self) -> Any:
        return self.law.facts

    @property
    def n(self) -> int:
        return len(self.batch)

    def param(self, name: str) -> Any:
        """A parameter per crisis (n,) or one value for all."""
        return self.batch.param(self.regime, name)

    def column(self, name: str) -> Any:
        """A parameter shaped to broadcast over members: (n, 1) or one value."""
        value = self.param(name)
        return value[:, None] if isinstance(value, np.ndarray) else value

    @property
    def shape(self) -> tuple[int, int]:
        return self.law.facts.present.shape

    def every(self, rows: np.ndarray) -> np.ndarray:
        """A per-crisis condition for every member: (n,) -> (n, M)."""
        return np.broadcast_to(np.asarray(rows)[:, None], self.shape)

    def requested(self) -> np.ndarray:
        """(n,) a member asked (or, under a reform, stands in as having asked)."""
        return np.asarray(self.f.has_request & self.f.subject_member)

    def subject_value(self, table: np.ndarray) -> np.ndarray:
        """(n,) a per-member table (E, M) read at the appellant."""
        return np.asarray(table[self.e, self.subject_m])


def _scene(batch: CrisisBatch, regime: Regime, law: LegalResult, tracing: bool) -> Scene:
    neutral_slot = regime.relation.shape[2] - 1
    slots = tuple(
        k for k in range(batch.opponents.shape[1]) if bool((batch.opponents[:, k] >= 0).any())
    )
    ranks, started = [], []
    for k in slots:
        opp = np.where(batch.opponents[:, k] >= 0, batch.opponents[:, k], neutral_slot)
        ranks.append(regime.relation[batch.epoch, :, opp])  # (n, M): only the cells this slot needs
        started.append(regime.initiated[batch.epoch, :, opp])
    subject_m = np.maximum(regime.member_of_universe[law.facts.subject], 0)
    provider = np.zeros(law.facts.present.shape, dtype=bool)
    provider[:, regime.provider] = regime.power[batch.epoch, regime.provider]
    return Scene(
        batch, regime, law, slots, tuple(ranks), tuple(started), subject_m, provider, tracing
    )


Factor = Callable[[Scene], tuple[np.ndarray, dict[str, np.ndarray]]]
NO_DETAILS: dict[str, np.ndarray] = {}


# --- raises -----------------------------------------------------------------------------------
def collective_defence(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    # A border incident is no aggression: a clash engages the obligation only from some intensity.
    serious = (s.batch.kind == K_ARMED) | (
        s.batch.intensity >= s.param("border_clash_min_intensity")
    )
    attacked = s.requested() & s.f.own_territory & s.f.attack & s.f.state_opponent & serious
    return s.every(attacked), NO_DETAILS


def _showcase(s: Scene) -> np.ndarray:
    """(n,) a low-cost stabilising operation a collective force can do, for a backed leader."""
    low_cost = np.isin(s.batch.kind, STABILISATION_CODES) & (
        s.batch.intensity <= s.param("showcase_max_intensity")
    )
    backed = s.subject_value(s.regime.backing) > 0
    force_exists = s.law.ceiling >= Measure.DEPLOYMENT  # a provision for collective forces applies
    no_state = ~s.f.state_opponent  # nobody's army on the other side
    return np.asarray(
        s.requested() & s.f.own_territory & low_cost & backed & force_exists & no_state
    )


def showcase(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return s.every(_showcase(s)), NO_DETAILS


def incumbent_support(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    backed = s.subject_value(s.regime.backing) > 0
    at_risk = s.f.internal & s.batch.government_at_risk & s.f.own_territory
    return s.provider & s.every(s.requested() & backed & at_risk), NO_DETAILS


# --- the provider's own course --------------------------------------------------------------------
def dropped_incumbent(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    dropped = s.subject_value(s.regime.backing) < 0
    return s.provider & s.every(s.requested() & dropped), NO_DETAILS


def bilateral_preference(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    # Against an armed attack by a state the provider leads the collective defence instead.
    covered = s.regime.bilateral[s.e, s.f.subject, s.batch.kind]  # the appellant's own instrument
    return s.provider & s.every(s.requested() & covered & ~s.f.attack), NO_DETAILS


def committed_capacity(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    # An armed attack on a member still engages the provider; stabilising elsewhere does not.
    intense = (s.batch.intensity > s.param("committed_capacity_max_intensity")) & ~s.f.attack
    committed = s.regime.committed[s.e]
    if (
        "provider_committed" in s.batch.overrides
    ):  # the scenario says whether the forces are tied up
        committed = np.broadcast_to(s.batch.overrides["provider_committed"][:, None], s.shape)
    return s.provider & committed & s.every(intense), NO_DETAILS


def regime_not_at_risk(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return s.provider & s.every(s.f.internal & ~s.batch.government_at_risk), NO_DETAILS


# --- every member's caps ---------------------------------------------------------------------------
def party(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    opp_m = s.regime.member_of_universe[s.batch.opponents]  # (n, K)
    out = np.zeros(s.shape, dtype=bool)
    rows, slots = np.nonzero(opp_m >= 0)
    out[rows, opp_m[rows, slots]] = True
    return out, NO_DETAILS


def _tied(s: Scene) -> tuple[np.ndarray, np.ndarray]:
    """(n, M) tied to a state on the other side, and (n, M) which state (for the explanation)."""
    threshold = s.column("ties_threshold")
    tied = np.zeros(s.shape, dtype=bool)
    best = np.full(s.shape, -1, dtype=np.int8)
    state = np.full(s.shape, -1, dtype=np.int32)
    for k, ranks in zip(s.slots, s.slot_ranks, strict=True):
        hit = ranks >= threshold
        tied |= hit
        if s.tracing:
            closer = hit & (ranks > best)
            best = np.where(closer, ranks, best)
            state = np.where(closer, s.batch.opponents[:, k][:, None], state)
    # The provider counts as close any non-member it has its own security instrument with.
    for k in s.slots:
        opp = s.batch.opponents[:, k]
        outside = ~s.f.opponent_member[:, k]
        pact = s.regime.partnered[s.e, np.where(opp >= 0, opp, -1)] & (opp >= 0) & outside
        hit = s.provider & pact[:, None] & ~tied
        tied |= hit
        if s.tracing:
            state = np.where(hit, opp[:, None], state)
    return tied & ~party(s)[0], state  # a member on the other side is a party, not "tied"


def ties(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    tied, state = _tied(s)
    return tied, ({"state": state} if s.tracing else NO_DETAILS)


def entanglement(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Members keep out of a member's war: the appellant fights the state on the other side outside
    its own recognised territory, or some member (the appellant, the provider, any other) is in a
    conflict with that state which it started. The member that started it is not 'drawn in'."""
    rows = np.arange(s.n)
    abroad = ~s.f.own_territory
    hit = np.zeros(s.n, dtype=bool)
    starters = np.zeros(s.shape, dtype=bool)
    for ranks, started in zip(s.slot_ranks, s.slot_started, strict=True):
        at_war = ranks[rows, s.subject_m] == WAR
        hit |= at_war & abroad
        opened = (ranks <= HOSTILE) & started & s.f.present  # (n, M) a conflict m started
        hit |= opened.any(axis=1)
        starters |= opened
    return s.every(hit & s.requested()) & ~starters, NO_DETAILS


def precedent(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    # A claim of a foreign hand does not switch the fear off: only evidence of one does. A brief,
    # low-cost operation for a leader the provider backs sets little precedent.
    internal = s.f.internal & (s.batch.foreign < F_EVIDENCED) & ~_showcase(s)
    return s.every(internal) & s.regime.precedent_high[s.e], NO_DETAILS


def cost(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    too_costly = s.f.stabilisation & (s.batch.intensity > s.param("stabilisation_max_intensity"))
    return s.every(too_costly), NO_DETAILS


def no_host_consent(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    abroad = ~s.f.territory_member & (s.batch.host_consent != 1)
    return s.every(s.requested() & abroad), NO_DETAILS


def non_recognition(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The provider asks for measures on the territory of a non-member it is in conflict with."""
    regime = s.regime
    by_provider = s.requested() & (s.subject_m == regime.provider) & ~s.f.territory_member
    by_provider &= s.batch.host_consent != 1  # with the host's consent the claim is not at stake
    contested = regime.relation[s.e, regime.provider, s.batch.territory] <= HOSTILE
    return s.every(by_provider & contested) & regime.annex_refusal[s.e], NO_DETAILS


def silence(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Nobody asked, and the crisis touches no member's security as this member sees it."""
    f, b = s.f, s.batch
    on_member = f.territory_member
    evidenced = b.foreign >= F_EVIDENCED
    tied, _ = _tied(s)
    attacked = s.every(on_member & (f.attack | (f.state_opponent & evidenced))) & ~tied
    terror = on_member & (b.kind == K_TERROR)
    violent = (b.intensity >= Intensity.MEDIUM.rank) | (
        b.casualties >= s.param("violence_casualties")
    )
    overthrow = on_member & f.internal & b.government_at_risk & violent
    defending = np.zeros(s.n, dtype=bool)  # some member fights a war it did not start
    for ranks, started in zip(s.slot_ranks, s.slot_started, strict=True):
        defending |= ((ranks == WAR) & ~started & f.present).any(axis=1)
    war_on_member = on_member & (b.kind == K_ARMED) & (b.intensity >= Intensity.HIGH.rank)
    stake = attacked | s.every(terror | overthrow | defending | war_on_member)
    return s.every(~f.has_request) & ~stake, NO_DETAILS


@dataclass(frozen=True)
class PoliticalFactor:
    name: str
    parameter: str
    reason: str
    applies: Factor


RAISES: tuple[PoliticalFactor, ...] = (
    PoliticalFactor(
        "collective_defence",
        "collective_defence_support",
        "a state has attacked the appellant's own territory and it asked for help: the treaty's collective defence obliges",
        collective_defence,
    ),
    PoliticalFactor(
        "showcase",
        "showcase_support",
        "a low-cost stabilising operation for a leader the provider backs shows that the alliance works",
        showcase,
    ),
    PoliticalFactor(
        "incumbent_support",
        "incumbent_support",
        "it backs the appellant's leader, whose government is at risk, and will send forces to keep it in power",
        incumbent_support,
    ),
)

PROVIDER_CAPS: tuple[PoliticalFactor, ...] = (
    PoliticalFactor(
        "dropped_incumbent",
        "dropped_incumbent_cap",
        "it has turned against the appellant's leader and will not come to that government's help",
        dropped_incumbent,
    ),
    PoliticalFactor(
        "bilateral_preference",
        "bilateral_preference_cap",
        "its own bilateral instrument with the appellant covers this crisis short of an attack by a state: it acts through that instead",
        bilateral_preference,
    ),
    PoliticalFactor(
        "committed_capacity",
        "committed_capacity_cap",
        "its forces, which carry every operation, are committed elsewhere",
        committed_capacity,
    ),
    PoliticalFactor(
        "regime_not_at_risk",
        "regime_survival_cap",
        "the government is not at risk, so the provider of the forces sees no need to send them",
        regime_not_at_risk,
    ),
)

CAPS: tuple[PoliticalFactor, ...] = (
    PoliticalFactor("party", "party_cap", "it is itself on the other side of the crisis", party),
    PoliticalFactor(
        "ties",
        "ties_cap",
        "it keeps close ties with {state}, on the other side, and will not back measures against it",
        ties,
    ),
    PoliticalFactor(
        "entanglement",
        "entanglement_cap",
        "the appellant is at war with the state on the other side, a war it started or fights abroad; it will not be drawn in",
        entanglement,
    ),
    PoliticalFactor(
        "precedent",
        "precedent_cap",
        "it fears a precedent for intervening in a member's internal affairs (no foreign hand is shown)",
        precedent,
    ),
    PoliticalFactor(
        "cost", "cost_cap", "the violence is too intense for a low-cost stabilising operation", cost
    ),
    PoliticalFactor(
        "no_host_consent",
        "no_host_consent_cap",
        "the events are on a non-member's territory whose government has not been shown to consent",
        no_host_consent,
    ),
    PoliticalFactor(
        "non_recognition",
        "non_recognition_cap",
        "it does not recognise the provider's annexations and will not act on territory the provider contests",
        non_recognition,
    ),
    PoliticalFactor(
        "silence",
        "silence_cap",
        "nobody asked, and the crisis touches no member's security: it stays silent",
        silence,
    ),
)

FACTORS: tuple[PoliticalFactor, ...] = (*RAISES, *PROVIDER_CAPS, *CAPS)
FOLLOW = PoliticalFactor(
    "follow_provider",
    "dependence_threshold",
    "it depends on the provider for arms, bases and its economy, and follows the provider's lead",
    lambda s: (np.zeros(s.shape, dtype=bool), NO_DETAILS),
)
PRIOR = PoliticalFactor(
    "prior",
    "member_prior",
    "without a reason of its own a member offers words, talks and material help, not its people",
    lambda s: (np.ones(s.shape, dtype=bool), NO_DETAILS),
)


def positions(
    batch: CrisisBatch,
    regime: Regime,
    law: LegalResult,
    tracer: Tracer | None = None,
    neutral: bool = False,
) -> Positions:
    f = law.facts
    n, n_members = f.present.shape
    scene = _scene(batch, regime, law, tracer is not None)
    subject_m = regime.member_of_universe[f.subject]
    appellant = (subject_m[:, None] == np.arange(n_members)[None, :]) & f.present
    others = f.present & ~appellant
    ledger = Ledger(np.zeros((n, n_members), dtype=np.int8), "politics", tracer)
    ledger.set(
        PRIOR.name,
        others,
        np.broadcast_to(scene.column(PRIOR.parameter), (n, n_members)),
        effect="sets",
        reason=PRIOR.reason,
        parameter=PRIOR.parameter,
    )
    if not neutral:
        _political_factors(scene, ledger, others)

    # The appellant accepts what it asked for, citing the article it invoked.
    asks = np.broadcast_to(batch.asks[:, None], (n, n_members))
    art4 = batch.invokes == INVOKES.index(Invokes.ART4)
    asked = batch.has_appeal[:, None]
    for cites, where in ((("CST", "4"),), art4), ((("CST", "2"),), ~art4):
        ledger.set(
            "appellant",
            appellant & where[:, None] & asked,
            asks,
            cites=cites,
            reason="it asked the organization for this",
        )
    # Under a regime that needs no request, the member attacked is the one concerned, asked or not.
    ledger.set(
        "appellant",
        appellant & ~asked,
        asks,
        cites=(("CST", "4"),),
        reason="it is the member attacked on its own territory, which this regime defends unasked",
    )

    # The Art. 2 obligation lifts every other position to what is owed.
    floor = np.broadcast_to(law.floor[:, None], (n, n_members))
    ledger.set(
        "art2_obligation",
        others & (ledger.value < floor),
        floor,
        effect="floor",
        cites=(("CST", "2"),),
        reason="the treaty obliges it to take part in consultations",
        parameter="art2_floor",
    )

    # Constructive abstention: a member with frozen participation stands aside, where the rule allows.
    abstain = f.frozen & regime.abstention[batch.epoch][:, None] & ~appellant
    if tracer:
        tracer.note(
            "abstention",
            "politics",
            abstain,
            0,
            "abstains",
            (("CHARTER", "12"),),
            "its participation is frozen: it stands aside without blocking",
        )
    return Positions(ceiling=ledger.value, abstain=abstain, present=f.present, appellant=appellant)


def _political_factors(scene: Scene, ledger: Ledger, others: np.ndarray) -> None:
    for factor in RAISES:
        applies, details = factor.applies(scene)
        _apply(ledger, factor, applies & others, scene, details, raise_=True)
    for factor in (*PROVIDER_CAPS, *CAPS):
        applies, details = factor.applies(scene)
        _apply(ledger, factor, applies & others, scene, details)
    # Dependent members take the provider's final position; a member on the other side still
    # does not act against itself.
    regime = scene.regime
    lead = ledger.value[:, regime.provider].copy()
    asking = scene.f.present[:, regime.provider] & ~others[:, regime.provider]
    lead = np.where(asking, scene.batch.asks, lead).astype(np.int8)  # the provider is the appellant
    provider_counts = scene.provider[:, regime.provider] & scene.f.present[:, regime.provider]
    dependent = regime.dependence[scene.e] >= scene.column(FOLLOW.parameter)
    follows = dependent & others & ~scene.provider & provider_counts[:, None]
    follows &= ledger.value != lead[:, None]
    ledger.set(
        FOLLOW.name,
        follows,
        np.broadcast_to(lead[:, None], ledger.value.shape),
        effect="sets",
        reason=FOLLOW.reason,
        parameter=FOLLOW.parameter,
    )
    for factor in CAPS:  # it follows down freely, but up only as far as its own caps allow
        applies, details = factor.applies(scene)
        _apply(ledger, factor, applies & follows, scene, details)


def _apply(
    ledger: Ledger,
    factor: PoliticalFactor,
    applies: np.ndarray,
    scene: Scene,
    details: dict[str, np.ndarray],
    raise_: bool = False,
) -> None:
    kw = {"reason": factor.reason, "details": details, "parameter": factor.parameter}
    value = scene.column(factor.parameter)
    if raise_:
        ledger.allow(factor.name, applies, value, **kw)
    else:
        ledger.cap(factor.name, applies, value, **kw)
