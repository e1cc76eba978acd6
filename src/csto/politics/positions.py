"""Each member's position: the highest measure it accepts, with its reasons, over arrays of crises.

A member starts from the strongest measure and each factor that applies caps it; the appellant
accepts exactly what it asked for; the Art. 2 obligation lifts every position to at least
consultations where it applies. Factors read dated data (relations, traits) and global parameters
from data/politics.yaml; none names a case.

    Positions                        ceiling (n, M), abstain (n, M), present (n, M), appellant (n, M)
    positions(batch, regime, law, tracer=None)

Factors (FACTORS, in order): party to the crisis; ties with a state on the other side; a war the
appellant itself is fighting against that state; fear of precedents in internal affairs; the cost of
a stabilising deployment at high intensity; the power-projection provider's committed capacity; the
provider's interest in the government's survival. A member whose participation is frozen stands
aside where the Council's rule allows constructive abstention.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from csto.domain.crisis import Invokes, Measure
from csto.domain.models import RelationLevel
from csto.law.batch import INVOKES, CrisisBatch
from csto.law.regime import Regime
from csto.law.rules import LegalResult
from csto.law.tracer import Ledger, Tracer


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
    ]  # per such slot, (n, M) relation rank of member m with that opponent
    subject_at_war: np.ndarray  # (n,) the appellant is itself at war with a state on the other side
    tracing: bool

    @property
    def e(self) -> np.ndarray:
        return self.batch.epoch

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


def _scene(batch: CrisisBatch, regime: Regime, law: LegalResult, tracing: bool) -> Scene:
    neutral_slot = regime.relation.shape[2] - 1
    slots = tuple(
        k for k in range(batch.opponents.shape[1]) if bool((batch.opponents[:, k] >= 0).any())
    )
    subject_m = np.maximum(regime.member_of_universe[law.facts.subject], 0)
    ranks, at_war = [], np.zeros(len(batch), dtype=bool)
    for k in slots:
        opp = np.where(batch.opponents[:, k] >= 0, batch.opponents[:, k], neutral_slot)
        slab = regime.relation[batch.epoch, :, opp]  # (n, M): only the cells this slot needs
        ranks.append(slab)
        at_war |= slab[np.arange(len(batch)), subject_m] == RelationLevel.WAR.rank
    at_war &= law.facts.subject >= 0
    return Scene(batch, regime, law, slots, tuple(ranks), at_war, tracing)


Factor = Callable[[Scene], tuple[np.ndarray, dict[str, np.ndarray]]]


def party(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    opp_m = s.regime.member_of_universe[s.batch.opponents]  # (n, K)
    out = np.zeros(s.shape, dtype=bool)
    rows, slots = np.nonzero(opp_m >= 0)
    out[rows, opp_m[rows, slots]] = True
    return out, {}


def ties(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    threshold = s.column("ties_threshold")
    tied = np.zeros(s.shape, dtype=bool)
    best = np.full(s.shape, -1, dtype=np.int8)
    state = np.full(s.shape, -1, dtype=np.int32)
    for k, ranks in zip(s.slots, s.slot_ranks, strict=True):
        hit = ranks >= threshold
        tied |= hit
        if s.tracing:  # which state the closest tie is with, for the explanation only
            closer = hit & (ranks > best)
            best = np.where(closer, ranks, best)
            state = np.where(closer, s.batch.opponents[:, k][:, None], state)
    tied &= ~party(s)[0]  # a member on the other side is capped as a party, not for its ties
    return tied, ({"state": state} if s.tracing else {})


def entanglement(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return np.broadcast_to(s.subject_at_war[:, None], s.shape), {}


def precedent(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return s.law.facts.unframed_internal[:, None] & s.regime.precedent_high[s.e], {}


def cost(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    too_costly = s.law.facts.stabilisation & (
        s.batch.intensity > s.param("stabilisation_max_intensity")
    )
    return np.broadcast_to(too_costly[:, None], s.shape), {}


def committed_capacity(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    # An armed attack on a member still engages the provider; stabilising elsewhere does not.
    intense = (
        s.batch.intensity > s.param("committed_capacity_max_intensity")
    ) & ~s.law.facts.attack
    committed = s.regime.committed[s.e]
    if (
        "provider_committed" in s.batch.overrides
    ):  # the scenario says whether the forces are tied up
        committed = np.broadcast_to(s.batch.overrides["provider_committed"][:, None], s.shape)
    return s.regime.power[s.e] & committed & intense[:, None], {}


def regime_not_at_risk(s: Scene) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    return s.regime.power[s.e] & (s.law.facts.internal & ~s.batch.government_at_risk)[:, None], {}


@dataclass(frozen=True)
class PoliticalFactor:
    name: str
    parameter: str
    reason: str
    applies: Factor


FACTORS: tuple[PoliticalFactor, ...] = (
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
        "the appellant is itself at war with the state on the other side; it will not be drawn into that war",
        entanglement,
    ),
    PoliticalFactor(
        "precedent",
        "precedent_cap",
        "it fears a precedent for intervening in a member's internal affairs",
        precedent,
    ),
    PoliticalFactor(
        "cost", "cost_cap", "the violence is too intense for a low-cost stabilising operation", cost
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


def positions(
    batch: CrisisBatch, regime: Regime, law: LegalResult, tracer: Tracer | None = None
) -> Positions:
    f = law.facts
    n, n_members = f.present.shape
    scene = _scene(batch, regime, law, tracer is not None)
    subject_m = regime.member_of_universe[f.subject]
    appellant = (subject_m[:, None] == np.arange(n_members)[None, :]) & f.present
    others = f.present & ~appellant
    ledger = Ledger(np.full((n, n_members), int(Measure.DEPLOYMENT)), "politics", tracer)
    for factor in FACTORS:
        applies, details = factor.applies(scene)
        ledger.cap(
            factor.name,
            applies & others,
            scene.column(factor.parameter),
            reason=factor.reason,
            details=details,
            parameter=factor.parameter,
        )

    # The appellant accepts what it asked for, citing the article it invoked.
    asks = np.broadcast_to(batch.asks[:, None], (n, n_members))
    art4 = batch.invokes == INVOKES.index(Invokes.ART4)
    ledger.set(
        "appellant",
        appellant & art4[:, None],
        asks,
        cites=(("CST", "4"),),
        reason="it asked the organization for this",
    )
    ledger.set(
        "appellant",
        appellant & ~art4[:, None],
        asks,
        cites=(("CST", "2"),),
        reason="it asked the organization for this",
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
